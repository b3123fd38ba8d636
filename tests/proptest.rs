//! Property tests: random layouts (orgs, sites, owners, supporting orgs,
//! secrets, overrides; values with quotes, backslashes, newlines and
//! non-ASCII) rendered to TOML never make load, check, resolve or explain
//! panic, and resolution under the Pantheon policy keeps its invariants:
//!
//! - a site's own secret in scope beats its org's secret of the same name;
//! - an override beats its owner's default for that environment;
//! - supporting orgs never contribute;
//! - the answer does not depend on how the layout is split into files, or
//!   on the order of those files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;

use ward::layout::{Layout, Loaded, OwnerKind, load_str};
use ward::policy::{Policy, Slot};
use ward::resolve::{self, Candidate, Query, Resolved};
use ward::source::Sources;

fn pantheon() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| ward::policy::pantheon().expect("embedded policy"))
}

// --- The model -------------------------------------------------------------

/// Small pools, so that names, owners and environments collide often.
const ORG_IDS: &[&str] = &["o1", "o2", "o3"];
const SITE_IDS: &[&str] = &["s1", "s2", "s3", "site.with.dots"];
const NAMES: &[&str] = &[
    "TOKEN",
    "DB_PASSWORD",
    "COMPOSER_AUTH",
    "github-oauth.github.com",
    "1nvalid",
    "k\u{e9}y",
];
const TYPES: &[&str] = &["runtime", "env", "composer"];
const SCOPES: &[&str] = &["ic", "web", "user"];
/// Always-present environments, multidevs, and ones no site declares.
const ENVS: &[&str] = &["dev", "test", "live", "feat", "qa-1"];

#[derive(Debug, Clone)]
struct DefaultM {
    ty: &'static str,
    scopes: Vec<&'static str>,
    /// `None`: withheld.
    value: Option<String>,
}

#[derive(Debug, Clone)]
struct SecretM {
    /// `None`: an override-only entry (then `overrides` is not empty).
    default: Option<DefaultM>,
    overrides: BTreeMap<&'static str, String>,
    /// Written as an inline table under `[… .secrets]`.
    inline: bool,
}

#[derive(Debug, Clone)]
struct OwnerM {
    kind: OwnerKind,
    id: &'static str,
    /// Sites only.
    owner: Option<&'static str>,
    supporting: Vec<&'static str>,
    environments: Vec<&'static str>,
    php: Option<&'static str>,
    secrets: BTreeMap<&'static str, SecretM>,
}

#[derive(Debug, Clone)]
struct Model {
    owners: Vec<OwnerM>,
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9_]{0,12}",
        "[ -~]{0,12}",
        "[a-z\"\\\\\n\t\u{e9}\u{1f4a5}]{0,8}",
    ]
}

fn default_() -> impl Strategy<Value = DefaultM> {
    (
        prop::sample::select(TYPES),
        prop::sample::subsequence(SCOPES, 1..=3),
        prop::option::weighted(0.85, value()),
    )
        .prop_map(|(ty, scopes, value)| DefaultM { ty, scopes, value })
}

fn secret() -> impl Strategy<Value = SecretM> {
    (
        prop::option::weighted(0.75, default_()),
        prop::collection::btree_map(prop::sample::select(ENVS), value(), 0..3),
        any::<bool>(),
    )
        .prop_filter("an entry declares something", |(d, o, _)| {
            d.is_some() || !o.is_empty()
        })
        .prop_map(|(default, overrides, inline)| SecretM {
            default,
            overrides,
            inline,
        })
}

fn secrets() -> impl Strategy<Value = BTreeMap<&'static str, SecretM>> {
    prop::collection::btree_map(prop::sample::select(NAMES), secret(), 0..4)
}

fn org(id: &'static str) -> impl Strategy<Value = OwnerM> {
    secrets().prop_map(move |secrets| OwnerM {
        kind: OwnerKind::Org,
        id,
        owner: None,
        supporting: Vec::new(),
        environments: Vec::new(),
        php: None,
        secrets,
    })
}

