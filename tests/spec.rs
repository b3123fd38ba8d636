//! SPEC §1–5, end to end: each test runs the `ward` binary on a layout
//! written to a temporary directory and asserts on its exit status and on
//! the structure of what it printed (JSON parsed, not compared as text).
//! Values that must not be printed contain `canary`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A temporary directory holding layout (and policy) files.
struct Dir(tempfile::TempDir);

/// What one run of ward did.
struct Run {
    args: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Dir {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = Dir(tempfile::tempdir().unwrap());
        for (name, text) in files {
            dir.write(name, text);
        }
        dir
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.0.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn ward(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_ward"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let run = Run {
            args: args.join(" "),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.all().contains("panicked"),
            "`ward {}` panicked:\n{}",
            run.args,
            run.all()
        );
        run
    }
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    #[track_caller]
    fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            expected,
            "`ward {}` exited {}:\n{}",
            self.args,
            self.code,
            self.all()
        );
        self
    }

    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`ward {}` printed no JSON ({e}):\n{}",
                self.args,
                self.all()
            )
        })
    }

    #[track_caller]
    fn no_canary(&self) -> &Self {
        assert!(
            !self.all().contains("canary"),
            "`ward {}` leaked a value:\n{}",
            self.args,
            self.all()
        );
        self
    }
}

/// The seeds' worked example ("Secrets Overview": value resolution).
const SEEDS: &str = r#"
[orgs.my-org.secrets.FOO]
type = "env"
scope = ["ic"]
value = "canary-org-foo"
overrides = { live = "canary-org-foo-live" }

[orgs.my-org.secrets.STRIPE_KEY]
type = "runtime"
scope = ["web"]
value = "canary-org-stripe"
overrides = { live = "canary-org-stripe-live" }

[orgs.agency.secrets.AGENCY_TOKEN]
type = "env"
scope = ["ic", "web"]
value = "canary-agency"

[sites.my-org-site]
owner = "my-org"
supporting = ["agency"]
php = "8.2"
environments = ["feat-1"]

[sites.my-org-site.secrets.FOO]
type = "env"
scope = ["ic"]
value = "canary-site-foo"

[sites.my-org-site.secrets.STRIPE_KEY]
overrides = { feat-1 = "canary-site-stripe-feat" }
"#;

/// `name`'s entry of a resolve JSON document.
#[track_caller]
fn secret<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no secret {name} in {doc:#}"))
}

/// The names a resolve JSON document lists, in order.
fn names(doc: &Value) -> Vec<&str> {
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

/// The rule ids of a check JSON document, in order.
fn rules(doc: &Value) -> Vec<&str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

// --- §1 Layouts --------------------------------------------------------------

#[test]
fn a_secret_without_value_is_withheld() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"
[orgs.o.secrets.SHARED]
type = "runtime"
scope = ["web"]
value = "canary-org-shared"

[sites.s]
owner = "o"

[sites.s.secrets.SHARED]
type = "runtime"
scope = ["web"]

[sites.s.secrets.USER_ONLY]
type = "runtime"
scope = ["web", "user"]
"#,
    )]);
    let human = dir.ward(&["resolve", "layout.toml", "--site", "s", "--env", "dev"]);
    human.code(0).no_canary();
    let row = |name: &str| {
        let line = human.stdout.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // A withheld site default still beats the org default; a user-scoped
    // secret (normally shown) has nothing to show either.
    assert_eq!(row("SHARED")[3], "(withheld)", "{}", human.stdout);
    assert_eq!(row("USER_ONLY")[3], "(withheld)", "{}", human.stdout);
    for reveal in [false, true] {
        let mut args = vec![
            "resolve",
            "layout.toml",
            "--site",
            "s",
            "--env",
            "dev",
            "--format",
            "json",
        ];
        if reveal {
            args.push("--reveal");
        }
        let doc = dir.ward(&args).code(0).json();
        for name in ["SHARED", "USER_ONLY"] {
            let s = secret(&doc, name);
            assert_eq!(s["value"], Value::Null, "{s:#}");
            assert_eq!(s["withheld"], true, "{s:#}");
            assert_eq!(s["redacted"], false, "{s:#}");
            assert_eq!(s["source"]["kind"], "site", "{s:#}");
        }
        assert_eq!(secret(&doc, "SHARED")["shadowed"][0]["kind"], "org");
    }
}

