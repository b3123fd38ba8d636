//! The words of a command line as completion, hints and history see them:
//! the session's own tokenizer ([`crate::repl::lex`]), plus each word's
//! text as typed.

use crate::repl::commands::{ArgKind, CommandInfo};
use crate::repl::lex::tokenize;

/// One word of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// The text as typed, quotes included.
    pub raw: &'a str,
    /// The text with quotes and escapes removed.
    pub text: String,
    /// Whether part of it was quoted or escaped (a quoted `--x` is no flag).
    pub quoted: bool,
}

impl Word<'_> {
    /// An empty word at `pos` (the cursor after a space).
    pub fn empty(pos: usize) -> Word<'static> {
        Word {
            start: pos,
            end: pos,
            raw: "",
            text: String::new(),
            quoted: false,
        }
    }

    /// Whether it is written as a flag (`--…`, unquoted).
    pub fn is_flag(&self) -> bool {
        !self.quoted && self.raw.starts_with("--")
    }
}

/// The words of `line`, and whether a quote is left open at its end.
pub(crate) fn split(line: &str) -> (Vec<Word<'_>>, bool) {
    let tokens = tokenize(line);
    let open = tokens.last().is_some_and(|t| t.unclosed);
    let words = tokens
        .into_iter()
        .filter_map(|mut t| {
            Some(Word {
                raw: line.get(t.span.clone())?,
                start: t.span.start,
                end: t.span.end,
                text: std::mem::take(&mut *t.text),
                quoted: t.quoted,
            })
        })
        .collect();
    (words, open)
}

/// Whether `line` ends inside an unclosed quote.
pub(crate) fn open_quote(line: &str) -> bool {
    split(line).1
}

/// What a word after the command name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `--name=value` or `--name` (one of the command's flags or not).
    Flag,
    /// The word after a bare `--name` that is one of the command's flags.
    FlagValue(&'static str),
    /// The n-th positional argument (from 0).
    Positional(usize),
}

/// The command's flag that `raw` names (`--scope` or `--scope=…`), as
/// written in the table (`--scope=`).
pub(crate) fn known_flag(cmd: &CommandInfo, raw: &str) -> Option<&'static str> {
    let name = raw.split_once('=').map_or(raw, |(n, _)| n);
    cmd.flags
        .iter()
        .copied()
        .find(|f| f.trim_end_matches('=') == name)
}

/// The roles of `words` (the words after the command name), in order, as
/// the session's parser sorts them: `--flag value` takes the next word
/// except on commands that take a secret value (there only `--flag=value`).
pub(crate) fn roles(cmd: &CommandInfo, words: &[Word<'_>]) -> Vec<Role> {
    let mut out = Vec::with_capacity(words.len());
    let mut positional = 0;
    let mut pending: Option<&'static str> = None;
    let bare_flags_take_values = !cmd.args.contains(&ArgKind::Value);
    for w in words {
        if let Some(flag) = pending.take() {
            out.push(Role::FlagValue(flag));
        } else if w.is_flag() {
            pending =
                known_flag(cmd, w.raw).filter(|_| bare_flags_take_values && !w.raw.contains('='));
            out.push(Role::Flag);
        } else {
            out.push(Role::Positional(positional));
            positional += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::commands;

    fn raws(line: &str) -> Vec<&str> {
        split(line).0.iter().map(|w| w.raw).collect()
    }

    #[test]
    fn splits_on_whitespace_and_groups_quotes() {
        assert_eq!(raws("  a  b\tc "), ["a", "b", "c"]);
        assert_eq!(raws("set 'a b' x\"y z\""), ["set", "'a b'", "x\"y z\""]);
        assert_eq!(raws("a\\ b c"), ["a\\ b", "c"]);
        assert!(open_quote("set 'a b"));
        assert!(!open_quote("set 'a b' \"\""));
    }

    #[test]
    fn roles_follow_flags() {
        let cmd = commands::find("resolve").unwrap();
        let (words, _) = split("s.dev --scope web --type=env extra");
        assert_eq!(
            roles(cmd, &words),
            [
                Role::Positional(0),
                Role::Flag,
                Role::FlagValue("--scope="),
                Role::Flag,
                Role::Positional(1)
            ]
        );
        // Where a value is taken, a bare flag leaves the next word alone.
        let cmd = commands::find("secret:site:set").unwrap();
        let (words, _) = split("s K --type v");
        let want = [0, 1].map(Role::Positional).to_vec();
        let want = [want, vec![Role::Flag, Role::Positional(2)]].concat();
        assert_eq!(roles(cmd, &words), want);
    }
}