fn site(id: &'static str) -> impl Strategy<Value = OwnerM> {
    (
        prop::option::weighted(0.8, prop::sample::select(ORG_IDS)),
        prop::sample::subsequence(ORG_IDS, 0..=2),
        prop::sample::subsequence(&ENVS[3..], 0..=2),
        prop::option::of(prop::sample::select(&["7.4", "8.2"][..])),
        secrets(),
    )
        .prop_map(
            move |(owner, supporting, environments, php, secrets)| OwnerM {
                kind: OwnerKind::Site,
                id,
                owner,
                supporting,
                environments,
                php,
                secrets,
            },
        )
}

/// Some of the orgs and sites of the pools (each at most once), orgs first.
fn model() -> impl Strategy<Value = Model> {
    let orgs = prop::sample::subsequence(ORG_IDS, 0..=3)
        .prop_flat_map(|ids| ids.into_iter().map(org).collect::<Vec<_>>());
    let sites = prop::sample::subsequence(SITE_IDS, 1..=3)
        .prop_flat_map(|ids| ids.into_iter().map(site).collect::<Vec<_>>());
    (orgs, sites).prop_map(|(mut owners, sites)| {
        owners.extend(sites);
        Model { owners }
    })
}

// --- Rendering -------------------------------------------------------------

/// A TOML basic string (also used for quoted keys).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => write!(out, "\\u{:04X}", c as u32).unwrap_or(()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `key = value` pairs of one secret.
fn secret_pairs(s: &SecretM) -> Vec<String> {
    let mut pairs = Vec::new();
    if let Some(d) = &s.default {
        pairs.push(format!("type = {}", quote(d.ty)));
        pairs.push(format!("scope = {}", list(&d.scopes)));
        if let Some(v) = &d.value {
            pairs.push(format!("value = {}", quote(v)));
        }
    }
    if !s.overrides.is_empty() {
        let o: Vec<String> = s
            .overrides
            .iter()
            .map(|(env, v)| format!("{} = {}", quote(env), quote(v)))
            .collect();
        pairs.push(format!("overrides = {{ {} }}", o.join(", ")));
    }
    pairs
}

/// One org or site as a block of TOML: its table, then its secrets (inline
/// ones under `[… .secrets]` first, then one table each).
fn block(o: &OwnerM) -> String {
    let table = match o.kind {
        OwnerKind::Org => "orgs",
        OwnerKind::Site => "sites",
    };
    let head = format!("{table}.{}", quote(o.id));
    let mut out = format!("[{head}]\n");
    if let Some(owner) = o.owner {
        writeln!(out, "owner = {}", quote(owner)).unwrap_or(());
    }
    if !o.supporting.is_empty() {
        writeln!(out, "supporting = {}", list(&o.supporting)).unwrap_or(());
    }
    if !o.environments.is_empty() {
        writeln!(out, "environments = {}", list(&o.environments)).unwrap_or(());
    }
    if let Some(php) = o.php {
        writeln!(out, "php = {}", quote(php)).unwrap_or(());
    }
    let (inline, tables): (Vec<_>, Vec<_>) = o.secrets.iter().partition(|(_, s)| s.inline);
    if !inline.is_empty() {
        writeln!(out, "\n[{head}.secrets]").unwrap_or(());
        for (name, s) in inline {
            let pairs = secret_pairs(s).join(", ");
            writeln!(out, "{} = {{ {pairs} }}", quote(name)).unwrap_or(());
        }
    }
    for (name, s) in tables {
        writeln!(out, "\n[{head}.secrets.{}]", quote(name)).unwrap_or(());
        for pair in secret_pairs(s) {
            writeln!(out, "{pair}").unwrap_or(());
        }
    }
    out
}

/// Secret declaration order: inline entries first, as [`block`] writes them.
fn declared(o: &OwnerM) -> Vec<&'static str> {
    let (mut inline, tables): (Vec<_>, Vec<_>) = o.secrets.iter().partition(|(_, s)| s.inline);
    inline.extend(tables);
    inline.into_iter().map(|(n, _)| *n).collect()
}

