//! Syntax errors: pest's error turned into a diagnostic that keeps its
//! "expected ..." list, with rule names a user can read.

use std::ops::Range;
use std::sync::Arc;

use miette::NamedSource;
use pest::error::{Error, ErrorVariant, InputLocation};

use super::error::{PolicyDiagnostic, ProblemKind};
use super::parse::G;

/// How deeply parentheses and `not`s may nest (the parser is recursive).
const MAX_DEPTH: usize = 32;

/// At most this many syntax errors are reported.
const MAX_ERRORS: usize = 20;

/// Words that start a statement: where parsing resumes after an error.
const STATEMENT_STARTS: [&str; 10] = [
    "types",
    "scopes",
    "environments",
    "environment",
    "precedence",
    "inherit",
    "reveal",
    "error",
    "warning",
    "info",
];

/// Diagnostics for the syntax error `first` in `text` and for the errors
/// found by resuming at each later statement.
pub(super) fn errors(
    src: &NamedSource<Arc<str>>,
    text: &str,
    first: &Error<G>,
) -> Vec<PolicyDiagnostic> {
    let mut out = vec![diagnostic(src, text, 0, first)];
    let mut from = position(first);
    while out.len() < MAX_ERRORS {
        let Some(resume) = next_statement(text, from) else {
            break;
        };
        let rest = text.get(resume..).unwrap_or("");
        match grammar_parse(rest) {
            Ok(()) => break,
            Err(e) => {
                let d = diagnostic(src, text, resume, &e);
                if !out.iter().any(|o| o.span == d.span) {
                    out.push(d);
                }
                from = resume + position(&e).max(1);
            }
        }
    }
    out
}

fn grammar_parse(text: &str) -> Result<(), Box<Error<G>>> {
    use pest::Parser as _;
    super::parse::PolicyParser::parse(G::recover, text)
        .map(|_| ())
        .map_err(Box::new)
}

