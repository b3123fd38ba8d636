//! ward side by side with the `toml` crate's bare parse and with regorus evaluating the same
//! rules written in Rego (`benches/rego/pantheon.rego`), on one generated layout, in one run.
//!
//! ```sh
//! cargo bench --bench side_by_side -- --secrets 100000 [--files K] [--runs R] [--layout DIR]
//!     [--rego FILE]
//! ```
//!
//! `--layout DIR` checks an existing layout instead of generating one; `--rego FILE` evaluates
//! another Rego file (package `ward.pantheon`, rule `findings`), e.g. while editing it.
//!
//! Measured, each `--runs` times (default 5), in rounds of one run of each (the machine's
//! speed drifts, and every measure should see the same drift), reported as median and min–max:
//! - `toml` bare parse: `toml::from_str::<toml::Table>` of every file, file reads included
//!   (ward's process reads them too);
//! - ward: the whole `ward check DIR --format json` process (release binary), stdout to null;
//! - regorus: the layout's JSON text parsed into a `regorus::Value` (the TOML → JSON conversion
//!   itself is not timed), then engine setup (new engine + the Rego policy), data load, and the
//!   evaluation of `data.ward.pantheon.findings`.
//!
//! Honesty check: the per-rule counts of ward's JSON findings and of the Rego findings are
//! printed side by side; any difference prints a MISMATCH line and the bench exits with status 1.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/support/layout_gen.rs"]
mod layout_gen;

const POLICY_PATH: &str = "benches/rego/pantheon.rego";
const POLICY: &str = include_str!("rego/pantheon.rego");
const FINDINGS_RULE: &str = "data.ward.pantheon.findings";
/// The Rego rule that counts what every view sees, as `ward check` does.
const VIEWS_RULE: &str = "data.ward.pantheon.view_totals";
/// ward's loader findings: about the TOML itself, not the policy (not expected in generated
/// layouts); the Rego does not reproduce them.
const LOADER_RULES: &[&str] = &[
    "toml-syntax",
    "unknown-field",
    "invalid-field",
    "missing-field",
    "duplicate",
];

struct Args {
    secrets: u64,
    files: u64,
    runs: usize,
    layout: Option<PathBuf>,
    rego: Option<PathBuf>,
}

/// `--secrets N --files K --runs R --layout DIR --rego FILE`; anything else (cargo's `--bench`) is ignored.
fn args() -> Args {
    let mut a = Args {
        secrets: 100_000,
        files: 1,
        runs: 5,
        layout: None,
        rego: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_default();
        match flag.as_str() {
            "--secrets" => a.secrets = value().parse().expect("--secrets takes a number"),
            "--files" => a.files = value().parse().expect("--files takes a number"),
            "--runs" => a.runs = value().parse().expect("--runs takes a number"),
            "--layout" => a.layout = Some(PathBuf::from(value())),
            "--rego" => a.rego = Some(PathBuf::from(value())),
            _ => {}
        }
    }
    a.runs = a.runs.max(1);
    a
}

/// The `*.toml` files under `dir`, sorted, skipping hidden entries and `target/` as ward does.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("the layout directory is readable")
        .map(|e| e.expect("a directory entry is readable").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Runs `f` `runs` times and returns each run's duration (and the last result).
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(out);
    }
    (times, last.expect("at least one run"))
}

struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
}

fn stats(times: &[Duration]) -> Stats {
    let mut sorted = times.to_vec();
    sorted.sort();
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    };
    Stats {
        median,
        min: sorted[0],
        max: sorted[n - 1],
    }
}

fn ms(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{} µs", d.as_micros())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

fn row(label: &str, times: &[Duration]) {
    let s = stats(times);
    println!(
        "  {label:<54} {:>12}   {:>11} – {:<11}",
        ms(s.median),
        ms(s.min),
        ms(s.max)
    );
}

fn ratio(label: &str, a: &[Duration], b: &[Duration]) {
    let (a, b) = (stats(a).median, stats(b).median);
    println!("  {label:<72} {:>8.2}×", a.as_secs_f64() / b.as_secs_f64());
}

/// The machine: core count and CPU model.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!("nproc {cores}, {model}")
}

/// Sum of a set of durations, run by run.
fn add(a: &[Duration], b: &[Duration]) -> Vec<Duration> {
    a.iter().zip(b).map(|(x, y)| *x + *y).collect()
}

/// `result`'s value, or a panic that says only `what` failed: the errors of
/// the parsers and of regorus may quote the layout, values included, and
/// `--layout` may name a real one.
fn or_die<T, E>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(_) => panic!("{what}: failed (the error is not shown: it may quote a secret value)"),
    }
}

