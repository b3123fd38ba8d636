//! Saving: atomic, permission-keeping, refusing to overwrite a change made
//! on disk since the load.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::repl::workspace::SaveError;

/// A directory holding `layout.toml` with `text`, opened as a workspace.
fn on_disk(text: &str) -> (tempfile::TempDir, PathBuf, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("layout.toml");
    fs::write(&path, text).expect("writes");
    let ws = Workspace::open(&[&path]).expect("opens");
    (dir, path, ws)
}

/// The names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("reads dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn save_writes_the_new_text_in_place_and_leaves_nothing_behind() {
    let (dir, path, mut ws) = on_disk(LAYOUT);
    ws.apply(&set(site("shop"), None, "STRIPE_KEY", "sk_new"))
        .expect("applies");
    ws.apply(&set(site("shop"), Some("live"), "STRIPE_KEY", "sk_live"))
        .expect("applies");
    let expected = ws.files()[0].current().to_owned();
    assert!(ws.dirty());
    assert_eq!(ws.changed_files(), [path.as_path()]);

    assert_eq!(ws.save(None).expect("saves"), std::slice::from_ref(&path));
    assert_eq!(fs::read_to_string(&path).expect("reads"), expected);
    assert_eq!(entries(dir.path()), ["layout.toml"]);
    // Only the edited lines differ from the file as it was.
    assert_changed(
        LAYOUT,
        &expected,
        &["  value = \"sk_test\"   # test key\n"],
        &[
            "  value = \"sk_new\"   # test key\n",
            "  overrides = { live = \"sk_live\" }\n",
        ],
    );
    // A checkpoint: nothing dirty, no edits, nothing to undo.
    assert!(!ws.dirty());
    assert!(ws.edits().is_empty());
    assert_eq!(ws.undo(), None);
    assert_eq!(
        ws.save(None).expect("nothing to save"),
        Vec::<PathBuf>::new()
    );

    // Editing and saving again works from the saved text.
    ws.apply(&delete(site("shop"), Some("live"), "STRIPE_KEY"))
        .expect("applies");
    ws.save(None).expect("saves again");
    let saved = fs::read_to_string(&path).expect("reads");
    assert_eq!(saved, LAYOUT.replace("sk_test", "sk_new"));
    let loaded = reload(&saved);
    assert_eq!(
        value(
            &loaded.layout,
            site_secret(&loaded.layout, "shop", "STRIPE_KEY")
        ),
        Some("sk_new")
    );
}

#[cfg(unix)]
#[test]
fn save_keeps_the_files_permissions() {
    let (_dir, path, mut ws) = on_disk(LAYOUT);
    set_mode(&path, 0o640);
    ws.apply(&set(site("shop"), None, "NEW", "n"))
        .expect("applies");
    ws.save(None).expect("saves");
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn save_refuses_to_overwrite_a_change_made_on_disk() {
    let (_dir, path, mut ws) = on_disk(LAYOUT);
    ws.apply(&set(site("shop"), None, "NEW", "n"))
        .expect("applies");
    let theirs = LAYOUT.replace("sk_test", "sk_theirs");
    fs::write(&path, &theirs).expect("writes");
    let err = ws.save(None).unwrap_err();
    assert!(matches!(&err, SaveError::ChangedOnDisk { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("`{}` changed on disk since it was loaded", path.display())
    );
    assert_eq!(fs::read_to_string(&path).expect("reads"), theirs);
    // The edits are kept.
    assert!(ws.dirty());
    assert_eq!(ws.edits().len(), 1);

    fs::remove_file(&path).expect("removes");
    let err = ws.save(None).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err:?}");
    assert!(!path.exists());
}

#[test]
fn save_checks_every_file_before_writing_any() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    fs::write(&a, LAYOUT).expect("writes");
    fs::write(&b, "[sites.other]\n").expect("writes");
    let mut ws = Workspace::open(&[&a, &b]).expect("opens");
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    ws.apply(&set(site("other"), None, "X", "x"))
        .expect("applies");
    fs::write(&b, "[sites.other]\nphp = \"8.3\"\n").expect("writes");
    assert!(matches!(
        ws.save(None),
        Err(SaveError::ChangedOnDisk { .. })
    ));
    assert_eq!(fs::read_to_string(&a).expect("reads"), LAYOUT);
}

#[test]
fn save_to_another_path_writes_a_copy() {
    let (dir, path, mut ws) = on_disk(LAYOUT);
    #[cfg(unix)]
    set_mode(&path, 0o640);
    ws.apply(&set(site("blog"), None, "WP_SALT", "pepper"))
        .expect("applies");
    let copy = dir.path().join("what-if.toml");
    assert_eq!(
        ws.save(Some(&copy)).expect("saves"),
        std::slice::from_ref(&copy)
    );
    let text = fs::read_to_string(&copy).expect("reads");
    assert_eq!(text, ws.files()[0].current());
    assert_eq!(
        value(
            &reload(&text).layout,
            site_secret(&reload(&text).layout, "blog", "WP_SALT")
        ),
        Some("pepper")
    );
    #[cfg(unix)]
    assert_eq!(mode(&copy), 0o640);
    // The original is untouched and still has the unsaved edit.
    assert_eq!(fs::read_to_string(&path).expect("reads"), LAYOUT);
    assert!(ws.dirty());
    assert_eq!(entries(dir.path()), ["layout.toml", "what-if.toml"]);
    // Saving to the file's own path is a plain save.
    ws.save(Some(&path)).expect("saves");
    assert!(!ws.dirty());
    assert_eq!(fs::read_to_string(&path).expect("reads"), text);
}

#[test]
fn save_to_one_path_refuses_edits_of_several_files() {
    let mut ws = Workspace::from_texts(vec![
        ("a.toml".into(), LAYOUT.into()),
        ("b.toml".into(), "[sites.other]\n".into()),
    ]);
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    ws.apply(&set(site("other"), None, "X", "x"))
        .expect("applies");
    let err = ws.save(Some(Path::new("out.toml"))).unwrap_err();
    assert!(matches!(&err, SaveError::SeveralFiles { files, .. } if files.len() == 2));
    assert_eq!(
        err.to_string(),
        "the edits change 2 files, and `out.toml` can hold only one"
    );
}

#[test]
fn save_to_another_file_of_the_layout_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    fs::write(&a, LAYOUT).expect("writes");
    fs::write(&b, "[sites.other]\n").expect("writes");
    let mut ws = Workspace::open(&[&a, &b]).expect("opens");
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    let err = ws.save(Some(&b)).unwrap_err();
    assert!(matches!(err, SaveError::LayoutFile { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&b).expect("reads"), "[sites.other]\n");
}

/// A reader never sees a half-written file: every read while saves go on
/// is the old text or a new one, whole.
#[test]
fn a_reader_sees_the_old_or_the_new_file_never_a_mix() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    // Large enough that a write takes many system calls.
    let mut big = String::from(LAYOUT);
    for i in 0..2_000 {
        big.push_str(&format!(
            "\n[sites.s{i}.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v{i}\"\n"
        ));
    }
    let (_dir, path, mut ws) = on_disk(&big);
    let mut versions = vec![big.clone()];
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !done.load(Ordering::Relaxed) && seen.len() < 2_000 {
                seen.push(fs::read_to_string(&path).expect("the file is always there"));
            }
            seen
        })
    };
    for i in 0..6 {
        ws.apply(&set(site("shop"), None, "STRIPE_KEY", &format!("sk_{i}")))
            .expect("applies");
        versions.push(ws.files()[0].current().to_owned());
        ws.save(None).expect("saves");
    }
    done.store(true, Ordering::Relaxed);
    for text in reader.join().expect("reader") {
        assert!(versions.contains(&text), "a read saw a mix of versions");
    }
}

