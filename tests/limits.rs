//! Limits: inputs far beyond any real layout or policy. Each one either
//! works, in time that grows linearly with it, or fails with a clear
//! diagnostic (file, line and column, help) — never a stack overflow, a
//! hang or a panic. Inputs are generated in a temporary directory.
//!
//! Every run has a deadline (`DEADLINE`) far above what it needs, so a hang
//! or a quadratic regression fails here instead of stalling CI. The inputs
//! that used to be quadratic (100k environments and overrides, 10k duplicate
//! keys, 10k unknown orgs, long conditions) are sized so that the old code
//! would blow that deadline.
//!
//! A 100 MB file takes over a minute in a debug build, so by default the
//! file is 10 MB; `WARD_LIMITS_100MB=1 cargo test --release --test limits`
//! checks 100 MB too. `-- --nocapture` prints how long each run took.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/deadline.rs"]
mod deadline;

/// Longest any one run may take (a debug build on a busy 2-core machine
/// needs under 10 s for each).
const DEADLINE: Duration = Duration::from_secs(120);

/// A finished `ward` run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `ward ARGS` in `dir`, failing on a crash, a panic or the deadline.
fn ward(dir: &Path, args: &[&str]) -> Run {
    let line = format!("ward {}", args.join(" "));
    let line: String = line.chars().take(200).collect();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let Some(status) = deadline::wait_for(&mut child, start, DEADLINE) else {
        panic!(
            "`{line}` did not finish in {DEADLINE:?}: a hang, or time growing faster than the input"
        );
    };
    let run = Run {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    eprintln!("{:>7.2?}  {line}", start.elapsed());
    let all = run.all();
    assert!(
        matches!(run.code, Some(0..=2)),
        "`{line}` ended with {status:?}:\n{}",
        tail(&all)
    );
    assert!(
        !all.contains("panicked"),
        "`{line}` panicked:\n{}",
        tail(&all)
    );
    assert!(
        !all.contains("overflow"),
        "`{line}` overflowed:\n{}",
        tail(&all)
    );
    run
}

/// The end of a long output, for failure messages.
fn tail(s: &str) -> &str {
    let mut cut = s.len().saturating_sub(3000);
    while !s.is_char_boundary(cut) {
        cut += 1;
    }
    &s[cut..]
}

/// The summary line of `ward check`.
fn summary(run: &Run) -> &str {
    run.stdout.lines().last().unwrap_or_default()
}

/// The rules of the findings of a `--format json` run.
fn fired_rules(run: &Run) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let rule = |f: &serde_json::Value| f["rule"].as_str().unwrap().to_owned();
    findings.iter().map(rule).collect()
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A policy with the usual vocabularies and `rules`.
fn policy(rules: &str) -> String {
    format!(
        "policy \"limits\" {{\n  types env\n  scopes web\n  environments dev, test, live\n  \
         precedence org.default < org.override < site.default < site.override\n  \
         inherit from owner\n{rules}}}\n"
    )
}

/// `[sites.s.secrets.K]` with a value, as a site secret.
fn secret(out: &mut String, site: &str, name: &str, value: &str) {
    writeln!(
        out,
        "[sites.{site}.secrets.{name}]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"{value}\""
    )
    .unwrap();
}

#[test]
fn regexes_too_big_to_compile_are_refused_at_the_regex() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "layout.toml", "[sites.s]\n");
    let cases = [
        (
            "repeat.policy",
            policy(
                "  error r on secret\n    require name =~ /(a{1000}){1000}/\n    message \"m\"\n",
            ),
            "repeat.policy:8:21",
            "Compiled regex exceeds size limit",
        ),
        (
            "env-names.policy",
            policy("  environment names /(a{1000}){1000}/\n"),
            "env-names.policy:7:21",
            "Compiled regex exceeds size limit",
        ),
        (
            "counted.policy",
            policy(
                "  error r on secret\n    require name =~ /\\w{1000}\\w{1000}\\w{1000}/\n    message \"m\"\n",
            ),
            "counted.policy:8:21",
            "Compiled regex exceeds size limit",
        ),
        (
            "groups.policy",
            policy(&format!(
                "  error r on secret\n    require name =~ /{}a{}/\n    message \"m\"\n",
                "(".repeat(10_000),
                ")".repeat(10_000)
            )),
            "groups.policy:8:21",
            "nested parentheses",
        ),
    ];
    for (name, text, place, reason) in cases {
        write(dir.path(), name, text);
        let run = ward(dir.path(), &["check", "layout.toml", "--policy", name]);
        let err = &run.stderr;
        assert_eq!(run.code, Some(2), "{err}");
        assert!(err.contains("invalid regular expression"), "{err}");
        assert!(err.contains(place), "{err}");
        assert!(err.contains("does not compile"), "{err}");
        assert!(err.contains(reason), "{err}");
    }
}

