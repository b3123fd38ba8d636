//! Parser tests: the shipped policies, the language's constructs, and each
//! kind of problem with an input that triggers it (message, help and the
//! exact underlined text).

use super::*;
use crate::finding::Severity;
use crate::layout::OwnerKind;

const HEADER: &str = "policy \"t\" {
  types runtime, env, composer
  scopes ic, web, user
  environments dev, test, live
  precedence org.default < org.override < site.default < site.override
  inherit from owner
";

/// A policy with the standard header and `body` (rules or statements).
fn with(body: &str) -> String {
    format!("{HEADER}{body}\n}}\n")
}

fn ok(text: &str) -> Policy {
    match parse("t.policy", text) {
        Ok(p) => p,
        Err(e) => panic!("expected a valid policy, got {:#?}", e.positions()),
    }
}

fn problems(text: &str) -> Vec<PolicyDiagnostic> {
    match parse("t.policy", text) {
        Ok(_) => panic!("expected an invalid policy"),
        Err(e) => e.problems,
    }
}

/// The only problem in `text`; checks its kind, message and underlined text.
fn one(text: &str, kind: ProblemKind, message: &str, underlined: &str) -> PolicyDiagnostic {
    let mut all = problems(text);
    let messages: Vec<&str> = all.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(all.len(), 1, "problems: {messages:?}");
    let p = all.remove(0);
    assert_eq!(p.kind, kind);
    assert_eq!(p.message, message);
    assert_eq!(p.underlined(), underlined);
    p
}

fn help(p: &PolicyDiagnostic) -> &str {
    p.help.as_deref().unwrap_or("")
}

/// The text a related (secondary) label underlines.
fn related(text: &str, p: &PolicyDiagnostic, i: usize) -> (String, String) {
    let (span, label) = &p.related[i];
    let t = &text[span.offset()..span.offset() + span.len()];
    (t.to_string(), label.clone())
}

fn only_rule(text: &str) -> Rule {
    let mut p = ok(text);
    assert_eq!(p.rules.len(), 1);
    p.rules.remove(0)
}

// --- The shipped policies ----------------------------------------------------

#[test]
fn pantheon_policy_parses_with_expected_structure() {
    let p = match pantheon() {
        Ok(p) => p,
        Err(e) => panic!("{:#?}", e.positions()),
    };
    assert_eq!(p.name, "pantheon");
    assert_eq!(p.types, ["runtime", "env", "composer"]);
    assert_eq!(p.scopes, ["ic", "web", "user"]);
    assert_eq!(p.always_envs, ["dev", "test", "live"]);
    assert_eq!(p.reveal_scopes, ["user"]);
    let names = p.env_names.as_ref().map(|n| {
        (
            n.allows("feat-1"),
            n.allows("settings"),
            n.allows("Feat"),
            n.allows("abcdefghijkl"),
        )
    });
    assert_eq!(names, Some((true, false, false, false)));
    let layer = |owner, slot| Layer { owner, slot };
    assert_eq!(
        p.precedence,
        [
            layer(OwnerKind::Org, Slot::Default),
            layer(OwnerKind::Org, Slot::Override),
            layer(OwnerKind::Site, Slot::Default),
            layer(OwnerKind::Site, Slot::Override),
        ]
    );
    assert_eq!(
        p.inherit,
        Inherit {
            owner: true,
            supporting: false
        }
    );
    let ids: Vec<&str> = p.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "env-key-name",
            "override-needs-default",
            "value-too-large",
            "override-unknown-env",
            "composer-needs-ic",
            "composer-auth-name",
            "github-oauth-shape",
            "gitlab-oauth-shape",
            "bitbucket-oauth-shape",
            "composer-auth-json",
            "ic-override-test-live",
            "php-below-8-ic",
            "owner-also-supporting",
        ]
    );
}