#[test]
fn rules_that_need_a_value_do_not_fire_on_withheld_secrets() {
    // Each of these would be an error with a bad value; withheld, the
    // value is unknown and the layout is clean.
    let layout = r#"
[sites.s]
php = "8.2"

[sites.s.secrets.COMPOSER_AUTH]
type = "env"
scope = ["ic"]

[sites.s.secrets."github-oauth.github.com"]
type = "composer"
scope = ["ic"]

[sites.s.secrets."bitbucket-oauth.bitbucket.org"]
type = "composer"
scope = ["ic"]
"#;
    let dir = Dir::new(&[("layout.toml", layout)]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(rules(&doc), Vec::<&str>::new(), "{doc:#}");
    // The same layout with bad values does fire: the test above can fail.
    let bad = layout
        .replace(
            "type = \"env\"\nscope = [\"ic\"]\n",
            "type = \"env\"\nscope = [\"ic\"]\nvalue = \"{canary\"\n",
        )
        .replace(
            "scope = [\"ic\"]\n\n[sites.s.secrets.\"bitbucket",
            "scope = [\"ic\"]\nvalue = \"canary with spaces\"\n\n[sites.s.secrets.\"bitbucket",
        );
    dir.write("bad.toml", &bad);
    let doc = dir
        .ward(&["check", "bad.toml", "--format", "json"])
        .code(1)
        .no_canary()
        .json();
    assert_eq!(
        rules(&doc),
        ["composer-auth-json", "github-oauth-shape"],
        "{doc:#}"
    );
}

#[test]
fn scope_may_be_a_single_string() {
    let dir = Dir::new(&[(
        "layout.toml",
        "[sites.s.secrets.API]\ntype = \"runtime\"\nscope = \"web\"\nvalue = \"canary\"\n",
    )]);
    dir.ward(&["check", "layout.toml"]).code(0);
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            "--site",
            "s",
            "--env",
            "dev",
            "--format",
            "json",
        ])
        .code(0)
        .no_canary()
        .json();
    assert_eq!(secret(&doc, "API")["scope"], serde_json::json!(["web"]));
}

#[test]
fn types_and_scopes_are_the_policys_vocabulary() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"[sites.s.secrets.API]
type = "envv"
scope = ["web", "usr", "anything"]
value = "canary"
"#,
    )]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(1)
        .no_canary()
        .json();
    let findings = doc["findings"].as_array().unwrap();
    let got: Vec<(&str, &str, i64, i64)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                f["line"].as_i64().unwrap(),
                f["column"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("unknown-type", "unknown type `envv`", 2, 8),
            ("unknown-scope", "unknown scope `usr`", 3, 17),
            ("unknown-scope", "unknown scope `anything`", 3, 24),
        ]
    );
    assert!(
        findings[0]["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `env`?")
    );
    assert!(
        findings[1]["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `user`?")
    );
    // A policy with other words judges the same file differently.
    dir.write(
        "other.policy",
        &pantheon()
            .replace(
                "types runtime, env, composer",
                "types runtime, env, composer, envv",
            )
            .replace(
                "scopes ic, web, user",
                "scopes ic, web, user, usr, anything",
            ),
    );
    dir.ward(&["check", "layout.toml", "--policy", "other.policy"])
        .code(0);
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion_at_every_level() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"org = 1

[orgs.o]
secret = 1

[sites.s]
environment = ["feat"]
owners = "o"

[sites.s.secrets.X]
type = "env"
scopes = ["web"]
overide = { live = "canary" }
"#,
    )]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(1)
        .no_canary()
        .json();
    let got: Vec<(&str, &str, i64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unknown-field")
        .map(|f| {
            (
                f["message"].as_str().unwrap(),
                f["help"].as_str().unwrap(),
                f["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "unknown field `org` in the layout",
                "did you mean `orgs`?",
                1
            ),
            (
                "unknown field `secret` in org `o`",
                "did you mean `secrets`?",
                4
            ),
            (
                "unknown field `environment` in site `s`",
                "did you mean `environments`?",
                7
            ),
            (
                "unknown field `owners` in site `s`",
                "did you mean `owner`?",
                8
            ),
            (
                "unknown field `scopes` in secret `X`",
                "did you mean `scope`?",
                12
            ),
            (
                "unknown field `overide` in secret `X`",
                "did you mean `overrides`?",
                13
            ),
        ]
    );
}

#[test]
fn malformed_toml_is_reported_at_its_line_and_column() {
    let dir = Dir::new(&[(
        "layout.toml",
        "[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\" \"more canary\"\n",
    )]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(1)
        .no_canary()
        .json();
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "toml-syntax");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["line"].as_i64(), f["column"].as_i64()),
        (Some(4), Some(18))
    );
    // resolve and explain refuse a malformed layout with status 1, and
    // show why on stderr.
    let run = dir.ward(&["resolve", "layout.toml", "--site", "s", "--env", "dev"]);
    run.code(1).no_canary();
    assert!(run.stderr.contains("toml-syntax"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    dir.ward(&["explain", "layout.toml", "--site", "s", "--env", "dev", "X"])
        .code(1)
        .no_canary();
}

#[test]
fn a_site_declared_in_two_files_points_at_both() {
    let dir = Dir::new(&[
        ("a.toml", "[sites.s]\nowner = \"o\"\n\n[orgs.o]\n"),
        (
            "b.toml",
            "# again\n[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\n",
        ),
    ]);
    let human = dir.ward(&["check", "a.toml", "b.toml"]);
    human.code(1).no_canary();
    assert!(
        human.stdout.contains("site `s` is declared twice"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("[b.toml:2:8]"), "{}", human.stdout);
    assert!(human.stdout.contains("[a.toml:1:8]"), "{}", human.stdout);
    assert!(
        human.stdout.contains("first declared here"),
        "{}",
        human.stdout
    );
    let sarif = dir
        .ward(&["check", "a.toml", "b.toml", "--format", "sarif"])
        .code(1)
        .json();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "duplicate");
    let region = |loc: &Value| {
        let p = &loc["physicalLocation"];
        (
            p["artifactLocation"]["uri"].as_str().unwrap().to_string(),
            p["region"]["startLine"].as_i64().unwrap(),
        )
    };
    assert_eq!(region(&result["locations"][0]), ("b.toml".to_string(), 2));
    assert_eq!(
        region(&result["relatedLocations"][0]),
        ("a.toml".to_string(), 1)
    );
}

#[test]
fn a_table_declared_twice_in_one_file_points_at_both() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"[sites.s.secrets.X]
type = "env"
scope = ["web"]
value = "canary-1"

[sites.s.secrets.X]
type = "env"
scope = ["web"]
value = "canary-2"
"#,
    )]);
    let human = dir.ward(&["check", "layout.toml"]);
    human.code(1).no_canary();
    // One error (not one per repeated key), pointing at both headers.
    assert!(human.stdout.starts_with("toml-syntax"), "{}", human.stdout);
    assert_eq!(human.stdout.matches("×").count(), 1, "{}", human.stdout);
    assert!(
        human.stdout.contains("first declared here"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("declared again here"),
        "{}",
        human.stdout
    );
    let sarif = dir
        .ward(&["check", "layout.toml", "--format", "sarif"])
        .code(1)
        .json();
    let result = &sarif["runs"][0]["results"][0];
    let line = |loc: &Value| loc["physicalLocation"]["region"]["startLine"].as_i64();
    assert_eq!(line(&result["locations"][0]), Some(6));
    assert_eq!(line(&result["relatedLocations"][0]), Some(1));
}

