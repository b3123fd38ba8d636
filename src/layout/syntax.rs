//! TOML syntax errors as `toml-syntax` findings.
//!
//! `toml::de::Error` keeps a copy of the whole input and its `Display` prints
//! the source line, so only [`toml::de::Error::message`] and
//! [`toml::de::Error::span`] are read here, and the message is checked so
//! that it cannot echo source text.

use std::ops::Range;

use super::duplicate::{self, Duplicate};
use crate::finding::{Finding, Severity, rule_id};
use crate::source::{FileId, Span};

/// Longest message kept, in characters.
const MAX_MESSAGE: usize = 160;

/// Tokens that toml's messages quote in backticks (`expected `]``) and that
/// are safe to show. Anything else quoted is replaced, in case a future
/// version of toml quotes the input.
const QUOTABLE: &[&str] = &["0x", "0o", "0b", "true", "false", "inf", "nan"];

/// toml refuses keys of this many dotted parts (and arrays or inline tables
/// nested this deep) rather than recurse further. Its error for a key has
/// no span, so ward finds the key itself.
const TOML_MAX_DEPTH: usize = 80;

/// The findings for the syntax errors in `text` (file `file`). The lines
/// are indexed once, at the first duplicate key, not once per error.
pub(super) fn findings(file: FileId, text: &str, errors: &[toml::de::Error]) -> Vec<Finding> {
    let mut index = None;
    errors
        .iter()
        .filter_map(|e| finding(file, text, e, &mut index))
        .collect()
}

/// The finding for one syntax error in `text` (file `file`); `None` for a
/// duplicate key that only follows from a duplicate table already reported.
fn finding(
    file: FileId,
    text: &str,
    error: &toml::de::Error,
    index: &mut Option<duplicate::Index>,
) -> Option<Finding> {
    let message = sanitize(error.message());
    let range = match error.span() {
        Some(r) => on_char_boundaries(text, r),
        None if message == "recursion limit" => deep_key(text).unwrap_or(0..0),
        None => 0..0,
    };
    let (what, expected) = match message.split_once(", expected ") {
        Some((what, expected)) => (what.to_owned(), format!("expected {expected}")),
        None if too_deep(&message) => (
            format!("nested more than {TOML_MAX_DEPTH} levels deep"),
            "too deep".to_owned(),
        ),
        None => (message.clone(), "here".to_owned()),
    };
    let help = help(&message);
    let first = match message.contains("duplicate key") {
        true => index
            .get_or_insert_with(|| duplicate::Index::new(text))
            .find(text, range.start),
        false => Duplicate::Unknown,
    };
    let mut finding = Finding::new(
        rule_id::TOML_SYNTAX,
        Severity::Error,
        format!("invalid TOML: {what}"),
        Span::new(file, range),
    )
    .with_label(expected)
    .with_help(help);
    match first {
        Duplicate::Cascade => return None,
        Duplicate::First(r) => {
            finding.label = "declared again here".into();
            let first = (Span::new(file, r), "first declared here".to_owned());
            finding.related.push(first);
        }
        Duplicate::Unknown => {}
    }
    Some(finding)
}

/// How to fix the error `message` describes.
fn help(message: &str) -> &'static str {
    if message.contains("duplicate key") {
        "a key or table may be declared only once in a file: merge the two declarations or rename one"
    } else if too_deep(message) {
        "TOML files may nest arrays, inline tables and dotted keys at most 80 deep; a layout needs 6 (`sites.ID.secrets.NAME.overrides.ENV`)"
    } else if message.contains("must be quoted") {
        "put the value in quotes: `\"...\"`"
    } else if message.starts_with("unclosed") {
        "add the missing closing bracket"
    } else if message.contains("string") {
        "close the string on the same line, or use `\"\"\"` for a value that spans lines"
    } else {
        "fix the TOML syntax at the marked place (see https://toml.io)"
    }
}

/// `message` with anything that could be source text removed: unknown
/// backtick-quoted tokens and line breaks; cut to [`MAX_MESSAGE`].
fn sanitize(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else if quotable(part) {
            out.extend(['`'].into_iter().chain(part.chars()).chain(['`']));
        } else {
            out.push_str("a token");
        }
    }
    let out: String = out
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match out.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

/// Whether a backtick-quoted token of a toml message may be shown: a piece
/// of TOML punctuation, an escape letter or a fixed keyword.
fn quotable(token: &str) -> bool {
    let punctuation =
        !token.is_empty() && token.len() <= 3 && token.bytes().all(|b| b.is_ascii_punctuation());
    let letter = token.len() == 1 && token.bytes().all(|b| b.is_ascii_alphabetic());
    punctuation || letter || QUOTABLE.contains(&token)
}

/// Whether toml's `message` says it stopped at its nesting limit.
fn too_deep(message: &str) -> bool {
    message == "recursion limit" || message.starts_with("cannot recurse further")
}

/// The first key or table header with [`TOML_MAX_DEPTH`] dotted parts or
/// more (dots in quotes do not count).
fn deep_key(text: &str) -> Option<Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let (mut dots, mut quote, mut end) = (0, None, line.len());
        for (i, b) in line.bytes().enumerate() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'.') => dots += 1,
                (None, b'=' | b'#' | b']') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        if dots + 1 >= TOML_MAX_DEPTH {
            let key = &line[..end];
            let indent = key.len() - key.trim_start().len();
            return Some(start + indent..start + key.trim_end().len());
        }
        start += line.len();
    }
    None
}

/// `range` clamped to `text` and widened to character boundaries.
fn on_char_boundaries(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = match range.is_empty() {
        true => start,
        false => range.end.clamp(start, text.len()),
    };
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_toml_punctuation_and_drops_other_quoted_text() {
        assert_eq!(
            sanitize("invalid basic string, expected `\"`"),
            "invalid basic string, expected `\"`"
        );
        assert_eq!(
            sanitize("expected `b`, `\\`, `0x`"),
            "expected `b`, `\\`, `0x`"
        );
        assert_eq!(sanitize("unexpected `sk_live_123`"), "unexpected a token");
        assert_eq!(sanitize("unexpected `sk_live"), "unexpected a token");
        assert_eq!(sanitize("a\nb"), "a b");
    }

    #[test]
    fn finds_the_key_nested_too_deeply() {
        let deep = format!("{}a", "a.".repeat(79));
        let text = format!("[s]\n\"x.y\" = 1\n  {deep} = 1\n");
        let start = text.find(&deep).unwrap_or_default();
        assert_eq!(deep_key(&text), Some(start..start + deep.len()));
        let header = format!("[{deep}] # c\n");
        assert_eq!(deep_key(&header), Some(0..deep.len() + 1));
        let shallow = format!("{}a = \"{}\"\n", "a.".repeat(78), ".".repeat(99));
        assert_eq!(deep_key(&shallow), None);
    }

    #[test]
    fn widens_spans_to_char_boundaries() {
        let text = "é = 1";
        assert_eq!(on_char_boundaries(text, 1..1), 0..0);
        assert_eq!(on_char_boundaries(text, 1..3), 0..3);
        assert_eq!(on_char_boundaries(text, 0..1), 0..2);
        assert_eq!(on_char_boundaries(text, 9..12), 6..6);
    }
}
