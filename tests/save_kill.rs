//! Nothing is lost on `save`: `ward repl` killed (SIGKILL) at random points
//! while it saves leaves the layout file as it was or as saved, never a mix,
//! with its permissions; a leftover temporary file is never loaded; and a
//! file changed on disk since it was loaded is not overwritten.

#![cfg(unix)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills, each at a random point of a save.
const ITERATIONS: usize = 200;
/// Seed of the kill delays, so a failure can be replayed.
const SEED: u64 = 0x5afe_5a7e_0000_0001;
/// The edit each session saves.
const EDIT: &str = "secret:site:set my-org-site STRIPE_KEY sk_test_saved_value";
/// Permissions the layout has before each session (not the default 0o644).
const MODE: u32 = 0o640;

/// xorshift64*: enough randomness for delays, and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The example layout with 30 more sites (~10 KB), so writing it is not
/// instantaneous.
fn old_text() -> String {
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/clean/layout.toml");
    let mut text = fs::read_to_string(clean).unwrap();
    for i in 0..30 {
        text.push_str(&format!("\n[sites.padding-{i}]\nowner = \"my-org\"\n"));
        for k in 0..3 {
            text.push_str(&format!(
                "[sites.padding-{i}.secrets.KEY_{k}]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"padding-{i}-{k}\"\n"
            ));
        }
    }
    text
}

/// Puts `text` in `dir/layout.toml` with [`MODE`].
fn reset(dir: &Path, text: &str) {
    let path = dir.join("layout.toml");
    fs::write(&path, text).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(MODE)).unwrap();
}

/// A `ward repl` on `dir` reading commands from a pipe.
struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Session {
    fn start(dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(["repl", "."])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line
    }

    /// Sends the edit and waits until it is applied.
    fn edit(&mut self) {
        self.send(EDIT);
        let reply = self.line();
        assert_eq!(
            reply, "[notice] Secret 'STRIPE_KEY' set for site my-org-site.\n",
            "unexpected reply to the edit"
        );
    }

    /// Closes stdin and returns everything the session printed after.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.stdin);
        let mut out = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        let mut err = String::new();
        let mut stderr = self.child.stderr.take().unwrap();
        stderr.read_to_string(&mut err).unwrap();
        let status = self.child.wait().unwrap();
        (status.code(), out + &err)
    }
}

/// The `.ward-save-*.tmp` files in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".ward-save-") && n.ends_with(".tmp"))
        .collect()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_save_killed_at_any_point_leaves_the_old_file_or_the_new() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let path = dir.join("layout.toml");
    let old = old_text();

    // A few complete saves: the new text, and how long a save takes.
    let mut times = Vec::new();
    let mut new = String::new();
    for _ in 0..5 {
        reset(dir, &old);
        let mut s = Session::start(dir);
        s.edit();
        let start = Instant::now();
        s.send("save");
        assert_eq!(s.line(), "[notice] Saved ./layout.toml.\n");
        times.push(start.elapsed());
        let (code, out) = s.finish();
        assert_eq!(code, Some(0), "{out}");
        new = fs::read_to_string(&path).unwrap();
        assert_ne!(new, old);
        assert!(new.contains("sk_test_saved_value"));
        assert_eq!(mode(&path), MODE, "a complete save changed the permissions");
        assert_eq!(leftovers(dir), Vec::<String>::new());
    }

    // Kills from just before `save` is read to after it is typically done.
    times.sort();
    let window = (times[times.len() / 2] * 2).as_micros() as u64;
    let mut rng = Rng(SEED);
    let (mut kept_old, mut got_new, mut mid_save) = (0, 0, 0);
    for i in 0..ITERATIONS {
        reset(dir, &old);
        let before = leftovers(dir).len();
        let mut s = Session::start(dir);
        s.edit();
        let delay = Duration::from_micros(rng.below(window));
        s.send("save");
        std::thread::sleep(delay);
        s.child.kill().unwrap();
        s.child.wait().unwrap();
        let now = fs::read_to_string(&path).unwrap();
        let what = format!("kill {i} after {delay:?} (seed {SEED:#x})");
        match now {
            _ if now == old => kept_old += 1,
            _ if now == new => got_new += 1,
            _ => panic!("{what}: the file is neither the old text nor the new"),
        }
        assert_eq!(mode(&path), MODE, "{what}: the permissions changed");
        // A new temporary file: killed between writing it and the rename.
        if leftovers(dir).len() > before {
            assert_eq!(
                now, old,
                "{what}: a temporary file is left, yet the file changed"
            );
            mid_save += 1;
        }
    }
    eprintln!(
        "{ITERATIONS} kills within {window} µs of `save`: {kept_old} old ({mid_save} of them \
         in the middle of the save, leaving a temporary file), {got_new} new"
    );
    // Kills landed on both sides of the rename, so the window was right.
    assert!(kept_old > 0 && got_new > 0, "{kept_old} old, {got_new} new");

    // Leftover temporary files are hidden and not `*.toml`: never loaded.
    fs::write(dir.join(".ward-save-planted.tmp"), "[sites.planted]\n").unwrap();
    let files = ward::layout::read_files(&[dir]).unwrap();
    let names: Vec<_> = files.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(names, std::slice::from_ref(&path));
    let check = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["check", "."])
        .current_dir(dir)
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&check.stdout);
    assert!(summary.contains("(1 file, "), "{summary}");
}

#[test]
fn a_file_changed_on_disk_since_load_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let path = dir.join("layout.toml");
    let old = old_text();
    reset(dir, &old);
    let mut s = Session::start(dir);
    s.edit();
    // Another program writes the file between load and save.
    let theirs = format!("{old}\n# written by another program\n");
    fs::write(&path, &theirs).unwrap();
    s.send("save");
    // The edit is not lost: it can be saved elsewhere.
    s.send("save copy.toml");
    let (code, out) = s.finish();
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("`./layout.toml` changed on disk since it was loaded"),
        "{out}"
    );
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
    assert_eq!(mode(&path), MODE);
    let copy = fs::read_to_string(dir.join("copy.toml")).unwrap();
    assert!(copy.contains("sk_test_saved_value") && !copy.contains("another program"));
    assert_eq!(mode(&dir.join("copy.toml")), MODE);
    assert_eq!(leftovers(dir), Vec::<String>::new());
}