#[test]
fn directories_are_walked_recursively_in_a_fixed_order() {
    let secret = |site: &str| {
        format!(
            "[sites.{site}.secrets.1bad]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\n"
        )
    };
    let dir = Dir::new(&[
        ("layouts/z.toml", &secret("z")),
        ("layouts/a/b/deep.toml", &secret("deep")),
        ("layouts/a/top.toml", &secret("top")),
        ("layouts/m.toml", &secret("m")),
        ("layouts/notes.txt", "not a layout"),
        ("layouts/.hidden/h.toml", &secret("hidden")),
        ("layouts/target/t.toml", &secret("target")),
    ]);
    let files = |run: &Run| -> Vec<String> {
        run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().replace('\\', "/"))
            .collect()
    };
    let first = dir.ward(&["check", "layouts", "--format", "json"]);
    first.code(1).no_canary();
    assert_eq!(
        files(&first),
        [
            "layouts/a/b/deep.toml",
            "layouts/a/top.toml",
            "layouts/m.toml",
            "layouts/z.toml"
        ]
    );
    let again = dir.ward(&["check", "layouts", "--format", "json"]);
    assert_eq!(first.stdout, again.stdout);
    // Several paths: files and directories, in the order given.
    let mixed = dir.ward(&["check", "layouts/z.toml", "layouts/a", "--format", "json"]);
    assert_eq!(
        files(&mixed),
        [
            "layouts/z.toml",
            "layouts/a/b/deep.toml",
            "layouts/a/top.toml"
        ]
    );
    // Every site of every file is loaded.
    let human = dir.ward(&["check", "layouts"]);
    assert!(
        human
            .stdout
            .contains("(4 files, 0 orgs, 4 sites, 4 secrets; "),
        "{}",
        human.stdout
    );
}

#[test]
fn an_org_override_reaches_every_owned_site_with_that_env() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"
[orgs.o.secrets.API]
type = "runtime"
scope = ["web"]
value = "canary-default"
overrides = { feat-1 = "canary-feat" }

[sites.a]
owner = "o"
environments = ["feat-1"]

[sites.b]
owner = "o"
"#,
    )]);
    // `feat-1` exists for the org through site `a`: not an unknown env.
    dir.ward(&["check", "layout.toml"]).code(0);
    let source = |site: &str, env: &str| {
        let doc = dir
            .ward(&[
                "resolve",
                "layout.toml",
                "--site",
                site,
                "--env",
                env,
                "--format",
                "json",
            ])
            .code(0)
            .no_canary()
            .json();
        secret(&doc, "API")["source"]["override"].clone()
    };
    assert_eq!(source("a", "feat-1"), "feat-1");
    assert_eq!(source("a", "dev"), Value::Null);
    assert_eq!(source("b", "dev"), Value::Null);
    dir.ward(&["resolve", "layout.toml", "--site", "b", "--env", "feat-1"])
        .code(2);
}

// --- §2 Resolution, §3 the policy decides ----------------------------------

