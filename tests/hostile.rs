//! Hostile layouts through every command and format: ward never panics,
//! always exits 0, 1 or 2, and never prints a value (each is `canary…`).

use std::process::Command;

#[path = "support/deadline.rs"]
mod deadline;

/// (file name, text) of layouts that are empty, odd or broken.
fn layouts() -> Vec<(&'static str, String)> {
    let wide: Vec<String> = (0..400).map(|i| format!("e{i} = \"canary{i}\"")).collect();
    let deep = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
    let many: String = (0..500)
        .map(|i| {
            format!(
                "[sites.s.secrets.K{i}]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary{i}\"\n"
            )
        })
        .collect();
    vec![
        ("empty.toml", String::new()),
        ("blank.toml", "\n\n   \n# only a comment\n".into()),
        ("orgs-only.toml", "[orgs]\n".into()),
        ("sites-only.toml", "[sites]\n[orgs]\n".into()),
        ("orgs-int.toml", "orgs = 3\nsites = \"canary\"\n".into()),
        ("orgs-array.toml", "orgs = [1, \"canary\"]\n[[sites]]\nx = 1\n".into()),
        (
            "secrets-not-tables.toml",
            "[sites.s.secrets]\nA = 3\nB = \"canary\"\nC = [\"canary\"]\nD = true\nE = 1979-05-27\n".into(),
        ),
        ("secrets-int.toml", "[sites.s]\nsecrets = 7\n[orgs.o]\nsecrets = \"canary\"\n".into()),
        (
            "array-of-secrets.toml",
            "[[sites.s.secrets.X]]\ntype = \"env\"\nvalue = \"canary\"\n".into(),
        ),
        (
            "overrides-empty.toml",
            "[sites.s.secrets.X]\noverrides = {}\n[sites.s.secrets.Y]\ntype = \"env\"\nscope = [\"web\"]\noverrides = {}\n".into(),
        ),
        (
            "overrides-odd.toml",
            "[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\noverrides = { live = 3, dev = [\"canary\"], \"\" = \"canary\", test = { a = \"canary\" } }\n[sites.s.secrets.Y]\ntype = \"env\"\nscope = [\"web\"]\noverrides = \"canary\"\n".into(),
        ),
        (
            "fields-odd.toml",
            "[sites.s]\nowner = 1\nsupporting = \"agency\"\nphp = true\nenvironments = [1, \"\", \"feat\"]\n[sites.s.secrets.X]\ntype = [\"env\"]\nscope = []\nvalue = 1\n".into(),
        ),
        (
            "unicode.toml",
            "\u{feff}[orgs.\"ø\u{202e}rg\"]\n[sites.\"💥\"]\nowner = \"ø\u{202e}rg\"\nenvironments = [\"fé\", \"\"]\n[sites.\"💥\".secrets.\"🔑\\u0000\\n\"]\ntype = \"env\"\nscope = [\"wéb\", \"web\"]\nvalue = \"canary\"\noverrides = { \"é\" = \"canary\" }\n[sites.\"\".secrets.\"\"]\ntype = \"runtime\"\nscope = \"web\"\nvalue = \"canary\"\n".into(),
        ),
        ("crlf.toml", "[sites.s.secrets.X]\r\ntype = \"env\"\r\nscope = [\"web\"]\r\nvalue = \"canary\"\r\n".into()),
        (
            "wide-inline.toml",
            format!(
                "[sites.s]\nenvironments = [\"e1\"]\n[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\noverrides = {{ {} }}\n",
                wide.join(", ")
            ),
        ),
        ("deep.toml", format!("[sites.s.secrets.X]\nvalue = {deep}\n")),
        ("many.toml", many),
        (
            "long-line.toml",
            format!(
                "[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary{}\" junk\n",
                "é".repeat(20000)
            ),
        ),
        (
            "unterminated.toml",
            "[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"\"\"canary\n[sites.t]\n".into(),
        ),
        ("control.toml", "[sites.s]\nphp = \"8.2\u{0}x\"\n[sites.s.secrets.X]\nvalue = \"can\u{0}canary\"\n".into()),
    ]
}