fn render(m: &Model) -> String {
    m.owners.iter().map(block).collect::<Vec<_>>().join("\n")
}

fn load(m: &Model) -> Loaded {
    let loaded = load_str("layout.toml", &render(m));
    let problems: Vec<&str> = loaded.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(problems.is_empty(), "{problems:?}\n{}", render(m));
    loaded
}

// --- Resolutions -----------------------------------------------------------

/// A winner or shadowed layer, comparable across loads.
type Source = (OwnerKind, String, Option<String>, Option<String>);

fn source(sources: &Sources, c: &Candidate<'_>) -> Source {
    (
        c.kind,
        c.id.to_string(),
        c.env.map(str::to_string),
        c.value.map(|v| v.expose(c.span.file, sources).to_string()),
    )
}

/// (name, winner, shadowed) of every secret a query sees.
type Answer = Vec<(String, Source, Vec<Source>)>;

fn answer(sources: &Sources, resolved: &[Resolved<'_>]) -> Answer {
    resolved
        .iter()
        .map(|r| {
            let shadowed = r.shadowed.iter().map(|c| source(sources, c)).collect();
            (r.name.to_string(), source(sources, &r.winner), shadowed)
        })
        .collect()
}

/// Every (site, env, scope) query of a layout with its answer; panics if a
/// listed query fails.
fn all_answers(layout: &Layout) -> BTreeMap<(String, String, String), Answer> {
    let policy = pantheon();
    let mut out = BTreeMap::new();
    for q in resolve::every_query(layout, policy) {
        let resolved = resolve::resolve(layout, policy, q)
            .unwrap_or_else(|e| panic!("{}.{} {}: {e}", q.site, q.env, q.scope));
        let key = (q.site.to_string(), q.env.to_string(), q.scope.to_string());
        out.insert(key, answer(&layout.sources, &resolved));
    }
    out
}

/// Policies that differ from Pantheon's in what resolution follows: the
/// order of the layers and which orgs a site inherits from.
fn variants() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let text = ward::policy::PANTHEON;
        let order = "precedence org.default < org.override < site.default < site.override";
        let changed = [
            (
                order,
                "precedence site.default < org.override < org.default < site.override",
            ),
            (
                order,
                "precedence org.override < site.override < org.default < site.default",
            ),
            ("inherit from owner", "inherit from owner and supporting"),
            ("inherit from owner", "inherit nothing"),
        ];
        let mut out = vec![pantheon().clone()];
        for (from, to) in changed {
            assert!(text.contains(from), "{from}");
            let changed = text.replace(from, to);
            out.push(ward::policy::parse("variant.policy", &changed).expect("variant parses"));
        }
        // The language requires all four layers; a policy built in code
        // may leave some out, and then a name only overrides give is seen
        // only in their environments.
        for keep in [Slot::Override, Slot::Default] {
            let mut fewer = pantheon().clone();
            fewer.precedence.retain(|layer| layer.slot == keep);
            out.push(fewer);
        }
        let mut mixed = pantheon().clone();
        mixed
            .precedence
            .retain(|layer| layer.slot == Slot::Override || layer.owner == OwnerKind::Site);
        out.push(mixed);
        out
    })
}

/// Each view of each site as the view walker sees it and as `resolve`
/// does: (env, scope, [(name, winner kind, id, override env)]).
type Views = Vec<(
    String,
    String,
    Vec<(String, OwnerKind, String, Option<String>)>,
)>;

fn walked(layout: &Layout, policy: &Policy) -> Views {
    let mut out = Views::new();
    let mut walker = resolve::Walker::new(policy);
    for site in layout.sites.values() {
        walker.site_views(layout, site, |view, seen| {
            let seen = seen
                .iter()
                .map(|s| {
                    (
                        s.name.to_string(),
                        s.kind,
                        s.id.to_string(),
                        s.env.map(str::to_string),
                    )
                })
                .collect();
            out.push((
                format!("{}.{}", site.id, view.env),
                view.scope.to_string(),
                seen,
            ));
        });
    }
    out
}

