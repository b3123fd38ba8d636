//! Session commands about files and settings: `load`, `reload`, `save`,
//! `reveal` and `quit`.

use std::path::{Path, PathBuf};

use super::command::Arg;
use super::session::{Outcome, Problem, Reply, Session, done};
use super::state::{count, render_delta};
use super::workspace::Workspace;

impl Session {
    /// `load PATH`: adds files; the edits so far are replayed on top.
    pub(super) fn load(&mut self, a: &Arg) -> Reply {
        let mut paths = self.opts.paths.clone();
        paths.push(PathBuf::from(&a.text));
        let mut workspace = Workspace::open(&paths).map_err(|e| Problem::Other(Box::new(e)))?;
        // Parts that do not read apart are joined before the edits are
        // replayed: after an edit they no longer can be.
        if workspace.files().iter().any(|f| f.is_continued_part()) {
            super::session::load(&mut workspace);
        }
        for edit in self.workspace.edits() {
            workspace
                .apply(edit)
                .map_err(|e| Problem::Other(Box::new(e)))?;
        }
        self.workspace = workspace;
        self.opts.paths = paths;
        let old = self.recheck();
        let mut text = render_delta(&old, &self.now);
        text.push_str(&format!("loaded {}: {}\n", a.text, self.now.summary()));
        done(text)
    }

    /// `reload`: the files and the policy again from disk; edits are dropped.
    pub(super) fn reload(&mut self) -> Reply {
        let policy =
            crate::cli::read_policy(self.opts.policy.as_deref()).map_err(Problem::Other)?;
        let workspace =
            Workspace::open(&self.opts.paths).map_err(|e| Problem::Other(Box::new(e)))?;
        let dropped = self.workspace.edits().len();
        self.workspace = workspace;
        self.policy = policy;
        let old = self.recheck();
        let mut text = String::new();
        if dropped > 0 {
            let edits = count(dropped, "unsaved edit");
            text.push_str(&format!("[warning] Dropped {edits}.\n"));
        }
        text.push_str(&render_delta(&old, &self.now));
        text.push_str(&format!("reloaded: {}\n", self.now.summary()));
        done(text)
    }

    /// `save [PATH]`: writes the edited files (or the one edited file to
    /// PATH).
    pub(super) fn save(&mut self, path: Option<Arg>) -> Reply {
        let to = path.as_ref().map(|a| Path::new(&a.text));
        let written = self
            .workspace
            .save(to)
            .map_err(|e| Problem::Other(Box::new(e)))?;
        if written.is_empty() {
            return done("nothing to save: no edits\n".to_string());
        }
        // `save PATH` of a layout file's edits writes a copy: the file
        // itself keeps them, unsaved.
        let copy = match to.is_some() && self.workspace.dirty() {
            true => " (a copy: the layout's own file still lacks the edits)",
            false => "",
        };
        let lines: String = written
            .iter()
            .map(|p| format!("[notice] Saved {}{copy}.\n", p.display()))
            .collect();
        done(lines)
    }

    pub(super) fn set_reveal(&mut self, on: bool) -> Reply {
        self.reveal = on;
        let text = match (on, self.policy.reveal_scopes.is_empty()) {
            (true, _) => "values are shown\n".to_string(),
            (false, true) => "values are redacted\n".to_string(),
            (false, false) => format!(
                "values are redacted, except those of scope {}\n",
                self.policy.reveal_scopes.join(", ")
            ),
        };
        done(text)
    }

    /// `quit`: ends the session, warning about unsaved edits.
    pub(super) fn quit(&mut self) -> Reply {
        Ok(Outcome {
            text: self.unsaved_warning(),
            ok: true,
            quit: true,
        })
    }

    /// A warning line when edits were not saved, else nothing.
    pub fn unsaved_warning(&self) -> String {
        if !self.workspace.dirty() {
            return String::new();
        }
        let n = self.workspace.edits().len();
        let (were, them) = if n == 1 {
            ("was", "it")
        } else {
            ("were", "them")
        };
        format!(
            "[warning] {} {were} not saved (`save` writes {them}, `diff` shows {them}).\n",
            count(n, "edit")
        )
    }
}
