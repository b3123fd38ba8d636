//! A REPL edit re-checks only what it can change (the owner's section of
//! its file, and for an org the sites inheriting from it) when it can, and
//! everything otherwise. Both must leave the same state: after every
//! command of random sequences of sets, deletes and undos — on generated
//! layouts and on odd forms, including those that send an edit down the
//! whole-file path — the session's layout (spans and values), file texts
//! and findings (in order, with their lines and columns) must be those of
//! a full reload and `ward check` of the edited texts, and the session's
//! output must be that of a session that re-checks everything.

use std::fmt::Write as _;
use std::path::PathBuf;

use ward::layout::{Layout, Loaded};
use ward::policy::Policy;
use ward::repl::{Options, Session, Workspace};
use ward::report::SourceView;
use ward::source::SourceText;

#[path = "support/dump.rs"]
mod dump;
#[path = "support/layout_gen.rs"]
#[allow(dead_code)]
mod layout_gen;

use layout_gen::Rng;

/// Findings in order, each with where it is.
fn dump_findings(layout: &Layout, findings: &[ward::finding::Finding]) -> String {
    let view = SourceView::new(&layout.sources);
    let mut out = String::new();
    for f in findings {
        let at = view.locate(f.span);
        let _ = writeln!(out, "{f:?}\n  at {at:?}");
    }
    out
}

/// Each finding with where it and its related spans are (file, line,
/// column), not its spans: the same for a file held in parts or whole.
fn located(session: &Session) -> String {
    let view = SourceView::new(&session.layout().sources);
    let mut out = String::new();
    for f in session.findings() {
        let related: Vec<_> = f
            .related
            .iter()
            .map(|(s, text)| (view.locate(*s), text))
            .collect();
        let _ = writeln!(
            out,
            "{} {:?} {} at {:?} {:?} {related:?} {:?} {:?}",
            f.rule,
            f.severity,
            f.message,
            view.locate(f.span),
            f.label,
            f.org,
            f.site
        );
    }
    out
}

/// Asserts that the session's state is what a full reload and check of
/// its files' current texts gives.
#[track_caller]
fn assert_fresh(session: &Session, policy: &Policy, what: &str) {
    let files = session.workspace().files();
    for (file, (_, source)) in files.iter().zip(session.layout().sources.iter()) {
        assert!(
            file.current() == &**source.text,
            "{what}: the layout's text of {} is not the workspace's",
            file.name()
        );
    }
    // A fresh load of the texts, each part of a file in parts its own
    // source, as the session holds them.
    let (layout, findings) = ward::cli::lint(session.workspace().load(), policy);
    assert_same(
        &dump::layout(&layout),
        &dump::layout(session.layout()),
        &format!("{what}: layout"),
    );
    assert_same(
        &dump_findings(&layout, &findings),
        &dump_findings(session.layout(), session.findings()),
        &format!("{what}: findings"),
    );
}

/// Equal, else the first line that differs.
#[track_caller]
fn assert_same(expected: &str, got: &str, what: &str) {
    if expected == got {
        return;
    }
    let line = expected
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(got.lines().count()));
    let around = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(3))
            .take(8)
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "{what} differs at line {}:\nexpected (full reload):\n{}\n\ngot (session):\n{}",
        line + 1,
        around(expected),
        around(got)
    );
}

fn policy() -> Policy {
    ward::cli::read_policy(None).expect("the embedded policy")
}

/// A session over `files`, each held in parts of about `parts` bytes
/// where it can be cut (whole for `None`).
fn session(
    files: &[(String, String)],
    policy: &Policy,
    incremental: bool,
    parts: Option<usize>,
) -> Session {
    let files = files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.clone()))
        .collect();
    let mut session = Session::new(
        Workspace::from_texts(files).in_parts(parts),
        policy.clone(),
        Options::default(),
    );
    session.set_incremental(incremental);
    session
}

