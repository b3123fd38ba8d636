//! Every pantheon.policy rule firing and not firing, with boundary values.

use super::check;
use crate::layout::load_str;
use crate::policy::{Policy, pantheon, parse};

/// `rule@line` for every finding of `policy` on the layout `text`.
fn fired(policy: &Policy, text: &str) -> Vec<String> {
    let loaded = load_str("l.toml", text);
    assert!(
        loaded.findings.is_empty(),
        "layout must load cleanly: {:?}",
        loaded.findings
    );
    let layout = loaded.layout;
    let src = layout.sources.get(0).expect("one file");
    check(&layout, policy)
        .iter()
        .map(|f| format!("{}@{}", f.rule, src.line_col(f.span.start as usize).0))
        .collect()
}

fn pantheon_fired(text: &str) -> Vec<String> {
    fired(&pantheon().expect("embedded policy parses"), text)
}

fn secret(owner: &str, name: &str, ty: &str, scope: &str, extra: &str) -> String {
    format!("[{owner}.secrets.\"{name}\"]\ntype = \"{ty}\"\nscope = [{scope}]\n{extra}\n")
}

#[test]
fn env_key_name_fires_on_bad_env_names_only() {
    let text = [
        secret("sites.s", "1nvalid", "env", "\"ic\"", "value = \"v\""),
        secret("sites.s", "_OK_1", "env", "\"ic\"", "value = \"v\""),
        secret(
            "sites.s",
            "1runtime-is-fine",
            "runtime",
            "\"web\"",
            "value = \"v\"",
        ),
        secret("sites.s", "has-dash", "env", "\"ic\"", "value = \"v\""),
    ]
    .concat();
    assert_eq!(pantheon_fired(&text), ["env-key-name@1", "env-key-name@13"]);
}

#[test]
fn env_key_name_message_is_the_seeds() {
    let layout = load_str("l.toml", &secret("sites.s", "1nvalid", "env", "\"ic\"", "")).layout;
    let findings = check(&layout, &pantheon().expect("policy"));
    assert_eq!(
        findings[0].message,
        "Invalid key name '1nvalid': Environment variable names must start with a letter or underscore, and can only contain letters, numbers, and underscores."
    );
}

#[test]
fn override_needs_a_default_somewhere() {
    let text = r#"
[orgs.o.secrets.ORG_KEY]
type = "runtime"
scope = ["web"]
value = "v"
[orgs.o.secrets.ORPHAN_ORG]
overrides = { live = "x" }
[sites.s]
owner = "o"
[sites.s.secrets.ORG_KEY]
overrides = { live = "x" }
[sites.s.secrets.ORPHAN]
overrides = { live = "x" }
"#;
    assert_eq!(
        pantheon_fired(text),
        ["override-needs-default@6", "override-needs-default@12"]
    );
    let layout = load_str("l.toml", text).layout;
    let f = check(&layout, &pantheon().expect("policy"));
    assert_eq!(
        f[1].message,
        "Secret 'ORPHAN' does not exist. You should create the default secret value first."
    );
}

#[test]
fn size_limit_counts_bytes_at_the_boundary() {
    let ok = "a".repeat(16384);
    let over = "a".repeat(16385);
    // 5462 three-byte characters = 16386 bytes but only 5462 characters.
    let multibyte = "€".repeat(5462);
    let text = [
        secret(
            "sites.s",
            "OK",
            "runtime",
            "\"web\"",
            &format!("value = \"{ok}\""),
        ),
        secret(
            "sites.s",
            "OVER",
            "runtime",
            "\"web\"",
            &format!("value = \"{over}\""),
        ),
        secret(
            "sites.s",
            "WIDE",
            "runtime",
            "\"web\"",
            &format!("value = \"{multibyte}\""),
        ),
        secret(
            "sites.s",
            "OVERRIDE",
            "runtime",
            "\"web\"",
            &format!("value = \"v\"\noverrides = {{ live = \"{over}\" }}"),
        ),
    ]
    .concat();
    assert_eq!(
        pantheon_fired(&text),
        [
            "value-too-large@8",
            "value-too-large@12",
            "value-too-large@17"
        ]
    );
}

