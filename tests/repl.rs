//! Scripted REPL sessions: every `tests/repl/<name>.script` is fed to
//! `ward repl --echo ARGS` on standard input, in a temporary copy of
//! `tests/repl/` (so `save` never touches the repository). The snapshot holds
//! the exit status, stdout, stderr and, masked, every fixture file the
//! session changed. See `tests/repl/README.md`.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use std::io::Write;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/repl");

#[test]
fn scripts() {
    insta::glob!("repl/*.script", |script| {
        let text = fs::read_to_string(script).expect("readable script");
        let args = args_of(&text);
        let snapshot = run(&args, &text);
        // Values holding `canary` must never be printed unless revealed.
        let reveals = text.contains("reveal on") || args.iter().any(|a| a == "--reveal");
        if !reveals {
            assert!(
                !snapshot.to_lowercase().contains("canary"),
                "{} leaked a value:\n{snapshot}",
                script.display()
            );
        }
        let shown: Vec<String> = args
            .iter()
            .map(|a| match a.contains(' ') {
                true => format!("'{a}'"),
                false => a.clone(),
            })
            .collect();
        let description = format!("ward repl --echo {}", shown.join(" "));
        insta::with_settings!({ description => description, omit_expression => true }, {
            insta::assert_snapshot!(snapshot);
        });
    });
}

/// The arguments after `ward repl --echo`: the script's `# args:` line
/// (words, `'…'` quoting allowed), else the shared `layout.toml`.
fn args_of(script: &str) -> Vec<String> {
    let first = script.lines().next().unwrap_or_default();
    match first.strip_prefix("# args:") {
        Some(line) => split(line),
        None => vec!["layout.toml".to_string()],
    }
}

/// Splits on whitespace outside single quotes.
fn split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

/// Runs the session in a fresh copy of the fixtures.
fn run(args: &[String], script: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(Path::new(FIXTURES), dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["repl", "--echo"])
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ward runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // A session that fails to start (`start-*.script`) may exit before it
    // reads its script: the pipe is then closed, which is no failure.
    if let Err(e) = stdin.write_all(script.as_bytes()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "script not written: {e}"
        );
    }
    drop(stdin);
    let out = child.wait_with_output().expect("ward ends");
    let mut snapshot = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    snapshot.push_str(&changed_files(dir.path()));
    let temp = dir.path().display().to_string();
    snapshot.replace(&temp, "[TEMP]")
}

/// Files of the copy that differ from the fixtures or are new: their
/// changed lines, values masked.
fn changed_files(dir: &Path) -> String {
    let mut out = String::new();
    let mut names: Vec<_> = fs::read_dir(dir)
        .expect("temp dir readable")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    for name in names {
        let name = name.to_string_lossy().into_owned();
        let Ok(new) = fs::read_to_string(dir.join(&name)) else {
            continue;
        };
        let (old, against) = match fs::read_to_string(Path::new(FIXTURES).join(&name)) {
            Ok(old) => (old, String::new()),
            // A new file (`save PATH`): against the layout as saved.
            Err(_) => {
                let saved = fs::read_to_string(dir.join("layout.toml")).unwrap_or_default();
                (
                    saved,
                    " (new, against layout.toml as the session left it)".to_string(),
                )
            }
        };
        if old != new {
            out.push_str(&format!("--- changed: {name}{against}\n"));
            out.push_str(&line_diff(&mask(&old), &mask(&new)));
        }
    }
    out
}

fn mask(text: &str) -> String {
    ward::layout::mask::mask_layout(text)
}

/// A minimal line diff (longest common subsequence): removed lines with
/// their number in the old file, added ones with their number in the new.
fn line_diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("-{:>4} | {}\n", i + 1, a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{:>4} | {}\n", j + 1, b[j]));
            j += 1;
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("fixtures readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            fs::create_dir_all(&target).expect("dir");
            copy_dir(&entry.path(), &target);
        } else if entry.path().extension().is_none_or(|e| e != "script") {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
