//! `ward repl`: opens a session, then runs it interactively (a terminal on
//! standard input) or as a script (standard input, or `--exec`).

use std::io::{IsTerminal, Write};

use super::{Failure, ReplArgs, io_failure, style_for};
use crate::repl::script::{self, ScriptOptions};
use crate::repl::{Options, Session};

/// Runs `ward repl`; a session that cannot start is an error (exit 2).
pub fn repl_cmd(a: &ReplArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let style = style_for(a.color);
    let paths = match a.paths.is_empty() {
        true => vec![".".into()],
        false => a.paths.clone(),
    };
    let opts = Options {
        paths,
        policy: a.policy.clone(),
        reveal: a.reveal,
        style,
    };
    let mut session = Session::open(opts)?;
    let script = ScriptOptions { echo: a.echo };
    let stdin = std::io::stdin();
    let interactive = a.exec.is_none() && stdin.is_terminal();
    if a.echo && !interactive {
        write!(out, "{}", session.banner()).map_err(io_failure)?;
    }
    if let Some(exec) = &a.exec {
        return script::run_exec(&mut session, exec, script, out).map_err(io_failure);
    }
    if interactive {
        let banner = session.banner();
        writeln!(out, "{banner}type `help` for commands").map_err(io_failure)?;
        out.flush().map_err(io_failure)?;
        return Ok(crate::repl::frontend::run(&mut session, style));
    }
    script::run_reader(&mut session, stdin.lock(), script, out).map_err(io_failure)
}