/// Names an edit may use: the owner's own, and new ones (some breaking
/// rules, some an org's names, so that sites shadow and override them).
const NAMES: &[&str] = &[
    "NEW_KEY",
    "API_KEY_1",
    "COMPOSER_AUTH",
    "github-oauth.github.com",
    "1nvalid",
    "CI_TOKEN",
    "K",
];

/// Values: plain, JSON, quotes and escapes, empty, unicode.
const VALUES: &[&str] = &[
    "v",
    "value-0123456789",
    "'{\"github-oauth.github.com\": \"x\"}'",
    "'it''s'",
    "\"q\\\"uote\"",
    "''",
    "é-ü-🔑",
    "\"back\\\\slash\"",
];

const ENVS: &[&str] = &["dev", "test", "live", "feat-1", "qa", "uat", "Bad_Env"];

/// One random command on the session's layout.
fn command(rng: &mut Rng, layout: &Layout) -> String {
    let pick = |rng: &mut Rng, n: usize| (rng.next() % n.max(1) as u64) as usize;
    if pick(rng, 6) == 0 {
        return "undo".to_owned();
    }
    let org = pick(rng, 3) == 0 && !layout.orgs.is_empty();
    let (owner, secrets): (String, Vec<String>) = if org || layout.sites.is_empty() {
        match layout.orgs.get_index(pick(rng, layout.orgs.len())) {
            Some((id, o)) => (
                id.to_string(),
                o.secrets.keys().map(|k| k.to_string()).collect(),
            ),
            None => return "undo".to_owned(),
        }
    } else {
        let (id, s) = layout
            .sites
            .get_index(pick(rng, layout.sites.len()))
            .expect("a site");
        (
            id.to_string(),
            s.secrets.keys().map(|k| k.to_string()).collect(),
        )
    };
    let kind = if org || layout.sites.is_empty() {
        "org"
    } else {
        "site"
    };
    // An org edit often names a site's secret: the site then shadows it,
    // or its override-only entry gets (or loses) a default.
    let site_secret = |rng: &mut Rng| {
        let (_, site) = layout.sites.get_index(pick(rng, layout.sites.len()))?;
        let secret = site.secrets.values().nth(pick(rng, site.secrets.len()))?;
        Some(secret.name.to_string())
    };
    let name = match (secrets.is_empty(), pick(rng, 3)) {
        (_, 0) if kind == "org" => site_secret(rng),
        (false, 1 | 2) => Some(secrets[pick(rng, secrets.len())].clone()),
        _ => None,
    };
    let name = name.unwrap_or_else(|| NAMES[pick(rng, NAMES.len())].to_owned());
    let name = format!("'{name}'");
    let value = VALUES[pick(rng, VALUES.len())];
    let env = (pick(rng, 3) == 0).then(|| ENVS[pick(rng, ENVS.len())]);
    let delete = pick(rng, 4) == 0;
    let verb = if delete { "delete" } else { "set" };
    let value = if delete {
        String::new()
    } else {
        format!(" {value}")
    };
    let flags = match (delete, env.is_none(), pick(rng, 3)) {
        (false, true, 0) => " --type=env --scope=ic",
        (false, true, 1) => " --type=composer --scope=ic,web",
        _ => "",
    };
    match (kind, env) {
        ("site", Some(env)) => format!("secret:site:{verb} {owner}.{env} {name}{value}{flags}"),
        ("org", Some(env)) => format!("secret:org:{verb} {owner} {name}{value} --env={env}{flags}"),
        _ => format!("secret:{kind}:{verb} {owner} {name}{value}{flags}"),
    }
}

/// Runs `steps` random commands on an incremental session and on one that
/// re-checks everything: same output each time, and the incremental state
/// is always a full reload's. Returns how many of the commands that
/// changed a text were re-checked on their section alone, and how many
/// changed one.
fn random_edits(what: &str, files: &[(String, String)], seed: u64, steps: usize) -> (usize, usize) {
    random_edits_in_parts(what, files, seed, steps, None)
}

