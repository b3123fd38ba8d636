//! The interactive frontend: a rustyline editor over a [`Session`], adding
//! tab completion, usage hints, history and a quote-aware validator. It only
//! reads lines and prints what the session answers.

mod helper;
mod history;

pub use helper::WardHelper;
pub use history::{HISTORY_VAR, redact};

use std::io::Write;

use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Editor, Result};
use zeroize::Zeroizing;

use crate::repl::Session;
use crate::report::Style;
use history::History;

type Ed = Editor<WardHelper, DefaultHistory>;

/// Runs the interactive loop until `quit` or Ctrl-D (both ask first when
/// edits are unsaved); returns the exit status: 0, as one bad command does
/// not fail an interactive session.
pub fn run(session: &mut Session, style: Style) -> u8 {
    let mut editor = match editor(session, style) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("ward: cannot start the line editor: {e}");
            return 1;
        }
    };
    let mut history = History::open(&mut editor);
    loop {
        let quit = match editor.readline(&prompt(session.reveal(), style.color)) {
            // Zeroed once run (rustyline's own buffer is not: see
            // `crate::secret`).
            Ok(line) => execute(session, &mut editor, &mut history, &Zeroizing::new(line)),
            Err(ReadlineError::Interrupted) => false,
            Err(ReadlineError::Eof) => true,
            Err(e) => {
                eprintln!("ward: {e}");
                return 1;
            }
        };
        if quit && (!session.dirty() || confirm_quit(&mut editor)) {
            return 0;
        }
    }
}

/// Runs one line; `true` when the session asks to end.
fn execute(session: &mut Session, editor: &mut Ed, history: &mut History, line: &str) -> bool {
    if line.trim().is_empty() {
        return false;
    }
    if history::recalled(line) {
        print("the value `***` stands for one kept out of the history: type it again\n");
        return false;
    }
    history.record(editor, line);
    let outcome = session.execute(line);
    print(&outcome.text);
    if let Some(helper) = editor.helper_mut() {
        helper.refresh(session);
    }
    outcome.quit
}

fn editor(session: &Session, style: Style) -> Result<Ed> {
    let color = match style.color {
        true => ColorMode::Enabled,
        false => ColorMode::Disabled,
    };
    let config = Config::builder()
        .max_history_size(1000)?
        .history_ignore_dups(true)?
        .completion_type(CompletionType::List)
        .color_mode(color)
        .build();
    let mut editor = Ed::with_config(config)?;
    editor.set_helper(Some(WardHelper::new(session, style.color)));
    Ok(editor)
}

/// `ward> `, or `ward[REVEAL]> ` while values are shown: plain and styled.
fn prompt(reveal: bool, color: bool) -> (String, String) {
    let (plain, styled) = match reveal {
        false => ("ward> ", "\x1b[1mward\x1b[0m> "),
        true => (
            "ward[REVEAL]> ",
            "\x1b[1mward\x1b[0m[\x1b[1;31mREVEAL\x1b[0m]> ",
        ),
    };
    let styled = if color { styled } else { plain };
    (plain.to_string(), styled.to_string())
}

/// Asks before dropping unsaved edits; only `y` or `yes` quits.
fn confirm_quit(editor: &mut Ed) -> bool {
    set_asking(editor, true);
    let answer = editor.readline("unsaved edits: quit anyway? [y/N] ");
    set_asking(editor, false);
    answer.is_ok_and(|a| matches!(a.trim(), "y" | "Y" | "yes"))
}

fn set_asking(editor: &mut Ed, asking: bool) {
    if let Some(helper) = editor.helper_mut() {
        helper.asking = asking;
    }
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed stdout is not worth a crash of the session.
    let newline = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let _ = write!(out, "{text}{newline}").and_then(|()| out.flush());
}