#[test]
fn pantheon_env_key_name_rule() {
    let Ok(p) = pantheon() else {
        panic!("pantheon policy invalid")
    };
    let r = &p.rules[0];
    assert_eq!((r.severity, r.subject), (Severity::Error, Subject::Secret));
    assert!(matches!(
        &r.when,
        Some(Expr::Cmp(Operand::Attr(Attr::Type), CmpOp::Eq, Operand::Lit(l))) if l == "env"
    ));
    let Expr::Match {
        operand: Operand::Attr(Attr::Name),
        regex,
        negate: false,
        ..
    } = &r.require
    else {
        panic!("unexpected require: {:?}", r.require)
    };
    assert_eq!(regex.as_str(), "^[a-zA-Z_][a-zA-Z0-9_]*$");
    assert!(!regex.is_match("1nvalid"));
    assert_eq!(
        r.message.parts[..3],
        [
            TemplatePart::Text("Invalid key name '".into()),
            TemplatePart::Hole(Attr::Name),
            TemplatePart::Text("': Environment variable names must start with a letter or underscore, and can only contain letters, numbers, and underscores.".into()),
        ]
    );
}

#[test]
fn pantheon_rules_use_their_seed_messages() {
    let Ok(p) = pantheon() else {
        panic!("pantheon policy invalid")
    };
    let rule = |id: &str| p.rules.iter().find(|r| r.id == id);
    let text = |t: &Template| -> String {
        t.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text(s) => s.clone(),
                TemplatePart::Hole(a) => format!("{{{}}}", a.name()),
            })
            .collect()
    };
    let msg = |id: &str| rule(id).map(|r| text(&r.message));
    assert_eq!(
        msg("override-needs-default").as_deref(),
        Some("Secret '{name}' does not exist. You should create the default secret value first.")
    );
    assert_eq!(
        msg("php-below-8-ic").as_deref(),
        Some("Skipping setting up secrets as it is not supported in PHP below 8.0")
    );
    assert!(matches!(
        rule("value-too-large").map(|r| &r.require),
        Some(Expr::Cmp(Operand::Attr(Attr::ValueBytes), CmpOp::Le, Operand::Lit(n))) if n == "16384"
    ));
    assert!(matches!(
        rule("php-below-8-ic").map(|r| (r.severity, r.subject)),
        Some((Severity::Warning, Subject::Site))
    ));
    // No template can show a secret value.
    for r in &p.rules {
        let holes = r
            .message
            .parts
            .iter()
            .chain(r.help.iter().flat_map(|h| &h.parts));
        assert!(
            holes
                .into_iter()
                .all(|part| *part != TemplatePart::Hole(Attr::Value)),
            "{}",
            r.id
        );
    }
}

#[test]
fn strict_policy_parses() {
    let p = ok(include_str!("../../policies/strict.policy"));
    assert_eq!(p.name, "strict");
    assert_eq!(p.types, ["runtime", "env", "composer"]);
    let rule = |id: &str| p.rules.iter().find(|r| r.id == id);
    assert!(matches!(
        rule("value-too-large").map(|r| &r.require),
        Some(Expr::Cmp(Operand::Attr(Attr::ValueBytes), CmpOp::Le, Operand::Lit(n))) if n == "4096"
    ));
    assert!(matches!(
        rule("no-site-shadowing").map(|r| &r.require),
        Some(Expr::Not(e)) if matches!(**e, Expr::Truthy(Attr::Shadows))
    ));
    let Some(Expr::Match { regex, .. }) = rule("upper-snake-name").map(|r| &r.require) else {
        panic!("upper-snake-name missing")
    };
    assert!(regex.is_match("STRIPE_KEY") && !regex.is_match("stripe_key"));
}

// --- The language --------------------------------------------------------------