#[test]
fn override_must_name_an_environment_of_its_owner() {
    let text = r#"
[orgs.o.secrets.K]
type = "runtime"
scope = ["web"]
value = "v"
overrides = { feat-1 = "a", staging = "b", live = "c" }
[sites.s]
owner = "o"
environments = ["feat-1"]
[sites.s.secrets.L]
type = "runtime"
scope = ["web"]
value = "v"
overrides = { feat-1 = "a", qa = "b" }
"#;
    assert_eq!(
        pantheon_fired(text),
        ["override-unknown-env@6", "override-unknown-env@14"]
    );
}

/// A site with many environments is judged from a set of them, one with
/// few from its list: both answer alike, in rules and in messages.
#[test]
fn many_or_few_site_environments_judge_alike() {
    let policy = parse(
        "p.policy",
        r#"policy "p" {
  types runtime
  scopes web
  environments dev
  precedence org.default < org.override < site.default < site.override
  inherit from owner
  error unknown-env on override
    require override.env in owner.environments
    message "{override.env} not in {owner.environments}"
}"#,
    )
    .expect("policy parses");
    for count in [2, super::context::SCANNED_ENVS + 4] {
        let envs: Vec<String> = (0..count).map(|n| format!("\"e{n}\"")).collect();
        let last = count - 1;
        let text = format!(
            "[sites.s]\nenvironments = [{}, \"dev\"]\n{}",
            envs.join(", "),
            secret(
                "sites.s",
                "K",
                "runtime",
                "\"web\"",
                &format!(
                    "value = \"v\"\noverrides = {{ e{last} = \"a\", dev = \"b\", qa = \"c\" }}"
                )
            ),
        );
        let loaded = load_str("l.toml", &text);
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let found = check(&loaded.layout, &policy);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        let all: Vec<String> = std::iter::once("dev".to_string())
            .chain((0..count).map(|n| format!("e{n}")))
            .collect();
        assert_eq!(
            messages,
            [format!("qa not in {}", all.join(", "))],
            "{count} envs"
        );
    }
}

#[test]
fn composer_rules() {
    let text = [
        secret(
            "orgs.o",
            "github-oauth.github.com",
            "composer",
            "\"web\"",
            "value = \"ghp_abc\"",
        ),
        secret(
            "orgs.o",
            "npm.example.com",
            "composer",
            "\"ic\"",
            "value = \"tok\"",
        ),
        secret(
            "orgs.o",
            "gitlab-oauth.gitlab.com",
            "composer",
            "\"ic\"",
            "value = \"glpat-ok_1.2\"",
        ),
        secret(
            "orgs.p",
            "github-oauth.github.com",
            "composer",
            "\"ic\"",
            "value = \"has space\"",
        ),
        secret(
            "orgs.p",
            "bitbucket-oauth.bitbucket.org",
            "composer",
            "\"ic\"",
            "value = '{\"consumer-key\": \"k\"}'",
        ),
        secret(
            "orgs.q",
            "bitbucket-oauth.bitbucket.org",
            "composer",
            "\"ic\"",
            "value = '{\"consumer-key\": \"k\", \"consumer-secret\": \"s\"}'",
        ),
    ]
    .concat();
    assert_eq!(
        pantheon_fired(&text),
        [
            "composer-needs-ic@3",
            "composer-auth-name@5",
            "github-oauth-shape@16",
            "bitbucket-oauth-shape@20"
        ]
    );
}

