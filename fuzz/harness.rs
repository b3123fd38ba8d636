//! What each fuzz target does with one input, shared by the targets in
//! `fuzz_targets/` and by `tests/fuzz_regressions.rs` (both include this file
//! with `#[path]`), so a kept crashing input is replayed through exactly the
//! code that found it.
//!
//! Every function takes raw bytes (decoded lossily, so every input reaches
//! the code under test) and panics only when ward breaks a promise: a panic
//! inside ward, or an invariant asserted here.

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use ward::layout::{Layout, Loaded, mask::mask_layout};
use ward::policy::Policy;
use ward::repl::command::{self, Command};
use ward::repl::{Options, Session, Workspace};
use ward::report::{self, Format, Output, SourceView, Style};
use ward::resolve;

/// Separates the files of one input (`layout`), or a layout from the REPL
/// lines that follow it (`repl_command`).
pub const FILE_BREAK: &str = "\n%%\n";

/// The REPL target's layout when the input brings none.
const REPL_LAYOUT: &str = include_str!("../tests/repl/layout.toml");
const REPL_EXTRA: &str = include_str!("../tests/repl/extra.toml");

/// At most this many REPL lines per input, so one input stays fast.
const MAX_LINES: usize = 64;
/// At most this many findings rendered by miette per input.
const MAX_RENDERED: usize = 6;
/// At most this many names explained per site, environment and scope.
const MAX_EXPLAINED: usize = 6;

fn pantheon() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| match ward::policy::pantheon() {
        Ok(p) => p,
        Err(e) => panic!("embedded policy does not parse: {e}"),
    })
}

/// A small layout every policy is tried on (`policy`).
fn policy_layout() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut loaded = Loaded::default();
        loaded.add_file("layout.toml", REPL_LAYOUT);
        loaded.add_file("extra.toml", REPL_EXTRA);
        loaded
    })
}

/// `policy`: the policy parser on arbitrary text. A policy that parses is
/// applied to a small layout (rules, then every resolution); one that does
/// not has its diagnostic rendered.
pub fn policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match ward::policy::parse("fuzz.policy", &text) {
        Ok(policy) => {
            let layout = &policy_layout().layout;
            let findings = ward::rules::check(layout, &policy);
            render_findings(layout, &findings);
            resolve_all(layout, &policy);
        }
        Err(e) => {
            let _ = report::render_diagnostic(&e, Style::default());
        }
    }
}

/// `layout`: arbitrary text as one to three layout files (split at
/// [`FILE_BREAK`]): each is masked (same length, only `*` replacing bytes,
/// line breaks kept), loaded, checked with the Pantheon policy and rendered
/// in every format; then every site is resolved in every environment and
/// scope, and every name it holds or sees is explained.
pub fn layout(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut loaded = Loaded::default();
    let mut masked = Vec::new();
    for (i, part) in text.split(FILE_BREAK).take(3).enumerate() {
        let m = mask_layout(part);
        check_masked(part, &m);
        check_pieces(part);
        masked.push((part, m));
        loaded.add_file(&format!("fuzz{i}.toml"), part);
    }
    check_values_masked(&loaded.layout, &masked);
    let policy = pantheon();
    let mut findings = loaded.findings;
    findings.extend(ward::rules::check(&loaded.layout, policy));
    render_findings(&loaded.layout, &findings);
    resolve_all(&loaded.layout, policy);
}

/// Masked in pieces (a large file is, on several threads), a text gets
/// the ranges it gets masked whole.
pub fn check_pieces(text: &str) {
    let whole = ward::layout::mask::hidden_ranges(text.as_bytes(), 1);
    for pieces in 2..5 {
        assert!(
            ward::layout::mask::hidden_ranges(text.as_bytes(), pieces) == whole,
            "masking in {pieces} pieces differs from masking whole"
        );
    }
}

/// The masker's promise: same length, line breaks where they were, and
/// every changed byte a `*`.
pub fn check_mask(text: &str) {
    check_masked(text, &mask_layout(text));
}

/// Asserts that `masked` is `text` masked: see [`check_mask`]. Messages
/// give offsets only, never the text.
pub fn check_masked(text: &str, masked: &str) {
    assert_eq!(masked.len(), text.len(), "masking changed the length");
    for (i, (a, b)) in text.bytes().zip(masked.bytes()).enumerate() {
        let newline = a == b'\n' || a == b'\r';
        assert!(
            a == b || (b == b'*' && !newline),
            "masking changed byte {i} into something else than `*`"
        );
    }
}

