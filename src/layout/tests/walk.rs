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
