//! The first pass over a command line: which command, which words are
//! positional arguments and which are flags, and which bytes hold a secret
//! value. Lenient: problems are collected, so masking works on any line.

use std::ops::Range;

use super::commands::{self, ArgKind, COMMANDS, CommandInfo};
use super::error::{InputError, to_span};
use super::lex::{Token, tokenize};

/// A flag as written: `--scope=web` or `--scope web`.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Its name, without any `=value`: `--scope`.
    pub name: &'static str,
    /// Its value and where it is.
    pub value: Option<(String, Range<usize>)>,
}

/// A command line sorted into its parts.
#[derive(Debug)]
pub struct Scan {
    /// The command word.
    pub head: Token,
    /// The command, if the word names one.
    pub info: Option<&'static CommandInfo>,
    /// Positional arguments in order.
    pub positionals: Vec<Token>,
    /// Known flags in order.
    pub flags: Vec<Flag>,
    /// Everything wrong, in line order.
    pub problems: Vec<InputError>,
    /// Bytes that may hold a secret value.
    pub secret: Vec<Range<usize>>,
    /// Where the line ends (for "missing argument" labels).
    pub end: usize,
}

/// Scans `line`; `None` for a blank line.
pub fn scan(line: &str) -> Option<Scan> {
    let mut tokens = tokenize(line).into_iter();
    let head = tokens.next()?;
    let info = commands::find(&head.text);
    let mut s = Scan {
        info,
        positionals: Vec::new(),
        flags: Vec::new(),
        problems: Vec::new(),
        secret: Vec::new(),
        end: line.trim_end().len(),
        head,
    };
    let Some(info) = info else {
        s.problems.push(unknown_command(&s.head));
        // Mask as the likely command would, or everything when unsure: a
        // garbled `secret:…` command may hold a value wherever its guess
        // would not.
        let guess = crate::resolve::closest(&s.head.text, COMMANDS.iter().map(|c| c.name));
        let guess = guess.and_then(|g| commands::find(&g));
        match guess.filter(|g| takes_value(g) || !s.head.text.contains(':')) {
            Some(g) => words(&mut s, g, tokens),
            None => s.secret.extend(tokens.map(|t| t.span)),
        }
        return Some(s);
    };
    words(&mut s, info, tokens);
    Some(s)
}

/// Sorts the words after the command into positionals and flags.
fn words(s: &mut Scan, info: &'static CommandInfo, tokens: impl Iterator<Item = Token>) {
    let value_at = info.args.iter().position(|a| *a == ArgKind::Value);
    let mut tokens = tokens.peekable();
    let mut only_positional = false;
    while let Some(t) = tokens.next() {
        if t.unclosed {
            s.problems.push(InputError::UnclosedQuote {
                span: to_span(&t.span),
            });
        }
        let is_flag = !only_positional && !t.quoted && t.text.starts_with("--");
        if is_flag && t.text.as_str() == "--" {
            only_positional = true;
        } else if is_flag {
            flag(s, info, t, &mut tokens);
        } else {
            let hidden = value_at.is_some_and(|v| s.positionals.len() >= v);
            if hidden || (t.unclosed && value_at.is_some()) {
                s.secret.push(t.span.clone());
            }
            s.positionals.push(t);
        }
    }
}

/// Reads one flag (and its value if written as the next word).
fn flag(
    s: &mut Scan,
    info: &'static CommandInfo,
    t: Token,
    rest: &mut std::iter::Peekable<impl Iterator<Item = Token>>,
) {
    let (name, inline) = match t.text.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (t.text.as_str(), None),
    };
    let known = info
        .flags
        .iter()
        .map(|f| f.trim_end_matches('='))
        .find(|f| *f == name);
    let Some(known) = known else {
        // On a command taking a value, an unknown flag's value might be
        // anything (`--value=...`): never shown.
        if let Some(eq) = t.text.find('=').filter(|_| takes_value(info)) {
            s.secret.push(t.span.start + eq + 1..t.span.end);
        }
        s.problems.push(unknown_flag(info, name, &t.span));
        return;
    };
    let value = match inline {
        Some(v) => Some((v.to_string(), t.span.start + name.len() + 1..t.span.end)),
        // `--scope web` too, except on commands taking a value: there the
        // next word might be the value, so only `--type=T` is accepted.
        None => match rest.peek() {
            Some(_) if takes_value(info) => None,
            Some(n) if !n.text.starts_with("--") || n.quoted => rest
                .next()
                .map(|mut n| (std::mem::take(&mut *n.text), n.span)),
            _ => None,
        },
    };
    let value = value.filter(|(v, _)| !v.is_empty());
    let span = t.span.start..value.as_ref().map_or(t.span.end, |v| v.1.end);
    if value.is_none() {
        s.problems.push(InputError::FlagValue {
            flag: known.to_string(),
            example: placeholder(known),
            span: to_span(&t.span),
        });
    } else if s.flags.iter().any(|f| f.name == known) {
        s.problems.push(InputError::DuplicateFlag {
            flag: known.to_string(),
            span: to_span(&span),
        });
    }
    s.flags.push(Flag { name: known, value });
}

/// What a flag's value is called in usage lines.
fn placeholder(flag: &str) -> &'static str {
    match flag {
        "--type" => "TYPE",
        "--scope" => "SCOPE",
        "--env" => "ENV",
        _ => "...",
    }
}

fn takes_value(info: &CommandInfo) -> bool {
    info.args.contains(&ArgKind::Value)
}

pub(super) fn unknown_command(head: &Token) -> InputError {
    let names = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()));
    let help = match crate::resolve::closest(&head.text, names) {
        Some(s) => format!("did you mean `{s}`? `help` lists every command"),
        None => "`help` lists every command".to_string(),
    };
    InputError::UnknownCommand {
        name: head.text.to_string(),
        help,
        span: to_span(&head.span),
    }
}

fn unknown_flag(info: &'static CommandInfo, name: &str, span: &Range<usize>) -> InputError {
    let flags = info.flags.iter().map(|f| f.trim_end_matches('='));
    let help = match crate::resolve::closest(name, flags.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if info.flags.is_empty() => format!("`{}` takes no flags", info.name),
        None => format!(
            "`{}` takes {}",
            info.name,
            flags
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    InputError::UnknownFlag {
        flag: name.to_string(),
        command: info.name,
        help,
        span: to_span(span),
    }
}

/// `line` with every byte that may hold a secret value replaced by `*`.
pub fn masked(line: &str) -> String {
    match scan(line) {
        Some(s) => super::lex::mask_spans(line, &s.secret),
        None => line.to_string(),
    }
}