/// The embedded Pantheon policy's text.
fn pantheon() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/pantheon.policy"
    ))
    .unwrap()
}

/// (name, source kind, source id, override) of each secret the site sees.
fn seen(dir: &Dir, env: &str, scope: &str, policy: Option<&str>) -> Vec<String> {
    let mut args = vec![
        "resolve",
        "layout.toml",
        "--site",
        "my-org-site",
        "--env",
        env,
        "--scope",
        scope,
        "--format",
        "json",
    ];
    if let Some(p) = policy {
        args.extend(["--policy", p]);
    }
    let doc = dir.ward(&args).code(0).no_canary().json();
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let src = &s["source"];
            let over = src["override"].as_str().unwrap_or("default");
            format!(
                "{} {} {} {over}",
                s["name"].as_str().unwrap(),
                src["kind"].as_str().unwrap(),
                src["id"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn resolution_follows_the_seeds_worked_example() {
    let dir = Dir::new(&[("layout.toml", SEEDS)]);
    // Integrated Composer on dev: the site's FOO beats the org's; the
    // supporting org's AGENCY_TOKEN is not inherited.
    assert_eq!(
        seen(&dir, "dev", "ic", None),
        ["FOO site my-org-site default"]
    );
    // A site default beats an org override.
    assert_eq!(
        seen(&dir, "live", "ic", None),
        ["FOO site my-org-site default"]
    );
    // The runtime: the org's override on live, the site's override on feat-1
    // (an override-only entry on top of the org's default).
    assert_eq!(
        seen(&dir, "live", "web", None),
        ["STRIPE_KEY org my-org live"]
    );
    assert_eq!(
        seen(&dir, "feat-1", "web", None),
        ["STRIPE_KEY site my-org-site feat-1"]
    );
    assert_eq!(
        seen(&dir, "test", "web", None),
        ["STRIPE_KEY org my-org default"]
    );
}

#[test]
fn inheritance_is_the_policys() {
    let dir = Dir::new(&[("layout.toml", SEEDS)]);
    let both = pantheon().replace("inherit from owner", "inherit from owner and supporting");
    let none = pantheon().replace("inherit from owner", "inherit nothing");
    dir.write("both.policy", &both);
    dir.write("none.policy", &none);
    assert_eq!(
        seen(&dir, "dev", "web", None),
        ["STRIPE_KEY org my-org default"]
    );
    assert_eq!(
        seen(&dir, "dev", "web", Some("both.policy")),
        [
            "STRIPE_KEY org my-org default",
            "AGENCY_TOKEN org agency default"
        ]
    );
    // Without inheritance the site's override-only STRIPE_KEY has no default
    // to sit on, so the site sees nothing in web...
    assert_eq!(
        seen(&dir, "feat-1", "web", Some("none.policy")),
        Vec::<String>::new()
    );
    // ...and check says so, where the Pantheon policy only warns about
    // FOO's live override.
    let doc = dir
        .ward(&[
            "check",
            "layout.toml",
            "--policy",
            "none.policy",
            "--format",
            "json",
        ])
        .code(1)
        .json();
    assert_eq!(
        rules(&doc),
        ["ic-override-test-live", "override-needs-default"]
    );
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(rules(&doc), ["ic-override-test-live"]);
}

#[test]
fn precedence_is_the_policys() {
    let dir = Dir::new(&[("layout.toml", SEEDS)]);
    // Org overrides above site defaults: the org's live FOO now wins.
    let orgs_win = pantheon().replace(
        "precedence org.default < org.override < site.default < site.override",
        "precedence org.default < site.default < site.override < org.override",
    );
    dir.write("orgs-win.policy", &orgs_win);
    assert_eq!(
        seen(&dir, "live", "ic", Some("orgs-win.policy")),
        ["FOO org my-org live"]
    );
    assert_eq!(
        seen(&dir, "dev", "ic", Some("orgs-win.policy")),
        ["FOO site my-org-site default"]
    );
    // What it shadowed follows the same order.
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            "--site",
            "my-org-site",
            "--env",
            "live",
            "--scope",
            "ic",
            "--policy",
            "orgs-win.policy",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    let shadowed: Vec<(Value, Value)> = secret(&doc, "FOO")["shadowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["kind"].clone(), s["override"].clone()))
        .collect();
    assert_eq!(
        shadowed,
        [
            (Value::from("site"), Value::Null),
            (Value::from("org"), Value::Null)
        ]
    );
}

#[test]
fn type_filter_keeps_only_that_type() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"[sites.s.secrets.A]
type = "env"
scope = ["web"]
value = "canary-a"

[sites.s.secrets.B]
type = "runtime"
scope = ["web"]
value = "canary-b"
"#,
    )]);
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            "--site",
            "s",
            "--env",
            "dev",
            "--type",
            "env",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(names(&doc), ["A"]);
    assert_eq!(doc["type"], "env");
}

// --- §4 Command line: JSON ----------------------------------------------------

#[test]
fn check_json_findings_carry_every_key() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"junk = 1

