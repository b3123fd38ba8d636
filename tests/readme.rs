//! The README's console examples are real: each ```console block starting
//! with `$ ward …` is run from the repository root and must print exactly what
//! the block shows (```console,excerpt blocks: the shown lines must appear, in
//! order, as a contiguous part of the output).

use std::process::Command;

struct Example {
    args: Vec<String>,
    expected: String,
    excerpt: bool,
}

fn examples() -> Vec<Example> {
    let readme = include_str!("../README.md");
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let excerpt = match line.trim_end() {
            "```console" => false,
            "```console,excerpt" => true,
            _ => continue,
        };
        let command = lines.next().expect("a command line");
        let args = command
            .strip_prefix("$ ward ")
            .expect("block starts with `$ ward `");
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push(Example {
            args: args.split_whitespace().map(String::from).collect(),
            expected: body.join("\n"),
            excerpt,
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
        examples.len() >= 8,
        "found only {} examples",
        examples.len()
    );
    for ex in examples {
        let out = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(&ex.args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .expect("ward runs");
        let actual = normalize(&String::from_utf8_lossy(&out.stdout));
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
