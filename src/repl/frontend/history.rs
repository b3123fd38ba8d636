//! History across sessions: where the file lives, and what of a line may be
//! written to it (never a secret value).

use std::path::PathBuf;

use rustyline::history::DefaultHistory;
use rustyline::{Editor, Helper};

use crate::repl::scan::scan;

/// Environment variable that overrides the history file (empty: no history).
pub const HISTORY_VAR: &str = "WARD_HISTORY";

/// The history file: `$WARD_HISTORY`, else `ward/history` in the user's data
/// directory. `None` when there is none to use.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os(HISTORY_VAR) {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => dirs::data_dir().map(|d| d.join("ward").join("history")),
    }
}

/// `line` as it may be stored: every part that may hold a secret value
/// (as the session's scanner marks them) replaced by `***`, so neither the
/// value nor its length reaches the disk.
pub fn redact(line: &str) -> String {
    let Some(scan) = scan(line) else {
        return line.to_string();
    };
    let mut spans = scan.secret;
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    for span in spans {
        if span.end <= copied {
            continue;
        }
        let start = span.start.max(copied);
        let Some(kept) = line.get(copied..start) else {
            // Not on a character boundary: keep nothing after the command.
            return format!("{} ***", scan.head.text.as_str());
        };
        out.push_str(kept);
        out.push_str("***");
        copied = span.end;
    }
    out.push_str(line.get(copied..).unwrap_or_default());
    out
}

/// Whether `line` carries a value recalled from history, that is the
/// `***` [`redact`] left in place of the real one.
pub fn recalled(line: &str) -> bool {
    scan(line).is_some_and(|s| s.secret.iter().any(|r| line.get(r.clone()) == Some("***")))
}

/// The history of one interactive run.
pub struct History {
    path: Option<PathBuf>,
}

impl History {
    /// Finds the file, creates its directory and loads what it holds.
    pub fn open<H: Helper>(editor: &mut Editor<H, DefaultHistory>) -> Self {
        let mut history = History { path: path() };
        if let Some(p) = history.path.clone() {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty())
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                history.give_up(&e.to_string());
            } else if p.exists()
                && let Err(e) = editor.load_history(&p)
            {
                history.give_up(&e.to_string());
            }
        }
        history
    }

    /// Adds `line` (redacted) and appends it to the file at once.
    pub fn record<H: Helper>(&mut self, editor: &mut Editor<H, DefaultHistory>, line: &str) {
        if editor.add_history_entry(redact(line)).is_err() {
            return;
        }
        if let Some(p) = &self.path
            && let Err(e) = editor.append_history(p)
        {
            self.give_up(&e.to_string());
        }
    }

    /// Warns once and stops using the file.
    fn give_up(&mut self, why: &str) {
        if let Some(p) = self.path.take() {
            eprintln!("ward: history disabled: `{}`: {why}", p.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{recalled, redact};

    #[test]
    fn set_values_are_starred() {
        let cases = [
            (
                "secret:site:set shop.dev KEY s3cret",
                "secret:site:set shop.dev KEY ***",
            ),
            (
                "secret:org:set acme KEY 'a b c' --env=live",
                "secret:org:set acme KEY *** --env=live",
            ),
            (
                "secret:site:set shop --type=env KEY \"x y\" --scope=ic,web",
                "secret:site:set shop --type=env KEY *** --scope=ic,web",
            ),
            // A bare flag takes no word on a command with a value.
            (
                "secret:site:set shop KEY --type v",
                "secret:site:set shop KEY --type ***",
            ),
            (
                "secret:site:set shop KEY 'open quote",
                "secret:site:set shop KEY ***",
            ),
            (
                "secret:site:set shop KEY a\\ b",
                "secret:site:set shop KEY ***",
            ),
            // Mistyped: masked as the likely command would be.
            ("secret:site:st shop KEY v", "secret:site:st shop KEY ***"),
            (
                "secret:site:set shop KEY v --nope=w",
                "secret:site:set shop KEY *** --nope=***",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(redact(line), want, "{line}");
        }
    }

    #[test]
    fn recalled_values_are_spotted() {
        assert!(recalled("secret:site:set shop KEY ***"));
        assert!(recalled("secret:org:set acme KEY *** --env=live"));
        assert!(!recalled("secret:site:set shop KEY s3cret"));
        assert!(!recalled("explain shop.dev ***"));
    }

    #[test]
    fn other_lines_are_kept() {
        for line in ["resolve shop.dev", "secret:site:delete shop KEY", "", "  "] {
            assert_eq!(redact(line), line);
        }
        assert_eq!(
            redact("secret:site:set shop KEY"),
            "secret:site:set shop KEY"
        );
    }
}