[orgs.o.secrets.TOKEN]
type = "env"
scope = ["ic"]
value = "canary"
overrides = { live = "canary-live" }

[sites.s]
owner = "o"
php = "7.4"
"#,
    )]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(1)
        .no_canary()
        .json();
    let keys = [
        "rule", "severity", "message", "file", "line", "column", "org", "site", "secret", "env",
    ];
    let findings = doc["findings"].as_array().unwrap();
    for f in findings {
        for key in keys {
            assert!(f.get(key).is_some(), "finding without `{key}`: {f:#}");
        }
        assert!(f["line"].as_u64().unwrap() >= 1, "{f:#}");
        assert!(f["column"].as_u64().unwrap() >= 1, "{f:#}");
    }
    let context = |rule: &str| {
        let f = findings.iter().find(|f| f["rule"] == rule).unwrap();
        let c: Vec<Value> = ["org", "site", "secret", "env", "line", "column"]
            .iter()
            .map(|k| f[k].clone())
            .collect();
        c
    };
    let v = |s: &str| Value::from(s);
    let n = |i: i64| Value::from(i);
    // No context at all: a top-level key.
    assert_eq!(
        context("unknown-field"),
        [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            n(1),
            n(1)
        ]
    );
    // An org secret's override: org, secret and env; the `live` key is at 7:15.
    assert_eq!(
        context("ic-override-test-live"),
        [v("o"), Value::Null, v("TOKEN"), v("live"), n(7), n(15)]
    );
    // A site rule: the site only, at `php`'s value.
    assert_eq!(
        context("php-below-8-ic"),
        [Value::Null, v("s"), Value::Null, Value::Null, n(11), n(7)]
    );
    let summary = &doc["summary"];
    let count = |sev: &str| findings.iter().filter(|f| f["severity"] == sev).count();
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert_eq!((count("error"), count("warning")), (1, 2));
}

#[test]
fn check_json_of_a_clean_layout_is_empty_with_zero_counts() {
    let dir = Dir::new(&[("layout.toml", "[sites.s]\n")]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(
        doc,
        // One site, no secrets: dev, test and live, each with 3 scopes.
        serde_json::json!({"findings": [], "summary": {
            "errors": 0, "warnings": 0, "infos": 0, "views": 9, "resolved": 0
        }})
    );
}

#[test]
fn resolve_json_has_the_documented_shape() {
    let dir = Dir::new(&[("layout.toml", SEEDS)]);
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            "--site",
            "my-org-site",
            "--env",
            "feat-1",
            "--format",
            "json",
        ])
        .code(0)
        .no_canary()
        .json();
    assert_eq!(doc["site"], "my-org-site");
    assert_eq!(doc["env"], "feat-1");
    assert_eq!(doc["scope"], "web");
    let s = secret(&doc, "STRIPE_KEY");
    for key in [
        "name", "type", "scope", "value", "redacted", "source", "shadowed",
    ] {
        assert!(s.get(key).is_some(), "secret without `{key}`: {s:#}");
    }
    assert_eq!(s["type"], "runtime");
    assert_eq!(s["scope"], serde_json::json!(["web"]));
    assert_eq!(s["value"], Value::Null);
    assert_eq!(s["redacted"], true);
    let source = &s["source"];
    assert_eq!(
        (&source["kind"], &source["id"], &source["override"]),
        (
            &Value::from("site"),
            &Value::from("my-org-site"),
            &Value::from("feat-1")
        )
    );
    let shadowed = s["shadowed"].as_array().unwrap();
    assert_eq!(shadowed.len(), 1, "{s:#}");
    for key in ["kind", "id", "override"] {
        assert!(shadowed[0].get(key).is_some(), "{s:#}");
    }
    assert_eq!(
        (
            &shadowed[0]["kind"],
            &shadowed[0]["id"],
            &shadowed[0]["override"]
        ),
        (&Value::from("org"), &Value::from("my-org"), &Value::Null)
    );
}

// --- §4 Command line: exit statuses -------------------------------------------