/// The masker hides every value the loader reads: between its quotes, a
/// value's token is all `*` (line breaks kept) in its file's masked text.
/// `files` holds each file's text and masked text, in load order.
pub fn check_values_masked(layout: &Layout, files: &[(&str, String)]) {
    let owners = layout.orgs.values().map(|o| &o.secrets);
    let secrets = owners.chain(layout.sites.values().map(|s| &s.secrets));
    for secret in secrets.flat_map(|s| s.values()) {
        let overrides = secret.overrides.values().map(|o| &o.value);
        for value in secret.value.iter().chain(overrides) {
            let span = value.span(secret.span.file);
            let Some((text, masked)) = files.get(span.file as usize) else {
                panic!("a value's span names no file");
            };
            let range = span.range();
            let Some(token) = text.get(range.clone()) else {
                panic!("a value's span {range:?} is not in its file");
            };
            let quote = match token.as_bytes() {
                [b'"', b'"', b'"', ..] | [b'\'', b'\'', b'\'', ..] => 3,
                [b'"' | b'\'', ..] => 1,
                _ => 0,
            };
            let inner =
                range.start + quote..range.end.saturating_sub(quote).max(range.start + quote);
            let shown = masked.as_bytes()[inner.clone()]
                .iter()
                .any(|&b| b != b'*' && b != b'\n' && b != b'\r');
            assert!(!shown, "a value at {inner:?} is not masked");
        }
    }
}

/// Renders findings in every format: all of them as JSON and GitHub
/// annotations, the first few (miette's wrapping is slow) as human text and
/// SARIF.
fn render_findings(layout: &Layout, findings: &[ward::finding::Finding]) {
    let findings: Vec<&ward::finding::Finding> = findings.iter().collect();
    let findings = &findings[..];
    let few = &findings[..findings.len().min(MAX_RENDERED)];
    let all = [
        (Format::Human, few),
        (Format::Sarif, few),
        (Format::Json, findings),
        (Format::Github, findings),
    ];
    for (format, findings) in all {
        let mut out = Vec::new();
        let written = report::findings(&mut out, layout, findings, None, format, Style::default());
        assert!(written.is_ok(), "rendering to memory failed");
        // The JSON report's frame is written by hand around serde's
        // findings: it must stay one JSON document.
        if format == Format::Json {
            let parsed = serde_json::from_slice::<serde_json::Value>(&out);
            assert!(parsed.is_ok(), "the JSON report does not parse");
        }
    }
}

/// Resolves and explains everything a site can be asked about.
fn resolve_all(layout: &Layout, policy: &Policy) {
    let views = resolve::every_view(layout, policy);
    let queries = resolve::every_query(layout, policy).count();
    assert_eq!(views.views, queries as u64, "every view walked once");
    let view = SourceView::new(&layout.sources);
    for q in resolve::every_query(layout, policy) {
        let resolved = match resolve::resolve(layout, policy, q) {
            Ok(r) => r,
            Err(e) => panic!("resolving a listed site, env and scope failed: {e}"),
        };
        let mut out = Vec::new();
        for format in [Format::Human, Format::Json] {
            let opts = Output {
                format,
                reveal: false,
            };
            let _ = report::resolution(&mut out, &view, policy, q, &resolved, opts);
        }
        let own = layout.sites.get(q.site).into_iter();
        let own = own.flat_map(|site| site.secrets.keys().map(|k| k.as_str()));
        let names = resolved.iter().map(|r| r.name).chain(own);
        let names: Vec<&str> = names.take(MAX_EXPLAINED).collect();
        for name in names {
            if let Ok(e) = resolve::explain(layout, policy, q, name) {
                let opts = Output {
                    format: Format::Human,
                    reveal: false,
                };
                let _ = report::explain(&mut out, &view, policy, q, name, &e, opts);
            }
        }
        let _ = out.flush();
    }
}

/// `repl_command`: arbitrary lines through the command parser, the masker
/// of command lines (same length; a set command's value all `*`), tab
/// completion and an in-memory [`Session`]. If the input holds
/// [`FILE_BREAK`], the text before it is the session's layout. `save`,
/// `load` and `reload` are parsed but never run: they touch disk.
pub fn repl_command(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (files, script) = match text.split_once(FILE_BREAK) {
        Some((layout, script)) => (vec![("fuzz/layout.toml", layout)], script),
        None => (
            vec![
                ("fuzz/layout.toml", REPL_LAYOUT),
                ("fuzz/extra.toml", REPL_EXTRA),
            ],
            &*text,
        ),
    };
    let files = files
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.to_string()))
        .collect();
    // Half the inputs hold their files in parts of ~64 bytes where they
    // can be cut, as a large file is held.
    let parts = data.len().is_multiple_of(2).then_some(64);
    let mut session = Session::new(
        Workspace::from_texts(files).in_parts(parts),
        pantheon().clone(),
        Options::default(),
    );
    for line in script.lines().take(MAX_LINES) {
        let masked = command::masked(line);
        assert_eq!(
            masked.len(),
            line.len(),
            "masking changed the line's length"
        );
        let parsed = line.parse::<Command>();
        if let Ok(Command::Set(set)) = &parsed {
            let hidden = masked.as_bytes().get(set.value.span.clone());
            let hidden = hidden.is_some_and(|v| v.iter().all(|&b| b == b'*'));
            assert!(hidden, "the value of a set command is not masked");
        }
        for pos in [0, line.len() / 2, line.len()] {
            let _ = ward::repl::complete::complete(session.layout(), session.policy(), line, pos);
        }
        if matches!(
            parsed,
            Ok(Command::Save(_) | Command::Load(_) | Command::Reload)
        ) {
            continue;
        }
        let outcome = session.execute(line);
        if outcome.quit {
            break;
        }
    }
}
