//! An edit made on the section of a file that declares its owner (the run
//! of lines from its first header to the next owner's), rather than on the
//! whole file: toml_edit then parses and prints a few lines, not megabytes.
//!
//! A run of one owner's tables is a TOML document of its own, and the
//! edit's code ([`super::apply`]) only looks inside the owner's table, so
//! the section's document changes as the file's would; the lines are
//! carried over as [`super::splice`] does for a whole file. The result is
//! the whole-file path's, byte for byte (the workspace tests compare them
//! on every form), when the section's lines are those toml_edit prints
//! for it (else [`Workspace::prepare`] declines) and the file names
//! `orgs`/`sites` first as the section does (the caller's to check: new
//! headers spell keys as the document first does).

use std::ops::Range;

use toml_edit::DocumentMut;
use zeroize::Zeroizing;

use super::file::Step;
use super::{Edit, EditError, Workspace, apply, splice};
use crate::secret::SecretString;
use crate::source::{SourceText, Text};

/// The lines of one file of a workspace that declare an edit's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The file's index in the workspace.
    pub file: usize,
    /// The section's bytes in the file's current text.
    pub range: Range<usize>,
}

/// An edit made on a section's text, not yet in the file.
#[derive(Debug)]
pub struct Prepared {
    section: Section,
    /// The section's new text (it may hold values: redacted in `Debug`,
    /// zeroed when dropped).
    text: SecretString,
    edit: Edit,
}

impl Prepared {
    /// The section's new text.
    pub fn text(&self) -> &str {
        self.text.expose()
    }
}

impl Workspace {
    /// Makes `edit` on the text of `section`, which must declare the edit's
    /// owner; nothing changes until [`Workspace::commit`]. `Ok(None)` when
    /// the section alone cannot give the whole-file path's result (it does
    /// not parse alone, or toml_edit prints its lines differently): then
    /// [`Workspace::apply`] edits the whole file. The errors are
    /// [`Workspace::apply`]'s.
    pub fn prepare(&self, edit: &Edit, section: Section) -> Result<Option<Prepared>, EditError> {
        let Some(file) = self.files.get(section.file) else {
            return Ok(None);
        };
        let Some(old) = file.current.get(section.range.clone()) else {
            return Ok(None);
        };
        let Ok(mut doc) = old.parse::<DocumentMut>() else {
            return Ok(None);
        };
        if !apply::declares(&doc, edit.owner()) {
            return Ok(None);
        }
        // Prints of the section hold its values: zeroed when dropped.
        let before = Zeroizing::new(doc.to_string());
        apply::apply(&mut doc, edit).map_err(|failure| failure.into_error(edit, &file.name))?;
        let after = Zeroizing::new(doc.to_string());
        let eol = splice::eol_of(&file.current);
        let Some(text) = splice::splice_section(old, &before, &after, eol) else {
            return Ok(None);
        };
        Ok(Some(Prepared {
            section,
            text: SecretString::from(text),
            edit: edit.clone(),
        }))
    }

    /// Puts a prepared edit's section into its file (in place when nothing
    /// else holds the file's text) and records it for undo.
    pub fn commit(&mut self, prepared: Prepared) {
        let Prepared {
            section,
            text,
            edit,
        } = prepared;
        let Some(file) = self.files.get_mut(section.file) else {
            return;
        };
        let Some(old) = file.current.get(section.range.clone()) else {
            return;
        };
        let text = text.expose();
        let step = Step::between(section.file, old, text);
        let (at, end) = (step.start, step.start + step.old.len());
        let new = &text[at..at + step.new_len];
        let offset = section.range.start;
        let step = Step {
            start: offset + at,
            ..step
        };
        if file.replace(offset + at..offset + end, new) {
            self.edits.push(edit);
            self.undo.push(step);
        }
    }

    /// The last edit, and the file and bytes of its current text that
    /// [`Workspace::undo`] would replace.
    pub fn last_change(&self) -> Option<(&Edit, usize, Range<usize>)> {
        let step = self.undo.last()?;
        let edit = self.edits.last()?;
        Some((edit, step.file, step.start..step.start + step.new_len))
    }

    /// The text of `section` as [`Workspace::undo`] would leave it, if the
    /// bytes undo replaces lie in it.
    pub fn undone_section(&self, section: &Section) -> Option<SourceText> {
        let step = self.undo.last().filter(|step| step.file == section.file)?;
        let file = self.files.get(section.file)?;
        let text = file.current.get(section.range.clone())?;
        let start = step.start.checked_sub(section.range.start)?;
        SourceText::spliced(text, start..start + step.new_len, step.old.expose())
    }

    /// The current text of file `index`, shared.
    pub fn text(&self, index: usize) -> Option<Text> {
        self.files.get(index).map(|f| Text::clone(&f.current))
    }
}
