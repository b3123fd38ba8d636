//! A REPL session: the workspace, the policy and the settings of one run;
//! executes one command line at a time and returns what to print.

use std::path::PathBuf;

use miette::Diagnostic;

use super::command::Command;
use super::error::InputError;
use super::render::at_input;
use super::state::Checked;
use super::workspace::Workspace;
use crate::layout::Layout;
use crate::policy::Policy;
use crate::report::{Masked, Style};

/// What a command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Rendered output (may span lines; ends with a newline when non-empty).
    pub text: String,
    /// `false` when the command failed (scripted mode then exits 1).
    pub ok: bool,
    /// The session should end.
    pub quit: bool,
}

/// How a session starts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Layout files and directories.
    pub paths: Vec<PathBuf>,
    /// `--policy FILE`; `None` for the embedded Pantheon policy.
    pub policy: Option<PathBuf>,
    /// `--reveal`: show every value from the start.
    pub reveal: bool,
    /// How diagnostics look.
    pub style: Style,
}

/// Why a session could not start (exit status 2).
pub type StartError = Box<dyn Diagnostic + Send + Sync>;

/// One session. Its `Debug` shows the workspace and settings, never a
/// value (see [`crate::secret`]).
#[derive(Debug)]
pub struct Session {
    pub(super) workspace: Workspace,
    pub(super) policy: Policy,
    pub(super) opts: Options,
    pub(super) reveal: bool,
    /// The layout as edited, and its findings.
    pub(super) now: Checked,
    /// Whether an edit re-checks only its owner's section when it can
    /// (else it re-checks everything, as before).
    pub(super) incremental: bool,
    /// How many edits and undos were re-checked on their section alone.
    pub(super) sections: usize,
}

/// Why a command failed.
pub(super) enum Problem {
    /// The command line is wrong: shown over the (masked) line.
    Input(InputError),
    /// Something else, e.g. a file that cannot be read.
    Other(Box<dyn Diagnostic + Send + Sync>),
    /// Already rendered.
    Text(String),
}

impl From<InputError> for Problem {
    fn from(e: InputError) -> Self {
        Problem::Input(e)
    }
}

/// The layout of `workspace`'s texts, its large files in parts, but those
/// that did not read apart as they read whole: they are joined and read
/// again (see [`Workspace::join_misread`]).
pub(super) fn load(workspace: &mut Workspace) -> crate::layout::Loaded {
    let loaded = workspace.load();
    match workspace.join_misread(&loaded) {
        true => workspace.load(),
        false => loaded,
    }
}

/// What a command printed, and whether it succeeded.
pub(super) type Reply = Result<Outcome, Problem>;

/// A successful command's output.
pub(super) fn done(text: String) -> Reply {
    Ok(Outcome {
        text,
        ok: true,
        quit: false,
    })
}

impl Session {
    /// Reads the policy and the layout files; fails (exit status 2) when the
    /// policy is invalid or a path cannot be read.
    pub fn open(opts: Options) -> Result<Session, StartError> {
        let policy = crate::cli::read_policy(opts.policy.as_deref())?;
        let workspace = Workspace::open(&opts.paths).map_err(|e| Box::new(e) as StartError)?;
        Ok(Session::new(workspace, policy, opts))
    }

    /// A session over an open workspace.
    pub fn new(mut workspace: Workspace, policy: Policy, opts: Options) -> Session {
        let now = Checked::new(load(&mut workspace), &policy);
        Session {
            reveal: opts.reveal,
            workspace,
            policy,
            opts,
            now,
            incremental: true,
            sections: 0,
        }
    }

    /// Executes one command line. Blank lines and `# comments` do nothing.
    pub fn execute(&mut self, line: &str) -> Outcome {
        let line = line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Outcome {
                ok: true,
                ..Outcome::default()
            };
        }
        let masked = Masked::command_line(line);
        let reply = match line.parse::<Command>() {
            Ok(cmd) => self.run(cmd, &masked),
            Err(e) => Err(Problem::Input(e)),
        };
        reply.unwrap_or_else(|p| Outcome {
            text: self.render(p, &masked),
            ok: false,
            quit: false,
        })
    }

    fn run(&mut self, cmd: Command, masked: &Masked) -> Reply {
        match cmd {
            Command::Resolve(q) => self.resolve(&q),
            Command::Explain(q, name) => self.explain(&q, &name),
            Command::Check => self.check(),
            Command::Orgs => self.orgs(),
            Command::Sites => self.sites(),
            Command::Envs(site) => self.envs(&site),
            Command::Policy => self.show_policy(),
            Command::Set(set) => self.set(set, masked),
            Command::Delete(owner, name) => self.delete(owner, name, masked),
            Command::List(kind, id) => self.list(kind, &id),
            Command::Diff => self.diff(),
            Command::Undo => self.undo(),
            Command::Save(path) => self.save(path),
            Command::Load(path) => self.load(&path),
            Command::Reload => self.reload(),
            Command::Reveal(on) => self.set_reveal(on),
            Command::Help(topic) => self.help(topic.as_ref()),
            Command::Quit => self.quit(),
        }
    }

    fn render(&self, p: Problem, masked: &Masked) -> String {
        match p {
            Problem::Input(e) => at_input(&e, masked, self.opts.style),
            Problem::Other(e) => crate::report::render_diagnostic(e.as_ref(), self.opts.style),
            Problem::Text(t) => t,
        }
    }

    /// Re-checks the whole layout after the workspace changed; returns the
    /// state before. An edit re-checks only what it can change when it
    /// can (see [`super::recheck`]).
    pub(super) fn recheck(&mut self) -> Checked {
        let now = Checked::new(load(&mut self.workspace), &self.policy);
        std::mem::replace(&mut self.now, now)
    }

    /// A one-line summary of what is loaded, for the start of a session.
    pub fn banner(&self) -> String {
        let mut text = format!("ward repl: {}\n", self.now.summary());
        if self.reveal {
            text.push_str("values are shown (`reveal off` hides them)\n");
        }
        text
    }

    /// The layout as edited so far.
    pub fn layout(&self) -> &Layout {
        &self.now.layout
    }

    /// The findings of the layout as edited, in the order `ward check`
    /// gives them.
    pub fn findings(&self) -> &[crate::finding::Finding] {
        &self.now.findings
    }

    /// The files and their edits.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// Whether edits re-check only their owner's section when they can
    /// (the default), or everything: for tests that compare the two.
    #[doc(hidden)]
    pub fn set_incremental(&mut self, on: bool) {
        self.incremental = on;
    }

    /// How many edits and undos so far were re-checked on their owner's
    /// section alone (the others re-checked everything): for tests.
    #[doc(hidden)]
    pub fn sections_rechecked(&self) -> usize {
        self.sections
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Whether values are revealed (`reveal on`).
    pub fn reveal(&self) -> bool {
        self.reveal
    }

    /// Whether there are unsaved edits.
    pub fn dirty(&self) -> bool {
        self.workspace.dirty()
    }

    /// How output looks.
    pub fn style(&self) -> Style {
        self.opts.style
    }
}