/// Parses every file with the `toml` crate and nothing else; returns the tables.
fn toml_parse(files: &[PathBuf]) -> Vec<toml::Table> {
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).expect("a layout file is readable");
            or_die(
                toml::from_str::<toml::Table>(&text),
                "the layout is valid TOML",
            )
        })
        .collect()
}

/// An event receiver that ignores every event: toml_parser's lexer and
/// parser alone, the floor for any loader built on them (as ward's is).
struct Ignore;

impl toml_parser::parser::EventReceiver for Ignore {}

/// Counts the errors toml_parser reports.
struct Errors(usize);

impl toml_parser::ErrorSink for Errors {
    fn report_error(&mut self, _error: toml_parser::ParseError) {
        self.0 += 1;
    }
}

/// Tokens parsed at a time, as ward's loader does (`CHUNK_TOKENS`).
const FLOOR_CHUNK: usize = 16 * 1024;

/// Reads every file and runs toml_parser's lexer and parser over it on one
/// thread, building nothing. The tokens are parsed in chunks that end
/// before a header, as ward's loader parses them: a file's tokens
/// collected whole (2M tokens, 53 MB for a file of 14 MB) made this floor
/// twice as high, in page faults of memory no loader needs.
fn toml_parser_floor(files: &[PathBuf]) {
    use toml_parser::lexer::TokenKind;
    let mut tokens = Vec::with_capacity(FLOOR_CHUNK + 1024);
    let mut errors = Errors(0);
    for f in files {
        let text = fs::read_to_string(f).expect("a layout file is readable");
        let (mut depth, mut line_start) = (0i64, true);
        for token in toml_parser::Source::new(&text).lex() {
            match token.kind() {
                TokenKind::LeftSquareBracket => {
                    if depth == 0 && line_start && tokens.len() >= FLOOR_CHUNK {
                        toml_parser::parser::parse_document(&tokens, &mut Ignore, &mut errors);
                        tokens.clear();
                    }
                    depth += 1;
                }
                TokenKind::LeftCurlyBracket => depth += 1,
                TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => depth -= 1,
                _ => {}
            }
            line_start = token.kind() == TokenKind::Newline;
            tokens.push(token);
        }
        toml_parser::parser::parse_document(&tokens, &mut Ignore, &mut errors);
        tokens.clear();
    }
    assert_eq!(errors.0, 0, "generated layouts are valid TOML");
}

/// The layout as one JSON document: every file's `orgs` and `sites` merged.
fn layout_json(tables: Vec<toml::Table>) -> String {
    let mut merged: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    for table in tables {
        for (group, members) in table {
            let serde_json::Value::Object(members) =
                or_die(serde_json::to_value(members), "TOML converts to JSON")
            else {
                continue;
            };
            merged.entry(group).or_default().extend(members);
        }
    }
    serde_json::to_string(&serde_json::json!({ "layout": merged })).expect("JSON serializes")
}

/// `ward check DIR --format json`, its stdout to `stdout`.
fn ward(dir: &Path, stdout: Stdio) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ward"));
    cmd.arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .stdout(stdout)
        .stderr(Stdio::null());
    cmd
}

