//! Fuzz regression cases: every file under `tests/fuzz/<target>/` is run
//! through the code of the fuzz target of that name (`fuzz/harness.rs`, the
//! file the targets themselves include), so an input that once crashed ward
//! keeps being tried. A case passes when the call returns: the harness
//! panics on a panic inside ward and on its own invariants (for `layout`,
//! that masking keeps every byte's place, so the masked text has the same
//! length).
//!
//! To add a case: copy the input (e.g. `fuzz/artifacts/layout/crash-…`) to
//! `tests/fuzz/layout/<what-it-is>` and run `cargo test --test
//! fuzz_regressions`.

use std::path::{Path, PathBuf};

#[path = "../fuzz/harness.rs"]
mod harness;

/// The case files of one target, sorted, never empty.
fn cases(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    files
}

/// Runs every case of `target`, naming the one that fails.
fn run(target: &str, call: fn(&[u8])) {
    for path in cases(target) {
        let data = std::fs::read(&path).expect("case file");
        let result = std::panic::catch_unwind(|| call(&data));
        assert!(result.is_ok(), "fuzz case {} panicked", path.display());
    }
}

#[test]
fn policy_cases() {
    run("policy", harness::policy);
}

#[test]
fn layout_cases() {
    run("layout", harness::layout);
}

#[test]
fn repl_command_cases() {
    run("repl_command", harness::repl_command);
}

/// The harness's mask check can fail: a masker that changed the length,
/// or masked a line break or with another byte than `*`, would be caught.
#[test]
fn the_mask_check_catches_a_broken_masker() {
    let text = "[sites.s.secrets.X]\nvalue = \"v\"\n";
    harness::check_mask(text);
    harness::check_masked(text, &ward::layout::mask::mask_layout(text));
    let broken = [
        "[sites.s.secrets.X]\nvalue = \"**\"\n",
        "[sites.s.secrets.X]*value = \"*\"\n",
        "[sites.s.secrets.X]\nvalue = \"#\"\n",
    ];
    for masked in broken {
        let caught = std::panic::catch_unwind(|| harness::check_masked(text, masked));
        assert!(caught.is_err(), "{masked:?} passed the check");
    }
}
