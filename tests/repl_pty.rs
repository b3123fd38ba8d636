//! `ward repl` in a real terminal: the binary runs on a pseudo-terminal that
//! the test creates (so it needs no terminal of its own), and keys are typed
//! as a person would. Covers completion, hints, output, Ctrl-C, Ctrl-D with
//! unsaved edits, the reveal marker and history across sessions, which must
//! never hold a secret value.
#![cfg(unix)]

use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/clean");
const CANARY: &str = "pty-canary-5c1e7d";
const TIMEOUT: Duration = Duration::from_secs(10);
const PROMPT: &str = "ward> ";
const UP: &str = "\x1b[A";

/// A running `ward repl` and everything it has printed, escapes removed.
struct Term {
    session: OsSession,
    /// Output so far, without escape sequences and carriage returns.
    seen: String,
    /// How much of `seen` earlier waits have consumed.
    at: usize,
}

impl Term {
    fn spawn(history: &Path) -> Term {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ward"));
        cmd.args(["repl", FIXTURE])
            .env("WARD_HISTORY", history)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut session = Session::spawn(cmd).expect("spawn ward on a pty");
        // Wide enough that no line wraps (a wrap could print a newline).
        session
            .get_process_mut()
            .set_window_size(200, 50)
            .expect("set the window size");
        Term {
            session,
            seen: String::new(),
            at: 0,
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("type into the pty");
    }

    /// Waits until `needle` appears after what earlier waits consumed;
    /// returns the text before it. Fails on EOF or after [`TIMEOUT`].
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.seen[self.at..].find(needle) {
                let text = self.seen[self.at..self.at + i].to_string();
                self.at += i + needle.len();
                return text;
            }
            let eof = self.read_some();
            if eof || Instant::now() > deadline {
                let why = if eof { "end of output" } else { "timeout" };
                let rest = &self.seen[self.at..];
                panic!("{why} waiting for {needle:?}; output after the last match:\n{rest}");
            }
        }
    }

    /// Reads what is there (waiting a little if nothing is); `true` at EOF.
    fn read_some(&mut self) -> bool {
        let mut buf = [0u8; 4096];
        match self.session.try_read(&mut buf) {
            Ok(0) => true,
            Ok(n) => {
                self.seen
                    .push_str(&strip_escapes(&String::from_utf8_lossy(&buf[..n])));
                false
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
                false
            }
            Err(e) => panic!("reading the pty: {e}"),
        }
    }

    /// Types `line` and Enter; returns what the command printed once the
    /// next prompt is up.
    fn run(&mut self, line: &str, next_prompt: &str) -> String {
        self.send(&format!("{line}\r"));
        // Every redraw while typing precedes the newline written on Enter.
        self.wait_for("\n");
        self.wait_for(next_prompt)
    }

    /// Waits for the process to end; returns its exit code and what it
    /// printed after the last match.
    fn finish(mut self) -> (i32, String) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.read_some() {
            assert!(
                Instant::now() < deadline,
                "ward did not exit:\n{}",
                self.seen
            );
        }
        match self.session.get_process().wait().expect("wait for ward") {
            WaitStatus::Exited(_, code) => (code, self.seen[self.at..].to_string()),
            other => panic!("ward did not exit normally: {other:?}"),
        }
    }
}

/// Removes ANSI escape sequences and carriage returns.
fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {}
            '\x1b' => match chars.next() {
                // CSI: parameters, then a final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    for c in chars.by_ref() {
                        if c == '\x07' || c == '\\' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            c => out.push(c),
        }
    }
    out
}

#[test]
fn completion_hints_and_history_in_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let history = dir.path().join("state").join("history");

    let mut term = Term::spawn(&history);
    term.wait_for(PROMPT);
    // Command name completion, then the usage hint for what follows.
    term.send("reso\t");
    term.wait_for("ward> resolve SITE.ENV [--scope=S] [--type=T]");
    // Site completion: SITE.ENV brings the dot along.
    term.send("my-org-s\t");
    term.wait_for("ward> resolve my-org-site.");
    let output = term.run("dev", PROMPT);
    assert!(output.contains("STRIPE_KEY"), "resolve printed:\n{output}");
    // An edit with a value that must never reach the history file.
    let set = format!("secret:site:set my-org-site PTY_CANARY {CANARY}");
    term.run(&set, PROMPT);
    // `quit` with unsaved edits asks first; Enter means no.
    let warning = term.run("quit", "unsaved edits: quit anyway? [y/N]");
    assert!(warning.contains("not saved"), "quit printed:\n{warning}");
    term.run("", PROMPT);
    // So does Ctrl-D.
    term.send("\x04");
    term.wait_for("unsaved edits: quit anyway? [y/N]");
    term.send("y\r");
    assert_eq!(term.finish().0, 0);

    let saved = std::fs::read_to_string(&history).expect("history file written");
    assert!(
        saved.contains("resolve my-org-site.dev"),
        "history:\n{saved}"
    );
    assert!(saved.contains("secret:site:set my-org-site PTY_CANARY ***"));
    assert!(
        !saved.contains(CANARY),
        "a secret value reached the history file"
    );

    // A new session finds the lines, newest first.
    let mut term = Term::spawn(&history);
    term.wait_for(PROMPT);
    term.send(UP);
    term.wait_for("ward> quit");
    term.send(UP);
    term.wait_for("ward> secret:site:set my-org-site PTY_CANARY ***");
    // Its `***` is no value: run as is, it is refused, not set.
    let refused = term.run("", PROMPT);
    assert!(refused.contains("type it again"), "got:\n{refused}");
    term.send(&UP.repeat(3));
    term.wait_for("ward> resolve my-org-site.dev");
    // Ctrl-C drops the line: the next command starts from an empty one.
    term.send("\x03");
    term.wait_for("\n");
    term.wait_for(PROMPT);
    term.run("reveal on", "ward[REVEAL]> ");
    // Nothing to lose: Ctrl-D leaves without asking.
    term.send("\x04");
    let (code, rest) = term.finish();
    assert_eq!(code, 0);
    assert!(
        !rest.contains("unsaved"),
        "asked with nothing to lose:\n{rest}"
    );
}

#[test]
fn strip_escapes_keeps_the_text() {
    let raw = "\x1b[?2004h\rward> \x1b[1mreso\x1b[0mlve\x1b[K\x1b]0;t\x07!\r\n";
    assert_eq!(strip_escapes(raw), "ward> resolve!\n");
}