#[test]
fn statements_in_any_order_with_comments() {
    let p = ok("# leading comment
policy \"x\" {  # trailing comment
  inherit from owner and supporting
  error r require shadows message \"m\"   # after a rule
  precedence site.override < site.default < org.override < org.default
  environments dev
  environment names match /^[a-z]+$/
  scopes a
  types t
}");
    assert_eq!(
        p.inherit,
        Inherit {
            owner: true,
            supporting: true
        }
    );
    assert_eq!(p.precedence[0].slot, Slot::Override);
    assert_eq!(p.env_names.map(|e| e.except.len()), Some(0));
    assert!(p.reveal_scopes.is_empty());
    assert_eq!(p.rules.len(), 1);
}

#[test]
fn inherit_nothing() {
    let text = HEADER.replace("inherit from owner", "inherit nothing");
    assert_eq!(ok(&format!("{text}}}")).inherit, Inherit::default());
}

#[test]
fn rule_defaults_and_options() {
    let r = only_rule(&with(
        "info information-leak require shadows message \"m\" help \"h\"",
    ));
    assert_eq!(r.id, "information-leak");
    assert_eq!((r.severity, r.subject), (Severity::Info, Subject::Secret));
    assert!(r.when.is_none());
    assert_eq!(r.help.map(|h| h.parts.len()), Some(1));
    let r = only_rule(&with(
        "warning w on override require value.set message \"m\"",
    ));
    assert_eq!(
        (r.severity, r.subject),
        (Severity::Warning, Subject::Override)
    );
}

#[test]
fn or_binds_looser_than_and_looser_than_not() {
    let r = only_rule(&with(
        "error r require shadows or value.set and not default.exists message \"m\"",
    ));
    let Expr::Or(a, b) = r.require else {
        panic!("expected or")
    };
    assert!(matches!(*a, Expr::Truthy(Attr::Shadows)));
    let Expr::And(b1, b2) = *b else {
        panic!("expected and")
    };
    assert!(matches!(*b1, Expr::Truthy(Attr::ValueSet)));
    assert!(matches!(*b2, Expr::Not(ref e) if matches!(**e, Expr::Truthy(Attr::DefaultExists))));
}

#[test]
fn parentheses_group() {
    let r = only_rule(&with(
        "error r require (shadows or value.set) and default.exists message \"m\"",
    ));
    assert!(matches!(r.require, Expr::And(ref a, _) if matches!(**a, Expr::Or(..))));
}

#[test]
fn operands_attributes_words_numbers_strings_lists() {
    let r = only_rule(&with(
        "error r when name == type and site.php >= 8.0 and name != \"a.b\" \
         require override.env in [test, \"live\", 3] and scope has ic message \"m\"",
    ));
    let Some(when) = r.when else {
        panic!("no when")
    };
    let mut attrs = Vec::new();
    when.attrs(&mut attrs);
    assert_eq!(attrs, [Attr::Name, Attr::Type, Attr::SitePhp, Attr::Name]);
    let Expr::And(left, _) = when else {
        panic!("expected and")
    };
    assert!(
        matches!(*left, Expr::And(_, ref cmp) if matches!(**cmp, Expr::Cmp(Operand::Attr(Attr::SitePhp), CmpOp::Ge, Operand::Lit(ref n)) if n == "8.0"))
    );
    let Expr::And(inl, has) = r.require else {
        panic!("expected and")
    };
    assert!(
        matches!(*inl, Expr::In(Operand::Attr(Attr::OverrideEnv), Operand::List(ref l)) if l == &["test", "live", "3"])
    );
    assert!(
        matches!(*has, Expr::Has(Operand::Attr(Attr::Scope), Operand::Lit(ref s)) if s == "ic")
    );
}

#[test]
fn every_operator() {
    for (op, want) in [
        ("==", CmpOp::Eq),
        ("!=", CmpOp::Ne),
        ("<", CmpOp::Lt),
        ("<=", CmpOp::Le),
        (">", CmpOp::Gt),
        (">=", CmpOp::Ge),
    ] {
        let r = only_rule(&with(&format!(
            "error r require value.bytes {op} 10 message \"m\""
        )));
        assert!(
            matches!(r.require, Expr::Cmp(_, got, _) if got == want),
            "{op}"
        );
    }
    let r = only_rule(&with("error r require name !~ /x/ message \"m\""));
    assert!(matches!(r.require, Expr::Match { negate: true, .. }));
    let r = only_rule(&with("error r require value is json message \"m\""));
    assert!(matches!(
        r.require,
        Expr::IsJson(Operand::Attr(Attr::Value))
    ));
}