#[test]
fn regexes_run_in_linear_time_on_long_values() {
    // `(a|aa)+$` backtracks exponentially in engines that backtrack; ward's
    // regex engine is linear in the value, so a 1 MB value is quick.
    let dir = tempfile::tempdir().unwrap();
    let rules = "  error r on value\n    require not value =~ /^(a|aa)+$/\n    message \"m\"\n";
    write(dir.path(), "p.policy", policy(rules));
    let mut layout = String::new();
    secret(&mut layout, "s", "K", &format!("{}b", "a".repeat(1 << 20)));
    write(dir.path(), "layout.toml", layout);
    let run = ward(
        dir.path(),
        &["check", "layout.toml", "--policy", "p.policy"],
    );
    assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
}

#[test]
fn deep_nesting_is_a_syntax_error_at_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let head = "[sites.s.secrets.X]\n";
    let shapes = [
        (
            "arrays",
            format!("value = {}{}", "[".repeat(n), "]".repeat(n)),
            "2:89",
        ),
        (
            "tables",
            format!("value = {}1{}", "{a = ".repeat(n), "}".repeat(n)),
            "2:124",
        ),
        (
            "mixed",
            format!("value = {}1{}", "[{a = ".repeat(n), "}]".repeat(n)),
            "2:124",
        ),
        ("unclosed", format!("value = {}", "[".repeat(n)), "2:89"),
        ("dotted", format!("{}a = 1", "a.".repeat(n)), "2:1"),
        ("header", format!("[{}a]", "a.".repeat(n)), "2:1"),
    ];
    for (shape, line, place) in shapes {
        let name = format!("{shape}.toml");
        write(dir.path(), &name, format!("{head}{line}\n"));
        let run = ward(dir.path(), &["check", &name]);
        let out = &run.stdout;
        assert_eq!(run.code, Some(1), "{}", tail(out));
        let at = format!("invalid TOML: nested more than 80 levels deep\n   ╭─[{name}:{place}]");
        assert!(out.contains(&at), "{shape}: no `{at}` in\n{}", tail(out));
        assert!(
            out.contains("help: TOML files may nest arrays"),
            "{}",
            tail(out)
        );
        // The REPL loads the same file through the same loader; it cannot
        // edit a file with syntax errors, and says so.
        let run = ward(dir.path(), &["repl", &name, "--exec", "sites; check"]);
        assert!(run.all().contains("nested more than 80 levels deep"));
    }
}

#[test]
fn deep_nesting_is_safe_on_a_small_stack() {
    // The library on a thread with a 1 MiB stack (a test thread has 2 MiB,
    // the main thread 8 MiB): the parsers and the masker, which follow
    // arrays and inline tables, stop at a fixed depth (the masker once
    // followed all 100k levels).
    let n = 100_000;
    let text = format!(
        "[sites.s.secrets.X]\nvalue = {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let findings = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let loaded = ward::layout::load_str("deep.toml", &text);
            let masked = ward::layout::mask::mask_layout(&text);
            assert_eq!(masked.len(), text.len());
            loaded
                .findings
                .iter()
                .map(|f| f.rule.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(findings.iter().any(|r| r == "toml-syntax"), "{findings:?}");
}

#[test]
fn a_hundred_thousand_secrets_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[orgs.o]\n[sites.s]\nowner = \"o\"\n");
    for i in 0..100_000 {
        secret(&mut text, "s", &format!("K{i}"), &format!("value-{i}"));
    }
    write(dir.path(), "big.toml", text);
    let run = ward(dir.path(), &["check", "big.toml"]);
    assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
    assert_eq!(
        summary(&run),
        "0 errors, 0 warnings, 0 infos (1 file, 1 org, 1 site, 100000 secrets; 9 views resolved, 300000 secrets seen)"
    );
}

