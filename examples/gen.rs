//! Deterministic generator of large, realistic layouts for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen -- --secrets 1000000 --out /tmp/ward-1m [--files 16] [--seed 1]
//! ```
//!
//! The layouts' shape is described in `tests/support/layout_gen.rs`, shared with the tests.

use std::io::Write as _;
use std::path::PathBuf;

#[path = "../tests/support/layout_gen.rs"]
mod layout_gen;

struct Args {
    secrets: u64,
    out: PathBuf,
    files: u64,
    seed: u64,
}

fn args() -> Args {
    let mut a = Args {
        secrets: 10_000,
        out: PathBuf::from("target/gen"),
        files: 1,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--secrets" => a.secrets = value.parse().expect("--secrets N"),
            "--out" => a.out = PathBuf::from(value),
            "--files" => a.files = value.parse().expect("--files N"),
            "--seed" => a.seed = value.parse().expect("--seed N"),
            _ => panic!("usage: gen --secrets N --out DIR [--files K] [--seed S]"),
        }
    }
    a
}

fn main() -> std::io::Result<()> {
    let a = args();
    std::fs::create_dir_all(&a.out)?;
    let generated = layout_gen::generate(a.secrets, a.files, a.seed);
    for (i, text) in generated.files.iter().enumerate() {
        let path = a.out.join(format!("layout-{i:03}.toml"));
        std::fs::File::create(&path)?.write_all(text.as_bytes())?;
    }
    let bytes: usize = generated.files.iter().map(String::len).sum();
    eprintln!(
        "{} secrets, {} orgs, {} sites, {} files, {bytes} bytes in {}",
        a.secrets,
        generated.orgs,
        generated.sites,
        generated.files.len(),
        a.out.display()
    );
    Ok(())
}