#[test]
fn regex_literal_escapes_slash() {
    let r =
        only_rule(&with(r"error r require name =~ /^a\/b\.c$/ message 'm'").replace('\'', "\""));
    let Expr::Match { regex, .. } = r.require else {
        panic!("expected match")
    };
    assert_eq!(regex.as_str(), r"^a/b\.c$");
    assert!(regex.is_match("a/b.c"));
}

#[test]
fn string_escapes() {
    let text = HEADER.replace("policy \"t\"", r#"policy "a\"b\\c\nd\te""#);
    assert_eq!(ok(&format!("{text}}}")).name, "a\"b\\c\nd\te");
}

#[test]
fn template_holes_and_literal_braces() {
    let r = only_rule(&with(
        r#"error r require shadows message "{{x}} '{name}' is {value.bytes}{ owner.id }\"""#,
    ));
    assert_eq!(
        r.message.parts,
        [
            TemplatePart::Text("{x} '".into()),
            TemplatePart::Hole(Attr::Name),
            TemplatePart::Text("' is ".into()),
            TemplatePart::Hole(Attr::ValueBytes),
            TemplatePart::Hole(Attr::OwnerId),
            TemplatePart::Text("\"".into()),
        ]
    );
}

#[test]
fn keywords_are_not_prefixes_of_names() {
    // `types`, `info` and `in` as prefixes of longer words.
    let r = only_rule(&with(
        "info info-x when name == typesetting require name in [inside] message \"m\"",
    ));
    assert_eq!(r.id, "info-x");
}

// --- Problems: syntax ------------------------------------------------------------

#[test]
fn syntax_error_keeps_the_expected_list() {
    let p = one(
        &with("warnin x require shadows message \"m\""),
        ProblemKind::Syntax,
        "expected severity (error, warning, info), `}`, `types`, `scopes`, `environments`, \
         `environment`, `precedence`, `inherit`, `and` or `reveal`, found `warnin`",
        "warnin",
    );
    assert!(
        p.label
            .starts_with("expected severity (error, warning, info)")
    );
    assert_eq!(p.line_col(), (7, 1));
}

#[test]
fn syntax_error_names_operators_and_operands() {
    one(
        &with("error x require name === x message \"m\""),
        ProblemKind::Syntax,
        "expected operand (attribute, word, number, string or list), found `=`",
        "=",
    );
    let p = one(
        &with("error x require name == message message \"m\""),
        ProblemKind::Syntax,
        "expected operand (attribute, word, number, string or list), found `message`",
        "message",
    );
    assert_eq!(
        help(&p),
        "`message` is a keyword; to use it as a literal, quote it: `\"message\"`"
    );
    one(
        &with("error x on secrt require shadows message \"m\""),
        ProblemKind::Syntax,
        "expected subject (secret, value, override, site), found `secrt`",
        "secrt",
    );
}

#[test]
fn syntax_error_unterminated_string_and_regex() {
    one(
        &with("error x require shadows message \"m"),
        ProblemKind::Syntax,
        "unterminated string",
        "\"m",
    );
    one(
        &with("error x require name =~ /abc message \"m\""),
        ProblemKind::Syntax,
        "unterminated regex",
        "/",
    );
}

#[test]
fn syntax_error_at_end_of_file() {
    let p = one(
        HEADER,
        ProblemKind::Syntax,
        "expected severity (error, warning, info), `}`, `types`, `scopes`, `environments`, \
         `environment`, `precedence`, `inherit`, `and` or `reveal`, found end of file",
        "",
    );
    assert_eq!(p.span.offset(), HEADER.len());
}

#[test]
fn syntax_errors_are_all_reported() {
    let all = problems(&with(
        "error a requir shadows message \"m\"
  warning b require shadows messag \"m\"
  info c require shadows message \"m\"
  error d on nothing require shadows message \"m\"",
    ));
    let got: Vec<(&str, &str)> = all
        .iter()
        .map(|p| (p.message.as_str(), p.underlined()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "expected `on`, `when` or `require`, found `requir`",
                "requir"
            ),
            (
                "expected comparison (==, !=, <, <=, >, >=), `=~` or `!~`, `message`, `and`, `or`, `in`, `has` or `is`, found `messag`",
                "messag"
            ),
            (
                "expected subject (secret, value, override, site), found `nothing`",
                "nothing"
            ),
        ]
    );
}

