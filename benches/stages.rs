//! Criterion benchmarks of ward's stages on generated layouts (the shape of
//! `tests/support/layout_gen.rs`, ~220 bytes per secret):
//!
//! - `load`: layout text → model (`Loaded::add_text`; on 8 files,
//!   `Loaded::add_texts` and `load_paths` over a temporary directory, which
//!   adds reading the files);
//! - `lint`: `rules::check` on a loaded layout, and `cli::lint` (loader
//!   findings + policy findings, sorted) as `ward check` runs it;
//! - `resolve`: one `site.env` resolution on an already-loaded layout, at 10k
//!   and 100k secrets (and 1M with `WARD_BENCH_1M=1`);
//! - `repl_edit`: a `secret:site:set` and a `secret:org:set` (of the site's
//!   owner, which sites inherit from) in a REPL session, each with its
//!   re-check, and their `undo`, over a 10k layout (and 1M in 16 files
//!   with `WARD_BENCH_1M=1`); each iteration runs the edit and its undo,
//!   and times one of them, so that every iteration edits the same text.
//!   At 10k, also the parts of the whole-file way, through `Workspace`:
//!   the text edit alone, and the edit with a reload and `cli::lint`.
//!
//! ```sh
//! cargo bench --bench stages                 # a few minutes
//! cargo bench --bench stages -- resolve      # one group
//! WARD_BENCH_1M=1 cargo bench --bench stages -- resolve
//! WARD_BENCH_1M=1 cargo bench --bench stages -- repl_edit
//! WARD_THREADS=1 cargo bench --bench stages  # one thread where ward splits work
//! ```
//!
//! Layouts are generated in memory (or in a temporary directory), never
//! checked in.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use ward::layout::{Loaded, load_paths};
use ward::policy::Policy;
use ward::repl::{Edit, Options, OwnerRef, Session, Workspace};
use ward::resolve::{self, Query};
use ward::source::{SourceText, Text};

#[path = "../tests/support/layout_gen.rs"]
mod layout_gen;

/// The generator's seed: the same layouts on every run.
const SEED: u64 = 1;

/// One generated layout, its files as shared texts.
struct Input {
    /// Number of secrets.
    secrets: u64,
    /// Number of sites (ids `site-0` … `site-{sites-1}`).
    sites: u64,
    /// Number of orgs.
    orgs: u64,
    /// `(name, text)` per file.
    files: Vec<(String, Text)>,
}

impl Input {
    fn new(secrets: u64, files: u64) -> Input {
        let generated = layout_gen::generate(secrets, files, SEED);
        let files = generated
            .files
            .into_iter()
            .enumerate()
            .map(|(i, text)| (format!("layout-{i:03}.toml"), SourceText::shared(text)))
            .collect();
        Input {
            secrets,
            sites: generated.sites,
            orgs: generated.orgs,
            files,
        }
    }

    fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, t)| t.len() as u64).sum()
    }

    /// `10k`, `100k`, `1M`: the benchmark's parameter.
    fn label(&self) -> String {
        match self.secrets {
            n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
            n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
            n => n.to_string(),
        }
    }

    /// Loads the files one after the other with the public loader (fast
    /// path, reference loader as fallback).
    fn load(&self) -> Loaded {
        let mut loaded = Loaded::default();
        for (name, text) in &self.files {
            loaded.add_text(name, Text::clone(text));
        }
        loaded
    }

    /// Loads the files as `load_paths` does after reading them: together,
    /// on `WARD_THREADS` threads.
    fn load_together(&self) -> Loaded {
        let mut loaded = Loaded::default();
        loaded.add_texts(self.files.clone());
        loaded
    }

    /// Writes the files to a fresh temporary directory.
    fn write_to_temp(&self) -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix("ward-bench-")
            .tempdir()
            .expect("temporary directory");
        for (name, text) in &self.files {
            std::fs::write(dir.path().join(name), text.as_bytes()).expect("write layout");
        }
        dir
    }
}

fn policy() -> Policy {
    ward::policy::pantheon().expect("embedded policy")
}

/// A query for `site` in `live` (every site has it) with the runtime's scope.
fn query(site: &str) -> Query<'_> {
    Query {
        site,
        env: "live",
        scope: "web",
        ty: None,
    }
}

/// The site to resolve: the first from the middle of the layout that sees
/// at least three secrets (a personal site may see none). Sites differ in
/// what they see: throughput is in secrets seen, to compare sizes.
fn pick_site(input: &Input, loaded: &Loaded, policy: &Policy) -> (String, usize) {
    let start = input.sites / 2;
    (0..input.sites)
        .map(|k| format!("site-{}", (start + k) % input.sites))
        .find_map(|id| {
            let seen = resolve::resolve(&loaded.layout, policy, query(&id)).ok()?;
            (seen.len() >= 3).then_some((id, seen.len()))
        })
        .expect("a site that sees secrets")
}

