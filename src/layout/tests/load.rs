//! The loader: the model it builds, its spans, and its findings.

use crate::finding::Finding;
use crate::layout::{Loaded, load_str};

/// The text a span covers.
fn text_at(loaded: &Loaded, span: crate::source::Span) -> &str {
    loaded.layout.sources.text(span)
}

/// The findings of a rule.
fn of<'a>(loaded: &'a Loaded, rule: &str) -> Vec<&'a Finding> {
    loaded
        .findings
        .iter()
        .filter(|f| *f.rule == *rule)
        .collect()
}

/// The only finding, which must be of `rule`.
#[track_caller]
fn only<'a>(loaded: &'a Loaded, rule: &str) -> &'a Finding {
    assert_eq!(loaded.findings.len(), 1, "{:#?}", loaded.findings);
    let finding = &loaded.findings[0];
    assert_eq!(&*finding.rule, rule, "{finding:#?}");
    finding
}

const SPEC_EXAMPLE: &str = r#"
[orgs.my-org]                         # an organization; key = org id
[orgs.my-org.secrets.CI_TOKEN]        # a secret owned by the org; key = secret name
type = "env"
scope = ["ic"]
value = "tok-123"
overrides = { live = "tok-live" }

[sites.my-org-site]
owner = "my-org"
supporting = ["agency"]
php = "8.2"
environments = ["dev", "test", "live", "feat-1"]

[sites.my-org-site.secrets.STRIPE_KEY]
type = "runtime"
scope = ["web", "user"]
value = "sk_test"
overrides = { live = "sk_live" }
"#;

#[test]
fn loads_the_spec_example() {
    let loaded = load_str("layout.toml", SPEC_EXAMPLE);
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    let org = &loaded.layout.orgs["my-org"];
    assert_eq!(text_at(&loaded, org.span), "my-org");
    let token = &org.secrets["CI_TOKEN"];
    assert_eq!(text_at(&loaded, token.span), "CI_TOKEN");
    assert_eq!(token.ty.as_ref().map(|t| t.value.as_str()), Some("env"));
    assert!(token.has_scope("ic"));
    let value = token.value.as_ref().map(|v| {
        (
            v.expose(token.span.file, &loaded.layout.sources),
            text_at(&loaded, v.span(token.span.file)),
        )
    });
    assert_eq!(value, Some(("tok-123", "\"tok-123\"")));
    let live = token.overrides.get("live").expect("live override");
    assert_eq!(
        (
            live.env.as_str(),
            text_at(&loaded, live.env_span.at(token.span.file))
        ),
        ("live", "live")
    );
    assert_eq!(
        text_at(&loaded, live.value.span(token.span.file)),
        "\"tok-live\""
    );

    let site = &loaded.layout.sites["my-org-site"];
    assert_eq!(
        site.owner.as_ref().map(|o| o.value.as_str()),
        Some("my-org")
    );
    assert_eq!(
        site.supporting
            .iter()
            .map(|s| s.value.as_str())
            .collect::<Vec<_>>(),
        ["agency"]
    );
    assert_eq!(
        site.php.as_ref().map(|p| text_at(&loaded, p.span)),
        Some("\"8.2\"")
    );
    let envs: Vec<_> = site
        .environments
        .iter()
        .map(|e| text_at(&loaded, e.span))
        .collect();
    assert_eq!(envs, ["\"dev\"", "\"test\"", "\"live\"", "\"feat-1\""]);
    let stripe = &site.secrets["STRIPE_KEY"];
    let scope = stripe
        .scope
        .as_ref()
        .map(|s| text_at(&loaded, s.span.at(stripe.span.file)));
    assert_eq!(scope, Some("[\"web\", \"user\"]"));
}

#[test]
fn keeps_declaration_order() {
    let text = "[sites.z]\n[sites.a]\n[sites.m.secrets.B]\ntype='env'\nscope='web'\n[sites.m.secrets.A]\ntype='env'\nscope='web'\n";
    let loaded = load_str("l.toml", text);
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    assert_eq!(
        loaded.layout.sites.keys().collect::<Vec<_>>(),
        ["z", "a", "m"]
    );
    assert_eq!(
        loaded.layout.sites["m"].secrets.keys().collect::<Vec<_>>(),
        ["B", "A"]
    );
}

#[test]
fn reads_dotted_keys_and_inline_secrets() {
    let text = "[sites.a]\nsecrets.X.type = 'env'\nsecrets.X.scope = ['web']\nsecrets.X.value = 'v'\nsecrets.Y = { type = 'env', scope = 'ic' }\n";
    let loaded = load_str("l.toml", text);
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    let x = &loaded.layout.sites["a"].secrets["X"];
    assert_eq!(text_at(&loaded, x.span), "X");
    assert_eq!(
        x.value
            .as_ref()
            .map(|v| text_at(&loaded, v.span(x.span.file))),
        Some("'v'")
    );
    assert!(loaded.layout.sites["a"].secrets["Y"].has_scope("ic"));
}