#[test]
fn bad_escape() {
    let p = one(
        &with(r#"error x require shadows message "a \q b""#),
        ProblemKind::BadEscape,
        r"unknown escape `\q` in string",
        r"\q",
    );
    assert!(help(&p).contains(r"`\n`"));
}

#[test]
fn too_deep() {
    let deep = |n: usize| {
        with(&format!(
            "error x require {}shadows{} message \"m\"",
            "not (".repeat(n),
            ")".repeat(n)
        ))
    };
    // Runs on a test thread's small stack: the limit keeps the parser safe.
    assert_eq!(ok(&deep(16)).rules.len(), 1);
    let p = problems(&deep(17));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].kind, ProblemKind::TooDeep);
    assert_eq!(p[0].message, "condition nested too deeply");
    let p = problems(&with(&format!(
        "error x require {}shadows message \"m\"",
        "not ".repeat(100_000)
    )));
    assert_eq!((p.len(), p[0].underlined()), (1, "not"));
}

// --- Problems: statements ----------------------------------------------------------

#[test]
fn missing_statement_points_at_the_header() {
    let text = HEADER.replace("  inherit from owner\n", "");
    let p = one(
        &format!("{text}}}"),
        ProblemKind::MissingStatement,
        "missing `inherit` statement",
        "policy \"t\"",
    );
    assert_eq!(
        help(&p),
        "every policy states `inherit` once, e.g. `inherit from owner`"
    );
}

#[test]
fn duplicate_statement_points_at_both() {
    let text = with("types a, b");
    let p = one(
        &text,
        ProblemKind::DuplicateStatement,
        "duplicate `types` statement",
        "types",
    );
    assert_eq!(p.line_col(), (7, 1));
    assert_eq!(
        related(&text, &p, 0),
        ("types".into(), "first stated here".into())
    );
}

#[test]
fn duplicate_name() {
    let text = HEADER.replace("scopes ic, web, user", "scopes ic, web, ic");
    let p = one(
        &format!("{text}}}"),
        ProblemKind::DuplicateName,
        "`ic` is listed twice in `scopes`",
        "ic",
    );
    assert_eq!(p.line_col(), (3, 19));
}

#[test]
fn precedence_unknown_duplicate_and_missing_layers() {
    let text = HEADER.replace(
        "org.default < org.override < site.default < site.override",
        "org.default < org.overide < site.default < site.default",
    );
    let all = problems(&format!("{text}}}"));
    let got: Vec<(&str, &str)> = all
        .iter()
        .map(|p| (p.message.as_str(), p.underlined()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "precedence does not list `org.override` and `site.override`",
                "precedence org.default < org.overide < site.default < site.default"
            ),
            ("unknown layer `org.overide`", "org.overide"),
            ("layer `site.default` is listed twice", "site.default"),
        ]
    );
    assert!(all.iter().all(|p| p.kind == ProblemKind::Precedence));
    assert!(help(&all[1]).starts_with("did you mean `org.override`?"));
    assert_eq!(
        related(&text, &all[2], 0),
        ("site.default".into(), "first listed here".into())
    );
}