/// Settings for benchmarks of milliseconds or more: few samples, one
/// iteration each (flat sampling), so that a run takes seconds.
fn slow(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
}

fn bench_load(c: &mut Criterion, inputs: &[&Input]) {
    let mut group = c.benchmark_group("load");
    slow(&mut group);
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes()));
        // The model is dropped outside the timing: dropping zeroizes every
        // value, a cost of its own that a process exiting does not pay.
        group.bench_with_input(
            BenchmarkId::new("add_text", input.label()),
            input,
            |b, input| b.iter_batched(|| (), |()| input.load(), BatchSize::PerIteration),
        );
    }
    // Several files, loaded together (on several threads), in memory and
    // from disk (page cache warm).
    let split = Input::new(100_000, 8);
    group.throughput(Throughput::Bytes(split.bytes()));
    group.bench_function(BenchmarkId::new("add_texts_8_files", split.label()), |b| {
        b.iter_batched(|| (), |()| split.load_together(), BatchSize::PerIteration)
    });
    let dir = split.write_to_temp();
    let paths = [dir.path().to_path_buf()];
    group.bench_function(BenchmarkId::new("load_paths_8_files", split.label()), |b| {
        b.iter_batched(
            || (),
            |()| load_paths(&paths).expect("load"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn bench_lint(c: &mut Criterion, inputs: &[&Input], policy: &Policy) {
    let mut group = c.benchmark_group("lint");
    slow(&mut group);
    for input in inputs {
        let loaded = input.load();
        group.throughput(Throughput::Elements(input.secrets));
        group.bench_function(BenchmarkId::new("rules_check", input.label()), |b| {
            b.iter(|| ward::rules::check(black_box(&loaded.layout), policy))
        });
    }
    // `cli::lint` takes the load by value: a fresh one per iteration
    // (untimed), so only at 10k.
    let small = inputs[0];
    group.throughput(Throughput::Elements(small.secrets));
    group.bench_function(BenchmarkId::new("cli_lint", small.label()), |b| {
        b.iter_batched(
            || small.load(),
            |loaded| ward::cli::lint(loaded, policy),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn bench_resolve(c: &mut Criterion, inputs: &[&Input], policy: &Policy) {
    let mut group = c.benchmark_group("resolve");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let big = want_1m().then(|| Input::new(1_000_000, 1));
    for input in inputs.iter().copied().chain(big.as_ref()) {
        let loaded = input.load();
        let (site, seen) = pick_site(input, &loaded, policy);
        group.throughput(Throughput::Elements(seen as u64));
        group.bench_function(BenchmarkId::new("site_env", input.label()), |b| {
            b.iter(|| {
                resolve::resolve(black_box(&loaded.layout), policy, query(black_box(&site)))
                    .expect("resolve")
                    .len()
            })
        });
    }
    group.finish();
    bench_resolve_all(c, inputs, policy);
}

/// Every site × environment × scope of a layout resolved, one after the
/// other: what answering every possible `ward resolve` costs (`ward check`
/// does not need it: no finding depends on a whole resolution).
fn bench_resolve_all(c: &mut Criterion, inputs: &[&Input], policy: &Policy) {
    let mut group = c.benchmark_group("resolve");
    slow(&mut group);
    for input in inputs {
        let loaded = input.load();
        group.throughput(Throughput::Elements(input.secrets));
        group.bench_function(
            BenchmarkId::new("every_site_env_scope", input.label()),
            |b| b.iter(|| resolve_all(&loaded, policy)),
        );
        // What `ward check` does: every view's secrets counted, per site
        // from its plan, on every thread.
        group.bench_function(BenchmarkId::new("every_view", input.label()), |b| {
            b.iter(|| resolve::every_view(&loaded.layout, policy))
        });
        // Every view listed, each secret with its winner, on one thread:
        // the line above's work when each view is spelt out (compare with
        // every_site_env_scope, which also keeps what each winner shadows).
        group.bench_function(
            BenchmarkId::new("every_view_listed_1_thread", input.label()),
            |b| {
                let mut walker = resolve::Walker::new(policy);
                b.iter(|| {
                    let mut seen = 0;
                    for site in loaded.layout.sites.values() {
                        walker.site_views(&loaded.layout, site, |_, s| seen += s.len());
                    }
                    seen
                })
            },
        );
    }
    group.finish();
}

/// How many secrets all the answers hold.
fn resolve_all(loaded: &Loaded, policy: &Policy) -> usize {
    resolve::every_query(&loaded.layout, policy)
        .map(|q| resolve::resolve(&loaded.layout, policy, q).map_or(0, |r| r.len()))
        .sum()
}

fn bench_repl_edit(c: &mut Criterion, input: &Input, policy: &Policy, parts: bool) {
    let mut group = c.benchmark_group("repl_edit");
    slow(&mut group);
    // Each iteration also runs an untimed `undo` (or edit), as long.
    group.measurement_time(Duration::from_secs(6));
    let files = || -> Vec<(PathBuf, String)> {
        input
            .files
            .iter()
            .map(|(name, text)| (PathBuf::from(name), text.to_string()))
            .collect()
    };
    let label = match input.files.len() {
        1 => input.label(),
        n => format!("{}_{n}_files", input.label()),
    };
    group.throughput(Throughput::Elements(input.secrets));

    // Whole commands: a new site secret and a new org secret (Terminus's
    // defaults: type runtime, scope user), each with the edit of the
    // file's text, the re-check and the findings it adds or removes; and
    // their undo. The org is the owner of the site, so sites inherit from
    // it.
    let mut session = Session::new(
        Workspace::from_texts(files()),
        policy.clone(),
        Options::default(),
    );
    let (site, org) = pick_owned_site(&session);
    let edits = [
        (
            "site",
            format!("secret:site:set {site} BENCH_KEY bench-value-0123456789"),
        ),
        (
            "org",
            format!("secret:org:set {org} BENCH_KEY bench-value-0123456789"),
        ),
    ];
    for (who, set) in &edits {
        for timed in ["set", "undo"] {
            let id = BenchmarkId::new(format!("{who}_{timed}"), &label);
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let start = Instant::now();
                        let outcome = session.execute(black_box(set));
                        let edited = start.elapsed();
                        assert!(outcome.ok, "edit refused: {}", outcome.text);
                        let start = Instant::now();
                        let undone = session.execute("undo");
                        let undo = start.elapsed();
                        assert!(undone.ok && !session.dirty(), "undo: {}", undone.text);
                        total += if timed == "set" { edited } else { undo };
                    }
                    total
                })
            });
        }
    }
    if parts {
        bench_workspace_edit(&mut group, input, policy, &site, &label);
    }
    group.finish();
}

/// The parts of an edit, through the workspace: the whole-file text edit
/// alone, then the edit with the reload and re-check of the edited texts
/// (the REPL's way before edits were re-checked on their section).
fn bench_workspace_edit(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    input: &Input,
    policy: &Policy,
    site: &str,
    label: &str,
) {
    let files = input
        .files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.to_string()))
        .collect();
    let mut workspace = Workspace::from_texts(files);
    let edit = Edit::Set {
        owner: OwnerRef::Site(site.to_owned()),
        env: None,
        name: "BENCH_KEY".to_owned(),
        value: "bench-value-0123456789".into(),
        ty: Some("runtime".to_owned()),
        scope: Some(vec!["user".to_owned()]),
    };
    let mut edit_bench = |name: &str, recheck: bool| {
        group.bench_function(BenchmarkId::new(name, label), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    workspace.apply(black_box(&edit)).expect("edit applies");
                    if recheck {
                        black_box(ward::cli::lint(workspace.load(), policy));
                    }
                    total += start.elapsed();
                    workspace.undo().expect("undo");
                }
                total
            })
        });
    };
    edit_bench("workspace_apply", false);
    edit_bench("workspace_apply_relint", true);
}

