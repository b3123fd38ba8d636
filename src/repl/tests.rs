//! Parsing command lines: the commands built, and each error's message,
//! help and underlined words. End-to-end sessions are in `tests/repl.rs`.

use miette::Diagnostic;

use super::command::{Command, OwnerKind, masked};

fn parse(line: &str) -> Command {
    match line.parse::<Command>() {
        Ok(c) => c,
        Err(e) => panic!("{line}: {e}"),
    }
}

/// The error's message, help and the text its first label underlines.
fn error(line: &str) -> (String, String, String) {
    let Err(e) = line.parse::<Command>() else {
        panic!("{line} parsed");
    };
    let help = e.help().map(|h| h.to_string()).unwrap_or_default();
    let label = e.labels().and_then(|mut l| l.next());
    let under = label.map_or(String::new(), |l| {
        let end = (l.offset() + l.len()).min(line.len());
        line[l.offset()..end].to_string()
    });
    (e.to_string(), help, under)
}

#[test]
fn resolve_with_flags_in_both_forms() {
    let Command::Resolve(q) = parse("resolve my-site.live --scope ic --type=env") else {
        panic!("not resolve");
    };
    assert_eq!(
        (q.site.text.as_str(), q.site.span.clone()),
        ("my-site", 8..15)
    );
    assert_eq!((q.env.text.as_str(), q.env.span.clone()), ("live", 16..20));
    assert_eq!(q.scope.map(|s| s.text), Some("ic".to_string()));
    assert_eq!(
        q.ty.map(|t| (t.text, t.span)),
        Some(("env".to_string(), 39..42))
    );
}

#[test]
fn aliases_and_explain() {
    assert!(matches!(parse("r s.dev"), Command::Resolve(_)));
    let Command::Explain(q, name) = parse("x s.dev 'API KEY'") else {
        panic!("not explain");
    };
    assert_eq!(
        (q.site.text, name.text),
        ("s".to_string(), "API KEY".to_string())
    );
    assert_eq!(parse("exit"), Command::Quit);
    assert_eq!(parse("reveal on"), Command::Reveal(true));
}

