//! Reading layout files and directories from disk.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::load::Loaded;
use crate::source::{NotUtf8, SourceText, Text};

/// ward could not read its input at all (exit status 2). Problems inside a
/// file that could be read are findings instead.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// A path that does not exist: `ward check nosuch.toml`.
    #[error("cannot find `{path}`")]
    #[diagnostic(
        code(ward::layout::not_found),
        help("check the path: ward reads layout files, and directories holding `*.toml` files")
    )]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// A file or directory that cannot be read, e.g. for lack of permission.
    #[error("cannot read `{path}`")]
    #[diagnostic(
        code(ward::layout::io),
        help("check that the file exists and that you may read it")
    )]
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A file that is not UTF-8 text, e.g. a UTF-16 export.
    #[error("`{path}` is not UTF-8 text: invalid byte at offset {offset} (line {line})")]
    #[diagnostic(
        code(ward::layout::not_utf8),
        help("TOML files are UTF-8: convert the file, e.g. with `iconv -t UTF-8`")
    )]
    NotUtf8 {
        /// The path as given.
        path: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
    },
    /// A directory without any layout file: `ward check empty/`.
    #[error("no `*.toml` files in `{path}`")]
    #[diagnostic(
        code(ward::layout::no_layouts),
        help(
            "point ward at layout files or at a directory holding `*.toml` files (hidden directories and `target` are skipped)"
        )
    )]
    NoLayouts {
        /// The directory as given.
        path: String,
    },
    /// A file too large for ward's 32-bit spans (4 GiB).
    #[error("`{path}` is too large ({bytes} bytes)")]
    #[diagnostic(
        code(ward::layout::too_large),
        help("split the layout into files under 4 GiB each")
    )]
    TooLarge {
        /// The path as given.
        path: String,
        /// Its size.
        bytes: u64,
    },
}

/// Loads files and directories: directories recursively (`*.toml`, sorted by
/// path so output is deterministic; hidden entries and `target` skipped). An
/// explicitly named file is loaded whatever its extension; a file reached
/// twice is loaded once.
pub fn load_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Loaded, LoadError> {
    load(paths, false)
}

/// [`load_paths`] with files of [`MAP_FROM`] bytes or more mapped into
/// memory rather than read (see [`SourceText::map`]), unless `WARD_MMAP`
/// is `0`: for a run that is done with its files once it has reported on
/// them, and does not mask their texts in place.
pub fn map_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Loaded, LoadError> {
    load(
        paths,
        std::env::var_os("WARD_MMAP").is_none_or(|v| v != "0"),
    )
}

fn load<P: AsRef<Path>>(paths: &[P], map: bool) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    let files = files_in(paths, map)?
        .into_iter()
        .map(|(path, text)| (shown(&path), text))
        .collect();
    loaded.add_texts(files);
    Ok(loaded)
}

/// Reads the layout files `paths` name, in load order, without parsing them
/// (the REPL keeps the texts to edit and save them).
pub fn read_files<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<(PathBuf, Text)>, LoadError> {
    files_in(paths, false)
}

/// The texts of the layout files `paths` name, in load order; files of
/// [`MAP_FROM`] bytes or more mapped if `map`.
pub(super) fn files_in<P: AsRef<Path>>(
    paths: &[P],
    map: bool,
) -> Result<Vec<(PathBuf, Text)>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        collect(path.as_ref(), &mut files)?;
    }
    let mut seen = HashSet::new();
    files.retain(|file| seen.insert(fs::canonicalize(file).unwrap_or_else(|_| file.clone())));
    // Read on several threads; the first error in load order is reported.
    let bytes = files
        .iter()
        .filter_map(|f| fs::metadata(f).ok())
        .map(|m| m.len() as usize)
        .sum();
    let texts = crate::parallel::map_work(&files, bytes, |file| read(file, map));
    files
        .into_iter()
        .zip(texts)
        .map(|(file, text)| Ok((file, text?)))
        .collect()
}

/// The path as shown to users.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Converts an I/O error on `path`.
fn io_error(path: &Path, source: io::Error) -> LoadError {
    let path = shown(path);
    match source.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound { path },
        _ => LoadError::Io { path, source },
    }
}

/// Adds `path`, or the layout files under it, to `files`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, e))?;
    if !meta.is_dir() {
        files.push(path.to_owned());
        return Ok(());
    }
    let before = files.len();
    walk(path, files, &mut HashSet::new())?;
    if files.len() == before {
        return Err(LoadError::NoLayouts { path: shown(path) });
    }
    files[before..].sort();
    Ok(())
}

/// Adds the `*.toml` files under `dir`; `visited` stops symlink loops.
fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
) -> Result<(), LoadError> {
    if let Ok(canonical) = fs::canonicalize(dir)
        && !visited.insert(canonical)
    {
        return Ok(());
    }
    for entry in fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let path = entry.map_err(|e| io_error(dir, e))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        if name.starts_with('.') {
            continue;
        }
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() && name != "target" => walk(&path, files, visited)?,
            Ok(meta) if meta.is_file() && is_toml => files.push(path),
            Ok(_) => {}
            // A dangling link or unreadable entry matters only if it is a layout.
            Err(e) if is_toml => return Err(io_error(&path, e)),
            Err(_) => {}
        }
    }
    Ok(())
}

/// Files from this size up are mapped rather than read, when mapping is
/// asked for: below it, reading costs little anyway.
pub(super) const MAP_FROM: u64 = 1 << 20;

/// Reads a layout file as UTF-8; maps it if `map` and it is large.
fn read(path: &Path, map: bool) -> Result<Text, LoadError> {
    let mut file = fs::File::open(path).map_err(|e| io_error(path, e))?;
    let len = file.metadata().map_err(|e| io_error(path, e))?.len();
    let too_large = |bytes: u64| LoadError::TooLarge {
        path: shown(path),
        bytes,
    };
    if u32::try_from(len).is_err() {
        return Err(too_large(len));
    }
    let text = if map && len >= MAP_FROM {
        SourceText::map(&file).map_err(|e| io_error(path, e))?
    } else {
        let mut bytes = Vec::with_capacity(len as usize);
        io::Read::read_to_end(&mut file, &mut bytes).map_err(|e| io_error(path, e))?;
        String::from_utf8(bytes).map(SourceText::from).map_err(|e| {
            let at = NotUtf8::of(e.as_bytes(), e.utf8_error());
            // The bytes may hold values, as any layout text: zeroed too.
            zeroize::Zeroize::zeroize(&mut e.into_bytes());
            at
        })
    };
    let text = text.map_err(|NotUtf8 { offset, line }| LoadError::NotUtf8 {
        path: shown(path),
        offset,
        line,
    })?;
    // The file may have grown since its size was read.
    if u32::try_from(text.len()).is_err() {
        return Err(too_large(text.len() as u64));
    }
    Ok(Text::new(text))
}
