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

use crate::finding::rule_id;
use crate::layout::{Loaded, Part};

pub use edit::{Edit, OwnerRef};
pub use error::{EditError, SaveError};
pub use file::EditedFile;
pub use section::{Prepared, Section};

use file::Step;

/// A file of at least [`CUT_FROM`] bytes is held in parts of about this
/// size (see [`EditedFile::cut`]).
const PART_BYTES: usize = 1 << 20;

/// Files smaller than this are held whole. Cutting costs at open (reading
/// the headers, copying the parts: ~0.5 s more to open 1M secrets in 16
/// files of 14 MB), and an edit in a file this size moves at most a few
/// milliseconds' worth of text and spans.
const CUT_FROM: usize = 16 << 20;

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
        let files = cut_all(crate::layout::read_files(paths)?, true);
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
            .map(|(path, text)| (path, SourceText::shared(text)));
        Workspace {
            files: cut_all(files.collect(), false),
            ..Workspace::default()
        }
    }

    /// The workspace with its files cut in parts of about `bytes` (or
    /// whole when `None`), for tests: small layouts are not cut otherwise.
    /// Only before any edit (else it is returned as it is).
    #[doc(hidden)]
    pub fn in_parts(mut self, bytes: Option<usize>) -> Workspace {
        if !self.undo.is_empty() {
            return self;
        }
        let bytes = bytes.unwrap_or(usize::MAX / 2);
        let groups = self.groups();
        let mut files = std::mem::take(&mut self.files).into_iter();
        for group in groups {
            let mut parts: Vec<EditedFile> = files.by_ref().take(group.len()).collect();
            let file = match parts.len() {
                1 => parts.remove(0),
                _ => joined(&parts),
            };
            let cut = EditedFile::cut(file.path, file.current, file.from_disk, bytes);
            self.files.extend(cut);
        }
        self
    }

    /// The files in load order, a large file in parts (see
    /// [`EditedFile::cut`]).
    pub fn files(&self) -> &[EditedFile] {
        &self.files
    }

    /// The indices of each file's parts (of one for a file held whole).
    fn groups(&self) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            match out.last_mut() {
                Some(last) if f.continues => last.end = i + 1,
                _ => out.push(i..i + 1),
            }
        }
        out
    }

    /// Parses the current texts into a layout, with its findings (file names
    /// as the paths were given; a file in parts is read as one file a
    /// part, each its own source).
    pub fn load(&self) -> Loaded {
        let mut loaded = Loaded::default();
        loaded.add_parts(self.parts(|f| &f.current));
        loaded
    }

    /// Parses the texts as loaded (or last saved), without the edits: the
    /// "before" of `diff`.
    pub fn baseline(&self) -> Loaded {
        let mut loaded = Loaded::default();
        loaded.add_parts(self.parts(|f| &f.loaded));
        loaded
    }

    /// Each file's (or part's) name and one of its texts, for loading.
    fn parts(&self, text: impl Fn(&EditedFile) -> &Text) -> Vec<Part> {
        let mut lines = 0u32;
        let parts = self.files.iter().map(|f| {
            let text = text(f);
            if !f.continues {
                lines = 0;
            }
            let first_line = lines;
            lines += memchr::memchr_iter(b'\n', text.as_bytes()).count() as u32;
            Part {
                name: f.name.clone(),
                text: Text::clone(text),
                first_line,
                continues: f.continues,
            }
        });
        parts.collect()
    }

    /// Joins again the parts of each file that did not read as the whole
    /// file would (a part with a syntax error: a cut inside a multi-line
    /// string; an owner in two parts); returns whether any was, and the
    /// layout must be loaded again. Only before any edit: after one,
    /// nothing is joined (edits keep parts readable apart).
    pub(in crate::repl) fn join_misread(&mut self, loaded: &Loaded) -> bool {
        if !self.undo.is_empty() || !self.files.iter().any(|f| f.continues) {
            return false;
        }
        let groups = self.groups();
        let mut group_of = vec![0; self.files.len()];
        for (g, range) in groups.iter().enumerate() {
            group_of[range.clone()].fill(g);
        }
        let group = |file: u32| group_of.get(file as usize).copied();
        let mut misread = vec![false; groups.len()];
        for f in &loaded.findings {
            let g = group(f.span.file);
            let bad = match &*f.rule {
                rule_id::TOML_SYNTAX => true,
                rule_id::DUPLICATE => f.related.iter().any(|(s, _)| group(s.file) == g),
                _ => false,
            };
            if let Some(g) = g.filter(|&g| bad && groups[g].len() > 1) {
                misread[g] = true;
            }
        }
        if !misread.contains(&true) {
            return false;
        }
        let mut parts = Vec::new();
        for (i, file) in std::mem::take(&mut self.files).into_iter().enumerate() {
            let g = group_of[i];
            if !misread[g] {
                self.files.push(file);
                continue;
            }
            parts.push(file);
            if i + 1 == groups[g].end {
                self.files.push(joined(&parts));
                parts.clear();
            }
        }
        true
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
        let groups = self.groups().into_iter();
        let changed = groups.filter(|g| self.files[g.clone()].iter().any(EditedFile::changed));
        changed
            .map(|g| self.files[g.start].path.as_path())
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

/// The files `files`, each of [`CUT_FROM`] bytes or more cut in parts
/// where it can be ([`EditedFile::cut`]), on several threads.
fn cut_all(files: Vec<(PathBuf, Text)>, from_disk: bool) -> Vec<EditedFile> {
    let cut = crate::parallel::map(&files, |(path, text)| match text.len() < CUT_FROM {
        true => vec![EditedFile::new(path.clone(), Text::clone(text), from_disk)],
        false => EditedFile::cut(path.clone(), Text::clone(text), from_disk, PART_BYTES),
    });
    drop(files);
    cut.into_iter().flatten().collect()
}

/// The parts of one file, which have no edits, joined into one.
fn joined(parts: &[EditedFile]) -> EditedFile {
    let texts: Vec<&str> = parts.iter().map(|p| &**p.current).collect();
    let first = &parts[0];
    let text = Text::new(SourceText::joined(&texts));
    EditedFile::new(first.path.clone(), text, first.from_disk)
}

/// Whether the loader finds `owner` in a file that is not valid TOML.
fn declares_loosely(file: &EditedFile, owner: &OwnerRef) -> bool {
    let loaded = crate::layout::load_str(&file.name, &file.current);
    match owner {
        OwnerRef::Org(id) => loaded.layout.orgs.contains_key(id.as_str()),
        OwnerRef::Site(id) => loaded.layout.sites.contains_key(id.as_str()),
    }
}
