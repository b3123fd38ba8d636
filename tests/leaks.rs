//! No secret value reaches any output unless revealed: every value below is a
//! unique canary, and every command and format is run over layouts that trip
//! every kind of finding, including malformed TOML on a value line.

use std::path::Path;
use std::process::Command;

const CANARY: &str = "CANARY";

/// Layout files, each value a canary; several are deliberately broken.
fn layouts() -> Vec<(&'static str, String)> {
    let big = format!("{CANARY}-big-{}", "x".repeat(16400));
    vec![
        (
            "orgs.toml",
            format!(
                r#"
[orgs.o.secrets.COMPOSER_AUTH]
type = "env"
scope = ["ic"]
value = "{{ {CANARY}-not-json"
overrides = {{ live = "{CANARY}-live", nowhere = "{CANARY}-nowhere" }}

[orgs.o.secrets."github-oauth.github.com"]
type = "composer"
scope = ["web"]
value = "{CANARY} with spaces"

[orgs.o.secrets.BIG]
type = "runtime"
scope = ["web"]
value = "{big}"
"#
            ),
        ),
        (
            "sites.toml",
            format!(
                r#"
[sites.s]
owner = "o"
php = "7.4"

[sites.s.secrets.1nvalid]
type = "env"
scope = ["ic"]
value = "{CANARY}-bad-name"

[sites.s.secrets.ORPHAN]
overrides = {{ live = "{CANARY}-orphan" }}
"#
            ),
        ),
        (
            "typo.toml",
            format!(
                "[sites.t.secrets.TYPO]\ntpye = \"env\"\nvalue = \"{CANARY}-next-to-bad-key\"\n"
            ),
        ),
        (
            "broken.toml",
            format!(
                "[sites.b.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = {CANARY}-unquoted\n"
            ),
        ),
        (
            "broken2.toml",
            format!("[sites.c.secrets.Y]\nvalue = \"{CANARY}-unterminated\ntype = \"env\"\n"),
        ),
    ]
}

fn ward(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("ward runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write_layouts(dir: &Path) {
    for (name, text) in layouts() {
        std::fs::write(dir.join(name), text).expect("write layout");
    }
}

#[test]
fn no_command_or_format_prints_a_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_layouts(dir.path());
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "sarif", "github"] {
        runs.push(vec!["check", ".", "--format", format]);
    }
    // resolve/explain refuse malformed layouts: use only the loadable files.
    for format in ["human", "json"] {
        for scope in ["ic", "web"] {
            for env in ["dev", "live"] {
                runs.push(vec![
                    "resolve",
                    "orgs.toml",
                    "sites.toml",
                    "--site",
                    "s",
                    "--env",
                    env,
                    "--scope",
                    scope,
                    "--format",
                    format,
                ]);
            }
        }
        runs.push(vec![
            "explain",
            "orgs.toml",
            "--site",
            "s",
            "--env",
            "live",
            "--scope",
            "ic",
            "--format",
            format,
            "COMPOSER_AUTH",
        ]);
        runs.push(vec![
            "resolve", ".", "--site", "s", "--env", "dev", "--format", format,
        ]);
    }
    for args in runs {
        let output = ward(dir.path(), &args);
        assert!(
            !output.contains(CANARY),
            "`ward {}` leaked a value:\n{output}",
            args.join(" ")
        );
        assert!(
            !output.is_empty(),
            "`ward {}` printed nothing",
            args.join(" ")
        );
    }
}

#[test]
fn reveal_does_show_values() {
    // The check above could pass by printing nothing useful: show that the
    // canaries are there to be found when asked for.
    let dir = tempfile::tempdir().expect("tempdir");
    write_layouts(dir.path());
    std::fs::remove_file(dir.path().join("broken.toml")).expect("rm");
    std::fs::remove_file(dir.path().join("broken2.toml")).expect("rm");
    std::fs::remove_file(dir.path().join("typo.toml")).expect("rm");
    let output = ward(
        dir.path(),
        &[
            "resolve", ".", "--site", "s", "--env", "live", "--scope", "ic", "--reveal",
        ],
    );
    assert!(output.contains(&format!("{CANARY}-live")), "{output}");
}