/// Per-rule counts of ward's `check --format json` output, and its view
/// totals (`summary.views`, `summary.resolved`).
fn ward_counts(dir: &Path) -> (BTreeMap<String, usize>, (u64, u64)) {
    let out = ward(dir, Stdio::piped()).output().expect("ward runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "ward check failed: {:?}",
        out.status
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ward prints JSON");
    let mut counts = BTreeMap::new();
    for f in json["findings"].as_array().expect("a findings array") {
        let rule = f["rule"].as_str().expect("a rule id").to_string();
        *counts.entry(rule).or_insert(0) += 1;
    }
    let summary = &json["summary"];
    let total = |key: &str| summary[key].as_u64().expect("a view total in the summary");
    (counts, (total("views"), total("resolved")))
}

/// The Rego's view totals, as (views, resolved).
fn rego_totals(totals: &regorus::Value) -> (u64, u64) {
    let total = |key: &str| {
        let n = totals[key].as_u64();
        or_die(n, "view_totals has whole numbers")
    };
    (total("views"), total("resolved"))
}

/// Per-rule counts of the Rego findings.
fn rego_counts(findings: &regorus::Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for f in findings.as_set().expect("findings is a set").iter() {
        let rule = f["rule"].as_string().expect("a rule id").to_string();
        *counts.entry(rule).or_insert(0) += 1;
    }
    counts
}

/// The regorus timings of one run, in order: setup, data load, the
/// findings' eval, the views' eval.
struct RegoRun {
    setup: Duration,
    load: Duration,
    eval: Duration,
    views: Duration,
    findings: regorus::Value,
    totals: regorus::Value,
}

fn regorus_run(policy: &(String, String), data: regorus::Value) -> RegoRun {
    let start = Instant::now();
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(policy.0.clone(), policy.1.clone())
        .expect("the Rego policy parses");
    let setup = start.elapsed();
    let start = Instant::now();
    or_die(engine.add_data(data), "the layout loads as data");
    let load = start.elapsed();
    let start = Instant::now();
    let findings = or_die(
        engine.eval_rule(FINDINGS_RULE.to_string()),
        "the Rego policy evaluates",
    );
    let eval = start.elapsed();
    let start = Instant::now();
    let totals = or_die(
        engine.eval_rule(VIEWS_RULE.to_string()),
        "the Rego views evaluate",
    );
    let views = start.elapsed();
    RegoRun {
        setup,
        load,
        eval,
        views,
        findings,
        totals,
    }
}

fn main() -> ExitCode {
    let a = args();
    let _tmp;
    let dir = match &a.layout {
        Some(dir) => dir.clone(),
        None => {
            let tmp = tempfile::tempdir().expect("a temporary directory");
            let generated = layout_gen::generate(a.secrets, a.files, 1);
            for (i, text) in generated.files.iter().enumerate() {
                fs::write(tmp.path().join(format!("layout-{i:03}.toml")), text)
                    .expect("the layout is written");
            }
            let dir = tmp.path().to_path_buf();
            eprintln!(
                "generated {} secrets ({} orgs, {} sites) into {}",
                a.secrets,
                generated.orgs,
                generated.sites,
                dir.display()
            );
            _tmp = tmp;
            dir
        }
    };
    let mut files = Vec::new();
    toml_files(&dir, &mut files);
    let bytes: u64 = files
        .iter()
        .map(|f| fs::metadata(f).expect("a layout file").len())
        .sum();

    // Untimed: the JSON document regorus reads, and what the layout holds.
    let tables = toml_parse(&files);
    let (mut orgs, mut sites, mut secrets) = (0, 0, 0);
    for table in &tables {
        for (group, members) in table {
            let Some(members) = members.as_table() else {
                continue;
            };
            match group.as_str() {
                "orgs" => orgs += members.len(),
                "sites" => sites += members.len(),
                _ => continue,
            }
            secrets += members
                .values()
                .filter_map(|m| m.get("secrets").and_then(toml::Value::as_table))
                .map(toml::Table::len)
                .sum::<usize>();
        }
    }
    let json = layout_json(tables);
    let policy = match &a.rego {
        Some(path) => (
            path.display().to_string(),
            fs::read_to_string(path).expect("the --rego file is readable"),
        ),
        None => (POLICY_PATH.to_string(), POLICY.to_string()),
    };

    println!("side_by_side: ward vs the `toml` crate vs regorus, one layout");
    println!("  machine: {}", machine());
    println!(
        "  layout:  {} ({} files, {bytes} bytes of TOML, {} bytes as JSON; {orgs} orgs, {sites} sites, {secrets} secrets)",
        dir.display(),
        files.len(),
        json.len()
    );
    println!("  policy:  {}", policy.0);
    println!("  runs:    {} each", a.runs);
    println!();

    let ward_run = |threads: Option<&str>| {
        let mut cmd = ward(&dir, Stdio::null());
        if let Some(n) = threads {
            cmd.env("WARD_THREADS", n);
        }
        let status = cmd.status().expect("ward runs");
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "ward check failed: {status:?}"
        );
    };
    let (mut toml_times, mut floor_times) = (Vec::new(), Vec::new());
    let (mut ward_times, mut ward_one_times) = (Vec::new(), Vec::new());
    let mut json_times = Vec::new();
    let mut setup_times = Vec::new();
    let mut load_times = Vec::new();
    let mut eval_times = Vec::new();
    let mut views_times = Vec::new();
    let mut findings = regorus::Value::Undefined;
    let mut totals = regorus::Value::Undefined;
    // In rounds, one run of each per round: this machine's speed drifts
    // by a fifth within minutes, and a ratio of runs taken minutes apart
    // would measure the drift.
    for _ in 0..a.runs {
        toml_times.extend(measure(1, || toml_parse(&files)).0);
        floor_times.extend(measure(1, || toml_parser_floor(&files)).0);
        ward_times.extend(measure(1, || ward_run(None)).0);
        ward_one_times.extend(measure(1, || ward_run(Some("1"))).0);
        let start = Instant::now();
        let data = or_die(
            regorus::Value::from_json_str(&json),
            "the layout JSON parses",
        );
        json_times.push(start.elapsed());
        let run = regorus_run(&policy, data);
        setup_times.push(run.setup);
        load_times.push(run.load);
        eval_times.push(run.eval);
        views_times.push(run.views);
        findings = run.findings;
        totals = run.totals;
    }
    let rego_times = add(&add(&setup_times, &load_times), &eval_times);
    let rego_all = add(&json_times, &rego_times);
    // What `ward check` does: the findings and every view.
    let rego_job = add(&rego_times, &views_times);
    let rego_job_all = add(&json_times, &rego_job);

    println!(
        "  {:<54} {:>12}   {:>11}   {:<11}",
        "measure", "median", "min", "max"
    );
    row("toml::from_str::<Table> (reads included)", &toml_times);
    row("toml_parser lex + parse, no-op receiver", &floor_times);
    row("ward check --format json (whole process)", &ward_times);
    row("  the same, WARD_THREADS=1", &ward_one_times);
    row("regorus: JSON text -> Value", &json_times);
    row("regorus: engine + add_policy", &setup_times);
    row("regorus: add_data", &load_times);
    row("regorus: eval findings", &eval_times);
    row("regorus: eval view totals", &views_times);
    row("regorus: setup + data + eval findings", &rego_times);
    row(
        "regorus: JSON parse + setup + data + eval findings",
        &rego_all,
    );
    row("regorus: setup + data + findings + views", &rego_job);
    row(
        "regorus: JSON parse + setup + data + findings + views",
        &rego_job_all,
    );
    println!(
        "  (toml, toml_parser: files read and parsed on one thread; ward: the whole process, start\n   \
         to exit, JSON to /dev/null; regorus: from the JSON text in memory, the TOML -> JSON\n   \
         conversion not timed)"
    );
    println!();
    println!("ratios (medians):");
    ratio("ward process / toml bare parse", &ward_times, &toml_times);
    ratio(
        "ward process, 1 thread / toml bare parse",
        &ward_one_times,
        &toml_times,
    );
    ratio(
        "ward process / toml_parser floor (1 thread)",
        &ward_times,
        &floor_times,
    );
    ratio(
        "regorus (setup + data + findings) / ward process",
        &rego_times,
        &ward_times,
    );
    ratio(
        "regorus (JSON parse + setup + data + findings) / ward process",
        &rego_all,
        &ward_times,
    );
    ratio(
        "regorus (setup + data + findings + views) / ward process",
        &rego_job,
        &ward_times,
    );
    ratio(
        "regorus (JSON parse + setup + data + findings + views) / ward process",
        &rego_job_all,
        &ward_times,
    );
    println!();

    let (ward, ward_views) = ward_counts(&dir);
    let rego = rego_counts(&findings);
    let rego_views = rego_totals(&totals);
    let mut rules: Vec<&String> = ward.keys().chain(rego.keys()).collect();
    rules.sort();
    rules.dedup();
    println!("findings per rule:");
    println!("  {:<24} {:>8} {:>8}", "rule", "ward", "rego");
    let mut mismatches = Vec::new();
    let mut loader = 0;
    for rule in rules {
        let (w, r) = (
            ward.get(rule).copied().unwrap_or(0),
            rego.get(rule).copied().unwrap_or(0),
        );
        if LOADER_RULES.contains(&rule.as_str()) {
            println!(
                "  {rule:<24} {w:>8} {:>8}  (loader finding: not in the Rego)",
                "-"
            );
            loader += w;
            continue;
        }
        let mark = if w == r { "" } else { "  <- differs" };
        println!("  {rule:<24} {w:>8} {r:>8}{mark}");
        if w != r {
            mismatches.push(format!("{rule} (ward {w}, rego {r})"));
        }
    }
    println!(
        "  {:<24} {:>8} {:>8}",
        "total",
        ward.values().sum::<usize>() - loader,
        rego.values().sum::<usize>()
    );
    if loader > 0 {
        println!(
            "note: ward reported {loader} loader finding(s); the Rego reads the TOML as parsed, so \
             rule counts may differ where the loader dropped or rejected an entry"
        );
    }
    println!(
        "views: ward {} views, {} secrets seen; rego {} views, {} secrets seen",
        ward_views.0, ward_views.1, rego_views.0, rego_views.1
    );
    if ward_views != rego_views {
        mismatches.push(format!(
            "view totals (ward {ward_views:?}, rego {rego_views:?})"
        ));
    }
    if mismatches.is_empty() {
        println!("counts match: the Rego policy finds and sees what ward does");
        ExitCode::SUCCESS
    } else {
        println!("MISMATCH: {}", mismatches.join(", "));
        ExitCode::FAILURE
    }
}
