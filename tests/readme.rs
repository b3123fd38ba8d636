//! The README's console examples are real: each ```console block starting
//! with `$ ward …` is run from the repository root and must print exactly what
//! the block shows (```console,excerpt blocks: the shown lines must appear, in
//! order, as a contiguous part of the output). Each ```repl block is a
//! scripted session: its `ward> ` lines are fed to `ward repl --echo` and the
//! whole transcript must match.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

struct Example {
    args: Vec<String>,
    expected: String,
    excerpt: bool,
    /// For ```repl blocks: the commands to feed on stdin.
    stdin: Option<String>,
}

fn examples() -> Vec<Example> {
    let readme = include_str!("../README.md");
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let (excerpt, repl) = match line.trim_end() {
            "```console" => (false, false),
            "```console,excerpt" => (true, false),
            "```repl" => (false, true),
            _ => continue,
        };
        let command = lines.next().expect("a command line");
        let args = command
            .strip_prefix("$ ward ")
            .expect("block starts with `$ ward `");
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let mut args: Vec<String> = args.split_whitespace().map(String::from).collect();
        let stdin = repl.then(|| {
            args.push("--echo".to_string());
            let commands = body.iter().filter_map(|l| l.strip_prefix("ward> "));
            commands.map(|c| format!("{c}\n")).collect()
        });
        out.push(Example {
            args,
            expected: body.join("\n"),
            excerpt,
            stdin,
        });
    }
    out
}

fn normalize(s: &str) -> String {
    s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let examples = examples();
    assert!(
        examples.len() >= 9,
        "found only {} examples",
        examples.len()
    );
    assert!(
        examples.iter().any(|e| e.stdin.is_some()),
        "no repl transcript"
    );
    for ex in examples {
        // Echoed values are masked byte for byte, so feeding the transcript's
        // own `ward>` lines back gives the same sizes and the same output.
        let actual = normalize(&run(&ex));
        let expected = normalize(&ex.expected);
        let ok = if ex.excerpt {
            actual.contains(&expected)
        } else {
            actual.trim_end() == expected.trim_end()
        };
        assert!(
            ok,
            "`ward {}` printed:\n{actual}\n\nREADME shows:\n{expected}",
            ex.args.join(" ")
        );
    }
}

/// Runs an example; a REPL transcript interleaves stdout and stderr as a
/// terminal shows them, so its stderr goes to the same pipe.
fn run(ex: &Example) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ward"));
    cmd.args(&ex.args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    let Some(stdin) = &ex.stdin else {
        let out = cmd.output().expect("ward runs");
        return String::from_utf8_lossy(&out.stdout).into_owned();
    };
    let (reader, writer) = std::io::pipe().expect("pipe");
    let writer2 = writer.try_clone().expect("pipe clone");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(writer2)
        .spawn()
        .expect("ward runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    drop(cmd);
    let mut text = String::new();
    let mut reader = reader;
    reader.read_to_string(&mut text).expect("read output");
    child.wait().expect("ward exits");
    text
}