fn position(e: &Error<G>) -> usize {
    match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// The start of the first line after `from` that begins with a statement word.
fn next_statement(text: &str, from: usize) -> Option<usize> {
    let mut at = from + text.get(from..)?.find('\n')? + 1;
    loop {
        let line = text.get(at..)?;
        let trimmed = line.trim_start_matches([' ', '\t']);
        let word_end = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        let word = &trimmed[..word_end.unwrap_or(trimmed.len())];
        if STATEMENT_STARTS.contains(&word) {
            return Some(at + line.len() - trimmed.len());
        }
        at += line.find('\n')? + 1;
    }
}

/// The diagnostic for a pest error in the part of `text` from `offset` on.
fn diagnostic(
    src: &NamedSource<Arc<str>>,
    text: &str,
    offset: usize,
    e: &Error<G>,
) -> PolicyDiagnostic {
    let at = token_at(text, offset + position(e));
    let found = match text.get(at.clone()) {
        Some(t) if !t.is_empty() => format!("`{t}`"),
        _ => "end of file".to_string(),
    };
    let (message, label) = match &e.variant {
        ErrorVariant::ParsingError {
            positives,
            negatives,
        } if positives.is_empty() && !negatives.is_empty() => {
            let unexpected = one_of(negatives);
            (
                format!("unexpected {unexpected}"),
                format!("unexpected {unexpected}"),
            )
        }
        ErrorVariant::ParsingError { positives, .. } => match unterminated(positives, &found) {
            Some((message, label)) => (message.to_string(), label.to_string()),
            None => {
                let expected = one_of(positives);
                (
                    format!("expected {expected}, found {found}"),
                    format!("expected {expected}"),
                )
            }
        },
        ErrorVariant::CustomError { message } => (message.clone(), message.clone()),
    };
    let d = PolicyDiagnostic::new(src, ProblemKind::Syntax, at, message, label);
    match hint(e, &found) {
        Some(h) => d.help(h),
        None => d,
    }
}

/// A string or regex that opens but does not close on its line.
fn unterminated(positives: &[G], found: &str) -> Option<(&'static str, &'static str)> {
    if positives.contains(&G::string) && found.starts_with("`\"") {
        Some(("unterminated string", "no closing `\"` on this line"))
    } else if positives.contains(&G::regex) && found == "`/`" {
        Some(("unterminated regex", "no closing `/` on this line"))
    } else {
        None
    }
}

/// The token starting at `pos`: a word, a quoted string's first line, one
/// character, or nothing at the end of the file.
fn token_at(text: &str, pos: usize) -> Range<usize> {
    let rest = text.get(pos..).unwrap_or("");
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let len = match rest.chars().next() {
        None => 0,
        Some(c) if is_word(c) => rest.find(|c: char| !is_word(c)).unwrap_or(rest.len()),
        Some('"') => rest[1..]
            .find(['"', '\n'])
            .map_or(rest.len(), |i| i + 2)
            .min(rest.len()),
        Some(c) => c.len_utf8(),
    };
    let len = rest[..len].trim_end_matches('\n').len();
    pos..pos + len
}

/// `a`, `a or b`, `a, b or c`: readable names, duplicates dropped. Words,
/// numbers, strings and lists expected together read as one "operand".
fn one_of(rules: &[G]) -> String {
    let operand =
        rules.contains(&G::word) && (rules.contains(&G::list) || rules.contains(&G::lbracket));
    let mut names: Vec<&str> = Vec::new();
    for r in rules {
        let name = match r {
            G::word | G::list | G::lbracket | G::string | G::number if operand => OPERAND,
            _ => describe(*r),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        None => "something else".to_string(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

const OPERAND: &str = "operand (attribute, word, number, string or list)";

/// What a grammar rule is called in an error message.
fn describe(r: G) -> &'static str {
    match r {
        G::EOI => "end of file",
        G::file | G::policy | G::policy_head | G::kw_policy => "`policy`",
        G::types_stmt | G::kw_types => "`types`",
        G::scopes_stmt | G::kw_scopes => "`scopes`",
        G::envs_stmt | G::kw_environments => "`environments`",
        G::env_names_stmt | G::kw_environment => "`environment`",
        G::precedence_stmt | G::kw_precedence => "`precedence`",
        G::inherit_stmt | G::kw_inherit => "`inherit`",
        G::rule | G::severity => "severity (error, warning, info)",
        G::subject => "subject (secret, value, override, site)",
        G::rule_id => "rule id",
        G::name_list | G::name => "name",
        G::layer => "layer (org.default, org.override, site.default, site.override)",
        G::expr | G::conj | G::neg | G::predicate => "condition",
        G::cmp | G::cmp_op => "comparison (==, !=, <, <=, >, >=)",
        G::matches | G::match_op => "`=~` or `!~`",
        G::in_list | G::kw_in => "`in`",
        G::has | G::kw_has => "`has`",
        G::is_json | G::kw_is => "`is`",
        G::list => "list `[...]`",
        G::number => "number",
        G::word => "attribute or word",
        G::string | G::string_body => "string `\"...\"`",
        G::regex | G::regex_body => "regex `/.../`",
        G::lbrace => "`{`",
        G::rbrace => "`}`",
        G::lparen => "`(`",
        G::rparen => "`)`",
        G::lbracket => "`[`",
        G::rbracket => "`]`",
        G::comma => "`,`",
        G::lt => "`<`",
        G::kw_names => "`names`",
        G::kw_match => "`match`",
        G::kw_except => "`except`",
        G::kw_nothing => "`nothing`",
        G::kw_from => "`from`",
        G::kw_owner => "`owner`",
        G::kw_supporting => "`supporting`",
        G::kw_on => "`on`",
        G::kw_when => "`when`",
        G::kw_require => "`require`",
        G::kw_message => "`message`",
        G::kw_help => "`help`",
        G::kw_and => "`and`",
        G::kw_or => "`or`",
        G::kw_not => "`not`",
        G::kw_json => "`json`",
        G::reveal_stmt | G::kw_reveal => "`reveal`",
        G::kw_scope => "`scope`",
        // Silent rules never appear in an error.
        _ => "something else",
    }
}

/// Words that cannot be bare operands.
const RESERVED: [&str; 10] = [
    "and", "or", "not", "in", "has", "is", "when", "require", "message", "help",
];

/// Extra advice for common mistakes, from what was expected and found.
fn hint(e: &Error<G>, found: &str) -> Option<String> {
    let ErrorVariant::ParsingError { positives, .. } = &e.variant else {
        return None;
    };
    let expects = |r: G| positives.contains(&r);
    let word = found.trim_matches('`');
    let hint = if expects(G::word) && RESERVED.contains(&word) {
        format!("`{word}` is a keyword; to use it as a literal, quote it: `\"{word}\"`")
    } else if expects(G::string) && found.starts_with("`\"") {
        "a string ends on the line it starts on; write `\\n` for a line break".to_string()
    } else if expects(G::kw_message) {
        "a rule reads `SEVERITY ID [on SUBJECT] [when COND] require COND message \"...\" [help \"...\"]`".to_string()
    } else if expects(G::severity) {
        "a policy block holds `types`, `scopes`, `environments`, `environment names`, `precedence`, `inherit`, `reveal scope` and rules starting with `error`, `warning` or `info`".to_string()
    } else if expects(G::rbracket) || expects(G::name) {
        "list items and names are words, numbers or quoted strings; quote anything with dots or spaces".to_string()
    } else {
        return None;
    };
    Some(hint)
}

/// The first `(` or `not` that nests deeper than the parser allows, if any.
/// Strings, regexes and comments are skipped.
pub(super) fn too_deep(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let (mut i, mut stack, mut pending) = (0, Vec::new(), 0);
    while i < bytes.len() {
        let b = bytes[i];
        let next = match b {
            b'#' => skip_until(bytes, i + 1, b'\n', false),
            b'"' | b'/' => skip_until(bytes, i + 1, b, true),
            b'(' => {
                stack.push(1 + pending);
                pending = 0;
                i + 1
            }
            b')' => {
                stack.pop();
                i + 1
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' => {
                let end = skip_word(bytes, i);
                pending = if &bytes[i..end] == b"not" {
                    pending + 1
                } else {
                    0
                };
                end
            }
            _ => i + 1,
        };
        if stack.iter().sum::<usize>() + pending > MAX_DEPTH {
            return Some(i..next);
        }
        i = next;
    }
    None
}

/// The index after the first `end` byte from `i` (a backslash escapes the
/// next byte when `escapes`), stopping at a newline.
fn skip_until(bytes: &[u8], mut i: usize, end: u8, escapes: bool) -> usize {
    while i < bytes.len() && bytes[i] != end && bytes[i] != b'\n' {
        i += if escapes && bytes[i] == b'\\' { 2 } else { 1 };
    }
    (i + 1).min(bytes.len())
}

fn skip_word(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    i
}

/// The diagnostic for nesting deeper than [`MAX_DEPTH`].
pub(super) fn too_deep_diagnostic(
    src: &NamedSource<Arc<str>>,
    at: Range<usize>,
) -> PolicyDiagnostic {
    PolicyDiagnostic::new(
        src,
        ProblemKind::TooDeep,
        at,
        "condition nested too deeply",
        format!("more than {MAX_DEPTH} levels of `(` and `not`"),
    )
    .help("split the condition, or drop redundant parentheses and double negations")
}
