//! Fixture cases: every `tests/cases/<name>/cmd` is a ward command line run
//! in that directory; its exit status, stdout and stderr are snapshotted.
//! See `tests/cases/README.md`.

use std::path::Path;
use std::process::Command;

#[test]
fn cases() {
    insta::glob!("cases/*/cmd", |cmd_file| {
        let dir = cmd_file.parent().expect("case directory");
        let line = std::fs::read_to_string(cmd_file).expect("readable cmd");
        let line = line.trim();
        let snapshot = run(dir, line);
        // Fixture values named `…canary…` must never be printed unrevealed.
        if !line.contains("--reveal") {
            assert!(
                !snapshot.contains("canary"),
                "{line} leaked a value:\n{snapshot}"
            );
        }
        insta::with_settings!({ description => line, omit_expression => true }, {
            insta::assert_snapshot!(snapshot);
        });
    });
}

/// Runs `ward ARGS` in `dir` and formats what it printed.
fn run(dir: &Path, line: &str) -> String {
    let args: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        args.first(),
        Some(&"ward"),
        "cmd must start with `ward`: {line}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(&args[1..])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("ward runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}
