//! Scripted mode: commands from standard input (one a line) or from
//! `--exec 'cmd; cmd'`, through the same [`Session`] as the interactive
//! frontend. The exit status is 1 when any command failed.

use std::io::{self, BufRead, Write};

use zeroize::Zeroizing;

use super::session::Session;
use crate::report::{Masked, Snippet};

/// Exit status when every command succeeded.
pub const OK: u8 = 0;
/// Exit status when a command failed.
pub const FAILED: u8 = 1;

/// Room for a line before its buffer grows (growing leaves a copy behind).
const LINE_CAPACITY: usize = 64 * 1024;

/// How a script runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScriptOptions {
    /// Print each command as `ward> COMMAND` (its value masked) before its
    /// output, for readable transcripts.
    pub echo: bool,
}

/// Runs the commands of `input`, one a line, until `quit` or the end. Each
/// line is read into one buffer, zeroed when done: a line may hold a value.
pub fn run_reader(
    session: &mut Session,
    mut input: impl BufRead,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut line = Zeroizing::new(String::with_capacity(LINE_CAPACITY));
    let mut failed = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let (ok, quit) = step(session, &line, opts, out)?;
        failed |= !ok;
        if quit {
            return Ok(status(failed));
        }
    }
    out.write_all(session.unsaved_warning().as_bytes())?;
    Ok(status(failed))
}

/// Runs an `--exec` script: commands separated by `;` outside quotes.
pub fn run_exec(
    session: &mut Session,
    script: &str,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut failed = false;
    for command in super::lex::split_commands(script) {
        let (ok, quit) = step(session, command, opts, out)?;
        failed |= !ok;
        if quit {
            return Ok(status(failed));
        }
    }
    out.write_all(session.unsaved_warning().as_bytes())?;
    Ok(status(failed))
}

/// Runs one line; returns whether it succeeded and whether to stop.
fn step(
    session: &mut Session,
    line: &str,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<(bool, bool)> {
    if opts.echo && !line.trim().is_empty() {
        writeln!(out, "ward> {}", echo_line(line))?;
    }
    let outcome = session.execute(line);
    out.write_all(outcome.text.as_bytes())?;
    if !outcome.text.is_empty() && !outcome.text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok((outcome.ok, outcome.quit))
}

/// A command as echoed: its value masked, long lines cut. Comments are
/// the script's own words, echoed as they are, but for a commented-out
/// command (`# secret:site:set s K sk_live_old`), whose value is masked
/// as the command's would be.
pub fn echo_line(line: &str) -> String {
    let line = line.trim();
    if let Some(body) = line.strip_prefix('#') {
        let body = body.trim_start_matches('#');
        let hashes = &line[..line.len() - body.len()];
        return match commented_out_command(body) {
            true => format!("{hashes}{}", Masked::command_line(body)),
            false => line.to_string(),
        };
    }
    Snippet::new(Masked::command_line(line)).text.to_string()
}

/// Whether a comment's text starts with a command, or with a word shaped
/// like one (`secret:site:sett`).
fn commented_out_command(text: &str) -> bool {
    super::scan::scan(text).is_some_and(|s| {
        let head = s.head.text.as_str();
        let shaped = head.split(':').count() > 1
            && head
                .split(':')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()));
        s.info.is_some() || shaped
    })
}

fn status(failed: bool) -> u8 {
    if failed { FAILED } else { OK }
}