#[test]
fn hostile_layouts_neither_panic_nor_leak() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = 0;
    for (name, text) in layouts() {
        std::fs::write(dir.path().join(name), &text).unwrap();
        let mut commands: Vec<Vec<&str>> = Vec::new();
        for format in ["human", "json", "sarif", "github"] {
            commands.push(vec!["check", name, "--format", format]);
        }
        for site in ["s", "💥", ""] {
            for format in ["human", "json"] {
                commands.push(vec![
                    "resolve", name, "--site", site, "--env", "dev", "--format", format,
                ]);
                commands.push(vec![
                    "explain", name, "--site", site, "--env", "dev", "--format", format, "X",
                ]);
            }
        }
        for args in commands {
            let out = Command::new(env!("CARGO_BIN_EXE_ward"))
                .args(&args)
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let line = args.join(" ");
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "`ward {line}` ended with {:?}:\n{all}",
                out.status
            );
            assert!(!all.contains("panicked"), "`ward {line}` panicked:\n{all}");
            assert!(
                !all.contains("canary"),
                "`ward {line}` leaked a value:\n{all}"
            );
            // Only GitHub annotations may be nothing at all (no findings).
            if !args.contains(&"github") {
                assert!(!all.is_empty(), "`ward {line}` printed nothing");
            }
            runs += 1;
        }
        // Every file with a problem fails the check; the harmless ones pass.
        let check = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(["check", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let clean = matches!(
            name,
            "empty.toml"
                | "blank.toml"
                | "orgs-only.toml"
                | "sites-only.toml"
                | "crlf.toml"
                | "many.toml"
        );
        assert_eq!(
            check.status.code(),
            Some(if clean { 0 } else { 1 }),
            "`ward check {name}`:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    assert!(runs > 300);
}

/// A fault reading a mapped file (SIGBUS: another program cut the file
/// short while ward read it) is reported, with status 2, not a crash.
#[cfg(unix)]
#[test]
fn a_file_cut_short_while_mapped_is_reported() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let layout = dir.path().join("l.toml");
    std::fs::write(&layout, "[sites.s]\n").unwrap_or_else(|e| panic!("{e}"));
    // The REPL waits for its input: the fault is raised once it runs.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .arg("repl")
        .arg(&layout)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
    writeln!(stdin, "help").unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!first.is_empty(), "the REPL answered");
    let pid = libc::pid_t::try_from(child.id()).unwrap_or_else(|e| panic!("{e}"));
    // SAFETY: sends a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGBUS) }, 0);
    // Were the signal not handled, the REPL would end at its input's end.
    drop(stdin);
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a layout file changed while ward was reading it"),
        "{stderr}"
    );
    assert!(stderr.contains("WARD_MMAP=0"), "{stderr}");
}

/// Any `WARD_THREADS` is a thread count ward can work with: a huge one is
/// not an overflow (a debug build checks the arithmetic).
#[test]
fn a_huge_thread_count_is_no_overflow() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let layout = dir.path().join("l.toml");
    std::fs::write(&layout, "[sites.s]\n").unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["check", "--format", "json"])
        .arg(&layout)
        .env("WARD_THREADS", usize::MAX.to_string())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
}

/// Nor in human output of a file large enough to be masked in pieces on
/// several threads: as many pieces as threads asked once meant a loop of
/// `usize::MAX` turns (found hanging). Given a minute, it ends.
#[test]
fn a_huge_thread_count_masks_a_large_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let layout = dir.path().join("l.toml");
    let text: String = (0..20_000)
        .map(|i| format!("[sites.s.secrets.K{i}]\ntype = \"nope\"\nscope = [\"web\"]\n"))
        .collect();
    assert!(text.len() >= 1 << 20, "large enough to be masked in pieces");
    std::fs::write(&layout, text).unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .arg("check")
        .arg(&layout)
        .env("WARD_THREADS", usize::MAX.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let minute = std::time::Duration::from_secs(60);
    let status = deadline::wait_for(&mut child, std::time::Instant::now(), minute)
        .unwrap_or_else(|| panic!("ward still ran after a minute"));
    assert_eq!(status.code(), Some(1), "error findings, no crash");
}

/// A reader that closes ward's output early (`ward check | head`) ends the
/// report quietly: the status is still the one the layout earns (1 for
/// error findings, 0 for a resolve), and nothing is said on stderr.
#[cfg(unix)]
#[test]
fn a_closed_output_pipe_is_no_failure() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Enough output to fill the pipe: ward is still writing when the
    // reader goes, and its next write meets the closed pipe.
    let secrets = |ty: &str| -> String {
        (0..2000)
            .map(|i| {
                format!("[sites.s.secrets.K{i}]\ntype = \"{ty}\"\nscope = [\"web\"]\nvalue = \"canary{i}\"\n")
            })
            .collect()
    };
    let broken = dir.path().join("broken.toml");
    let fine = dir.path().join("fine.toml");
    std::fs::write(&broken, secrets("nope")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&fine, secrets("env")).unwrap_or_else(|e| panic!("{e}"));
    let resolve = ["resolve", "--site", "s", "--env", "dev"];
    // (`explain` prints one secret's chain: too little to fill a pipe.)
    let runs: [(&[&str], &std::path::Path, i32); 3] = [
        (&["check", "--format", "json"], &broken, 1),
        (&["check"], &broken, 1),
        (&resolve, &fine, 0),
    ];
    for (args, layout, status) in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(args)
            .arg(layout)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
        let mut head = [0u8; 64];
        stdout
            .read_exact(&mut head)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        drop(stdout);
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(status), "{args:?}: {stderr}");
        assert!(out.stderr.is_empty(), "{args:?}: {stderr}");
    }
}