/// [`random_edits`] with the incremental session's files held in parts of
/// about `parts` bytes where they can be cut (the session that re-checks
/// everything holds them whole): the output of each command, with its
/// lines and columns, and the texts saved must not tell them apart.
fn random_edits_in_parts(
    what: &str,
    files: &[(String, String)],
    seed: u64,
    steps: usize,
    parts: Option<usize>,
) -> (usize, usize) {
    let policy = policy();
    let mut fast = session(files, &policy, true, parts);
    let mut full = session(files, &policy, false, None);
    assert_fresh(&fast, &policy, &format!("{what}: at load"));
    let mut rng = Rng(seed);
    let (mut changed, mut sections) = (0, 0);
    for step in 0..steps {
        let cmd = command(&mut rng, fast.layout());
        let before: Vec<String> = texts(&fast);
        let counted = fast.sections_rechecked();
        let got = fast.execute(&cmd);
        let expected = full.execute(&cmd);
        if texts(&fast) != before {
            changed += 1;
            sections += usize::from(fast.sections_rechecked() > counted);
        }
        let what = format!("{what}, seed {seed}, step {step}: `{cmd}`");
        assert_eq!(got, expected, "{what}: output");
        assert_fresh(&fast, &policy, &what);
        assert_eq!(texts(&fast), texts(&full), "{what}: texts");
        if parts.is_some() {
            assert_same(
                &located(&full),
                &located(&fast),
                &format!("{what}: findings"),
            );
        }
        if parts.is_some() && step % 10 == 0 {
            // Every finding rendered, snippets and their context lines
            // across the parts' borders included.
            assert_eq!(
                fast.execute("check"),
                full.execute("check"),
                "{what}: check"
            );
        }
    }
    // Undo everything: back to the files as loaded.
    while fast.execute("undo").ok {}
    for (now, (_, text)) in texts(&fast).iter().zip(files) {
        assert_eq!(now, text, "{what}: undone");
    }
    assert_fresh(&fast, &policy, &format!("{what}: all undone"));
    eprintln!("{what}: {sections} of {changed} changes re-checked on their section");
    (sections, changed)
}

/// The current text of each file, a file in parts joined.
fn texts(session: &Session) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in session.workspace().files() {
        match out.last_mut() {
            Some(last) if f.is_continued_part() => last.push_str(f.current()),
            _ => out.push(f.current().to_owned()),
        }
    }
    out
}

/// Runs `commands` on an incremental session and on one that re-checks
/// everything, as [`random_edits`] does.
fn scripted_edits(what: &str, files: &[(String, String)], commands: &[String]) {
    let policy = policy();
    let mut fast = session(files, &policy, true, None);
    let mut full = session(files, &policy, false, None);
    for cmd in commands {
        let what = format!("{what}: `{cmd}`");
        assert_eq!(fast.execute(cmd), full.execute(cmd), "{what}: output");
        assert_fresh(&fast, &policy, &what);
    }
    assert!(
        fast.sections_rechecked() > 0,
        "{what}: nothing re-checked on its own"
    );
}

/// Org edits that change the findings of the sites inheriting from the
/// org: a default for their override-only entries, and an `ic` secret for
/// those on PHP below 8.0.
fn heir_commands(layout: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    for site in layout.sites.values() {
        let Some(owner) = &site.owner else { continue };
        for (name, secret) in &site.secrets {
            if !secret.declares_default() {
                out.push(format!("secret:org:set {} '{name}' v", owner.value));
                out.push(format!("secret:org:delete {} '{name}'", owner.value));
                out.push("undo".to_owned());
                out.push("undo".to_owned());
            }
        }
        let old_php = site.php.as_ref().is_some_and(|p| p.value.starts_with('7'));
        if old_php {
            let set = format!(
                "secret:org:set {} IC_ONLY v --type=env --scope=ic",
                owner.value
            );
            out.extend([set, "undo".to_owned()]);
        }
    }
    out
}

/// A generated layout's files.
fn generated(secrets: u64, files: u64, seed: u64) -> Vec<(String, String)> {
    layout_gen::generate(secrets, files, seed)
        .files
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("layout-{i}.toml"), text))
        .collect()
}

