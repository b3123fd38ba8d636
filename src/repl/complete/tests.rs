use super::*;
use crate::layout::load_str;
use crate::policy::pantheon;

const LAYOUT: &str = r#"
[orgs.acme.secrets.ORG_TOKEN]
type = "runtime"
scope = ["web"]
value = "org-token"
overrides = { qa = "org-qa" }

[orgs.agency.secrets.AGENCY_KEY]
type = "runtime"
scope = ["web"]
value = "agency"

[sites.shop]
owner = "acme"
supporting = ["agency"]
environments = ["feat-1"]

[sites.shop.secrets.STRIPE_KEY]
type = "runtime"
scope = ["web"]
value = "sk"

[sites.shelf]
owner = "agency"

[sites.blog]
"#;

/// Completes at the end of `line`.
fn at_end(line: &str) -> (usize, Vec<String>) {
    let loaded = load_str("layout.toml", LAYOUT);
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    let policy = pantheon().unwrap();
    complete(&loaded.layout, &policy, line, line.len())
}

fn items(line: &str) -> Vec<String> {
    at_end(line).1
}

#[test]
fn first_word_completes_commands_and_aliases() {
    assert_eq!(at_end("reso"), (0, vec!["resolve".to_string()]));
    assert_eq!(
        items("secret:org:"),
        ["secret:org:set", "secret:org:delete", "secret:org:list"]
    );
    assert!(items("").contains(&"quit".to_string()));
    assert!(items("e").contains(&"exit".to_string()));
    assert_eq!(at_end("  he"), (2, vec!["help".to_string()]));
}

#[test]
fn sites_then_their_environments() {
    assert_eq!(items("envs sh"), ["shop", "shelf"]);
    // SITE.ENV wants the dot: it comes with the site.
    assert_eq!(items("resolve sho"), ["shop."]);
    assert_eq!(items("secret:site:set sho"), ["shop"]);
    assert_eq!(
        at_end("resolve shop."),
        (
            13,
            vec!["dev".into(), "test".into(), "live".into(), "feat-1".into()]
        )
    );
    assert_eq!(at_end("r shop.f"), (7, vec!["feat-1".to_string()]));
    assert_eq!(items("resolve blog.l"), ["live"]);
    assert!(items("resolve nosuch.").is_empty());
}

#[test]
fn secrets_of_the_site_named_before() {
    // Own secrets, then the owner org's (Pantheon inherits from the owner only).
    assert_eq!(items("explain shop.dev "), ["STRIPE_KEY", "ORG_TOKEN"]);
    assert_eq!(items("secret:site:delete shop S"), ["STRIPE_KEY"]);
    assert_eq!(items("secret:site:set shop.live O"), ["ORG_TOKEN"]);
    assert_eq!(items("explain shelf.dev "), ["AGENCY_KEY"]);
    assert!(items("explain nosuch.dev ").is_empty());
}

#[test]
fn orgs_and_their_secrets() {
    assert_eq!(items("secret:org:list a"), ["acme", "agency"]);
    assert_eq!(items("secret:org:set acme "), ["ORG_TOKEN"]);
    assert_eq!(items("secret:org:delete agency "), ["AGENCY_KEY"]);
}

#[test]
fn flags_and_their_values() {
    assert_eq!(
        at_end("resolve shop.dev --"),
        (17, vec!["--scope=".into(), "--type=".into()])
    );
    assert_eq!(items("resolve shop.dev --t"), ["--type="]);
    assert_eq!(
        at_end("resolve shop.dev --scope=w"),
        (25, vec!["web".into()])
    );
    assert_eq!(
        items("resolve shop.dev --type="),
        ["runtime", "env", "composer"]
    );
    assert_eq!(items("resolve shop.dev --scope "), ["ic", "web", "user"]);
    // A scope list: the item after the comma, without those already given.
    assert_eq!(
        at_end("secret:site:set shop X v --scope=web,"),
        (37, vec!["ic".into(), "user".into()])
    );
    assert!(items("check --").is_empty());
    assert!(items("resolve shop.dev --nope=").is_empty());
}

#[test]
fn env_flag_offers_the_orgs_environments() {
    assert_eq!(
        items("secret:org:set acme ORG_TOKEN v --env="),
        ["dev", "test", "live", "feat-1", "qa"]
    );
    assert_eq!(
        items("secret:org:delete agency X --env="),
        ["dev", "test", "live"]
    );
}

#[test]
fn values_are_never_completed() {
    assert!(items("secret:site:set shop STRIPE_KEY ").is_empty());
    assert!(items("secret:site:set shop STRIPE_KEY s").is_empty());
    assert!(items("secret:org:set acme ORG_TOKEN o").is_empty());
}

#[test]
fn other_argument_kinds() {
    assert_eq!(items("reveal o"), ["on", "off"]);
    assert_eq!(items("help secret:site:l"), ["secret:site:list"]);
    assert!(items("check ").is_empty());
    assert!(items("nosuch ").is_empty());
    assert!(items("explain 'shop").is_empty());
    let loaded = load_str("layout.toml", LAYOUT);
    let policy = pantheon().unwrap();
    let path = completion(&loaded.layout, &policy, "load ex", 7);
    assert_eq!(path, Completion::Path);
}

#[test]
fn completes_the_word_at_the_cursor() {
    let loaded = load_str("layout.toml", LAYOUT);
    let policy = pantheon().unwrap();
    let line = "reso shop.dev";
    assert_eq!(
        complete(&loaded.layout, &policy, line, 4),
        (0, vec!["resolve".to_string()])
    );
    // Not on a character boundary: nothing, no panic.
    assert!(complete(&loaded.layout, &policy, "é", 1).1.is_empty());
}

#[test]
fn hints_show_the_rest_of_the_usage() {
    assert_eq!(
        hint("resolve", 7).as_deref(),
        Some(" SITE.ENV [--scope=S] [--type=T]")
    );
    assert_eq!(
        hint("resolve ", 8).as_deref(),
        Some("SITE.ENV [--scope=S] [--type=T]")
    );
    assert_eq!(
        hint("explain shop.dev ", 17).as_deref(),
        Some("NAME [--scope=S] [--type=T]")
    );
    assert_eq!(
        hint("resolve shop.dev --scope=web ", 29).as_deref(),
        Some("[--type=T]")
    );
    assert_eq!(
        hint("r", 1).as_deref(),
        Some(" SITE.ENV [--scope=S] [--type=T]")
    );
    assert_eq!(hint("resolve sh", 10), None);
    assert_eq!(hint("resolve", 3), None);
    assert_eq!(hint("check", 5), None);
    assert_eq!(hint("reso", 4), None);
}