/// A site with `n` environments and a secret with an override for each.
fn wide(n: usize) -> String {
    let envs: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    let quoted: Vec<String> = envs.iter().map(|e| format!("\"{e}\"")).collect();
    let overrides: Vec<String> = envs.iter().map(|e| format!("{e} = \"v-{e}\"")).collect();
    format!(
        "[sites.s]\nenvironments = [{}]\n\n[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\n\
         value = \"default\"\noverrides = {{ {} }}\n",
        quoted.join(", "),
        overrides.join(", ")
    )
}

#[test]
fn a_site_with_many_multidevs_and_many_secrets() {
    // `check` resolves every view: 30k environments × 3 scopes, each
    // seeing up to 30k secrets, is 900M secrets seen. Listing them view by
    // view would take minutes; counting them takes what the site holds.
    let n = 30_000;
    let envs: Vec<String> = (0..n).map(|i| format!("\"e{i}\"")).collect();
    let mut text = format!("[sites.s]\nenvironments = [{}]\n", envs.join(", "));
    for i in 0..n {
        secret(&mut text, "s", &format!("K{i}"), "v");
    }
    // An override of K0 changes its value in e7, not what is seen.
    writeln!(text, "[sites.s.secrets.K0.overrides]\ne7 = \"w\"").unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "many.toml", text);
    let run = ward(dir.path(), &["check", "many.toml"]);
    assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
    let views = (n + 3) * 3;
    let seen = (n + 3) * n;
    assert_eq!(
        summary(&run),
        format!(
            "0 errors, 0 warnings, 0 infos (1 file, 0 orgs, 1 site, {n} secrets; \
             {views} views resolved, {seen} secrets seen)"
        )
    );
}

