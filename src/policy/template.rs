//! Literals with an inside: quoted strings (escapes), message templates
//! (`{attribute}` holes) and regex literals (`/.../`).

use std::ops::Range;

use regex::{Regex, RegexBuilder};

use super::ast::{Attr, Template, TemplatePart};
use super::error::ProblemKind;
use super::parse::{Ctx, G, P, did_you_mean, span};

/// Size limit for a compiled policy regex and for its lazy DFA.
const REGEX_LIMIT: usize = 1 << 20;

/// The raw text between the delimiters of a `string` or `regex` node, and its
/// byte offset in the file.
fn body<'i>(p: &P<'i>) -> (&'i str, usize) {
    p.clone()
        .into_inner()
        .find(|c| matches!(c.as_rule(), G::string_body | G::regex_body))
        .map_or(("", span(p).start + 1), |b| {
            (b.as_str(), b.as_span().start())
        })
}

/// The value of a `string` node, escapes resolved.
pub(super) fn string(cx: &mut Ctx, p: P<'_>) -> String {
    let (raw, at) = body(&p);
    let mut out = String::new();
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let next = chars.next().map(|(_, n)| n);
            out.push(escape(cx, next, at + i));
        } else {
            out.push(c);
        }
    }
    out
}

/// The character an escape `\c` at byte `at` stands for; reports unknown ones.
fn escape(cx: &mut Ctx, c: Option<char>, at: usize) -> char {
    match c {
        Some('"') => '"',
        Some('\\') => '\\',
        Some('n') => '\n',
        Some('t') => '\t',
        other => {
            let c = other.unwrap_or(' ');
            let d = cx
                .diag(
                    ProblemKind::BadEscape,
                    at..at + 1 + c.len_utf8(),
                    format!("unknown escape `\\{c}` in string"),
                    "unknown escape",
                )
                .help("strings know the escapes `\\\"`, `\\\\`, `\\n` and `\\t`");
            cx.push(d);
            c
        }
    }
}

/// A message or help template: escapes resolved, `{attr}` holes parsed,
/// `{{` and `}}` read as literal braces. `None` if it had a problem.
pub(super) fn template(cx: &mut Ctx, p: P<'_>) -> Option<Template> {
    let (raw, at) = body(&p);
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut ok = true;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => text.push(escape(cx, chars.next().map(|(_, n)| n), at + i)),
            '{' | '}' if chars.peek().map(|(_, n)| *n) == Some(c) => {
                chars.next();
                text.push(c);
            }
            '}' => ok &= brace(cx, at + i, '}'),
            _ if c != '{' => text.push(c),
            _ => {
                let Some(len) = raw[i..].find('}') else {
                    ok &= brace(cx, at + i, '{');
                    continue;
                };
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                }
                let hole = hole(cx, &raw[i + 1..i + len], at + i..at + i + len + 1);
                ok &= hole.is_some();
                parts.extend(hole);
                while chars.next_if(|(j, _)| *j < i + len + 1).is_some() {}
            }
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    ok.then_some(Template { parts })
}

/// Reports a lone brace; returns `false`.
fn brace(cx: &mut Ctx, at: usize, c: char) -> bool {
    let (message, label) = if c == '{' {
        ("unclosed `{` in template", "no `}` after this")
    } else {
        ("unmatched `}` in template", "no `{` before this")
    };
    let d = cx
        .diag(ProblemKind::TemplateBrace, at..at + 1, message, label)
        .help(format!("write `{c}{c}` for a literal `{c}`"));
    cx.push(d);
    false
}

/// The hole `{name}` covering byte range `at`.
fn hole(cx: &mut Ctx, name: &str, at: Range<usize>) -> Option<TemplatePart> {
    let name = name.trim();
    match Attr::from_name(name) {
        // `value.json.keys` is part of the value too (`{"sk_live_...": 1}`).
        Some(a @ (Attr::Value | Attr::ValueJsonKeys)) => {
            let d = cx
                .diag(
                    ProblemKind::ValueInTemplate,
                    at,
                    format!("a template cannot show `{}`", a.name()),
                    "would print a secret value",
                )
                .help("secret values never appear in messages; use `{value.bytes}`");
            cx.push(d);
            None
        }
        Some(a) => Some(TemplatePart::Hole(a)),
        None => {
            let names = Attr::ALL
                .iter()
                .filter(|(_, a)| !matches!(a, Attr::Value | Attr::ValueJsonKeys))
                .map(|(n, _)| *n);
            let d = cx
                .diag(
                    ProblemKind::UnknownHole,
                    at,
                    format!("unknown template hole `{{{name}}}`"),
                    "not an attribute",
                )
                .help(format!(
                    "{}a hole names an attribute, e.g. `{{name}}`; write `{{{{` for a literal `{{`",
                    did_you_mean(name, names)
                ));
            cx.push(d);
            None
        }
    }
}

/// Compiles a `regex` node (`\/` stands for `/`); reports it if invalid.
pub(super) fn regex(cx: &mut Ctx, p: P<'_>) -> Option<Regex> {
    let (raw, _) = body(&p);
    let pattern = unescape_slashes(raw);
    let built = RegexBuilder::new(&pattern)
        .size_limit(REGEX_LIMIT)
        .dfa_size_limit(REGEX_LIMIT)
        .build();
    match built {
        Ok(re) => Some(re),
        Err(e) => {
            let d = cx
                .diag(
                    ProblemKind::InvalidRegex,
                    span(&p),
                    "invalid regular expression",
                    "does not compile",
                )
                .help(regex_help(&e));
            cx.push(d);
            None
        }
    }
}

/// `\/` → `/`; every other escape is left for the regex engine.
fn unescape_slashes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('/') => out.push('/'),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The regex engine's reason, on one line.
fn regex_help(e: &regex::Error) -> String {
    let text = e.to_string();
    let reason = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .map_or_else(|| text.replace('\n', " "), str::to_string);
    format!("{reason} (ward uses Rust regex syntax; see https://docs.rs/regex)")
}