#[test]
fn terminus_set_and_delete() {
    let Command::Set(set) = parse(r#"secret:site:set s.live NAME "a b" --type=env --scope=web,ic"#)
    else {
        panic!("not set");
    };
    assert_eq!(set.owner.kind, OwnerKind::Site);
    assert_eq!(set.owner.env.map(|e| e.text), Some("live".to_string()));
    assert_eq!(set.value.text.expose(), "a b");
    assert_eq!(set.scope.map(|s| s.text), Some("web,ic".to_string()));
    let Command::Set(set) = parse("secret:org:set my.org N v --env=dev") else {
        panic!("not set");
    };
    // Org ids are never split on `.`; the override comes from `--env`.
    assert_eq!(set.owner.id.text, "my.org");
    assert_eq!(set.owner.env.map(|e| e.text), Some("dev".to_string()));
    let Command::Delete(owner, name) = parse("secret:site:delete s N") else {
        panic!("not delete");
    };
    assert_eq!((owner.env, name.text), (None, "N".to_string()));
}

#[test]
fn a_value_after_double_dash_may_start_with_dashes() {
    let Command::Set(set) = parse("secret:site:set s N -- --not-a-flag") else {
        panic!("not set");
    };
    assert_eq!(set.value.text.expose(), "--not-a-flag");
}

#[test]
fn errors_point_at_the_word_at_fault() {
    let cases = [
        (
            "resolv s.dev",
            "unknown command `resolv`",
            "did you mean `resolve`? `help` lists every command",
            "resolv",
        ),
        (
            "resolve s.dev --scpe=web",
            "unknown flag `--scpe` for `resolve`",
            "did you mean `--scope`?",
            "--scpe=web",
        ),
        (
            "resolve s.dev --scope=a --scope=b",
            "flag `--scope` given twice",
            "give each flag once",
            "--scope=b",
        ),
        (
            "resolve s.dev --scope",
            "flag `--scope` needs a value",
            "write it as `--scope=SCOPE`",
            "--scope",
        ),
        (
            "resolve s",
            "expected `SITE.ENV`, found `s`",
            "name the environment too, e.g. `s.dev`",
            "s",
        ),
        (
            "check now",
            "too many arguments for `check`",
            "usage: check; quote an argument that holds spaces",
            "now",
        ),
        (
            "reveal yes",
            "expected `on` or `off`, found `yes`",
            "`reveal on` or `reveal off`",
            "yes",
        ),
        (
            "secret:site:set s N 'v",
            "unclosed quote",
            "close the quote, or escape it with `\\`",
            "'v",
        ),
    ];
    for (line, message, help, under) in cases {
        assert_eq!(
            error(line),
            (message.into(), help.into(), under.into()),
            "{line}"
        );
    }
}

#[test]
fn a_missing_argument_points_past_the_end() {
    let (message, help, under) = error("explain s.dev");
    assert_eq!(message, "missing argument `NAME` for `explain`");
    assert_eq!(help, "usage: explain SITE.ENV NAME [--scope=S] [--type=T]");
    assert_eq!(under, "");
}

#[test]
fn values_are_masked_wherever_they_may_be() {
    let cases = [
        ("secret:site:set s N secret", "secret:site:set s N ******"),
        // Words after the value are part of an unquoted value.
        (
            "secret:org:set o N my secret --env=dev",
            "secret:org:set o N ** ****** --env=dev",
        ),
        // The likely command decides.
        ("secret:site:sett s N secret", "secret:site:sett s N ******"),
        ("frobnicate a b", "frobnicate * *"),
        ("secret:site:lsit s N value", "secret:site:lsit * * *****"),
        // An unknown flag's value, a bare `--type` that cannot take one.
        (
            "secret:org:set o N v --x=secret",
            "secret:org:set o N * --x=******",
        ),
        ("resolve s.dev --x=word", "resolve s.dev --x=word"),
        (
            "secret:site:set s N --type env",
            "secret:site:set s N --type ***",
        ),
        (
            "secret:site:set s \"N secret",
            "secret:site:set s *********",
        ),
        ("resolve s.dev", "resolve s.dev"),
    ];
    for (line, want) in cases {
        assert_eq!(masked(line), want, "{line}");
    }
}

mod session {
    use crate::repl::{Options, Session, Workspace};

    const LAYOUT: &str = "[orgs.o.secrets.TOKEN]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"tok\"\n\n\
                          [sites.s]\nowner = \"o\"\n";

    fn session() -> Session {
        let ws = Workspace::from_texts(vec![("l.toml".into(), LAYOUT.to_string())]);
        Session::new(
            ws,
            crate::policy::pantheon().expect("policy"),
            Options::default(),
        )
    }

    #[test]
    fn a_refused_edit_leaves_nothing_behind() {
        let mut s = session();
        let out = s.execute("secret:site:set s.dev NOPE canary-value");
        assert!(!out.ok && !out.quit);
        assert!(
            out.text.contains("Secret 'NOPE' does not exist."),
            "{}",
            out.text
        );
        assert!(!out.text.contains("canary"), "{}", out.text);
        assert!(!s.dirty());
        assert!(!s.layout().sites["s"].secrets.contains_key("NOPE"));
    }

    #[test]
    fn an_accepted_edit_shows_its_findings_and_undo_takes_it_back() {
        let mut s = session();
        let out = s.execute("secret:org:set o TOKEN canary-live --env=live");
        assert!(out.ok, "{}", out.text);
        assert!(
            out.text.starts_with("+ warning ic-override-test-live"),
            "{}",
            out.text
        );
        assert!(s.dirty());
        let out = s.execute("undo");
        assert!(
            out.text.starts_with("- warning ic-override-test-live"),
            "{}",
            out.text
        );
        assert!(!s.dirty());
        assert!(!s.execute("undo").ok);
    }

    #[test]
    fn blank_lines_comments_and_quit() {
        let mut s = session();
        assert!(s.execute("  ").ok);
        assert!(s.execute("# secret:site:set s X v").ok);
        let out = s.execute("quit");
        assert!(out.ok && out.quit && out.text.is_empty());
    }
}
