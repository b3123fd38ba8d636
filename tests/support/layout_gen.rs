//! The core of the layout generator (`examples/gen.rs`), shared with the
//! tests that compare the fast and reference loaders on generated layouts.
//!
//! Shape (the scale issue's): about one org per 20 sites, ten secrets per org, the rest on sites;
//! a fifth of the sites personal, a tenth with a supporting org; overrides on ~15% of secrets;
//! multidevs; values of 8–200 bytes; ~1% of subjects violating each Pantheon rule (oversize
//! values 0.01%, so a few 16 KiB values do not dominate the size). About 222 bytes per secret
//! (1M secrets = 222 MB; the layout has ~360). Same seed, same bytes.

use std::fmt::Write as _;

/// splitmix64: tiny, deterministic, good enough for test data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `per_10k` / 10 000.
    fn chance(&mut self, per_10k: u64) -> bool {
        self.below(10_000) < per_10k
    }
}

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
const MULTIDEVS: &[&str] = &["feat-1", "feat-2", "uat", "hotfix", "release-2"];

fn value(rng: &mut Rng) -> String {
    let len = 8 + rng.below(193) as usize;
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// One secret table; `broken` picks a rule to violate.
/// `k` is the secret's index within its owner: names stay unique per owner.
fn secret(out: &mut String, rng: &mut Rng, owner: &str, i: u64, k: u64, envs: &[&str]) {
    let (mut name, mut ty, mut scope) = match rng.below(10) {
        0..=4 => (format!("API_KEY_{i}"), "runtime", "\"web\""),
        5..=7 => (format!("BUILD_TOKEN_{i}"), "env", "\"ic\""),
        8 if k == 0 => ("github-oauth.github.com".to_string(), "composer", "\"ic\""),
        _ => (format!("USER_KEY_{i}"), "runtime", "\"web\", \"user\""),
    };
    let mut val = value(rng);
    if ty == "composer" {
        val.retain(|c| c.is_ascii_alphanumeric());
    }
    match rng.below(900) {
        0..=8 => name = format!("{i}nvalid"), // env-key-name when env
        9..=17 => ty = "composer",            // composer-auth-name / needs-ic
        18..=26 => scope = "\"wbe\"",         // unknown-scope
        27..=35 => ty = "envv",               // unknown-type
        36..=80 if ty == "env" && k == 1 => {
            name = "COMPOSER_AUTH".to_string(); // invalid JSON
            val = format!("{{ {val}");
        }
        _ => {}
    }
    if rng.chance(1) {
        val = "x".repeat(16_385);
    }
    let _ = writeln!(
        out,
        "[{owner}.secrets.\"{name}\"]\ntype = \"{ty}\"\nscope = [{scope}]\nvalue = \"{val}\""
    );
    if rng.chance(1500) {
        let env = if rng.chance(700) {
            "staging"
        } else {
            envs[rng.below(envs.len() as u64) as usize]
        };
        let _ = writeln!(out, "overrides = {{ {env} = \"{}\" }}", value(rng));
    }
    out.push('\n');
}

fn org(out: &mut String, rng: &mut Rng, o: u64) {
    let _ = writeln!(out, "[orgs.org-{o}]\n");
    for s in 0..10 {
        secret(
            out,
            rng,
            &format!("orgs.org-{o}"),
            o * 10 + s,
            s,
            &["dev", "test", "live"],
        );
    }
}

fn site(out: &mut String, rng: &mut Rng, s: u64, orgs: u64, secrets: u64) {
    let _ = writeln!(out, "[sites.site-{s}]");
    let owner = rng.below(orgs);
    if !rng.chance(2000) {
        let _ = writeln!(out, "owner = \"org-{owner}\"");
        if rng.chance(1000) {
            let supporting = if rng.chance(100) {
                owner
            } else {
                rng.below(orgs)
            };
            let _ = writeln!(out, "supporting = [\"org-{supporting}\"]");
        }
    }
    let php = if rng.chance(100) { "7.4" } else { "8.2" };
    let _ = writeln!(out, "php = \"{php}\"");
    let mut envs = vec!["dev", "test", "live"];
    if rng.chance(3000) {
        let m = MULTIDEVS[rng.below(MULTIDEVS.len() as u64) as usize];
        let m = if rng.chance(100) { "Bad_Env" } else { m };
        let _ = writeln!(out, "environments = [\"{m}\"]");
        envs.push(m);
    }
    out.push('\n');
    for i in 0..secrets {
        if rng.chance(100) {
            // Override-only entry with no default anywhere.
            let _ = writeln!(
                out,
                "[sites.site-{s}.secrets.ORPHAN_{i}]\noverrides = {{ live = \"{}\" }}\n",
                value(rng)
            );
        } else {
            secret(out, rng, &format!("sites.site-{s}"), s * 1000 + i, i, &envs);
        }
    }
}

/// A generated layout: the text of each file, and what it holds.
pub struct Generated {
    /// One text per file.
    pub files: Vec<String>,
    /// Number of orgs.
    pub orgs: u64,
    /// Number of sites.
    pub sites: u64,
}

/// Generates `secrets` secrets spread over `files` files from `seed`.
pub fn generate(secrets: u64, files: u64, seed: u64) -> Generated {
    let mut rng = Rng(seed);
    let orgs = (secrets / 200).max(1);
    let sites = orgs * 20;
    let site_secrets = secrets.saturating_sub(orgs * 10);
    let files = files.max(1);
    let mut chunks: Vec<String> = (0..files).map(|_| String::new()).collect();
    for o in 0..orgs {
        org(&mut chunks[(o % files) as usize], &mut rng, o);
    }
    for s in 0..sites {
        // Spread the remainder so the total is exactly `secrets`.
        let n = site_secrets / sites + u64::from(s < site_secrets % sites);
        site(&mut chunks[(s % files) as usize], &mut rng, s, orgs, n);
    }
    Generated {
        files: chunks,
        orgs,
        sites,
    }
}