#[test]
fn invalid_regex_in_rule_and_environment_names() {
    let p = one(
        &with("error x require name =~ /(abc/ message \"m\""),
        ProblemKind::InvalidRegex,
        "invalid regular expression",
        "/(abc/",
    );
    assert!(help(&p).starts_with("unclosed group"));
    one(
        &with("environment names /[a-/ except x"),
        ProblemKind::InvalidRegex,
        "invalid regular expression",
        "/[a-/",
    );
}

#[test]
fn regex_size_is_limited() {
    let p = one(
        &with("error x require name =~ /\\w{1000}\\w{1000}/ message \"m\""),
        ProblemKind::InvalidRegex,
        "invalid regular expression",
        "/\\w{1000}\\w{1000}/",
    );
    assert!(help(&p).contains("size limit"), "{}", help(&p));
}

#[test]
fn reveal_scope_must_be_a_scope() {
    assert_eq!(
        ok(&with("reveal scope user, web")).reveal_scopes,
        ["user", "web"]
    );
    let p = one(
        &with("reveal scope usr"),
        ProblemKind::UnknownVocabulary,
        "unknown scope `usr`",
        "usr",
    );
    assert!(help(&p).starts_with("did you mean `user`?"));
}

// --- Problems: rules -------------------------------------------------------------

#[test]
fn unknown_attribute_suggests_the_closest() {
    let p = one(
        &with("warning w on site require site.phpp >= 8.0 message \"m\""),
        ProblemKind::UnknownAttribute,
        "unknown attribute `site.phpp`",
        "site.phpp",
    );
    assert!(help(&p).starts_with("did you mean `site.php`?"));
    assert!(help(&p).contains("`\"site.phpp\"`"));
}