#[test]
fn composer_auth_must_be_json() {
    let text = [
        secret(
            "sites.a",
            "COMPOSER_AUTH",
            "env",
            "\"ic\"",
            "value = '{\"github-oauth\": {}}'",
        ),
        secret(
            "sites.b",
            "COMPOSER_AUTH",
            "env",
            "\"ic\"",
            "value = '{ not json'",
        ),
        secret(
            "sites.c",
            "COMPOSER_AUTH",
            "runtime",
            "\"web\"",
            "value = 'not json but runtime'",
        ),
    ]
    .concat();
    assert_eq!(pantheon_fired(&text), ["composer-auth-json@8"]);
}

#[test]
fn ic_overrides_on_test_or_live_warn() {
    let text = [
        secret(
            "orgs.o",
            "A",
            "env",
            "\"ic\"",
            "value = \"v\"\noverrides = { dev = \"d\", test = \"t\", live = \"l\" }",
        ),
        secret(
            "orgs.o",
            "B",
            "runtime",
            "\"web\"",
            "value = \"v\"\noverrides = { live = \"l\" }",
        ),
    ]
    .concat();
    assert_eq!(
        pantheon_fired(&text),
        ["ic-override-test-live@5", "ic-override-test-live@5"]
    );
}

#[test]
fn old_php_warns_only_when_the_site_sees_ic_secrets() {
    let text = r#"
[orgs.o.secrets.T]
type = "env"
scope = ["ic"]
value = "v"
[sites.old-ic]
owner = "o"
php = "7.4"
[sites.new-ic]
owner = "o"
php = "8.0"
[sites.old-web]
php = "7.4"
[sites.old-web.secrets.W]
type = "runtime"
scope = ["web"]
value = "v"
[sites.unknown-php]
owner = "o"
"#;
    assert_eq!(pantheon_fired(text), ["php-below-8-ic@8"]);
}

#[test]
fn owner_listed_as_supporting_warns() {
    let text = "[orgs.o]\n[sites.a]\nowner = \"o\"\nsupporting = [\"o\"]\n[sites.b]\nowner = \"o\"\nsupporting = []\n";
    assert_eq!(pantheon_fired(text), ["owner-also-supporting@4"]);
}

#[test]
fn vocabulary_is_the_policys() {
    let text = r#"
[sites.s]
environments = ["feat-1", "Feature_X", "settings", "twelve-chars"]
[sites.s.secrets.A]
type = "envv"
scope = ["ic", "wbe"]
value = "v"
"#;
    assert_eq!(
        pantheon_fired(text),
        [
            "invalid-environment@3",
            "invalid-environment@3",
            "invalid-environment@3",
            "unknown-type@5",
            "unknown-scope@6"
        ]
    );
}

#[test]
fn a_stricter_policy_judges_the_same_layout_differently() {
    let strict = parse(
        "strict.policy",
        include_str!("../../policies/strict.policy"),
    )
    .expect("strict parses");
    let text = r#"
[orgs.o.secrets.API_KEY]
type = "runtime"
scope = ["web"]
value = "v"
[sites.s]
owner = "o"
[sites.s.secrets.API_KEY]
type = "runtime"
scope = ["web"]
value = "v"
[sites.s.secrets.lower_name]
type = "runtime"
scope = ["web"]
value = "v"
"#;
    assert!(pantheon_fired(text).is_empty());
    let strict_rules = fired(&strict, text);
    assert!(
        strict_rules.iter().any(|r| r.ends_with("@8")),
        "site may not override the org: {strict_rules:?}"
    );
    assert!(
        strict_rules.iter().any(|r| r.ends_with("@12")),
        "UPPER_SNAKE names: {strict_rules:?}"
    );
    let big = format!("value = \"{}\"", "a".repeat(5000));
    let sized = secret("sites.t", "BIG", "runtime", "\"web\"", &big);
    assert!(pantheon_fired(&sized).is_empty());
    assert_eq!(
        fired(&strict, &sized).len(),
        1,
        "strict limit is 4096 bytes"
    );
}
