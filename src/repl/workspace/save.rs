//! Saving: each file through a temporary file in its directory, synced and
//! renamed over the original, so a reader (or a crash) sees the old text or
//! the new one, never a mix.

use crate::source::Text;
use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::error::SaveError;
use super::{EditedFile, Workspace};

impl Workspace {
    /// Writes every changed file in place and returns the paths written.
    ///
    /// Refuses, writing nothing, if a file on disk is no longer the text
    /// loaded (another program changed or removed it) or is read-only.
    /// Each file is written atomically (temporary file in the same
    /// directory, fsync, rename; a symlink is followed, not replaced) and
    /// keeps its permissions. After a save the saved texts count as loaded
    /// and the edit list and undo history start afresh.
    ///
    /// `to: Some(path)` writes the one changed file to `path` instead (an
    /// error if the edits changed several): a copy, like vim's `:w PATH` —
    /// the workspace still edits the original file, which keeps its unsaved
    /// edits. A new file gets the original's permissions. With no changes,
    /// nothing is written.
    pub fn save(&mut self, to: Option<&Path>) -> Result<Vec<PathBuf>, SaveError> {
        let changed: Vec<Range<usize>> = self
            .groups()
            .into_iter()
            .filter(|g| self.files[g.clone()].iter().any(EditedFile::changed))
            .collect();
        if let Some(to) = to {
            return match changed.as_slice() {
                [] => Ok(Vec::new()),
                [one] if !same_file(to, &self.files[one.start].path) => {
                    if self.files.iter().any(|f| same_file(to, &f.path)) {
                        return Err(SaveError::LayoutFile {
                            to: to.display().to_string(),
                        });
                    }
                    let file = &self.files[one.start];
                    let existing = permissions(to)?;
                    if existing.as_ref().is_some_and(Permissions::readonly) {
                        return Err(SaveError::ReadOnly {
                            path: to.display().to_string(),
                        });
                    }
                    let mode = existing.or(permissions(&file.path)?);
                    write_atomic(to, &self.files[one.clone()], mode)?;
                    Ok(vec![to.to_owned()])
                }
                [_] => self.save_in_place(&changed),
                _ => Err(SaveError::SeveralFiles {
                    to: to.display().to_string(),
                    files: changed
                        .iter()
                        .map(|g| self.files[g.start].name.clone())
                        .collect(),
                }),
            };
        }
        self.save_in_place(&changed)
    }

    /// Writes the files `changed` (each the indices of its parts) to their
    /// paths, after checking them all.
    fn save_in_place(&mut self, changed: &[Range<usize>]) -> Result<Vec<PathBuf>, SaveError> {
        let mut modes = Vec::with_capacity(changed.len());
        for g in changed {
            modes.push(check_unchanged(&self.files[g.clone()])?);
        }
        let mut written = Vec::with_capacity(changed.len());
        for (g, mode) in changed.iter().zip(modes) {
            let parts = &mut self.files[g.clone()];
            write_atomic(&parts[0].path, parts, mode)?;
            for part in parts.iter_mut() {
                part.loaded = Text::clone(&part.current);
                part.from_disk = true;
            }
            written.push(parts[0].path.clone());
        }
        self.edits.clear();
        self.undo.clear();
        Ok(written)
    }
}

/// Checks that the file of `parts` (its parts, or itself alone) is on disk
/// still the text loaded and may be written; returns its permissions
/// (`None` for a file to create).
fn check_unchanged(parts: &[EditedFile]) -> Result<Option<Permissions>, SaveError> {
    let file = &parts[0];
    let changed = || SaveError::ChangedOnDisk {
        path: file.name.clone(),
    };
    let io = |source| SaveError::Io {
        path: file.name.clone(),
        source,
    };
    let on_disk = match fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound && !file.from_disk => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(changed()),
        Err(e) => return Err(io(e)),
    };
    if !is_joined(&on_disk, parts.iter().map(|p| p.loaded.as_bytes())) {
        return Err(changed());
    }
    let perms = fs::metadata(&file.path).map_err(io)?.permissions();
    if perms.readonly() {
        return Err(SaveError::ReadOnly {
            path: file.name.clone(),
        });
    }
    Ok(Some(perms))
}

/// Whether `bytes` are the `pieces` one after another.
fn is_joined<'a>(bytes: &[u8], pieces: impl Iterator<Item = &'a [u8]>) -> bool {
    let mut rest = bytes;
    for piece in pieces {
        match rest.strip_prefix(piece) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The permissions of `path`, `None` if there is no such file.
fn permissions(path: &Path) -> Result<Option<Permissions>, SaveError> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(meta.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SaveError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Whether `a` and `b` name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Replaces `path` by the current text of `parts` atomically: a temporary file in the same
/// directory (hidden, not `*.toml`, so a layout walk skips a leftover),
/// written, given `mode`, synced, renamed over `path`; then the directory
/// is synced. A symlink is followed: its target is replaced.
fn write_atomic(
    path: &Path,
    parts: &[EditedFile],
    mode: Option<Permissions>,
) -> Result<(), SaveError> {
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".ward-save-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    for part in parts {
        tmp.write_all(part.current.as_bytes()).map_err(io)?;
    }
    if let Some(mode) = mode {
        tmp.as_file().set_permissions(mode).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&target).map_err(|e| io(e.error))?;
    // Makes the rename itself durable; the file is already complete, so a
    // failure here loses nothing but that guarantee.
    if let Ok(dir) = fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