#[test]
fn unknown_type_and_scope_and_owner_kind() {
    let p = one(
        &with("error x when type == envv require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown type `envv`",
        "envv",
    );
    assert_eq!(
        help(&p),
        "did you mean `env`? the types are `runtime`, `env`, `composer`"
    );
    one(
        &with("error x when composr != type require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown type `composr`",
        "composr",
    );
    one(
        &with("error x when type in [env, runtim] require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown type `runtim`",
        "runtim",
    );
    one(
        &with("error x when scope has icc require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown scope `icc`",
        "icc",
    );
    one(
        &with("error x on site when \"wbe\" in site.scopes require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown scope `wbe`",
        "\"wbe\"",
    );
    one(
        &with("error x when owner.kind == orgg require shadows message \"m\""),
        ProblemKind::UnknownVocabulary,
        "unknown owner kind `orgg`",
        "orgg",
    );
}

#[test]
fn truthy_needs_a_boolean_attribute() {
    let p = one(
        &with("error x require name message \"m\""),
        ProblemKind::NotBoolean,
        "`name` is not a boolean attribute",
        "name",
    );
    assert!(help(&p).contains("`default.exists`, `value.set` and `shadows`"));
    let p = one(
        &with("error x require shadow message \"m\""),
        ProblemKind::NotBoolean,
        "`shadow` is not a condition",
        "shadow",
    );
    assert!(help(&p).starts_with("did you mean `shadows`?"));
    one(
        &with("error x require [a] message \"m\""),
        ProblemKind::NotBoolean,
        "a list is not a condition",
        "[a]",
    );
}

#[test]
fn lists_where_lists_belong() {
    one(
        &with("error x require name in name message \"m\""),
        ProblemKind::WrongShape,
        "`in` needs a list on its right",
        "name",
    );
    one(
        &with("error x require name has x message \"m\""),
        ProblemKind::WrongShape,
        "`has` needs a list on its left",
        "name",
    );
    let p = one(
        &with("error x require scope == ic message \"m\""),
        ProblemKind::WrongShape,
        "`scope` is a list and cannot be compared",
        "scope",
    );
    assert_eq!(
        help(&p),
        "test a list's items with `LIST has ITEM` or `ITEM in LIST`"
    );
    one(
        &with("error x require site.scopes =~ /ic/ message \"m\""),
        ProblemKind::WrongShape,
        "`site.scopes` is a list and cannot match a regex",
        "site.scopes",
    );
}

#[test]
fn value_is_refused_in_templates() {
    let p = one(
        &with("error x require shadows message \"ok\" help \"was {value}\""),
        ProblemKind::ValueInTemplate,
        "a template cannot show `value`",
        "{value}",
    );
    assert_eq!(
        help(&p),
        "secret values never appear in messages; use `{value.bytes}`"
    );
}

#[test]
fn unknown_hole_suggests_the_closest() {
    let p = one(
        &with("error x require shadows message \"bad {nmae}\""),
        ProblemKind::UnknownHole,
        "unknown template hole `{nmae}`",
        "{nmae}",
    );
    assert!(help(&p).starts_with("did you mean `name`?"));
}

#[test]
fn lone_braces_in_templates() {
    one(
        &with("error x require shadows message \"a { b\""),
        ProblemKind::TemplateBrace,
        "unclosed `{` in template",
        "{",
    );
    let p = one(
        &with("error x require shadows message \"a } b\""),
        ProblemKind::TemplateBrace,
        "unmatched `}` in template",
        "}",
    );
    assert_eq!(help(&p), "write `}}` for a literal `}`");
}

#[test]
fn duplicate_rule_points_at_both() {
    let text = with(
        "error same require shadows message \"m\"
  warning same require shadows message \"m\"",
    );
    let p = one(
        &text,
        ProblemKind::DuplicateRule,
        "duplicate rule id `same`",
        "same",
    );
    assert_eq!(p.line_col(), (8, 11));
    assert_eq!(p.label, "defined again here");
    assert_eq!(
        related(&text, &p, 0),
        ("same".into(), "first defined here".into())
    );
}

// --- Reporting ---------------------------------------------------------------------

#[test]
fn every_semantic_problem_is_reported_in_source_order() {
    let text = with(
        "error a when type == envv and scope has icc require site.phpp >= 8 message \"{nmae} {value}\"
  error a require name message \"m\"",
    );
    let Err(e) = parse("dir/t.policy", &text) else {
        panic!("expected an error")
    };
    assert_eq!(e.to_string(), "invalid policy `dir/t.policy`");
    assert_eq!(
        e.positions(),
        [
            ("unknown type `envv`".to_string(), 7, 22),
            ("unknown scope `icc`".to_string(), 7, 41),
            ("unknown attribute `site.phpp`".to_string(), 7, 53),
            ("unknown template hole `{nmae}`".to_string(), 7, 77),
            ("a template cannot show `value`".to_string(), 7, 84),
            ("duplicate rule id `a`".to_string(), 8, 9),
            ("`name` is not a boolean attribute".to_string(), 8, 19),
        ]
    );
    assert!(e.problems.iter().all(|p| p.file() == "dir/t.policy"));
}

#[test]
fn renders_as_a_miette_report() {
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
    let Err(e) = parse(
        "t.policy",
        &with("error x when type == envv require shadows message \"m\""),
    ) else {
        panic!("expected an error")
    };
    let code = e.problems[0].code().map(|c| c.to_string());
    assert_eq!(code.as_deref(), Some("ward::policy::unknown_vocabulary"));
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut out, &e).is_err() {
        panic!("render failed")
    }
    assert!(out.contains("invalid policy `t.policy`"), "{out}");
    assert!(out.contains("unknown type `envv`"), "{out}");
    assert!(out.contains("not one of the policy's types"), "{out}");
    assert!(out.contains("t.policy:7:22"), "{out}");
}

#[test]
fn language_reference_examples_parse() {
    let doc = include_str!("../../docs/policy-language.md");
    let blocks: Vec<&str> = doc
        .split("```policy\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    assert!(blocks.len() >= 2);
    for block in blocks {
        ok(block);
    }
}
