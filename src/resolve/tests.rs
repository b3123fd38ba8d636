use super::*;
use crate::layout::load_str;
use crate::policy::{pantheon, parse};

const SEEDS: &str = r#"
[orgs.my-org.secrets.FOO]
type = "env"
scope = ["ic"]
value = "org-foo"
overrides = { live = "org-foo-live" }

[orgs.my-org.secrets.ORG_ONLY]
type = "env"
scope = ["ic", "web"]
value = "org-only"
overrides = { dev = "org-only-dev" }

[orgs.agency.secrets.AGENCY]
type = "env"
scope = ["ic"]
value = "agency"

[sites.my-org-site]
owner = "my-org"
supporting = ["agency"]
environments = ["feat-1"]

[sites.my-org-site.secrets.FOO]
type = "env"
scope = ["ic"]
value = "site-foo"

[sites.my-org-site.secrets.SITE_ONLY]
type = "runtime"
scope = ["web"]
value = "site-only"
overrides = { feat-1 = "site-only-feat" }

[sites.my-personal-site.secrets.BAR]
type = "env"
scope = ["ic"]
value = "bar"
"#;

fn q<'a>(site: &'a str, env: &'a str, scope: &'a str) -> Query<'a> {
    Query {
        site,
        env,
        scope,
        ty: None,
    }
}

/// (name, winner kind/id/override, value) of each resolved secret.
fn summary(layout: &Layout, policy: &Policy, query: Query<'_>) -> Vec<String> {
    resolve(layout, policy, query)
        .expect("resolves")
        .iter()
        .map(|r| {
            let w = &r.winner;
            let value = w
                .value
                .map_or("-", |v| v.expose(w.span.file, &layout.sources));
            format!(
                "{}={} ({} {} {})",
                r.name,
                value,
                w.kind.as_str(),
                w.id,
                w.env.unwrap_or("default")
            )
        })
        .collect()
}

fn seeds() -> Layout {
    let loaded = load_str("seeds.toml", SEEDS);
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    loaded.layout
}

#[test]
fn seeds_worked_example_org_site_merges_owner_org_only() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    assert_eq!(
        summary(&layout, &policy, q("my-org-site", "dev", "ic")),
        [
            "FOO=site-foo (site my-org-site default)",
            "ORG_ONLY=org-only-dev (org my-org dev)",
        ]
    );
}

#[test]
fn seeds_worked_example_personal_site_has_no_org() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    assert_eq!(
        summary(&layout, &policy, q("my-personal-site", "dev", "ic")),
        ["BAR=bar (site my-personal-site default)"]
    );
}

#[test]
fn site_default_beats_org_override() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    let rs = resolve(&layout, &policy, q("my-org-site", "live", "ic")).expect("resolves");
    let foo = rs.iter().find(|r| r.name == "FOO").expect("FOO");
    assert_eq!(
        foo.winner
            .value
            .map(|v| v.expose(foo.winner.span.file, &layout.sources)),
        Some("site-foo")
    );
    let shadowed: Vec<_> = foo.shadowed.iter().map(|c| (c.kind, c.env)).collect();
    assert_eq!(
        shadowed,
        [(OwnerKind::Org, Some("live")), (OwnerKind::Org, None)]
    );
}

#[test]
fn scope_filters_before_merge() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    assert_eq!(
        summary(&layout, &policy, q("my-org-site", "feat-1", "web")),
        [
            "SITE_ONLY=site-only-feat (site my-org-site feat-1)",
            "ORG_ONLY=org-only (org my-org default)"
        ]
    );
}

#[test]
fn supporting_org_contributes_nothing() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    let names: Vec<_> = resolve(&layout, &policy, q("my-org-site", "dev", "ic"))
        .expect("resolves")
        .iter()
        .map(|r| r.name)
        .collect();
    assert!(!names.contains(&"AGENCY"), "{names:?}");
}

#[test]
fn site_override_only_entry_sits_on_owner_org_secret() {
    let text = r#"
[orgs.o.secrets.KEY]
type = "runtime"
scope = ["web"]
value = "org-default"
[sites.s]
owner = "o"
[sites.s.secrets.KEY]
overrides = { live = "site-live" }
"#;
    let layout = load_str("l.toml", text).layout;
    let policy = pantheon().expect("policy");
    assert_eq!(
        summary(&layout, &policy, q("s", "live", "web")),
        ["KEY=site-live (site s live)"]
    );
    assert_eq!(
        summary(&layout, &policy, q("s", "dev", "web")),
        ["KEY=org-default (org o default)"]
    );
    // The override takes the org secret's scopes: nothing in `ic`.
    assert!(summary(&layout, &policy, q("s", "live", "ic")).is_empty());
}