#[test]
fn generated_layouts_edit_incrementally() {
    // 2 orgs with about 20 sites each, in 1 and 3 files.
    for (files, seed) in [(1, 1), (3, 2), (3, 3)] {
        let layout = generated(400, files, seed);
        let (sections, changed) =
            random_edits(&format!("{files} generated files"), &layout, seed, 120);
        // Generated layouts are all sections: every edit is re-checked on
        // its own.
        assert_eq!(sections, changed);
    }
    let layout = generated(2000, 3, 5);
    let loaded = {
        let mut l = Loaded::default();
        let texts = layout
            .iter()
            .map(|(n, t)| (n.clone(), SourceText::shared(t.as_str())));
        l.add_texts(texts.collect());
        l
    };
    let mut commands = heir_commands(&loaded.layout);
    assert!(commands.len() > 20, "{}", commands.len());
    commands.truncate(60);
    scripted_edits("heirs of generated orgs", &layout, &commands);
}

/// Odd forms, the files of the workspace tests and worse.
const FORMS: &[(&str, &str)] = &[
    (
        "comments",
        "# Acme's secrets\n[orgs.acme]   # the org\n\n[orgs.acme.secrets.CI_TOKEN]\ntype  = \"env\"     # aligned\nscope = [\"ic\"]\nvalue = 'tok-123'\noverrides = { live = \"tok-live\" }\n\n[sites.shop]\nowner = \"acme\"\nphp = \"7.4\"\nenvironments = [\"dev\", \"test\", \"live\", \"feat-1\"]\n\n# Stripe: rotate every 90 days\n[sites.shop.secrets.STRIPE_KEY]\n  type = \"runtime\"\n  scope = [\"web\", \"user\"]\n  value = \"sk_test\"   # test key\n\n[sites.blog.secrets.WP_SALT]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"salt\"\n# end of file\n",
    ),
    (
        "dotted",
        "[orgs.o]\n[sites.d]\nowner = \"o\"\nsecrets.K.type = \"env\"\nsecrets.K.scope = [\"web\"]\nsecrets.K.value = \"k\"   # note\n\n[sites.z]\nowner = \"o\"\n",
    ),
    (
        "inline",
        "# one line per site\norgs.o = {}\nsites.i = { owner = \"o\", secrets = { K = { type = \"env\", scope = [\"web\"], value = \"k\" } } }\nsites.j = { owner = \"o\" }\n",
    ),
    (
        "crlf",
        "# windows\r\n[orgs.o]\r\n[sites.c]\r\nowner = \"o\"\r\nphp = \"8.2\"\r\n\r\n[sites.c.secrets.K]\r\ntype = \"env\"\r\nscope = [\"web\"]\r\nvalue = \"k\"\r\n",
    ),
    (
        "no final newline",
        "[orgs.o]\n\n[sites.n]\nowner = \"o\"\n\n[sites.n.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"",
    ),
    (
        "bom and quoted keys",
        "\u{feff}[sites.q.secrets.A]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"a\"\n\n[sites.\"q\".secrets.B]\ntype = 'env'\nscope = ['web']\nvalue = 'b'\n\n[orgs.'o']\n[sites.r]\nowner = \"o\"\n",
    ),
    (
        "out of order",
        "[sites.a.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"x\"\n\n[sites.b]\nphp = \"8.1\"\nowner = \"o\"\n\n[sites.a]\nowner = \"o\"\n\n[orgs.o.secrets.T]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"t\"\n\n[sites.c]\nowner = \"o\"\n",
    ),
    (
        "multi-line inline table",
        "[orgs.o]\n[sites.m]\nowner = \"o\"\n[sites.m.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\noverrides = {\n  dev = \"d\",\n  test = \"t\",\n}\n",
    ),
    (
        "overrides sub-table",
        "[orgs.o]\n[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n\n[sites.s.secrets.K.overrides]\ndev = \"d\"  # dev\n\n[sites.t]\nowner = \"o\"\n",
    ),
    (
        "loader findings in sections",
        "[orgs.o]\n[orgs.o.secrets.E]\n\n[orgs.o.secrets.M]\nvalue = \"m\"\n\n[sites.u]\nowner = \"o\"\ncolour = \"red\"\n\n[sites.u.secrets.K]\ntype = \"env\"\nscope = []\nvalue = 3\nextra = 1\n\n[sites.v]\nowner = \"nosuch\"\nsupporting = [\"o\", \"o\"]\nenvironments = [\"debug\", \"feat-1\"]\n",
    ),
    (
        "bare tables",
        "[sites]\n[orgs]\n[orgs.o]\n[sites.a]\nowner = \"o\"\n[sites.a.secrets]\n[sites.a.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\n",
    ),
    (
        "spaced headers",
        "[ orgs . o ]\n[ sites . a ]\nowner = \"o\"\n[sites.b]\nowner = \"o\"\n[ sites . b . secrets . K ]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\n",
    ),
    (
        "a value that looks like a header",
        "[orgs.o]\n[sites.a]\nowner = \"o\"\n[sites.a.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"\"\"\n[sites.b]\n\"\"\"\n[sites.b]\nowner = \"o\"\n",
    ),
    (
        "a bare table's key, then a header for it",
        "[orgs.a]\n[orgs]\nb = \"x\"\n[orgs.p0]\n[orgs.b]\n[orgs.b.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\n[sites.s]\nowner = \"b\"\n",
    ),
    (
        "spaced sites after the first header",
        "[sites.a]\nowner = \"o\"\n[orgs.o]\n[ sites . b ]\nowner = \"o\"\n[ sites . b . secrets . K ]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n[sites.c]\nowner = \"o\"\n",
    ),
    (
        "syntax error",
        "[orgs.o]\n[sites.a]\nowner = \"o\"\n[sites.a.secrets.K]\nvalue = \"unterminated\n[sites.b]\nowner = \"o\"\n",
    ),
];