/// A site in the middle of the layout that has an owner org, and the org.
fn pick_owned_site(session: &Session) -> (String, String) {
    let sites = &session.layout().sites;
    sites
        .values()
        .skip(sites.len() / 2)
        .find_map(|s| Some((s.id.to_string(), s.owner.as_ref()?.value.to_string())))
        .expect("a site with an owner")
}

fn want_1m() -> bool {
    std::env::var_os("WARD_BENCH_1M").is_some_and(|v| v == "1")
}

fn stages(c: &mut Criterion) {
    let policy = policy();
    let k10 = Input::new(10_000, 1);
    let k100 = Input::new(100_000, 1);
    eprintln!(
        "layouts: {} secrets / {} orgs / {} bytes; {} secrets / {} orgs / {} bytes",
        k10.secrets,
        k10.orgs,
        k10.bytes(),
        k100.secrets,
        k100.orgs,
        k100.bytes()
    );
    let both = [&k10, &k100];
    bench_load(c, &both);
    bench_lint(c, &both, &policy);
    bench_resolve(c, &both, &policy);
    bench_repl_edit(c, &k10, &policy, true);
    drop((k10, k100));
    if want_1m() {
        // 16 files of ~14 MB, as a large layout is usually split; and all
        // in one file of 222 MB, the worst case for an edit, which moves
        // what follows its owner in the file.
        bench_repl_edit(c, &Input::new(1_000_000, 16), &policy, false);
        bench_repl_edit(c, &Input::new(1_000_000, 1), &policy, false);
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
