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
    /// A part of a file after its first: the workspace holds a large file
    /// in parts (see [`EditedFile::cut`]).
    pub(super) continues: bool,
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
            continues: false,
        }
    }

    /// The file `text`, in parts of about `bytes` each if it is at least
    /// twice that (the workspace cuts only files of 16 MiB or more): each
    /// part whole owner sections (see
    /// [`crate::repl::incremental::part_cuts`]), so that an edit moves the
    /// text and spans of its part only, not of everything after it in a
    /// file of hundreds of megabytes. A file with `\r` in it stays whole
    /// (an edit's new lines take the line ending of the text it is in).
    pub(super) fn cut(path: PathBuf, text: Text, from_disk: bool, bytes: usize) -> Vec<EditedFile> {
        let crlf = memchr::memchr(b'\r', text.as_bytes()).is_some();
        if text.len() < bytes.saturating_mul(2) || crlf {
            return vec![EditedFile::new(path, text, from_disk)];
        }
        let ranges = crate::layout::part_ranges(&text, bytes);
        let at: Vec<usize> = ranges.iter().skip(1).map(|r| r.start).collect();
        let Some(mut cuts) = crate::repl::incremental::part_cuts(&text, &at) else {
            return vec![EditedFile::new(path, text, from_disk)];
        };
        cuts.insert(0, 0);
        cuts.push(text.len());
        cuts.dedup();
        let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let texts = crate::parallel::map(&ranges, |&(start, end)| {
            SourceText::shared(&text[start..end])
        });
        let parts = texts.into_iter().enumerate().map(|(i, part)| EditedFile {
            continues: i > 0,
            ..EditedFile::new(path.clone(), part, from_disk)
        });
        parts.collect()
    }

    /// Where it is read from and saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as shown to users.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is a part of a file after its first (see
    /// [`EditedFile::cut`]).
    pub fn is_continued_part(&self) -> bool {
        self.continues
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
