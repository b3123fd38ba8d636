//! `load_paths`: files, directories and the errors that stop a load.

use std::fs;
use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::layout::{LoadError, load_paths};

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ward-walk-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn write(path: &Path, text: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// The file names a load read, relative to `dir`.
fn names(dir: &Path, paths: &[PathBuf]) -> Vec<String> {
    let loaded = load_paths(paths).unwrap_or_else(|e| panic!("{e}"));
    let prefix = format!("{}/", dir.display());
    loaded
        .layout
        .sources
        .iter()
        .map(|(_, f)| f.name.replace(&prefix, ""))
        .collect()
}

#[test]
fn walks_directories_sorted_skipping_hidden_and_target() {
    let dir = scratch("walk");
    for file in [
        "b.toml",
        "a/z.toml",
        "a/b.toml",
        "c.txt",
        ".hidden/x.toml",
        "target/t.toml",
        ".x.toml",
        "d/target.toml",
    ] {
        write(&dir.join(file), b"");
    }
    let names = names(&dir, std::slice::from_ref(&dir));
    assert_eq!(names, ["a/b.toml", "a/z.toml", "b.toml", "d/target.toml"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn loads_a_named_file_whatever_its_extension_and_each_file_once() {
    let dir = scratch("named");
    write(&dir.join("layout.txt"), b"[sites.a]\n");
    write(&dir.join("b.toml"), b"[sites.b]\n");
    let paths = [dir.join("layout.txt"), dir.clone(), dir.join("b.toml")];
    assert_eq!(names(&dir, &paths), ["layout.txt", "b.toml"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_path_is_not_found() {
    let dir = scratch("missing");
    let err = load_paths(&[dir.join("nosuch.toml")]).err();
    assert!(matches!(err, Some(LoadError::NotFound { .. })), "{err:?}");
    let code = err.and_then(|e| e.code().map(|c| c.to_string()));
    assert_eq!(code.as_deref(), Some("ward::layout::not_found"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_without_layouts_is_an_error() {
    let dir = scratch("empty");
    write(&dir.join("readme.md"), b"");
    let err = load_paths(&[&dir]).err();
    assert!(matches!(err, Some(LoadError::NoLayouts { .. })), "{err:?}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_is_not_utf8_says_where() {
    let dir = scratch("utf8");
    write(&dir.join("bad.toml"), b"[sites.a]\nvalue = \"\xff\"\n");
    match load_paths(&[dir.join("bad.toml")]) {
        Err(
            e @ LoadError::NotUtf8 {
                offset: 19,
                line: 2,
                ..
            },
        ) => {
            assert!(
                e.to_string()
                    .ends_with("is not UTF-8 text: invalid byte at offset 19 (line 2)"),
                "{e}"
            );
            assert!(e.help().is_some());
        }
        other => panic!("{other:?}"),
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn no_paths_load_nothing() {
    let loaded = load_paths::<&str>(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.layout.sites.is_empty() && loaded.findings.is_empty());
}

/// A layout of about `bytes` bytes, with a finding and values to mask.
fn large_layout(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        text += &format!(
            "[sites.s{i}.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v{i}\"\n\n"
        );
        i += 1;
    }
    text + "[sites.last.secrets.\"1bad\"]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"x\"\n"
}

/// The text of the one file of `loaded`.
fn text_before(loaded: &crate::layout::Loaded) -> &str {
    loaded.layout.sources.get(0).map_or("", |f| &f.text)
}

#[test]
fn a_large_file_mapped_reads_as_the_same_file_read() {
    let dir = scratch("mapped");
    let path = dir.join("big.toml");
    let text = large_layout(super::super::walk::MAP_FROM as usize + 4096);
    write(&path, text.as_bytes());
    let paths = [path.clone()];
    let mapped = super::super::walk::files_in(&paths, true).unwrap_or_else(|e| panic!("{e}"));
    let read = super::super::walk::files_in(&paths, false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mapped, read);
    assert!(mapped[0].1.is_mapped() && !read[0].1.is_mapped());
    assert_eq!(&**mapped[0].1, text.as_str());
    // Mapped: no copy of the text in memory, and `Debug` tells its size only.
    assert_eq!(
        format!("{:?}", mapped[0].1),
        format!("SourceText({} bytes)", text.len())
    );
    // The same model and findings as from the text in memory.
    let loaded = crate::layout::map_paths(&paths).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        loaded
            .layout
            .sources
            .get(0)
            .is_some_and(|f| f.text.is_mapped())
    );
    let expected = crate::layout::load_str(&path.display().to_string(), &text);
    assert_eq!(loaded.layout.sites.len(), expected.layout.sites.len());
    assert_eq!(
        format!("{:?}", loaded.findings),
        format!("{:?}", expected.findings)
    );
    // Masked for human output in a copy, the file's pages being read-only.
    let (_, text) = mapped
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("one file"));
    let mapped = std::sync::Arc::try_unwrap(text).unwrap_or_else(|_| panic!("not shared"));
    let masked = mapped.into_masked();
    assert!(!masked.contains("\"v12\""), "a value is left");
    assert_eq!(
        masked.lines().count(),
        expected
            .layout
            .sources
            .get(0)
            .map_or(0, |f| f.text.lines().count())
    );
    assert_eq!(
        fs::read_to_string(&path).ok().as_deref(),
        Some(text_before(&expected))
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_large_file_that_is_not_utf8_says_where_mapped_or_read() {
    let dir = scratch("mapped-utf8");
    let path = dir.join("big.toml");
    let mut bytes = large_layout(super::super::walk::MAP_FROM as usize).into_bytes();
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    let offset = bytes.len();
    bytes.extend_from_slice(b"# \xff\n");
    write(&path, &bytes);
    for map in [true, false] {
        match super::super::walk::files_in(&[&path], map) {
            Err(LoadError::NotUtf8 {
                offset: at, line, ..
            }) => assert_eq!((at, line), (offset + 2, lines + 1), "map: {map}"),
            other => panic!("map {map}: {:?}", other.map(|f| f.len())),
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
