//! No secret value reaches any output unless revealed.
//!
//! Every value below is a unique canary: `CANARY<n>` for values that must
//! never be printed, `SHOWN<n>` for values of `user`-scoped secrets, which
//! `resolve`, `explain` and `secret:*:list` show (as Terminus does) but no
//! diagnostic ever does. Each canary starts and ends with its marker (long
//! ones repeat it), so a value cut short — at an escape, a line break or a
//! long line's `…` — still gives itself away.
//!
//! Every command (`check`, `resolve`, `explain`, `repl` scripted on standard
//! input and with `--exec`, with and without `--echo`) runs in every output
//! format over a valid layout that trips every rule of the Pantheon policy,
//! and over malformed files whose errors sit on value lines. Positive
//! controls (`--reveal`, `reveal on`, `user` scope) show the canaries are
//! there to be seen, so the suite can tell a leak from silence.
//!
//! Then: `Debug` of every type that holds a value, the panic hook, and that
//! renderers take source text only through the masking layer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Marks a value that must never be printed unless revealed.
const HIDDEN: &str = "CANARY";
/// Marks a `user`-scoped value: shown by `resolve`, `explain` and `list`,
/// never in a diagnostic.
const SHOWN: &str = "SHOWN";

/// The canary `<marker><n>-<middle>-<marker><n>`.
fn canary(marker: &str, n: u32, middle: &str) -> String {
    format!("{marker}{n}-{middle}-{marker}{n}")
}

/// `CANARY<n>-…` over more than the 16384-byte limit.
fn oversize(n: u32) -> String {
    format!("{HIDDEN}{n}-").repeat(16400 / 9 + 2)
}

// --- Layouts -------------------------------------------------------------------