fn resolved(layout: &Layout, policy: &Policy) -> Views {
    let mut out = Views::new();
    for q in resolve::every_query(layout, policy) {
        let site = resolve::find_site(layout, q.site).expect("listed site");
        let seen = resolve::resolve_site(layout, policy, site, q)
            .iter()
            .map(|r| {
                let w = &r.winner;
                (
                    r.name.to_string(),
                    w.kind,
                    w.id.to_string(),
                    w.env.map(str::to_string),
                )
            })
            .collect();
        out.push((format!("{}.{}", q.site, q.env), q.scope.to_string(), seen));
    }
    out
}

/// The model's view of one owner's secret.
fn owner_secret<'m>(m: &'m Model, kind: OwnerKind, id: &str, name: &str) -> Option<&'m SecretM> {
    m.owners
        .iter()
        .find(|o| o.kind == kind && o.id == id)
        .and_then(|o| o.secrets.get(name))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Load, check, resolve and explain never panic, and every listed
    /// query resolves.
    #[test]
    fn random_layouts_never_panic(m in model()) {
        let loaded = load(&m);
        let layout = &loaded.layout;
        let policy = pantheon();
        let _ = ward::rules::check(layout, policy);
        for ((site, env, scope), _) in all_answers(layout) {
            let q = Query { site: &site, env: &env, scope: &scope, ty: None };
            for name in NAMES.iter().chain(&["UNKNOWN", ""]) {
                let _ = resolve::explain(layout, policy, q, name);
            }
            for ty in TYPES {
                let typed = Query { ty: Some(ty), ..q };
                prop_assert!(resolve::resolve(layout, policy, typed).is_ok());
            }
        }
    }

    /// The view walker `ward check` resolves every view with gives each
    /// view the secrets and winners `resolve` gives, whatever the policy's
    /// precedence and inheritance, and its totals count them.
    #[test]
    fn every_view_agrees_with_resolve(m in model()) {
        let loaded = load(&m);
        let layout = &loaded.layout;
        for policy in variants() {
            let walked = walked(layout, policy);
            prop_assert_eq!(&walked, &resolved(layout, policy));
            let totals = resolve::every_view(layout, policy);
            prop_assert_eq!(totals.views, walked.len() as u64);
            let seen: usize = walked.iter().map(|(_, _, s)| s.len()).sum();
            prop_assert_eq!(totals.secrets, seen as u64);
        }
    }

    /// A site's own secret in scope wins over every org value of that name.
    #[test]
    fn a_site_beats_its_org(m in model()) {
        let loaded = load(&m);
        let layout = &loaded.layout;
        for ((site, _env, scope), answer) in all_answers(layout) {
            let s = &layout.sites[site.as_str()];
            for (name, winner, _) in &answer {
                let own = s.secrets.get(name.as_str()).is_some_and(|x| x.has_scope(&scope));
                if own {
                    prop_assert_eq!(winner.0, OwnerKind::Site, "{} on {}", name, site);
                    prop_assert_eq!(&winner.1, &site);
                }
            }
            // And every name it holds in scope is in the answer.
            for (name, x) in &s.secrets {
                if x.has_scope(&scope) {
                    prop_assert!(answer.iter().any(|(n, ..)| n == name), "{} missing", name);
                }
            }
        }
    }

    /// Of one owner's contributions, the override for the queried
    /// environment comes before (beats) its default, and a default wins
    /// only when its owner has no override for that environment.
    #[test]
    fn an_override_beats_its_owners_default(m in model()) {
        let loaded = load(&m);
        for ((site, env, _), answer) in all_answers(&loaded.layout) {
            for (name, winner, shadowed) in &answer {
                let chain: Vec<&Source> = std::iter::once(winner).chain(shadowed).collect();
                for (i, layer) in chain.iter().enumerate() {
                    if layer.2.is_some() {
                        prop_assert_eq!(layer.2.as_deref(), Some(env.as_str()));
                        continue;
                    }
                    let held = owner_secret(&m, layer.0, &layer.1, name)
                        .is_some_and(|s| s.overrides.contains_key(env.as_str()));
                    if held {
                        let above = chain[..i]
                            .iter()
                            .any(|o| o.0 == layer.0 && o.1 == layer.1 && o.2.is_some());
                        prop_assert!(above, "{} on {}.{}: default of {:?} above its override", name, site, env, layer.1);
                    }
                }
                if winner.2.is_none() {
                    let o = owner_secret(&m, winner.0, &winner.1, name);
                    prop_assert!(o.is_some_and(|s| !s.overrides.contains_key(env.as_str())));
                }
            }
        }
    }

    /// Only the site and its owner org contribute: a name that only
    /// supporting orgs hold is never seen, and no layer comes from one.
    #[test]
    fn supporting_orgs_never_contribute(m in model()) {
        let loaded = load(&m);
        let layout = &loaded.layout;
        for ((site, _, _), answer) in all_answers(layout) {
            let s = &layout.sites[site.as_str()];
            let owner = s.owner.as_ref().map(|o| o.value.to_string());
            let mut allowed: BTreeSet<&str> = s.secrets.keys().map(|k| k.as_str()).collect();
            if let Some(org) = owner.as_ref().and_then(|o| layout.orgs.get(o.as_str())) {
                allowed.extend(org.secrets.keys().map(|k| k.as_str()));
            }
            for (name, winner, shadowed) in &answer {
                prop_assert!(allowed.contains(name.as_str()), "{} seen by {}", name, site);
                for layer in std::iter::once(winner).chain(shadowed) {
                    match layer.0 {
                        OwnerKind::Site => prop_assert_eq!(&layer.1, &site),
                        OwnerKind::Org => prop_assert_eq!(Some(&layer.1), owner.as_ref()),
                    }
                }
            }
        }
    }

    /// Split into 1–3 files, in any order: the same answers.
    #[test]
    fn file_order_does_not_matter(
        m in model(),
        files in 1usize..=3,
        picks in prop::collection::vec(any::<Index>(), 7),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let whole = load(&m);
        let mut texts = vec![String::new(); files];
        for (o, pick) in m.owners.iter().zip(&picks) {
            texts[pick.index(files)].push_str(&block(o));
            texts[pick.index(files)].push('\n');
        }
        let mut split = Loaded::default();
        for i in order.into_iter().filter(|&i| i < files) {
            split.add_file(&format!("part{i}.toml"), &texts[i]);
        }
        let problems: Vec<&str> = split.findings.iter().map(|f| f.message.as_str()).collect();
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(all_answers(&whole.layout), all_answers(&split.layout));
    }

    /// The model and the loaded layout agree, so the properties above test
    /// what the model says (declaration order included).
    #[test]
    fn layouts_load_as_generated(m in model()) {
        let loaded = load(&m);
        let layout = &loaded.layout;
        for o in &m.owners {
            let (names, secrets): (Vec<&str>, _) = match o.kind {
                OwnerKind::Org => (declared(o), &layout.orgs[o.id].secrets),
                OwnerKind::Site => (declared(o), &layout.sites[o.id].secrets),
            };
            let got: Vec<&str> = secrets.keys().map(|k| k.as_str()).collect();
            prop_assert_eq!(names, got);
            for (name, s) in &o.secrets {
                let x = secrets.get(name).expect("a generated secret is loaded");
                prop_assert_eq!(x.declares_default(), s.default.is_some());
                let value = s.default.as_ref().and_then(|d| d.value.as_deref());
                prop_assert_eq!(x.value.as_ref().map(|v| v.expose(x.span.file, &layout.sources)), value);
                let overrides: Vec<(&str, &str)> = x.overrides.iter().map(|(e, o)| (e.as_str(), o.value.expose(x.span.file, &layout.sources))).collect();
                let want: Vec<(&str, &str)> = s.overrides.iter().map(|(e, v)| (*e, v.as_str())).collect();
                prop_assert_eq!(overrides, want);
            }
        }
    }
}
