//! Applying an edit, or taking the last one back, and re-checking: only
//! the owner's section (see [`super::incremental`]) when it can be edited
//! and re-read apart, else the whole file edited and every file checked.

use super::session::{Problem, Session};
use super::state::{Change, Checked};
use super::workspace::{Edit, Section};
use crate::source::{FileId, Text};

/// The findings an edit or undo changed.
pub(super) struct Rechecked {
    /// What changed.
    pub(super) change: Change,
    /// The state before, when everything was re-checked: going back to it
    /// needs no second check.
    pub(super) before: Option<Checked>,
}

impl Session {
    /// Applies `edit` and re-checks the layout.
    pub(super) fn apply_edit(&mut self, edit: &Edit) -> Result<Rechecked, Problem> {
        if let Some(change) = self.edit_section(edit)? {
            return Ok(Rechecked {
                change,
                before: None,
            });
        }
        self.workspace
            .apply(edit)
            .map_err(|e| Problem::Other(Box::new(e)))?;
        Ok(self.recheck_all())
    }

    /// Takes back the last edit (`None`: there is none) and re-checks.
    pub(super) fn undo_edit(&mut self) -> Option<(Edit, Change)> {
        if let Some(undone) = self.undo_section() {
            return Some(undone);
        }
        let edit = self.workspace.undo()?;
        Some((edit, self.recheck_all().change))
    }

    /// Goes back to the state before `rechecked`'s edit, which was the
    /// last.
    pub(super) fn take_back(&mut self, rechecked: Rechecked) {
        match rechecked.before {
            Some(before) => {
                // The layout that held the edited text goes first: the
                // text is then changed back in place.
                self.now = before;
                self.workspace.undo();
            }
            None => {
                self.undo_edit();
            }
        }
    }

    /// Everything re-checked, and what changed.
    fn recheck_all(&mut self) -> Rechecked {
        let before = self.recheck();
        Rechecked {
            change: Change::between(&before, &self.now),
            before: Some(before),
        }
    }

    /// `edit` made on its owner's section and re-checked there, if it can
    /// be (`Ok(None)`: it cannot, nothing changed).
    fn edit_section(&mut self, edit: &Edit) -> Result<Option<Change>, Problem> {
        let Some(run) = self
            .incremental
            .then(|| self.now.section(edit.owner()))
            .flatten()
        else {
            return Ok(None);
        };
        let section = Section {
            file: run.file as usize,
            range: run.range.clone(),
        };
        let prepared = self
            .workspace
            .prepare(edit, section)
            .map_err(|e| Problem::Other(Box::new(e)))?;
        let Some(prepared) = prepared else {
            return Ok(None);
        };
        let file = run.file;
        let Some(recheck) = self.now.prepare(&self.policy, run, prepared.text()) else {
            return Ok(None);
        };
        self.release(file);
        self.workspace.commit(prepared);
        self.restore(file);
        self.sections += 1;
        Ok(Some(self.now.apply(&self.policy, recheck)))
    }

    /// The last edit taken back and re-checked on its owner's section, if
    /// it can be (`None`: it cannot, nothing changed).
    fn undo_section(&mut self) -> Option<(Edit, Change)> {
        if !self.incremental {
            return None;
        }
        let (edit, file, range) = self.workspace.last_change()?;
        let run = self.now.section(edit.owner())?;
        let inside = run.range.start <= range.start && range.end <= run.range.end;
        if run.file as usize != file || !inside {
            return None;
        }
        let section = Section {
            file,
            range: run.range.clone(),
        };
        let text = self.workspace.undone_section(&section)?;
        let recheck = self.now.prepare(&self.policy, run, &text)?;
        drop(text);
        self.release(file as FileId);
        let edit = self.workspace.undo();
        self.restore(file as FileId);
        let change = self.now.apply(&self.policy, recheck);
        self.sections += 1;
        edit.map(|edit| (edit, change))
    }

    /// Lets go of the layout's share of a file's text, so that the
    /// workspace can edit it in place.
    fn release(&mut self, file: FileId) {
        self.now.layout.sources.replace_text(file, Text::default());
    }

    /// Gives the layout the workspace's text of a file again.
    fn restore(&mut self, file: FileId) {
        if let Some(text) = self.workspace.text(file as usize) {
            self.now.layout.sources.replace_text(file, text);
        }
    }
}