#[cfg(unix)]
#[test]
fn save_refuses_a_read_only_file() {
    let (_dir, path, mut ws) = on_disk(LAYOUT);
    set_mode(&path, 0o444);
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    let err = ws.save(None).unwrap_err();
    assert!(matches!(err, SaveError::ReadOnly { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&path).expect("reads"), LAYOUT);
}

#[cfg(unix)]
#[test]
fn save_through_a_symlink_replaces_its_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("real.toml");
    let link = dir.path().join("link.toml");
    fs::write(&real, LAYOUT).expect("writes");
    std::os::unix::fs::symlink(&real, &link).expect("links");
    let mut ws = Workspace::open(&[&link]).expect("opens");
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    ws.save(None).expect("saves");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&real).expect("reads"),
        ws.files()[0].current()
    );
    assert_eq!(entries(dir.path()), ["link.toml", "real.toml"]);
}

#[test]
fn in_memory_files_are_created_on_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new.toml");
    let mut ws = Workspace::from_texts(vec![(path.clone(), "[sites.s]\n".into())]);
    ws.apply(&set(site("s"), None, "K", "v")).expect("applies");
    ws.save(None).expect("saves");
    assert_eq!(
        fs::read_to_string(&path).expect("reads"),
        ws.files()[0].current()
    );
}

#[test]
fn a_save_error_names_no_value() {
    let (dir, _path, mut ws) = on_disk(LAYOUT);
    ws.apply(&set(site("shop"), None, "STRIPE_KEY", "CANARY-beef"))
        .expect("applies");
    let missing = dir.path().join("no/such/dir/out.toml");
    let err = ws.save(Some(&missing)).unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("CANARY") && !shown.contains("sk_test"),
        "{shown}"
    );
}

#[test]
fn a_file_held_in_parts_saves_as_one_file() {
    let (_dir, path, ws) = on_disk(LAYOUT);
    let mut ws = ws.in_parts(Some(16));
    assert_eq!(ws.files().len(), 2, "cut before `[sites.shop]`");
    let (_other, whole_path, mut whole) = on_disk(LAYOUT);
    let edits = [
        set(site("shop"), None, "STRIPE_KEY", "sk_new"),
        set(site("shop"), Some("live"), "STRIPE_KEY", "sk_live"),
        set(org("acme"), None, "NEW", "n"),
    ];
    for edit in &edits {
        ws.apply(edit).expect("applies");
        whole.apply(edit).expect("applies");
    }
    assert_eq!(ws.changed_files(), [path.as_path()]);
    assert_eq!(ws.save(None).expect("saves"), std::slice::from_ref(&path));
    whole.save(None).expect("saves");
    let saved = fs::read_to_string(&path).expect("reads");
    assert_eq!(saved, fs::read_to_string(&whole_path).expect("reads"));
    assert!(!ws.dirty());

    // A change on disk is seen, whichever part it falls in, or past them.
    ws.apply(&set(site("shop"), None, "OTHER", "o"))
        .expect("applies");
    for theirs in [
        saved.replace("tok-123", "tok-theirs"),
        saved.replace("salt", "pepper"),
        format!("{saved}\n"),
    ] {
        fs::write(&path, &theirs).expect("writes");
        let err = ws.save(None).unwrap_err();
        assert!(matches!(&err, SaveError::ChangedOnDisk { .. }), "{err:?}");
        assert_eq!(fs::read_to_string(&path).expect("reads"), theirs);
    }
}