#[test]
fn override_without_any_default_resolves_to_nothing() {
    let text = "[sites.s.secrets.KEY]\noverrides = { live = \"x\" }\n";
    let layout = load_str("l.toml", text).layout;
    let policy = pantheon().expect("policy");
    assert!(summary(&layout, &policy, q("s", "live", "web")).is_empty());
}

#[test]
fn type_filter_keeps_only_that_type() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    let query = Query {
        ty: Some("runtime"),
        ..q("my-org-site", "dev", "web")
    };
    assert_eq!(
        summary(&layout, &policy, query),
        ["SITE_ONLY=site-only (site my-org-site default)"]
    );
}

#[test]
fn unknown_site_suggests_the_closest() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    let err = resolve(&layout, &policy, q("my-org-sit", "dev", "ic")).expect_err("unknown");
    assert!(
        matches!(err, ResolveError::UnknownSite { suggestion: Some(ref s), .. } if s == "my-org-site"),
        "{err:?}"
    );
}

#[test]
fn unknown_env_is_refused() {
    let (layout, policy) = (seeds(), pantheon().expect("policy"));
    let err =
        resolve(&layout, &policy, q("my-personal-site", "feat-1", "ic")).expect_err("unknown env");
    assert!(matches!(err, ResolveError::UnknownEnv { .. }), "{err:?}");
}

#[test]
fn precedence_comes_from_the_policy() {
    // A policy where an org's override beats a site's default.
    let text =
        pantheon_with("precedence org.default < site.default < org.override < site.override");
    let policy = parse("custom.policy", &text).expect("policy");
    let layout = seeds();
    let rs = resolve(&layout, &policy, q("my-org-site", "live", "ic")).expect("resolves");
    let foo = rs.iter().find(|r| r.name == "FOO").expect("FOO");
    assert_eq!(
        foo.winner
            .value
            .map(|v| v.expose(foo.winner.span.file, &layout.sources)),
        Some("org-foo-live")
    );
}

#[test]
fn inheritance_comes_from_the_policy() {
    let text = pantheon_with("inherit from owner and supporting");
    let policy = parse("custom.policy", &text).expect("policy");
    let layout = seeds();
    let names: Vec<_> = resolve(&layout, &policy, q("my-org-site", "dev", "ic"))
        .expect("resolves")
        .iter()
        .map(|r| r.name)
        .collect();
    assert!(names.contains(&"AGENCY"), "{names:?}");
}

/// The Pantheon policy with its `precedence` or `inherit` line replaced.
fn pantheon_with(line: &str) -> String {
    let keyword = line.split_whitespace().next().unwrap_or_default();
    crate::policy::PANTHEON
        .lines()
        .map(|l| {
            if l.trim_start().starts_with(keyword) {
                line
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_sites_environments_come_each_once_in_order() {
    let always: Vec<String> = ["dev", "test", "live"].map(String::from).to_vec();
    let spanned = |names: &[&str]| -> Vec<crate::layout::Spanned<crate::layout::Name>> {
        names
            .iter()
            .map(|n| crate::layout::Spanned {
                value: crate::layout::Name::from(*n),
                span: Span::default(),
            })
            .collect()
    };
    // Few: told apart by a scan.
    let own = spanned(&["pr-1", "live", "pr-2", "pr-1"]);
    assert_eq!(
        envs_of(&always, &own),
        ["dev", "test", "live", "pr-1", "pr-2"]
    );
    // Many: through a set, with the same order.
    let names: Vec<String> = (0..40).map(|i| format!("md-{}", i % 25)).collect();
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.insert(7, "test");
    let own = spanned(&names);
    assert!(always.len() + own.len() > SCANNED_ENVS);
    let expected: Vec<String> = ["dev", "test", "live"]
        .map(String::from)
        .into_iter()
        .chain((0..25).map(|i| format!("md-{i}")))
        .collect();
    assert_eq!(envs_of(&always, &own), expected);
}
