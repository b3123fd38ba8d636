//! One file of a workspace, and how to undo an edit of it.

use std::path::{Path, PathBuf};

use super::splice;
use crate::secret::SecretString;
use crate::source::{SourceText, Text};

/// One layout file of a workspace.
pub struct EditedFile {
    /// Where it is read from and saved to.
    pub(super) path: PathBuf,
    /// The path as shown to users (and as the layout's source name).
    pub(super) name: String,
    /// The text as loaded or last saved: what should be on disk.
    pub(super) loaded: Text,
    /// The text with the edits applied.
    pub(super) current: Text,
    /// Read from disk (a file that has disappeared since is a change on
    /// disk), rather than given in memory.
    pub(super) from_disk: bool,
}

impl EditedFile {
    /// A file whose text is `text`, as loaded.
    pub(super) fn new(path: PathBuf, text: Text, from_disk: bool) -> EditedFile {
        EditedFile {
            name: path.display().to_string(),
            path,
            loaded: Text::clone(&text),
            current: text,
            from_disk,
        }
    }

    /// Where it is read from and saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as shown to users.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text as loaded or last saved.
    pub fn loaded(&self) -> &str {
        &self.loaded
    }

    /// The text with the edits applied.
    pub fn current(&self) -> &str {
        &self.current
    }

    /// Replaces the bytes of `range` of the current text by `with`: in
    /// place when nothing else holds the text (a file edited again and
    /// again is not copied each time), else in a copy. Returns false,
    /// changing nothing, if `range` is not a range of the text.
    pub(super) fn replace(&mut self, range: std::ops::Range<usize>, with: &str) -> bool {
        if let Some(text) = std::sync::Arc::get_mut(&mut self.current) {
            return text.replace_range(range, with);
        }
        match SourceText::spliced(&self.current, range, with) {
            Some(text) => {
                self.current = std::sync::Arc::new(text);
                true
            }
            None => false,
        }
    }

    /// Whether the edits changed it.
    pub fn changed(&self) -> bool {
        !Text::ptr_eq(&self.loaded, &self.current) && self.loaded != self.current
    }
}

impl std::fmt::Debug for EditedFile {
    // Never print the texts: they hold secret values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditedFile")
            .field("path", &self.path)
            .field("loaded_bytes", &self.loaded.len())
            .field("current_bytes", &self.current.len())
            .field("changed", &self.changed())
            .finish()
    }
}

/// How to undo one applied edit: the bytes of `file` it replaced (which
/// may hold a value: zeroed when dropped).
pub(super) struct Step {
    /// Index of the file in the workspace.
    pub(super) file: usize,
    /// Where the replaced bytes start.
    pub(super) start: usize,
    /// The bytes the edit replaced.
    pub(super) old: SecretString,
    /// How many bytes replaced them.
    pub(super) new_len: usize,
}

impl std::fmt::Debug for Step {
    // The replaced bytes may hold a value: only their length.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("file", &self.file)
            .field("start", &self.start)
            .field("old_bytes", &self.old.len())
            .field("new_len", &self.new_len)
            .finish()
    }
}

impl Step {
    /// How to get `old` back from `new`: the one byte range that differs.
    pub(super) fn between(file: usize, old: &str, new: &str) -> Step {
        let (start, old_end, new_end) = splice::differing(old, new);
        Step {
            file,
            start,
            old: SecretString::from(&old[start..old_end]),
            new_len: new_end - start,
        }
    }
}