#[test]
fn a_hundred_thousand_overrides_on_one_secret() {
    // Each override is checked against its site's environments: once a
    // linear search per override, in a list built per override with a
    // quadratic search (100k overrides took hours).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.toml", wide(100_000));
    let run = ward(dir.path(), &["check", "wide.toml"]);
    assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
    assert_eq!(
        summary(&run),
        "0 errors, 0 warnings, 0 infos (1 file, 0 orgs, 1 site, 1 secret; 300009 views resolved, 100003 secrets seen)"
    );
    // Resolution, and the REPL's `diff`, which resolves every environment
    // of the edited site before and after (once quadratic in them: 4k
    // environments took 20 s in a release build).
    write(dir.path(), "10k.toml", wide(10_000));
    let args = ["explain", "10k.toml", "--site", "s", "--env", "e9999", "X"];
    let run = ward(dir.path(), &args);
    let wins = "wins     site s (e9999 override)";
    assert!(run.stdout.contains(wins), "{}", run.all());
    let script = "secret:site:set s.e77 X new; diff";
    let run = ward(dir.path(), &["repl", "10k.toml", "--exec", script]);
    let changed = "~  X  site s (e77 override)";
    assert!(run.stdout.contains(changed), "{}", tail(&run.all()));

    // 10k overrides for environments the site lacks: one finding each.
    let mut text = String::from(
        "[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"v\"\n\n[sites.s.secrets.X.overrides]\n",
    );
    for i in 0..10_000 {
        writeln!(text, "e{i} = \"v{i}\"").unwrap();
    }
    write(dir.path(), "unknown.toml", text);
    let run = ward(dir.path(), &["check", "unknown.toml", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let rules = fired_rules(&run);
    assert_eq!(rules.len(), 10_000);
    assert!(rules.iter().all(|r| r == "override-unknown-env"));
}

/// A layout of about `bytes` bytes: sites of 10 secrets with 500-byte values
/// and two overrides each. Returns the number of sites.
fn big_layout(path: &Path, bytes: usize) -> usize {
    let mut text = String::with_capacity(bytes + 10_000);
    text.push_str(
        "[orgs.o.secrets.ORG_TOKEN]\ntype = \"env\"\nscope = [\"ic\", \"web\"]\nvalue = \"org\"\n",
    );
    let filler = "x".repeat(480);
    let mut sites = 0;
    while text.len() < bytes {
        let site = format!("site-{sites}");
        writeln!(text, "\n[sites.{site}]\nowner = \"o\"\nphp = \"8.3\"").unwrap();
        for k in 0..10 {
            writeln!(
                text,
                "[sites.{site}.secrets.KEY_{k}]\ntype = \"env\"\nscope = [\"web\"]\n\
                 value = \"{sites}-{k}-{filler}\"\noverrides = {{ live = \"live-{k}\", dev = \"dev-{k}\" }}"
            )
            .unwrap();
        }
        sites += 1;
    }
    std::fs::write(path, text).unwrap();
    sites
}

#[test]
fn a_ten_megabyte_file() {
    let dir = tempfile::tempdir().unwrap();
    let sizes: &[usize] = match std::env::var_os("WARD_LIMITS_100MB") {
        Some(_) => &[10 << 20, 100 << 20],
        None => &[10 << 20],
    };
    for &bytes in sizes {
        let sites = big_layout(&dir.path().join("big.toml"), bytes);
        let run = ward(dir.path(), &["check", "big.toml"]);
        assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
        // Each site: 3 environments × 3 scopes; in each environment `web`
        // sees its 10 secrets and ORG_TOKEN, `ic` sees ORG_TOKEN.
        let expected = format!(
            "0 errors, 0 warnings, 0 infos (1 file, 1 org, {sites} sites, {} secrets; \
             {} views resolved, {} secrets seen)",
            sites * 10 + 1,
            sites * 9,
            sites * 3 * 12,
        );
        assert_eq!(summary(&run), expected);
    }
}

#[test]
fn bytes_that_are_not_utf8_stop_ward_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("layouts")).unwrap();
    write(dir.path(), "layouts/a.toml", "[sites.a]\n");
    write(
        dir.path(),
        "layouts/bad.toml",
        b"[sites.s.secrets.X]\ntype = \"env\"\nvalue = \"ab\xff\xfecd\"\n",
    );
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("[sites.s]\n".encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "utf16.toml", utf16);
    write(
        dir.path(),
        "bad.policy",
        b"policy \"p\" {\n  types env\xff\n}\n",
    );
    let bad = format!(
        "`{}` is not UTF-8 text",
        Path::new("layouts").join("bad.toml").display()
    );
    let cases: [(&[&str], &str, &str); 5] = [
        (&["check", "layouts"], &bad, "(line 3)"),
        (&["check", "layouts", "--format", "json"], &bad, "(line 3)"),
        (&["repl", "layouts", "--exec", "sites"], &bad, "(line 3)"),
        (
            &["check", "utf16.toml"],
            "`utf16.toml` is not UTF-8 text",
            "(line 1)",
        ),
        (
            &["check", "layouts/a.toml", "--policy", "bad.policy"],
            "cannot read policy `bad.policy`: not UTF-8 text",
            "(line 2)",
        ),
    ];
    for (args, message, line) in cases {
        let run = ward(dir.path(), args);
        let err = &run.stderr;
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.all());
        assert!(
            err.contains(message) && err.contains(line),
            "{args:?}: {err}"
        );
    }
    let run = ward(dir.path(), &["check", "layouts"]);
    assert!(
        run.stderr.contains("help: TOML files are UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_of_ten_thousand_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("layouts");
    for i in 0..10_000 {
        let sub = root.join(format!("d{}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        let mut text = String::new();
        secret(&mut text, &format!("site-{i}"), "KEY", &format!("v{i}"));
        std::fs::write(sub.join(format!("f{i:05}.toml")), text).unwrap();
    }
    let run = ward(dir.path(), &["check", "layouts"]);
    assert_eq!(run.code, Some(0), "{}", tail(&run.all()));
    assert_eq!(
        summary(&run),
        "0 errors, 0 warnings, 0 infos (10000 files, 0 orgs, 10000 sites, 10000 secrets; 90000 views resolved, 30000 secrets seen)"
    );
}

#[test]
fn a_policy_with_ten_thousand_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = String::new();
    for i in 0..10_000 {
        writeln!(
            rules,
            "  warning r{i} on secret\n    when name == K{i}\n    require value.bytes > {i}\n    \
             message \"rule {i} on `{{name}}`\"\n    help \"h\""
        )
        .unwrap();
    }
    write(dir.path(), "many.policy", policy(&rules));
    let mut layout = String::new();
    for i in 0..20 {
        secret(&mut layout, "s", &format!("K{i}"), "v");
    }
    write(dir.path(), "layout.toml", layout);
    let args = [
        "check",
        "layout.toml",
        "--policy",
        "many.policy",
        "--format",
        "json",
    ];
    let run = ward(dir.path(), &args);
    // `value.bytes > i` fails for K1..K19 (their values are 1 byte).
    let fired = fired_rules(&run);
    assert_eq!(fired.len(), 19, "{}", tail(&run.all()));
    assert_eq!(fired.first().map(String::as_str), Some("r1"));
}

#[test]
fn a_long_condition_is_evaluated_without_deep_recursion() {
    // `a and b and …` used to become a chain as deep as it is long, which
    // overflowed the stack when evaluated (and dropped). In-process, on a
    // small stack, so the test needs no huge input.
    let terms = vec!["name != x"; 20_000];
    let rules = format!(
        "  error long on secret\n    require {} and name == K\n    message \"m\"\n",
        terms.join(" and ")
    );
    let text = policy(&rules);
    let findings = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let policy = ward::policy::parse("long.policy", &text).unwrap();
            let mut layout = String::new();
            secret(&mut layout, "s", "K", "v");
            secret(&mut layout, "s", "L", "v");
            let loaded = ward::layout::load_str("layout.toml", &layout);
            let findings = ward::rules::check(&loaded.layout, &policy);
            findings
                .iter()
                .map(|f| f.rule.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(findings, ["long"]);
}

#[test]
fn a_megabyte_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let value = "x".repeat(1 << 20);
    let mut text = String::new();
    secret(&mut text, "s", "K", &value);
    write(dir.path(), "long.toml", &text);
    // The same line, broken by a token after the value.
    let broken = text.replace(&format!("{value}\"\n"), &format!("{value}\" junk\n"));
    write(dir.path(), "broken.toml", broken);
    for (name, rule, place) in [
        ("long.toml", "value-too-large", "long.toml:4:9"),
        ("broken.toml", "toml-syntax", "broken.toml:4:"),
    ] {
        let run = ward(dir.path(), &["check", name]);
        let out = run.all();
        assert_eq!(run.code, Some(1), "{}", tail(&out));
        assert!(out.contains(rule) && out.contains(place), "{}", tail(&out));
        // The line is cut, and its value masked, in the report.
        assert!(out.len() < 16 * 1024, "{} bytes of output", out.len());
        assert!(!out.contains("xxxxxxxx"), "{}", tail(&out));
    }
}

#[test]
fn ten_thousand_duplicate_keys() {
    // Each duplicate's first declaration was looked up by reading the whole
    // file again.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\n");
    for i in 0..10_000 {
        writeln!(text, "value = \"v{i}\"").unwrap();
    }
    for i in 0..10_000 {
        writeln!(text, "[sites.t{}]\nphp = \"8.{i}\"", i % 2).unwrap();
    }
    write(dir.path(), "dups.toml", text);
    let run = ward(dir.path(), &["check", "dups.toml", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let syntax = findings
        .iter()
        .filter(|f| f["rule"] == "toml-syntax")
        .count();
    assert_eq!(syntax, 9_999 + 9_998);
    // Each points at its own line.
    assert_eq!(findings[0]["line"], 5);
}

#[test]
fn ten_thousand_unknown_orgs() {
    // "did you mean" compares each unknown org with every declared one; past
    // a budget of comparisons the help comes without a suggestion.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..5_000 {
        writeln!(text, "[orgs.organisation-{i}]").unwrap();
    }
    for i in 0..5_000 {
        writeln!(
            text,
            "[sites.s{i}]\nowner = \"organisation-{i}x\"\nsupporting = [\"nobody-{i}\"]"
        )
        .unwrap();
    }
    write(dir.path(), "orgs.toml", text);
    let run = ward(dir.path(), &["check", "orgs.toml", "--format", "json"]);
    assert_eq!(run.code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 10_000);
    assert!(findings.iter().all(|f| f["rule"] == "unknown-org"));
    assert_eq!(findings[0]["help"], "did you mean `organisation-0`?");
}