#[test]
fn a_single_scope_string_is_one_scope() {
    let loaded = load_str(
        "l.toml",
        "[sites.a.secrets.X]\ntype = 'env'\nscope = 'web'\n",
    );
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    let scope = loaded.layout.sites["a"].secrets["X"]
        .scope
        .as_ref()
        .map(|s| s.value.len());
    assert_eq!(scope, Some(1));
}

#[test]
fn php_as_a_number_keeps_its_text() {
    let loaded = load_str("l.toml", "[sites.a]\nphp = 8.10\n[sites.b]\nphp = 8\n");
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    let php = |id: &str| {
        loaded.layout.sites[id]
            .php
            .as_ref()
            .map(|p| p.value.clone())
    };
    assert_eq!(
        (php("a"), php("b")),
        (Some("8.10".into()), Some("8".into()))
    );
}

#[test]
fn an_override_only_secret_is_valid() {
    let loaded = load_str(
        "l.toml",
        "[sites.a.secrets.X]\noverrides = { live = 'l' }\n",
    );
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    assert!(!loaded.layout.sites["a"].secrets["X"].declares_default());
}

#[test]
fn reports_syntax_errors_and_keeps_what_parsed() {
    let text = "[sites.a]\nowner = 'o'\n[sites.b\nvalue = sk_live_abc\n";
    let loaded = load_str("l.toml", text);
    let syntax = of(&loaded, "toml-syntax");
    assert!(!syntax.is_empty(), "{:#?}", loaded.findings);
    assert_eq!(syntax[0].message, "invalid TOML: unclosed table");
    assert_eq!(&*syntax[0].label, "expected `]`");
    assert!(syntax[0].help.is_some());
    assert!(loaded.layout.sites.contains_key("a"));
    for finding in &loaded.findings {
        assert!(!format!("{finding:?}").contains("sk_live"), "{finding:#?}");
    }
}

#[test]
fn a_syntax_error_points_at_its_place() {
    let loaded = load_str("l.toml", "[sites.a.secrets.X]\nvalue = \"abc\n");
    let finding = &of(&loaded, "toml-syntax")[0];
    assert_eq!(finding.message, "invalid TOML: invalid basic string");
    assert_eq!(finding.span.range(), 32..32);
}

#[test]
fn unknown_field_suggests_the_closest() {
    let loaded = load_str(
        "l.toml",
        "[sites.a.secrets.X]\ntype='env'\nscope=['web']\nvaleu = 'secret'\n",
    );
    let finding = only(&loaded, "unknown-field");
    assert_eq!(finding.message, "unknown field `valeu` in secret `X`");
    assert_eq!(finding.help.as_deref(), Some("did you mean `value`?"));
    assert_eq!(text_at(&loaded, finding.span), "valeu");
    assert_eq!(
        (finding.site.as_deref(), finding.secret.as_deref()),
        (Some("a"), Some("X"))
    );
}

#[test]
fn unknown_field_lists_the_allowed_ones() {
    let loaded = load_str("l.toml", "[orgs.o]\nowner = 'x'\n[zzz]\n");
    let messages: Vec<_> = loaded
        .findings
        .iter()
        .map(|f| (f.message.as_str(), f.help.as_deref()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "unknown field `owner` in org `o`",
                Some("an org may only have `secrets`")
            ),
            (
                "unknown field `zzz` in the layout",
                Some("a layout may only have `orgs` and `sites`")
            ),
        ]
    );
    let loaded = load_str("l.toml", "[org.o]\n");
    assert_eq!(
        only(&loaded, "unknown-field").help.as_deref(),
        Some("did you mean `orgs`?")
    );
}

#[test]
fn wrong_kinds_are_invalid_fields_at_the_value() {
    let text = "[sites.a]\nsupporting = 'x'\nphp = true\nenvironments = ['dev', 3]\n[sites.a.secrets.X]\ntype = 1\nscope = 3\nvalue = 12\noverrides = { live = 4 }\n";
    let loaded = load_str("l.toml", text);
    let found: Vec<_> = loaded
        .findings
        .iter()
        .map(|f| (&*f.rule, f.message.as_str(), text_at(&loaded, f.span)))
        .collect();
    assert_eq!(
        found,
        [
            (
                "invalid-field",
                "`supporting` of site `a` must be an array of strings, not a string",
                "'x'"
            ),
            (
                "invalid-field",
                "`php` of site `a` must be a string, not a boolean",
                "true"
            ),
            (
                "invalid-field",
                "each entry of `environments` of site `a` must be a string, not an integer",
                "3"
            ),
            (
                "invalid-field",
                "`type` of secret `X` must be a string, not an integer",
                "1"
            ),
            (
                "invalid-field",
                "`scope` of secret `X` must be an array of strings, not an integer",
                "3"
            ),
            (
                "invalid-field",
                "`value` of secret `X` must be a string, not an integer",
                "12"
            ),
            (
                "invalid-field",
                "override `live` of secret `X` must be a string, not an integer",
                "4"
            ),
        ]
    );
    assert_eq!(loaded.findings[6].env.as_deref(), Some("live"));
    let secret = &loaded.layout.sites["a"].secrets["X"];
    assert!(secret.value.is_none() && secret.ty.is_none() && secret.overrides.is_empty());
}