#[test]
fn exit_statuses() {
    let dir = Dir::new(&[
        ("clean.toml", "[sites.s]\nphp = \"8.2\"\n"),
        ("seeds.toml", SEEDS),
        (
            "warning.toml",
            "[orgs.o]\n[sites.w]\nowner = \"o\"\nsupporting = [\"o\"]\n",
        ),
        (
            "error.toml",
            "[sites.e.secrets.1bad]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\n",
        ),
        ("malformed.toml", "[sites.m\n"),
        ("bad.policy", "policy \"bad\" {\n  types a\n"),
        ("empty/readme.md", "no layouts here"),
    ]);
    let info = pantheon().replace(
        "warning owner-also-supporting on site",
        "info owner-also-supporting on site",
    );
    dir.write("info.policy", &info);
    let q = ["--site", "my-org-site", "--env", "dev"];
    let cases: Vec<(Vec<&str>, i32)> = vec![
        // 0: no error findings; warnings and infos allowed.
        (vec!["check", "clean.toml"], 0),
        (vec!["check", "clean.toml", "--deny-warnings"], 0),
        (vec!["check", "warning.toml"], 0),
        (
            vec![
                "check",
                "warning.toml",
                "--policy",
                "info.policy",
                "--deny-warnings",
            ],
            0,
        ),
        (vec!["resolve", "seeds.toml", q[0], q[1], q[2], q[3]], 0),
        (
            vec![
                "explain",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "STRIPE_KEY",
            ],
            0,
        ),
        // 1: error findings, warnings denied, or a malformed layout.
        (vec!["check", "warning.toml", "--deny-warnings"], 1),
        (vec!["check", "error.toml"], 1),
        (vec!["check", "error.toml", "--format", "json"], 1),
        (vec!["check", "error.toml", "--format", "sarif"], 1),
        (vec!["check", "error.toml", "--format", "github"], 1),
        (vec!["check", "malformed.toml"], 1),
        (vec!["check", "clean.toml", "malformed.toml"], 1),
        (
            vec!["resolve", "malformed.toml", "--site", "m", "--env", "dev"],
            1,
        ),
        // 2: ward could not run.
        (vec!["check", "--no-such-flag", "clean.toml"], 2),
        (vec!["check", "clean.toml", "--format", "xml"], 2),
        (vec!["resolve", "seeds.toml", "--site", "my-org-site"], 2),
        (vec!["resolve", "--site", "my-org-site", "--env", "dev"], 2),
        (vec!["explain", "STRIPE_KEY", q[0], q[1], q[2], q[3]], 2),
        (vec!["frobnicate"], 2),
        (vec!["check", "nowhere.toml"], 2),
        (vec!["check", "empty"], 2),
        (vec!["check", "clean.toml", "--policy", "bad.policy"], 2),
        (vec!["check", "clean.toml", "--policy", "nowhere.policy"], 2),
        (
            vec![
                "resolve",
                "seeds.toml",
                "--policy",
                "bad.policy",
                q[0],
                q[1],
                q[2],
                q[3],
            ],
            2,
        ),
        (
            vec!["resolve", "seeds.toml", "--site", "nope", "--env", "dev"],
            2,
        ),
        (
            vec![
                "resolve",
                "seeds.toml",
                "--site",
                "my-org-site",
                "--env",
                "feat-2",
            ],
            2,
        ),
        (
            vec![
                "resolve",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "--scope",
                "nope",
            ],
            2,
        ),
        (
            vec![
                "resolve",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "--type",
                "nope",
            ],
            2,
        ),
        (
            vec![
                "resolve",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "--format",
                "sarif",
            ],
            2,
        ),
        (
            vec![
                "resolve",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "--format",
                "github",
            ],
            2,
        ),
        (
            vec![
                "explain",
                "seeds.toml",
                q[0],
                q[1],
                q[2],
                q[3],
                "--format",
                "sarif",
                "FOO",
            ],
            2,
        ),
        (
            vec![
                "explain",
                "seeds.toml",
                "--site",
                "nope",
                "--env",
                "dev",
                "FOO",
            ],
            2,
        ),
        (
            vec!["explain", "seeds.toml", q[0], q[1], q[2], q[3], "NOPE"],
            2,
        ),
    ];
    for (args, code) in cases {
        let run = dir.ward(&args);
        run.code(code).no_canary();
        if code == 2 {
            assert!(
                run.stdout.is_empty(),
                "`ward {}` printed:\n{}",
                run.args,
                run.stdout
            );
            assert!(!run.stderr.is_empty(), "`ward {}` said nothing", run.args);
        }
    }
}

#[test]
fn a_dangling_layout_link_is_an_unreadable_path() {
    #[cfg(unix)]
    {
        let dir = Dir::new(&[("layouts/ok.toml", "[sites.s]\n")]);
        std::os::unix::fs::symlink("nowhere.toml", dir.path().join("layouts/gone.toml")).unwrap();
        let run = dir.ward(&["check", "layouts"]);
        run.code(2);
        assert!(run.stderr.contains("gone.toml"), "{}", run.stderr);
    }
}

// --- §4 Command line: SARIF and GitHub ------------------------------------------

/// A layout with an error, a warning and an override finding.
const FINDINGS: &str = r#"[orgs.o.secrets.TOKEN]
type = "env"
scope = ["ic"]
value = "canary"
overrides = { live = "canary-live" }

[sites.s]
owner = "o"
php = "7.4"

[sites.s.secrets.1bad]
type = "env"
scope = ["web"]
value = "canary"
"#;

#[test]
fn sarif_is_2_1_0_with_regions() {
    let dir = Dir::new(&[("dir with space #1/layout.toml", FINDINGS)]);
    let doc = dir
        .ward(&["check", "dir with space #1", "--format", "sarif"])
        .code(1)
        .no_canary()
        .json();
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ward");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{doc:#}");
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "{r:#}");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        // A URI reference: the space and `#` are percent-encoded.
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "dir%20with%20space%20%231/layout.toml"
        );
        let region = &loc["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{r:#}");
        }
    }
    let env_key = results
        .iter()
        .find(|r| r["ruleId"] == "env-key-name")
        .unwrap();
    let region = &env_key["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(11), Some(18))
    );
    assert_eq!(env_key["level"], "error");
}

