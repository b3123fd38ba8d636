//! Usage hints: after a command name, the rest of its usage line, shrinking
//! as arguments and flags are typed.

use super::words::{Role, known_flag, roles, split};
use crate::repl::commands;

/// The text to show greyed after the cursor, if any. Only at the end of the
/// line, after a complete command name (and a space, or right after it).
pub fn hint(line: &str, pos: usize) -> Option<String> {
    if pos != line.len() {
        return None;
    }
    let (words, open) = split(line);
    let (first, rest) = words.split_first()?;
    let cmd = commands::find(&first.text)?;
    let usage: Vec<&str> = cmd.usage.split_whitespace().skip(1).collect();
    if open || usage.is_empty() {
        return None;
    }
    // Right after the command name, or after a space; not inside a word.
    let in_word = words.last().is_some_and(|w| w.end == line.len());
    match (in_word, rest.is_empty()) {
        (true, true) => return Some(format!(" {}", usage.join(" "))),
        (true, false) => return None,
        (false, _) => {}
    }
    let roles = roles(cmd, rest);
    let typed = roles
        .iter()
        .filter(|r| matches!(r, Role::Positional(_)))
        .count();
    let flags: Vec<&str> = rest
        .iter()
        .filter(|w| w.is_flag())
        .filter_map(|w| known_flag(cmd, w.raw))
        .collect();
    let left: Vec<&str> = usage
        .iter()
        .copied()
        .filter(|u| !u.starts_with("[--"))
        .skip(typed)
        .chain(
            usage
                .iter()
                .copied()
                .filter(|u| u.starts_with("[--") && !flags.iter().any(|f| u[1..].starts_with(f))),
        )
        .collect();
    (!left.is_empty()).then(|| left.join(" "))
}