/// A valid layout (no loader finding: `resolve` and `explain` answer from
/// it) that trips every rule of the Pantheon policy, in every TOML form a
/// value can take.
fn valid_layout() -> Vec<(&'static str, String)> {
    let c = |n, middle| canary(HIDDEN, n, middle);
    let s = |n, middle| canary(SHOWN, n, middle);
    let orgs = format!(
        r#"# Org secrets: every Composer rule, big values, multi-line strings.
[orgs.acme.secrets.COMPOSER_AUTH]
type = "env"
scope = ["ic"]
value = "{{ {c1}"
overrides = {{ dev = "{{\"github-oauth\": {{\"github.com\": \"{c2}\"}}}}", live = "{c3}", nowhere = "{c4}" }}

[orgs.acme.secrets."github-oauth.github.com"]
type = "composer"
scope = ["ic"]
value = "{c5}"
overrides = {{ dev = "{c6}" }}

[orgs.acme.secrets."gitlab-oauth.gitlab.com"]
type = "composer"
scope = ["ic"]
value = "{c7}"

[orgs.acme.secrets."bitbucket-oauth.bitbucket.org"]
type = "composer"
scope = ["ic"]
value = '{{"consumer-key": "{c8}", "{c8k}": 1}}'

[orgs.acme.secrets.ORG_WEB]
type = "runtime"
scope = ["web"]
value = "{c9}"
overrides = {{ live = "{c10}" }}

[orgs.acme.secrets.BIG]
type = "runtime"
scope = ["web", "ic"]
value = "{big1}"
overrides = {{ live = "{big2}" }}

[orgs.acme.secrets.MULTI]
type = "env"
scope = ["web", "ic"]
value = """
{c11}
{c11b}"""
overrides = {{ test = '{c12}', feat-1 = '''
{c12b}''' }}

[orgs.acme.secrets.ORG_USER]
type = "runtime"
scope = ["web", "user"]
value = "{s1}"

[orgs.helper.secrets.SUPPORT_ONLY]
type = "env"
scope = ["web", "ic"]
value = "{c13}"
"#,
        c1 = c(1, "not json"),
        c2 = c(2, "json"),
        c3 = c(3, "live"),
        c4 = c(4, "nowhere"),
        c5 = c(5, "with spaces"),
        c6 = c(6, r#"a \"quote\""#),
        c7 = c(7, "bad/shape"),
        c8 = c(8, "consumer"),
        c8k = c(80, "key"),
        c9 = c(9, "org-web"),
        c10 = c(10, "org-web-live"),
        big1 = oversize(11),
        big2 = oversize(12),
        c11 = c(13, "line one"),
        c11b = c(14, "line two"),
        c12 = c(15, "literal"),
        c12b = c(16, "multi-line literal"),
        s1 = s(1, "org-user"),
        c13 = c(17, "supporting"),
    );
    let sites = format!(
        r#"[sites.www]
owner = "acme"
supporting = ["helper", "acme"]
php = "7.4"
environments = ["feat-1"]

# env-key-name, next to a value and a commented-out one.
[sites.www.secrets.1nvalid]
# value = "{c27}"
type = "env"
scope = ["ic", "web"]
value = "{c20}" # was: value = "{c28}"

# A user-scoped site default over a web-only org secret.
[sites.www.secrets.ORG_WEB]
type = "runtime"
scope = ["web", "user"]
value = "{s2}"

[sites.www.secrets.COMPOSER_AUTH]
overrides = {{ feat-1 = "{c21}", live = "{c22}" }}

[sites.www.secrets.ORPHAN]
overrides = {{ dev = "{c23}" }}

[sites.www.secrets.STRIPE]
type = "runtime"
scope = ["web", "user"]
value = "{s3}"
overrides = {{ live = "{s4}" }}

[sites.www.secrets.WEB_ONLY]
type = "env"
scope = ["web"]
value = "{c24}"
overrides = {{ feat-1 = "{c25}", test = "" }}

[sites.www.secrets.WITHHELD]
type = "env"
scope = ["web"]

[sites.personal.secrets.TOKEN]
type = "runtime"
scope = ["web", "ic"]
value = "{c26}"
"#,
        c20 = c(20, "bad-name"),
        c27 = c(27, "commented-out"),
        c28 = c(28, "commented-out-after"),
        s2 = s(2, "site-user"),
        c21 = c(21, "{not json"),
        c22 = c(22, "site-live"),
        c23 = c(23, "orphan"),
        s3 = s(3, "stripe"),
        s4 = s(4, "stripe-live"),
        c24 = c(24, r"back\\slash\ttab é ü 🔑 # not a comment"),
        c25 = c(25, "feat"),
        c26 = c(26, "personal"),
    );
    let forms = format!(
        "sites.inline = {{ owner = \"acme\", secrets = {{ K = {{ type = \"env\", scope = [\"web\", \"ic\"], value = \"{c30}\", overrides = {{ live = \"{c31}\" }} }} }} }}\n\n\
         [sites.dotted]\nowner = \"acme\"\nsecrets.D.type = \"env\"\nsecrets.D.scope = [\"web\"]\n\
         secrets.D.value = \"{c32}\"\nsecrets.D.overrides.live = \"{c33}\"\n\n\
         [sites.dotted.secrets.T.overrides]\nlive = \"{c34}\"\n\n\
         [sites.dotted.secrets.T]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"{c35}\"\n",
        c30 = c(30, "inline"),
        c31 = c(31, "inline-live"),
        c32 = c(32, "dotted"),
        c33 = c(33, "dotted-live"),
        c34 = c(34, "override-table"),
        c35 = c(35, "after-its-overrides"),
    );
    let crlf = format!(
        "\u{feff}[sites.crlf]\r\nowner = \"acme\"\r\n[sites.crlf.secrets.R]\r\ntype = \"env\"\r\nscope = [\"web\"]\r\nvalue = \"{}\"\r\n",
        c(36, "crlf")
    );
    vec![
        ("orgs.toml", orgs),
        ("sites.toml", sites),
        ("forms.toml", forms),
        ("crlf.toml", crlf),
    ]
}

/// Malformed files, one problem each, with the error on or next to a value
/// line. Each must be reported without showing a value.
fn broken_layouts() -> Vec<(String, Vec<u8>)> {
    const HEAD: &str =
        "[sites.s]\nowner = \"o\"\n[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\n";
    let mut n = 100;
    let mut c = |middle: &str| {
        n += 1;
        canary(HIDDEN, n, middle)
    };
    let bodies: Vec<(&str, String)> = vec![
        ("unquoted", format!("value = {}\n", c("unquoted"))),
        (
            "unquoted-then-key",
            format!("value = {}\nnext = 1\n", c("x")),
        ),
        ("unquoted-hash", format!("value = {}#{}\n", c("a"), c("b"))),
        ("unterminated", format!("value = \"{}\n", c("open"))),
        ("unterminated-eof", format!("value = \"{}", c("eof"))),
        ("unterminated-literal", format!("value = '{}\n", c("open"))),
        (
            "bad-escape",
            format!("value = \"{}\\q{}\"\n", c("a"), c("b")),
        ),
        (
            "bad-unicode-escape",
            format!("value = \"{}\\uZZZZ{}\"\n", c("a"), c("b")),
        ),
        (
            "newline-in-basic",
            format!("value = \"{}\n{}\"\n", c("a"), c("b")),
        ),
        (
            "multi-line-unterminated",
            format!("value = \"\"\"{}\n{}\n", c("a"), c("b")),
        ),
        (
            "multi-line-bad-escape",
            format!("value = \"\"\"{}\\q\n{}\"\"\"\n", c("a"), c("b")),
        ),
        ("junk-after", format!("value = \"{}\" {}\n", c("a"), c("b"))),
        (
            "two-values",
            format!("value = \"{}\" = \"{}\"\n", c("a"), c("b")),
        ),
        (
            "control-char",
            format!("value = \"{}\u{1}{}\"\n", c("a"), c("b")),
        ),
        (
            "raw-tab-del",
            format!("value = \"{}\u{7f}{}\"\n", c("a"), c("b")),
        ),
        (
            "multibyte-escape",
            format!("value = \"é{}\\qü{}🔑\"\n", c("a"), c("b")),
        ),
        ("number-like", format!("value = 0x{}\n", c("hex"))),
        ("date-like", format!("value = 1979-05-27T{}\n", c("date"))),
        ("bool-like", format!("value = true{}\n", c("bool"))),
        ("bare-array", format!("value = [{}, {}]\n", c("a"), c("b"))),
        (
            "array-value",
            format!("value = [\"{}\", \"{}\"]\n", c("a"), c("b")),
        ),
        ("table-value", format!("value = {{ x = \"{}\" }}\n", c("a"))),
        ("integer-then-value", "value = 3\n".to_string()),
        (
            "bad-key-before",
            format!("ty pe = \"env\"\nvalue = \"{}\"\n", c("next-to-bad-key")),
        ),
        (
            "bad-key-after",
            format!("value = \"{}\"\nva lue = \"{}\"\n", c("a"), c("b")),
        ),
        (
            "unknown-key",
            format!("valeu = \"{}\"\nvalues = [\"{}\"]\n", c("a"), c("b")),
        ),
        (
            "quoted-key-unterminated",
            format!("\"value = \"{}\"\n", c("a")),
        ),
        (
            "duplicate-key",
            format!("value = \"{}\"\nvalue = \"{}\"\n", c("a"), c("b")),
        ),
        (
            "bad-header-next",
            format!("[sites.s.secrets.Y\nvalue = \"{}\"\n", c("a")),
        ),
        (
            "header-with-value",
            format!("[sites.s.secrets.Y] = \"{}\"\n", c("a")),
        ),
        (
            "inline-bad-value",
            format!(
                "overrides = {{ live = \"{}\", dev = {}, test = \"{}\" }}\n",
                c("a"),
                c("b"),
                c("c")
            ),
        ),
        (
            "inline-bad-key",
            format!(
                "overrides = {{ live = \"{}\", x y = \"{}\" }}\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "inline-no-comma",
            format!(
                "overrides = {{ live = \"{}\" dev = \"{}\" }}\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "inline-unclosed",
            format!(
                "overrides = {{ live = \"{}\"\nvalue = \"{}\"\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "inline-nested",
            format!("overrides = {{ live = {{ x = \"{}\" }} }}\n", c("a")),
        ),
        (
            "inline-newline",
            format!(
                "overrides = {{ live = \"{}\",\n dev = \"{}\" }}\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "scope-swallows-value",
            format!("scope = [\"web\"\nvalue = \"{}\"\n", c("a")),
        ),
        (
            "scope-broken-array",
            format!("scope = [\"web\"value = \"{}\"]\n", c("a")),
        ),
        (
            "safe-key-swallows",
            format!("php = \"\"\"8.2\nvalue = \"{}\"\n", c("a")),
        ),
        ("dotted-unquoted", format!("overrides.live = {}\n", c("a"))),
        (
            "pem-opened-wrong",
            format!(
                "value = \"\"\n-----BEGIN PRIVATE KEY-----\n{}+/x\n{}==\n{}=\n-----END PRIVATE KEY-----\n\"\"\"\n",
                c("body"),
                c("padded"),
                c("padded-alnum")
            ),
        ),
        (
            "dotenv-opened-wrong",
            format!(
                "value = \"\"\nDB_PASSWORD={}\nAPI_KEY = {}\n\"\"\"\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "stray-quote-in-inline",
            format!(
                "overrides = {{ live = '\"{}\", dev = \"{}\" }}\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "stray-quote-safe-key",
            format!("type = '\"env\", value = \"{}\"\n", c("a")),
        ),
        (
            "comment-in-inline",
            format!(
                "overrides = {{ live = \"{}\", #dev = \"{}\" }}\n",
                c("a"),
                c("b")
            ),
        ),
        (
            "comment-after-eq",
            format!("scope = # [\"web\"], value = \"{}\"\n", c("a")),
        ),
        (
            "commented-out-under-overrides",
            format!(
                "value = \"{}\"\n[sites.s.secrets.X.overrides]\n# type = \"{}\"\nlive = {}\n",
                c("a"),
                c("b"),
                c("unquoted")
            ),
        ),
        (
            "oversize-broken",
            format!("value = \"{}\nnext = 1\n", oversize(190)),
        ),
    ];
    let mut files: Vec<(String, Vec<u8>)> = bodies
        .into_iter()
        .map(|(name, body)| {
            (
                format!("broken/{name}.toml"),
                format!("{HEAD}{body}").into_bytes(),
            )
        })
        .collect();
    // Non-UTF-8 bytes next to, and inside, a value.
    let mut next_to = format!("{HEAD}value = \"{}\"\n", c("before-bad-byte")).into_bytes();
    next_to.extend_from_slice(b"\xff\xfe = 1\n");
    files.push(("binary/non-utf8-after.toml".to_string(), next_to));
    let mut inside = format!("{HEAD}value = \"{}", c("a")).into_bytes();
    inside.extend_from_slice(b"\xc3\x28");
    inside.extend_from_slice(format!("{}\"\n", c("b")).as_bytes());
    files.push(("binary/non-utf8-inside.toml".to_string(), inside));
    // Valid TOML, schema errors on value lines.
    let schema = [
        (
            "oversize-override",
            format!(
                "{HEAD}value = \"{}\"\noverrides = {{ live = \"{}\", dev = \"{}\" }}\n",
                oversize(191),
                oversize(192),
                c("small")
            ),
        ),
        (
            "wrong-owner-field",
            format!("[sites.t]\nowner = 3\nsecrets = \"{}\"\n", c("a")),
        ),
        (
            "secret-not-table",
            format!(
                "[sites.t.secrets]\nA = \"{}\"\nB = [\"{}\"]\n",
                c("a"),
                c("b")
            ),
        ),
    ];
    files.extend(
        schema
            .into_iter()
            .map(|(name, text)| (format!("broken/{name}.toml"), text.into_bytes())),
    );
    files
}

// --- Running ward -------------------------------------------------------------

/// One run of ward: what it printed, with ANSI colour codes removed.
struct Run {
    line: String,
    code: Option<i32>,
    output: String,
}

fn ward(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("WARD_HISTORY", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ward runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write stdin");
    drop(input);
    let out = child.wait_with_output().expect("ward ends");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Run {
        line: format!("ward {}", args.join(" ")),
        code: out.status.code(),
        output: strip_ansi(&output),
    }
}

/// `text` without ANSI escape sequences, which could split a marker.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Run {
    /// Asserts that none of `markers` was printed, that ward ended normally
    /// (0, 1 or 2: never a panic) and printed something.
    fn hides(&self, markers: &[&str]) -> &Self {
        for marker in markers {
            assert!(
                !self.output.contains(marker),
                "`{}` leaked a value ({marker}…):\n{}",
                self.line,
                self.output
            );
        }
        assert!(
            matches!(self.code, Some(0..=2)),
            "`{}` ended with {:?}:\n{}",
            self.line,
            self.code,
            self.output
        );
        assert!(!self.output.is_empty(), "`{}` printed nothing", self.line);
        self
    }

    /// Asserts that `text` was printed: the positive control.
    fn shows(&self, text: &str) -> &Self {
        assert!(
            self.output.contains(text),
            "`{}` should show `{text}`:\n{}",
            self.line,
            self.output
        );
        self
    }
}

fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write layout");
    }
}

/// A temporary directory with the valid layout in `valid/`, the malformed
/// files in `broken/` and the non-UTF-8 ones in `binary/` (which stop a
/// whole run).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let valid: Vec<(String, Vec<u8>)> = valid_layout()
        .into_iter()
        .map(|(n, t)| (n.to_string(), t.into_bytes()))
        .collect();
    write_files(&dir.path().join("valid"), &valid);
    write_files(dir.path(), &broken_layouts());
    dir
}

// --- check, resolve, explain -------------------------------------------------

#[test]
fn the_valid_layout_loads_clean_and_trips_every_rule() {
    // Guards the fixture: resolve and explain must answer from it, and
    // every rule's diagnostic must print source lines around a value.
    let dir = fixture();
    let run = ward(dir.path(), &["check", "valid", "--format", "json"], None);
    let doc: serde_json::Value = serde_json::from_str(&run.output).expect("json");
    let rules: std::collections::BTreeSet<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in [
        "env-key-name",
        "override-needs-default",
        "value-too-large",
        "override-unknown-env",
        "github-oauth-shape",
        "gitlab-oauth-shape",
        "bitbucket-oauth-shape",
        "composer-auth-json",
        "ic-override-test-live",
        "php-below-8-ic",
        "owner-also-supporting",
    ] {
        assert!(rules.contains(rule), "no `{rule}` in {rules:?}");
    }
    for loader in [
        "toml-syntax",
        "unknown-field",
        "invalid-field",
        "missing-field",
    ] {
        assert!(!rules.contains(loader), "the valid layout has `{loader}`");
    }
}

#[test]
fn check_never_prints_a_value_in_any_format() {
    let dir = fixture();
    let mut targets: Vec<String> = vec!["valid".into(), "broken".into(), "binary".into()];
    targets.extend(broken_layouts().into_iter().map(|(path, _)| path));
    let strict = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/strict.policy");
    for target in &targets {
        for format in ["human", "json", "sarif", "github"] {
            let args = ["check", target, "--format", format];
            ward(dir.path(), &args, None).hides(&[HIDDEN, SHOWN]);
        }
    }
    // Diagnostics are masked even with `--reveal` and in colour, and
    // under another policy's rules.
    for target in ["valid", "broken", "binary"] {
        let runs: [&[&str]; 3] = [
            &["check", target, "--reveal"],
            &["check", target, "--color", "always"],
            &["check", target, "--policy", strict],
        ];
        for args in runs {
            ward(dir.path(), args, None).hides(&[HIDDEN, SHOWN]);
        }
    }
}

/// A policy with a rule that fails on every value, so that every value line
/// of a layout is printed around a diagnostic, with every template hole a
/// value rule may use.
const PROBE_POLICY: &str = r#"policy "probe" {
  types runtime, env, composer
  scopes ic, web, user
  environments dev, test, live
  precedence org.default < org.override < site.default < site.override
  inherit from owner
  error probe on value
    require value.bytes < 0
    message "{name} {type} {scope} {override.env} {owner.kind} {owner.id} {value.bytes} {value.set} {default.exists} {shadows} {site.id}"
    help "{name} {owner.environments} {site.php} {site.owner} {site.supporting} {site.environments} {site.scopes}"
  error probe-json on value
    when value is json
    require value.json.keys has zzz and value =~ /^$/
    message "{name} holds JSON"
}
"#;

#[test]
fn a_rule_on_every_value_never_prints_one() {
    let dir = fixture();
    let policy = dir.path().join("probe.policy");
    std::fs::write(&policy, PROBE_POLICY).expect("write policy");
    let policy = policy.to_str().expect("utf-8 path");
    for format in ["human", "json", "sarif", "github"] {
        let args = ["check", "valid", "--policy", policy, "--format", format];
        ward(dir.path(), &args, None)
            .hides(&[HIDDEN, SHOWN])
            .shows("probe");
    }
    // Whatever values of a malformed file can be read get a finding too.
    for (path, _) in broken_layouts() {
        let args = ["check", path.as_str(), "--policy", policy];
        ward(dir.path(), &args, None).hides(&[HIDDEN, SHOWN]);
    }
    let exec = "check; secret:site:set www X CANARY900-edit-CANARY900 --scope=web";
    let args = [
        "repl", "valid", "--policy", policy, "--echo", "--exec", exec,
    ];
    ward(dir.path(), &args, None)
        .hides(&[HIDDEN, SHOWN])
        .shows("probe");
}

#[test]
fn a_template_that_would_print_a_value_is_refused() {
    let dir = fixture();
    for hole in ["value", "value.json.keys"] {
        let text = PROBE_POLICY.replace("{value.bytes}", &format!("{{{hole}}}"));
        let policy = dir.path().join("bad.policy");
        std::fs::write(&policy, text).expect("write policy");
        let policy = policy.to_str().expect("utf-8 path");
        let run = ward(dir.path(), &["check", "valid", "--policy", policy], None);
        run.hides(&[HIDDEN, SHOWN]).shows("value_in_template");
        assert_eq!(run.code, Some(2), "{}", run.output);
    }
}

#[test]
fn resolve_and_explain_never_print_a_hidden_value() {
    let dir = fixture();
    let sites = ["www", "personal", "inline", "dotted", "crlf", "nosuch"];
    let envs = ["dev", "test", "live", "feat-1"];
    for format in ["human", "json"] {
        for site in sites {
            for env in envs {
                for scope in ["web", "ic", "user"] {
                    let args = [
                        "resolve", "valid", "--site", site, "--env", env, "--scope", scope,
                        "--format", format,
                    ];
                    ward(dir.path(), &args, None).hides(&[HIDDEN]);
                }
            }
        }
        for ty in ["env", "runtime", "composer"] {
            let args = [
                "resolve", "valid", "--site", "www", "--env", "dev", "--scope", "ic", "--type", ty,
                "--format", format,
            ];
            ward(dir.path(), &args, None).hides(&[HIDDEN]);
        }
        let names = [
            "COMPOSER_AUTH",
            "github-oauth.github.com",
            "bitbucket-oauth.bitbucket.org",
            "ORG_WEB",
            "ORG_USER",
            "BIG",
            "MULTI",
            "1nvalid",
            "ORPHAN",
            "STRIPE",
            "WEB_ONLY",
            "WITHHELD",
            "SUPPORT_ONLY",
            "NOSUCH",
        ];
        for name in names {
            for env in ["dev", "live", "feat-1"] {
                for scope in ["web", "ic"] {
                    let args = [
                        "explain", "valid", "--site", "www", "--env", env, "--scope", scope,
                        "--format", format, name,
                    ];
                    ward(dir.path(), &args, None).hides(&[HIDDEN]);
                }
            }
        }
        for (site, name) in [("inline", "K"), ("dotted", "D"), ("dotted", "T")] {
            let args = [
                "explain", "valid", "--site", site, "--env", "live", "--format", format, name,
            ];
            ward(dir.path(), &args, None).hides(&[HIDDEN]);
        }
        // Malformed layouts: the loader's diagnostics, on standard error.
        for (path, _) in broken_layouts() {
            let resolve = [
                "resolve", &path, "--site", "s", "--env", "dev", "--format", format,
            ];
            ward(dir.path(), &resolve, None).hides(&[HIDDEN, SHOWN]);
            let explain = [
                "explain", &path, "--site", "s", "--env", "dev", "--format", format, "X",
            ];
            ward(dir.path(), &explain, None).hides(&[HIDDEN, SHOWN]);
        }
    }
}

#[test]
fn user_scoped_and_revealed_values_are_shown() {
    // The positive controls: without them, the tests above could pass by
    // printing nothing of use.
    let dir = fixture();
    let d = dir.path();
    let resolve = |env, scope, extra: &[&str]| {
        let mut args = vec![
            "resolve", "valid", "--site", "www", "--env", env, "--scope", scope,
        ];
        args.extend_from_slice(extra);
        ward(d, &args, None)
    };
    for format in ["human", "json"] {
        resolve("dev", "user", &["--format", format])
            .hides(&[HIDDEN])
            .shows(&canary(SHOWN, 1, "org-user"))
            .shows(&canary(SHOWN, 2, "site-user"))
            .shows(&canary(SHOWN, 3, "stripe"));
        resolve("live", "web", &["--format", format])
            .hides(&[HIDDEN])
            .shows(&canary(SHOWN, 4, "stripe-live"));
        resolve("live", "ic", &["--format", format, "--reveal"]).shows(&canary(
            HIDDEN,
            22,
            "site-live",
        ));
        resolve("feat-1", "web", &["--format", format, "--reveal"])
            .shows(&canary(HIDDEN, 25, "feat"));
    }
    // A user-scoped winner shows; the web-only org value it shadows does not.
    let explain = [
        "explain", "valid", "--site", "www", "--env", "live", "ORG_WEB",
    ];
    ward(d, &explain, None)
        .hides(&[HIDDEN])
        .shows(&canary(SHOWN, 2, "site-user"));
    let mut revealed = explain.to_vec();
    revealed.push("--reveal");
    ward(d, &revealed, None).shows(&canary(HIDDEN, 10, "org-web-live"));
}

// --- The REPL -----------------------------------------------------------------

/// Every REPL command, edits with awkward values, and bad commands whose
/// value positions hold canaries. Values of user-scoped secrets (the
/// Terminus default scope) are `SHOWN`.
fn repl_script() -> Vec<String> {
    let c = |n, middle| canary(HIDDEN, n, middle);
    let mut lines = vec![
        "# values of every kind, then every command".to_string(),
        format!(
            "# secret:site:set www OLD '{}' (commented out)",
            c(239, "old")
        ),
        format!("## secret:site:sett www OLD {}", c(240, "old-typo")),
        "resolve www.dev".into(),
        "resolve www.live --scope=ic".into(),
        "resolve www.feat-1 --scope=web --type=env".into(),
        "resolve dotted.live".into(),
        "explain www.live ORG_WEB".into(),
        "explain www.dev COMPOSER_AUTH --scope=ic".into(),
        "explain www.feat-1 COMPOSER_AUTH --scope=ic".into(),
        "secret:site:list www".into(),
        "secret:site:list dotted".into(),
        "secret:org:list acme".into(),
        format!(
            "secret:site:set www NEWWEB '{}' --type=env --scope=web",
            c(200, r#"# = [x] {y} "z" \ "#)
        ),
        format!(
            "secret:site:set www.live NEWWEB \"{}\"",
            c(201, r#"\"quoted\" \\ back 'single'"#)
        ),
        format!(
            "secret:org:set acme ORG_WEB {} --env=feat-1",
            c(202, "org-override")
        ),
        // Accepted (the finding was there before): `check` then prints the
        // edited line.
        format!(
            "secret:org:set acme COMPOSER_AUTH '{}'",
            c(203, "{still not json")
        ),
        format!(
            "secret:site:set www WEB_ONLY \"{}\"",
            c(204, r#"\"\"\" triple"#)
        ),
        format!("secret:site:set dotted D {}", c(205, "dotted")),
        format!("secret:site:set inline.test K {}", c(206, "inline-test")),
        format!("secret:site:set www.test ORPHAN {}", c(207, "orphan-test")),
        // Refused: each error is shown over the command line, value masked.
        format!(
            "secret:site:set www 1nvalid2 {} --type=env --scope=web",
            c(210, "bad-name")
        ),
        format!(
            "secret:org:set acme github-oauth.github.com '{}'",
            c(211, "not a token")
        ),
        format!(
            "secret:org:set acme gitlab-oauth.gitlab.com '{}' --type=composer --scope=web",
            c(212, "no ic")
        ),
        format!(
            "secret:site:set www COMPOSER_AUTH '{}' --type=env --scope=ic",
            c(213, "{bad json")
        ),
        format!("secret:site:set www BIGNEW {} --scope=web", oversize(214)),
        format!("secret:site:set www.live BIG {}", oversize(215)),
        format!(
            "secret:site:set www.nowhere WEB_ONLY {}",
            c(216, "unknown-env")
        ),
        // Bad commands with a canary where the value goes (or after it).
        format!("secret:site:sett www X {}", c(220, "typo")),
        format!("sceret:site:set www X {}", c(221, "typo")),
        format!("set www X {}", c(222, "no-prefix")),
        format!("secret:set www X {}", c(223, "short")),
        format!(
            "secret:site:set www X {} --value={}",
            c(224, "a"),
            c(225, "flag")
        ),
        format!("secret:site:set www X {} {}", c(226, "a"), c(227, "extra")),
        format!("secret:site:set nosite X {}", c(229, "no-site")),
        format!("secret:site:set www X {} --type=bogus", c(230, "bad-type")),
        format!(
            "secret:site:set www X {} --scope=web,bogus",
            c(231, "bad-scope")
        ),
        format!(
            "secret:site:set www ORG_WEB {} --type=env",
            c(232, "immutable")
        ),
        format!("secret:org:set nosuchorg X {}", c(233, "no-org")),
        format!("secret:org:set acme X {} --env=nowhere", c(234, "bad-env")),
        format!("secret:site:set www X --type env {}", c(235, "flag-space")),
        format!(
            "secret:site:set www X {} --scope=web --scope=ic",
            c(236, "twice")
        ),
        format!("secret:site:set www X --scope=web -- {}", c(237, "dashes")),
        format!("secret:org:set acme X {} --env", c(238, "flag-no-value")),
        // Terminus's default scope is `user`: shown by list, as Terminus does.
        format!(
            "secret:site:set www USERSET '{}'",
            canary(SHOWN, 200, "user default")
        ),
        "secret:site:list www".into(),
        "secret:org:list acme".into(),
        "secret:site:delete www STRIPE".into(),
        "secret:site:delete www.live NEWWEB".into(),
        "secret:org:delete acme ORG_WEB --env=feat-1".into(),
        "secret:site:delete www NOPE".into(),
        "resolve www.live".into(),
        "resolve www.feat-1 --scope=ic".into(),
        "diff".into(),
        "undo".into(),
        "undo".into(),
        "diff".into(),
        "check".into(),
        "policy".into(),
        "orgs".into(),
        "sites".into(),
        "envs www".into(),
        "help".into(),
        "help secret:site:set".into(),
        "reveal off".into(),
        "reload".into(),
        "diff".into(),
    ];
    // Last: in `--exec`, an open quote runs to the end of the script.
    lines.push(format!("secret:site:set www X \"{}", c(228, "unclosed")));
    lines
}

#[test]
fn the_repl_never_prints_a_hidden_value() {
    let script = repl_script();
    let stdin = script.join("\n") + "\n";
    // `--exec` splits on `;`: none of the values above holds one.
    assert!(!stdin.contains(';'));
    let exec = script.join("; ");
    let valid = ["repl", "valid"];
    for echo in [false, true] {
        let dir = fixture();
        let mut args = valid.to_vec();
        if echo {
            args.push("--echo");
        }
        let run = ward(dir.path(), &args, Some(&stdin));
        run.hides(&[HIDDEN])
            .shows(&canary(SHOWN, 2, "site-user"))
            .shows(&canary(SHOWN, 200, "user default"))
            .shows("[REDACTED]");
        if echo {
            // Commands are echoed, their values masked.
            run.shows("ward> secret:site:set www X ");
        }
        let dir = fixture();
        let mut args = vec!["repl", "valid", "--exec", &exec];
        if echo {
            args.push("--echo");
        }
        ward(dir.path(), &args, None).hides(&[HIDDEN]);
    }
}

#[test]
fn repl_diagnostics_never_print_a_value_even_revealed() {
    // Diagnostics (`check`, refused edits) show no value, user-scoped or
    // not, even after `reveal on`.
    let dir = fixture();
    let c = |n, middle| canary(HIDDEN, n, middle);
    let script = [
        "reveal on".to_string(),
        "check".into(),
        format!(
            "secret:org:set acme COMPOSER_AUTH '{}'",
            c(300, "{still bad")
        ),
        "check".into(),
        format!(
            "secret:site:set www 1nvalid2 {} --type=env --scope=web",
            c(301, "bad")
        ),
        format!("secret:site:set www BIGNEW {} --scope=web", oversize(302)),
        format!("secret:site:set www X {} --typo=x", c(303, "typo")),
        format!("secret:site:set www X \"{}", c(304, "unclosed")),
    ];
    for reveal in [false, true] {
        let mut args = vec!["repl", "valid", "--echo"];
        if reveal {
            args.push("--reveal");
        }
        ward(dir.path(), &args, Some(&script.join("\n"))).hides(&[HIDDEN, SHOWN]);
    }
}

#[test]
fn the_repl_over_broken_files_never_prints_a_value() {
    let dir = fixture();
    let c = canary(HIDDEN, 400, "edit of a broken file");
    let script = format!(
        "check; resolve s.dev; explain s.dev X; secret:site:list s; \
         secret:site:set s X {c} --type=env --scope=web; secret:site:set s.live X {c}; \
         diff; undo; sites"
    );
    for (path, _) in broken_layouts() {
        for echo in [false, true] {
            let mut args = vec!["repl", path.as_str(), "--exec", &script];
            if echo {
                args.push("--echo");
            }
            ward(dir.path(), &args, None).hides(&[HIDDEN, SHOWN]);
        }
    }
    ward(dir.path(), &["repl", "broken", "--echo"], Some("check\n")).hides(&[HIDDEN, SHOWN]);
}

#[test]
fn values_saved_by_the_repl_are_masked_when_checked() {
    // Values with quotes, backslashes, `"""`, control characters and
    // newlines, written by the REPL's TOML editor, are masked when the saved
    // file is checked (a finding points at each).
    let dir = fixture();
    let c = |n, middle| canary(HIDDEN, n, middle);
    let values = [
        c(500, r#"\"\"\" triple"#),
        c(501, r#"\\ back \\\" both"#),
        c(502, "it's 'single'"),
        c(503, "# hash = [x] {y}"),
        c(504, "tab\there"),
        c(505, "line\nbreak"),
    ];
    let mut exec = Vec::new();
    for (i, v) in values.iter().enumerate() {
        // A new ic-scoped secret and its `live` override, which draws a
        // warning pointing at the override's line.
        exec.push(format!(
            "secret:org:set acme IC{i} \"{v}\" --type=env --scope=ic"
        ));
        exec.push(format!("secret:org:set acme IC{i} \"{v}\" --env=live"));
    }
    exec.push(format!(
        "secret:org:set acme COMPOSER_AUTH \"{}\"",
        values[0]
    ));
    exec.push("save".into());
    let exec = exec.join("; ");
    let run = ward(dir.path(), &["repl", "valid", "--exec", &exec], None);
    run.hides(&[HIDDEN]).shows("Saved");
    let saved = std::fs::read_to_string(dir.path().join("valid/orgs.toml")).expect("saved");
    assert!(
        saved.contains(&format!("{HIDDEN}505-")),
        "not saved:\n{saved}"
    );
    for format in ["human", "json", "sarif", "github"] {
        ward(dir.path(), &["check", "valid", "--format", format], None).hides(&[HIDDEN, SHOWN]);
    }
}

#[test]
fn revealed_repl_sessions_do_show_values() {
    let dir = fixture();
    let script = "reveal on\nresolve www.feat-1\nsecret:site:list www\n";
    ward(dir.path(), &["repl", "valid"], Some(script))
        .shows(&canary(HIDDEN, 25, "feat"))
        .shows(&canary(
            HIDDEN,
            24,
            "back\\slash\ttab é ü 🔑 # not a comment",
        ));
    let exec = [
        "repl",
        "valid",
        "--reveal",
        "--exec",
        "resolve www.live --scope=ic",
    ];
    ward(dir.path(), &exec, None).shows(&canary(HIDDEN, 22, "site-live"));
}

// --- Memory and Debug ---------------------------------------------------------

#[test]
fn debug_of_every_type_that_holds_a_value_redacts_it() {
    use ward::repl::{Command as ReplCommand, Edit, Options, OwnerRef, Session, Workspace};

    let files = valid_layout();
    let load = || {
        let mut loaded = ward::layout::Loaded::default();
        for (name, text) in &files {
            loaded.add_file(name, text);
        }
        loaded
    };
    let loaded = load();
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    let policy = ward::policy::pantheon().expect("policy");
    let mut shown = vec![format!("{loaded:?}"), format!("{loaded:#?}")];
    let site = &loaded.layout.sites["www"];
    let secret = site.secrets.get("STRIPE").expect("STRIPE is loaded");
    shown.push(format!("{site:?}"));
    shown.push(format!("{secret:#?}"));
    shown.push(format!(
        "{:?}",
        secret.overrides.get("live").expect("live override")
    ));
    shown.push(format!("{:?}", secret.value));
    let q = ward::resolve::Query {
        site: "www",
        env: "live",
        scope: "web",
        ty: None,
    };
    let resolved = ward::resolve::resolve(&loaded.layout, &policy, q).expect("resolves");
    shown.push(format!("{resolved:#?}"));
    let explained =
        ward::resolve::explain(&loaded.layout, &policy, q, "ORG_WEB").expect("explains");
    shown.push(format!("{:?} {:?}", explained.resolved, explained.ignored));
    let (_, findings) = ward::cli::lint(load(), &policy);
    shown.push(format!("{findings:?}"));

    let value = canary(HIDDEN, 600, "edit");
    let edit = Edit::Set {
        owner: OwnerRef::Site("www".into()),
        env: Some("live".into()),
        name: "STRIPE".into(),
        value: value.as_str().into(),
        ty: None,
        scope: None,
    };
    shown.push(format!("{edit:?}"));
    let texts = files.iter().map(|(n, t)| (PathBuf::from(n), t.clone()));
    let mut workspace = Workspace::from_texts(texts.collect());
    workspace.apply(&edit).expect("applies");
    assert!(workspace.files()[1].current().contains(&value));
    shown.push(format!("{workspace:#?}"));
    let command: ReplCommand = format!(
        "secret:site:set www.live STRIPE {}",
        canary(HIDDEN, 601, "c")
    )
    .parse()
    .expect("parses");
    shown.push(format!("{command:?}"));
    let mut session = Session::new(workspace, policy, Options::default());
    let outcome = session.execute(&format!(
        "secret:site:set www NEW {} --scope=web",
        canary(HIDDEN, 602, "session")
    ));
    assert!(outcome.ok, "{}", outcome.text);
    shown.push(format!("{session:#?}"));
    shown.push(format!("{outcome:?}"));

    for text in &shown {
        assert!(!text.contains(HIDDEN), "Debug shows a value:\n{text}");
        assert!(!text.contains(SHOWN), "Debug shows a value:\n{text}");
    }
    // The positive control: the values are in there.
    assert!(shown.iter().any(|t| t.contains("[REDACTED]")));
}

#[test]
fn a_panic_message_never_reaches_the_output() {
    // The binary's hook reports where a panic happened, and its message
    // only when that is fixed text: slicing a string at a bad index panics
    // with the string itself.
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&reports);
    let previous = std::sync::Arc::new(std::panic::take_hook());
    let fallback = std::sync::Arc::clone(&previous);
    std::panic::set_hook(Box::new(move |info| match std::thread::current().name() {
        Some("leaky-panic") => {
            let payload = info.payload_as_str().map(String::from);
            let report = ward::cli::panic_report(info);
            seen.lock().expect("lock").push((payload, report));
        }
        _ => fallback(info),
    }));
    let value = canary(HIDDEN, 700, "é");
    let sliced = std::thread::Builder::new()
        .name("leaky-panic".into())
        .spawn(move || {
            let cut = value.find('é').expect("é") + 1;
            value[..cut].len()
        })
        .expect("spawn")
        .join();
    let fixed = std::thread::Builder::new()
        .name("leaky-panic".into())
        .spawn(|| -> usize { panic!("fixed text") })
        .expect("spawn")
        .join();
    std::panic::set_hook(Box::new(move |info| previous(info)));
    assert!(
        sliced.is_err() && fixed.is_err(),
        "both threads should panic"
    );
    let reports = reports.lock().expect("lock");
    assert_eq!(reports.len(), 2, "{reports:?}");
    let (payload, report) = &reports[0];
    // The standard message would have shown the value...
    assert!(payload.as_deref().is_some_and(|p| p.contains(HIDDEN)));
    // ...the report does not, but says where.
    assert!(!report.contains(HIDDEN), "{report}");
    assert!(report.contains(ward::cli::WITHHELD), "{report}");
    assert!(report.starts_with("ward: internal error at "), "{report}");
    let (_, fixed) = &reports[1];
    assert!(
        fixed.contains("tests/leaks.rs:") && fixed.contains("fixed text"),
        "{fixed}"
    );
}

// --- One masking layer --------------------------------------------------------

#[test]
fn renderers_take_source_text_only_through_the_masking_layer() {
    // Source text reaches miette as a `Snippet`, which is built from
    // `Masked` text only (see src/report/masked.rs); this checks that
    // nothing else hands miette source text: no `NamedSource` or
    // `SourceCode` of its own outside the policy parser (policy files hold
    // no values) and the report layer's window, and no renderer reading the
    // raw sources.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect_rs(&root, &mut files);
    assert!(files.len() > 40, "{files:?}");
    let mut problems = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).expect("under src");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).expect("read");
        // Test modules may build sources to compare against.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let policy = rel.starts_with("policy/");
        let checks: [(&str, bool); 6] = [
            ("NamedSource::new(", policy),
            ("impl SourceCode for", rel == "report/window.rs"),
            ("impl miette::SourceCode for", false),
            (
                "mask_layout(",
                rel.starts_with("layout/") || rel == "report/masked.rs",
            ),
            (
                "sources.get(",
                !is_renderer(&rel) || rel == "report/view.rs",
            ),
            ("sources.text(", !is_renderer(&rel)),
        ];
        for (needle, allowed) in checks {
            if code.contains(needle) && !allowed {
                problems.push(format!("src/{rel}: `{needle}`"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "source text bypasses the masking layer:\n{problems:#?}"
    );
}

/// Modules that print: everything under `report/`, `repl/` (but the
/// workspace, which edits the texts and prints nothing, and the
/// incremental re-check, which re-reads an edited section and counts lines
/// and columns, and prints nothing either) and `cli/`.
fn is_renderer(rel: &str) -> bool {
    let quiet = ["repl/workspace/", "repl/incremental/"];
    rel.starts_with("report/")
        || rel.starts_with("cli/")
        || (rel.starts_with("repl/") && !quiet.iter().any(|q| rel.starts_with(q)))
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file large enough to be masked in pieces on several threads, with a
/// multi-line value across the place the second piece would start (a line
/// opening with `[` inside the string) and a safe key after it. Masked
/// whole, as it is when a value runs across a cut, the string shows
/// nowhere; masked from that line on as a piece of its own, the line
/// `type = "…"` inside the string would read as a safe field and print.
#[test]
fn a_file_masked_in_pieces_never_prints_a_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let secret = |i: u32| {
        format!(
            "[sites.s.secrets.K{i}]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"{}\"\n",
            canary(HIDDEN, i, "x")
        )
    };
    let head: String = (0..7000).map(secret).collect();
    // The unknown type right after the string puts its last line in the
    // finding's snippet.
    let big = format!(
        "[sites.s.secrets.BIG]\nvalue = \"\"\"\n[sites.fake]\ntype = \"{}\"\"\"\ntype = \"nope\"\nscope = [\"web\"]\n",
        canary(HIDDEN, 99_999, "in-string")
    );
    let value_at = head.len() + big.find("value").expect("a value line");
    let fake_at = head.len() + big.find("[sites.fake]").expect("a fake header");
    // Sized so that its middle, where the second of two pieces is looked
    // for, falls on the value's first line.
    let len = 2 * value_at;
    let mut text = head + &big;
    let mut i = 7000;
    while text.len() + secret(i).len() + 2 <= len {
        text += &secret(i);
        i += 1;
    }
    text += &format!("#{}\n", "-".repeat(len - text.len() - 2));
    assert_eq!(text.len(), len);
    assert!(text.len() >= 1 << 20, "large enough to be masked in pieces");
    let next_line_at = text[len / 2..].find("\n[").map(|at| len / 2 + at + 1);
    assert_eq!(
        next_line_at,
        Some(fake_at),
        "the second piece would start in the string"
    );
    std::fs::write(dir.path().join("big.toml"), &text).expect("the layout is written");
    let out = Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["check", "big.toml"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("WARD_THREADS", "2")
        .output()
        .expect("ward runs");
    let output = strip_ansi(&String::from_utf8_lossy(&out.stdout));
    assert!(output.contains("unknown type `nope`"), "{output}");
    assert!(
        output.contains("****\"\"\"\n"),
        "the string's last line is shown, masked:\n{output}"
    );
    assert!(!output.contains(HIDDEN), "a value printed:\n{output}");
}