#[test]
fn github_annotations_are_one_workflow_command_per_finding() {
    let dir = Dir::new(&[("layout.toml", FINDINGS)]);
    let run = dir.ward(&["check", "layout.toml", "--format", "github"]);
    run.code(1).no_canary();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let pattern = regex::Regex::new(
        r"^::(error|warning|notice) file=layout\.toml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=ward [a-z0-9-]+::[^\r\n]+$",
    )
    .unwrap();
    for line in &lines {
        assert!(pattern.is_match(line), "not a workflow command: {line}");
    }
    let env_key = lines
        .iter()
        .find(|l| l.contains("title=ward env-key-name"))
        .unwrap();
    assert!(
        env_key.starts_with("::error file=layout.toml,line=11,col=18,"),
        "{env_key}"
    );
    // The help follows the message on the same line, its break escaped.
    assert!(env_key.contains("underscores.%0Ahelp: "), "{env_key}");
    assert!(lines.iter().any(|l| l.starts_with("::warning ")));
}

// --- §5 Secrecy -----------------------------------------------------------------

#[test]
fn values_are_shown_for_user_scope_or_with_reveal_only() {
    let dir = Dir::new(&[(
        "layout.toml",
        r#"[orgs.o.secrets.SHADOWED]
type = "runtime"
scope = ["web"]
value = "canary-org-web-only"

[sites.s]
owner = "o"

[sites.s.secrets.SHADOWED]
type = "runtime"
scope = ["web", "user"]
value = "shown-site-user"

[sites.s.secrets.HIDDEN]
type = "runtime"
scope = ["web"]
value = "canary-hidden"
"#,
    )]);
    let q = ["--site", "s", "--env", "dev"];
    let resolve = dir.ward(&["resolve", "layout.toml", q[0], q[1], q[2], q[3]]);
    resolve.code(0).no_canary();
    assert!(
        resolve.stdout.contains("shown-site-user"),
        "{}",
        resolve.stdout
    );
    assert!(
        resolve.stdout.contains("[REDACTED] (13 bytes)"),
        "{}",
        resolve.stdout
    );
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            q[0],
            q[1],
            q[2],
            q[3],
            "--format",
            "json",
        ])
        .code(0)
        .no_canary()
        .json();
    assert_eq!(secret(&doc, "SHADOWED")["value"], "shown-site-user");
    assert_eq!(secret(&doc, "SHADOWED")["redacted"], false);
    assert_eq!(secret(&doc, "HIDDEN")["value"], Value::Null);
    assert_eq!(secret(&doc, "HIDDEN")["redacted"], true);
    // explain judges each layer by its own scopes: the user-scoped site
    // value is shown, the web-only org value it shadows is not.
    let explain = dir.ward(&["explain", "layout.toml", q[0], q[1], q[2], q[3], "SHADOWED"]);
    explain.code(0).no_canary();
    assert!(
        explain.stdout.contains("shown-site-user"),
        "{}",
        explain.stdout
    );
    assert!(
        explain.stdout.contains("[REDACTED] (19 bytes)"),
        "{}",
        explain.stdout
    );
    // --reveal shows everything, in every command and format.
    let revealed = dir.ward(&["resolve", "layout.toml", q[0], q[1], q[2], q[3], "--reveal"]);
    assert!(
        revealed.stdout.contains("canary-hidden"),
        "{}",
        revealed.stdout
    );
    let doc = dir
        .ward(&[
            "resolve",
            "layout.toml",
            q[0],
            q[1],
            q[2],
            q[3],
            "--reveal",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(secret(&doc, "HIDDEN")["value"], "canary-hidden");
    assert_eq!(secret(&doc, "HIDDEN")["redacted"], false);
    let explain = dir.ward(&[
        "explain",
        "layout.toml",
        q[0],
        q[1],
        q[2],
        q[3],
        "--reveal",
        "SHADOWED",
    ]);
    assert!(
        explain.stdout.contains("canary-org-web-only"),
        "{}",
        explain.stdout
    );
}

#[test]
fn a_syntax_error_does_not_turn_values_into_names() {
    // toml's error recovery carries on after an unclosed array or header,
    // reading the strings of the lines below as items of the array (or as
    // keys). Messages quote items and keys: those swept in from a value must
    // not be quoted.
    let cases = [
        "[sites.s]\nsupporting = [\"agency\"\n\n[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"canary-supporting\"\n",
        "[sites.s]\nenvironments = [\"feat\"\n\n[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"Canary_Environments\"\n",
        "[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"\nvalue = \"canary-scope\"\n",
        "[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"value = \"canary-same-line\"\n",
        "[sites.s]\nowner = [\"o\"\nvalue = \"canary-owner\"\n",
        "[sites.s]\nenvironments = [\"\"\"feat\"]\n\n[sites.s.secrets.X]\ntype = \"runtime\"\nscope = [\"web\"]\nvalue = \"canary-triple\"\n",
        "[sites.s.secrets.X value = \"canary-header\"\ntype = \"env\"\n",
        "[sites.s.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\noverrides = { live = \"a = \"canary-key\"-x\" }\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let dir = Dir::new(&[("layout.toml", text)]);
        for format in ["human", "json", "sarif", "github"] {
            let run = dir.ward(&["check", "layout.toml", "--format", format]);
            run.code(1);
            assert!(
                !run.all().to_lowercase().contains("canary"),
                "case {i} ({format}) leaked a value:\n{text}\n---\n{}",
                run.all()
            );
        }
    }
}

#[test]
fn no_template_can_show_any_part_of_a_value() {
    let dir = Dir::new(&[(
        "layout.toml",
        "[sites.s.secrets.COMPOSER_AUTH]\ntype = \"env\"\nscope = [\"web\"]\nvalue = '{\"canary-key\": 1}'\n",
    )]);
    for hole in ["{value}", "{value.json.keys}", "{ value.json.keys }"] {
        let policy = pantheon().replace(
            "message \"env secret `{name}` does not hold valid JSON\"",
            &format!("message \"keys: {hole}\""),
        );
        assert!(policy.contains(hole));
        dir.write("p.policy", &policy);
        let run = dir.ward(&["check", "layout.toml", "--policy", "p.policy"]);
        run.code(2).no_canary();
        assert!(
            run.stderr.contains("ward::policy::value_in_template"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn names_are_printed_without_control_characters() {
    let dir = Dir::new(&[(
        "layout.toml",
        "[sites.s.secrets.\"A\\u001b[31mB\\nC\"]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\n\
         [sites.t]\nowner = \"\\u0007org\"\nenvironments = [\"e\\r\\nf\"]\n",
    )]);
    for format in ["human", "json", "github"] {
        let run = dir.ward(&["check", "layout.toml", "--format", format]);
        run.code(1).no_canary();
        assert!(!run.stdout.contains('\u{1b}'), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains('\u{7}'), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains('\r'), "{format}: {}", run.stdout);
    }
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .json();
    let messages: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"Invalid key name 'A\\u{1b}[31mB\\nC': Environment variable names must start with a letter or underscore, and can only contain letters, numbers, and underscores."),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"org `\\u{7}org` is not declared in the layout"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"invalid environment name `e\\r\\nf`"),
        "{messages:#?}"
    );
}

#[test]
fn multidev_names_follow_the_policy() {
    let names = [
        ("feat-1", true),
        ("a", true),
        ("abcdefghijk", true),
        ("abcdefghijkl", false),
        ("settings", false),
        ("multidev", false),
        ("-x", false),
        ("Feat", false),
        ("feat_1", false),
    ];
    let list: Vec<String> = names.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let dir = Dir::new(&[(
        "layout.toml",
        &format!("[sites.s]\nenvironments = [{}]\n", list.join(", ")),
    )]);
    let doc = dir
        .ward(&["check", "layout.toml", "--format", "json"])
        .code(1)
        .json();
    let refused: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], "invalid-environment", "{f:#}");
            f["env"].as_str().unwrap()
        })
        .collect();
    let expected: Vec<&str> = names
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(refused, expected);
    // The allowed ones are environments of the site to resolve in (a layout
    // with error findings, not a malformed one, still resolves).
    for (name, _) in names.iter().filter(|(_, ok)| *ok) {
        dir.ward(&["resolve", "layout.toml", "--site", "s", "--env", name])
            .code(0);
    }
}

#[test]
fn check_defaults_to_the_current_directory() {
    let dir = Dir::new(&[
        (
            "sites/a.toml",
            "[sites.a.secrets.1bad]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"canary\"\n",
        ),
        ("orgs/o.toml", "[orgs.o]\n"),
    ]);
    let run = dir.ward(&["check"]);
    run.code(1).no_canary();
    assert!(
        run.stdout.contains("(2 files, 1 org, 1 site, 1 secret; "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("sites/a.toml") || run.stdout.contains("sites\\a.toml"));
}

#[test]
fn debug_output_of_the_pipeline_holds_no_value() {
    let loaded = ward::layout::load_str("layout.toml", SEEDS);
    let policy = ward::policy::pantheon().unwrap();
    let findings = ward::rules::check(&loaded.layout, &policy);
    let q = ward::resolve::Query {
        site: "my-org-site",
        env: "live",
        scope: "ic",
        ty: None,
    };
    let resolved = ward::resolve::resolve(&loaded.layout, &policy, q).unwrap();
    assert!(!resolved.is_empty());
    let debug = format!("{:?} {:?} {:?} {:?}", loaded, findings, resolved, policy);
    assert!(!debug.contains("canary"), "{debug}");
    assert!(debug.contains("REDACTED"));
}