#[test]
fn odd_forms_edit_like_a_full_check() {
    for (i, (what, text)) in FORMS.iter().enumerate() {
        let files = vec![("layout.toml".to_owned(), (*text).to_owned())];
        random_edits(what, &files, 100 + i as u64, 60);
    }
}

/// How many parts the session holds its files in.
fn parts(session: &Session) -> usize {
    session.workspace().files().len()
}

#[test]
fn files_in_parts_edit_like_whole_files() {
    // A large file is held in parts, each a source of its own, so that an
    // edit moves its part only: nothing of it may show. Generated layouts
    // in parts of about 2 KiB (1000 secrets: ~220 KB).
    for (files, seed) in [(1, 11), (2, 12)] {
        let layout = generated(1000, files, seed);
        let fast = session(&layout, &policy(), true, Some(2048));
        assert!(parts(&fast) > 20 * files as usize, "{}", parts(&fast));
        let (sections, changed) =
            random_edits_in_parts("generated, in parts", &layout, seed, 100, Some(2048));
        assert_eq!(sections, changed);
    }
    // The odd forms, cut wherever they can be: most cannot (owners not in
    // blocks, quoted or dotted keys, root keys, CRLF) and stay whole.
    for (i, (what, text)) in FORMS.iter().enumerate() {
        let files = vec![("layout.toml".to_owned(), (*text).to_owned())];
        random_edits_in_parts(what, &files, 300 + i as u64, 40, Some(16));
        new_secret_everywhere(what, &files, Some(16));
    }
}

/// A new secret for every org and site, kept: each adds a header, which
/// toml_edit spells as its document (a part, or the whole file) first
/// spells `orgs`/`sites`. The texts and output must be the whole file's.
fn new_secret_everywhere(what: &str, files: &[(String, String)], parts: Option<usize>) {
    let policy = policy();
    let mut fast = session(files, &policy, true, parts);
    let mut full = session(files, &policy, false, None);
    let layout = full.layout();
    let orgs = layout
        .orgs
        .keys()
        .map(|id| format!("secret:org:set {id} NEW_IN_PARTS v"));
    let sites = layout
        .sites
        .keys()
        .map(|id| format!("secret:site:set {id} NEW_IN_PARTS v"));
    let commands: Vec<String> = orgs.chain(sites).collect();
    for cmd in commands {
        let what = format!("{what}: `{cmd}`");
        assert_eq!(fast.execute(&cmd), full.execute(&cmd), "{what}: output");
        assert_eq!(texts(&fast), texts(&full), "{what}: texts");
        assert_same(
            &located(&full),
            &located(&fast),
            &format!("{what}: findings"),
        );
    }
}

