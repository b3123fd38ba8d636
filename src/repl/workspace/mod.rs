//! The files a REPL session edits: their texts as loaded and as edited, the
//! undo history, and format-preserving, atomic saves.
//!
//! An edit goes into the TOML text of the file that declares its owner
//! (toml_edit does the editing); only the lines the edit changes differ
//! from the text before it: everything else is copied byte for byte, line
//! endings and all. [`Workspace::save`] writes through a temporary file in
//! the same directory and a rename.

mod apply;
mod edit;
mod error;
mod file;
mod save;
mod section;
mod splice;
mod style;
#[cfg(test)]
mod tests;

use crate::source::{SourceText, Text};
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;
use zeroize::Zeroizing;

use crate::layout::Loaded;

pub use edit::{Edit, OwnerRef};
pub use error::{EditError, SaveError};
pub use file::EditedFile;
pub use section::{Prepared, Section};

use file::Step;

/// The files of a REPL session, their edits and the undo history.
///
/// `save` is a checkpoint: after it the saved texts count as loaded and the
/// edit list and undo history start afresh.
#[derive(Debug, Default)]
pub struct Workspace {
    /// In load order.
    files: Vec<EditedFile>,
    /// Edits applied since load or the last save, oldest first.
    edits: Vec<Edit>,
    /// How to undo each of `edits` (same length).
    undo: Vec<Step>,
}

impl Workspace {
    /// Reads the layout files `paths` name (files, or directories of
    /// `*.toml`, as [`crate::layout::read_files`] reads them).
    pub fn open<P: AsRef<Path>>(paths: &[P]) -> Result<Workspace, crate::layout::LoadError> {
        let files = crate::layout::read_files(paths)?
            .into_iter()
            .map(|(path, text)| EditedFile::new(path, text, true))
            .collect();
        Ok(Workspace {
            files,
            ..Workspace::default()
        })
    }

    /// In-memory files (tests): each a path and its text. `save` writes them
    /// to those paths (creating files that do not exist).
    pub fn from_texts(files: Vec<(PathBuf, String)>) -> Workspace {
        let files = files
            .into_iter()
            .map(|(path, text)| EditedFile::new(path, SourceText::shared(text), false))
            .collect();
        Workspace {
            files,
            ..Workspace::default()
        }
    }

    /// The files, in load order.
    pub fn files(&self) -> &[EditedFile] {
        &self.files
    }

    /// Parses the current texts into a layout, with its findings (file names
    /// as the paths were given).
    pub fn load(&self) -> Loaded {
        let mut loaded = Loaded::default();
        loaded.add_texts(self.texts(|f| &f.current));
        loaded
    }

    /// Parses the texts as loaded (or last saved), without the edits: the
    /// "before" of `diff`.
    pub fn baseline(&self) -> Loaded {
        let mut loaded = Loaded::default();
        loaded.add_texts(self.texts(|f| &f.loaded));
        loaded
    }

    /// Each file's name and one of its texts, for loading.
    fn texts(&self, text: impl Fn(&EditedFile) -> &Text) -> Vec<(String, Text)> {
        self.files
            .iter()
            .map(|f| (f.name.clone(), Text::clone(text(f))))
            .collect()
    }

    /// Applies `edit` to the TOML text of the file that declares its owner
    /// (the first file with `[orgs.ID]`/`[sites.ID]`, a table under it, or a
    /// dotted or inline form of it), changing only the lines the edit
    /// touches, and records it for [`Workspace::undo`]. On error nothing
    /// changes.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        let owner = edit.owner();
        let (index, mut doc) = self.owner_file(owner)?;
        let file = &self.files[index];
        // Whole-file prints hold every value of the file: zeroed when
        // dropped (the document itself, toml_edit's, is not).
        let before = Zeroizing::new(doc.to_string());
        apply::apply(&mut doc, edit).map_err(|failure| failure.into_error(edit, &file.name))?;
        let after = Zeroizing::new(doc.to_string());
        let text = Zeroizing::new(splice::splice(&file.current, &before, &after));
        let step = Step::between(index, &file.current, &text);
        self.files[index].current = SourceText::shared(text.as_str());
        self.edits.push(edit.clone());
        self.undo.push(step);
        Ok(())
    }

    /// Reverts the last applied edit and returns it (`None` when there is
    /// nothing to undo). The text is changed in place when nothing else
    /// holds it.
    pub fn undo(&mut self) -> Option<Edit> {
        let step = self.undo.pop()?;
        let edit = self.edits.pop();
        if let Some(file) = self.files.get_mut(step.file) {
            let end = step.start + step.new_len;
            file.replace(step.start..end, step.old.expose());
        }
        edit
    }

    /// The edits applied since load or the last save, oldest first.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Whether any file's text differs from what was loaded or last saved
    /// (unsaved edits).
    pub fn dirty(&self) -> bool {
        self.files.iter().any(EditedFile::changed)
    }

    /// The files the edits changed, in load order.
    pub fn changed_files(&self) -> Vec<&Path> {
        self.files
            .iter()
            .filter(|f| f.changed())
            .map(|f| f.path.as_path())
            .collect()
    }

    /// The first file that declares `owner`, parsed for editing.
    fn owner_file(&self, owner: &OwnerRef) -> Result<(usize, DocumentMut), EditError> {
        for (index, file) in self.files.iter().enumerate() {
            // A file that declares the owner holds its id, spelled out or
            // (in a quoted key) with escapes: no need to parse the others.
            if !file.current.contains(owner.id()) && !file.current.contains('\\') {
                continue;
            }
            match file.current.parse::<DocumentMut>() {
                Ok(doc) if apply::declares(&doc, owner) => return Ok((index, doc)),
                Ok(_) => {}
                // toml_edit reads no broken file; the loader's recovering
                // parser tells whether this one is where the owner is.
                Err(_) if declares_loosely(file, owner) => {
                    return Err(EditError::Unparseable {
                        file: file.name.clone(),
                    });
                }
                Err(_) => {}
            }
        }
        Err(EditError::UnknownOwner {
            kind: owner.kind(),
            id: owner.id().to_owned(),
        })
    }
}

/// Whether the loader finds `owner` in a file that is not valid TOML.
fn declares_loosely(file: &EditedFile, owner: &OwnerRef) -> bool {
    let loaded = crate::layout::load_str(&file.name, &file.current);
    match owner {
        OwnerRef::Org(id) => loaded.layout.orgs.contains_key(id.as_str()),
        OwnerRef::Site(id) => loaded.layout.sites.contains_key(id.as_str()),
    }
}