#[test]
fn tables_of_the_wrong_kind_are_invalid_fields() {
    let text = "orgs = 1\n[sites.a]\nsecrets = 2\n[sites.b.secrets]\nX = 'sk_live'\n[sites.c.secrets.Y]\ntype='env'\nscope=['web']\noverrides = 'x'\n[[sites.d.secrets.Z]]\n";
    let loaded = load_str("l.toml", text);
    let messages: Vec<_> = loaded.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`orgs` must be a table, not an integer",
            "`secrets` of site `a` must be a table, not an integer",
            "secret `X` must be a table, not a string",
            "`overrides` of secret `Y` must be a table, not a string",
            "secret `Z` must be a table, not an array",
        ]
    );
    assert!(loaded.findings.iter().all(|f| &*f.rule == "invalid-field"));
    assert_eq!(
        loaded.findings[2].help.as_deref(),
        Some("declare it as a table, `[sites.b.secrets.X]`, with `type`, `scope` and `value`")
    );
}

#[test]
fn an_empty_scope_is_invalid() {
    let loaded = load_str("l.toml", "[sites.a.secrets.X]\ntype = 'env'\nscope = []\n");
    let finding = only(&loaded, "invalid-field");
    assert_eq!(finding.message, "a secret needs at least one scope");
    assert_eq!(text_at(&loaded, finding.span), "[]");
}

#[test]
fn a_default_needs_type_and_scope() {
    let loaded = load_str("l.toml", "[orgs.o.secrets.X]\nvalue = 'v'\n");
    let found: Vec<_> = loaded
        .findings
        .iter()
        .map(|f| (&*f.rule, f.message.as_str(), text_at(&loaded, f.span)))
        .collect();
    assert_eq!(
        found,
        [
            ("missing-field", "secret `X` has no `type`", "X"),
            ("missing-field", "secret `X` has no `scope`", "X"),
        ]
    );
    assert_eq!(loaded.findings[0].org.as_deref(), Some("o"));
    let loaded = load_str("l.toml", "[orgs.o.secrets.X]\ntype = 'env'\nscope = 3\n");
    only(&loaded, "invalid-field");
}

#[test]
fn an_empty_secret_is_missing_fields() {
    let loaded = load_str("l.toml", "[sites.a.secrets.X]\n");
    let finding = only(&loaded, "missing-field");
    assert_eq!(finding.message, "secret `X` declares nothing");
    assert!(loaded.layout.sites["a"].secrets.contains_key("X"));
}

#[test]
fn an_org_declared_in_two_files_is_a_duplicate() {
    let mut loaded = load_str(
        "a.toml",
        "[orgs.o.secrets.X]\ntype='env'\nscope=['ic']\n[sites.s]\n",
    );
    loaded.add_file(
        "b.toml",
        "[orgs.o.secrets.Y]\ntype='env'\nscope=['ic']\n[sites.s]\nowner = 'o'\n[sites.t]\n",
    );
    let duplicates = of(&loaded, "duplicate");
    assert_eq!(duplicates.len(), 2, "{:#?}", loaded.findings);
    let org = duplicates[0];
    assert_eq!(org.message, "org `o` is declared twice");
    assert_eq!((org.span.file, text_at(&loaded, org.span)), (1, "o"));
    let (first, label) = &org.related[0];
    assert_eq!(
        (first.file, text_at(&loaded, *first), label.as_str()),
        (0, "o", "first declared here")
    );
    assert!(org.help.as_deref().is_some_and(|h| h.contains("`a.toml`")));
    assert_eq!(duplicates[1].message, "site `s` is declared twice");
    assert_eq!(duplicates[1].site.as_deref(), Some("s"));
    // The second declarations are ignored; other entries of the file load.
    assert!(!loaded.layout.orgs["o"].secrets.contains_key("Y"));
    assert!(loaded.layout.sites["s"].owner.is_none());
    assert!(loaded.layout.sites.contains_key("t"));
}

#[test]
fn no_message_label_or_help_holds_a_value() {
    let text = "[sites.a.secrets.X]\ntype = 'SECRETa'\nvalue = 12345678\nscope = []\noverrides = 'SECRETb'\nvaleu = 'SECRETc'\n\
                [sites.b.secrets.Y]\nvalue = \"SECRETd\nvalue = SECRETe\nsecrets.Z = 'SECRETf'\n[orgs.o.secrets.W]\noverrides = { live = 987654 }\n";
    let loaded = load_str("l.toml", text);
    assert!(loaded.findings.len() >= 6, "{:#?}", loaded.findings);
    for finding in &loaded.findings {
        let shown = format!("{finding:?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("12345678") && !shown.contains("987654"),
            "{finding:#?}"
        );
    }
    let layout = format!("{:?}", loaded.layout);
    assert!(
        !layout.contains("SECRETd") && !layout.contains("SECRETe"),
        "{layout}"
    );
}
