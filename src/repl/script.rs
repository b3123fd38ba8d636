//! Scripted mode: commands from standard input (one a line) or from
//! `--exec 'cmd; cmd'`, through the same [`Session`] as the interactive
//! frontend. The exit status is 1 when any command failed.

use std::io::{self, BufRead, Write};

use super::command::masked;
use super::session::Session;
use crate::report::Snippet;

/// Exit status when every command succeeded.
pub const OK: u8 = 0;
/// Exit status when a command failed.
pub const FAILED: u8 = 1;

/// How a script runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScriptOptions {
    /// Print each command as `ward> COMMAND` (its value masked) before its
    /// output, for readable transcripts.
    pub echo: bool,
}

/// Runs the commands of `input`, one a line, until `quit` or the end.
pub fn run_reader(
    session: &mut Session,
    input: impl BufRead,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<u8> {
    run_lines(session, input.lines(), opts, out)
}

/// Runs an `--exec` script: commands separated by `;` outside quotes.
pub fn run_exec(
    session: &mut Session,
    script: &str,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let commands = super::lex::split_commands(script);
    let lines = commands.into_iter().map(|c| Ok(c.to_string()));
    run_lines(session, lines, opts, out)
}

fn run_lines(
    session: &mut Session,
    lines: impl Iterator<Item = io::Result<String>>,
    opts: ScriptOptions,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut failed = false;
    for line in lines {
        let (ok, quit) = step(session, &line?, opts, out)?;
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
/// the script's own words, echoed as they are.
pub fn echo_line(line: &str) -> String {
    let line = line.trim();
    if line.starts_with('#') {
        return line.to_string();
    }
    let masked = masked(line);
    Snippet::new(&masked).text.to_string()
}

fn status(failed: bool) -> u8 {
    if failed { FAILED } else { OK }
}