#[test]
fn a_file_whose_parts_do_not_read_apart_is_held_whole() {
    // A cut falls inside a multi-line string (its line looks like a site's
    // header): the first part does not parse alone, so the file is joined
    // again and read whole, with the findings a whole file gets.
    let text = "[orgs.o]\n[sites.a]\nowner = \"o\"\n[sites.a.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"\"\"\n[sites.zz]\nnot a key\n\"\"\"\n[sites.b]\nowner = \"o\"\n";
    let files = vec![("layout.toml".to_owned(), text.to_owned())];
    let policy = policy();
    let cut = Workspace::from_texts(vec![(PathBuf::from("layout.toml"), text.to_owned())])
        .in_parts(Some(16));
    assert!(cut.files().len() > 1, "the text is cut");
    let fast = session(&files, &policy, true, Some(16));
    assert_eq!(parts(&fast), 1, "joined again");
    let whole = session(&files, &policy, true, None);
    assert_same(
        &dump_findings(whole.layout(), whole.findings()),
        &dump_findings(fast.layout(), fast.findings()),
        "findings",
    );
    random_edits_in_parts("joined again", &files, 400, 40, Some(16));
}

#[test]
fn orgs_and_sites_in_several_files_edit_like_a_full_check() {
    let orgs = "[orgs.acme]\n\n[orgs.acme.secrets.T]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"t\"\n\n[orgs.beta]\n[orgs.beta.secrets.CI_TOKEN]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"c\"\noverrides = { live = \"l\" }\n";
    let sites = "[sites.shop]\nowner = \"acme\"\nphp = \"7.4\"\nsupporting = [\"beta\"]\n\n[sites.shop.secrets.T]\noverrides = { live = \"l\" }\n\n[sites.blog]\nowner = \"beta\"\nenvironments = [\"feat-1\"]\n[sites.blog.secrets.CI_TOKEN]\noverrides = { feat-1 = \"f\", qa = \"q\" }\n\n[sites.solo]\n";
    // `twice.toml` declares `blog` again: a duplicate, pointing at
    // `sites.toml`.
    let twice = "[sites.blog]\nowner = \"acme\"\n\n[sites.other]\nowner = \"beta\"\n";
    let files = vec![
        ("orgs.toml".to_owned(), orgs.to_owned()),
        ("sites.toml".to_owned(), sites.to_owned()),
        ("twice.toml".to_owned(), twice.to_owned()),
    ];
    for seed in 0..4 {
        random_edits("several files", &files, 200 + seed, 60);
    }
    let generated = generated(1000, 4, 7);
    random_edits("4 generated files", &generated, 7, 80);
}

#[test]
fn an_orgs_environments_come_from_the_sites_inheriting_from_it() {
    // The session lists an org's environments from its index of the sites
    // inheriting from each org: they must be those the rules see.
    let policy = policy();
    let files = generated(2000, 2, 9);
    let mut fast = session(&files, &policy, true, None);
    let orgs: Vec<String> = fast.layout().orgs.keys().map(|k| k.to_string()).collect();
    for org in orgs {
        let facts = ward::rules::Facts::new(fast.layout(), &policy);
        let envs: Vec<&str> = facts
            .org_envs(&org)
            .expect("an org")
            .iter()
            .copied()
            .collect();
        let expected = format!("its environments are: {}", envs.join(", "));
        drop(facts);
        let out = fast.execute(&format!("secret:org:set {org} K v --env=nosuch"));
        assert!(
            !out.ok && out.text.contains(&expected),
            "{expected}\n{}",
            out.text
        );
    }
}
