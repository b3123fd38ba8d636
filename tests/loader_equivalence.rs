//! The fast loader and the reference loader (toml's DOM) agree: same orgs,
//! sites and secrets, same values and spans, same findings in the same
//! order — on every checked-in layout, on generated layouts, and on tricky
//! shapes, whether the fast loader reads a file itself or hands it over.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ward::layout::{Loaded, read_files};
use ward::source::{SourceText, Text};

#[path = "support/dump.rs"]
mod dump;
#[path = "support/layout_gen.rs"]
#[allow(dead_code)]
mod layout_gen;

use layout_gen::Rng;

/// Everything a load produced, spans, values and findings included, as text.
fn dump(loaded: &Loaded) -> String {
    let mut out = dump::layout(&loaded.layout);
    for finding in &loaded.findings {
        let _ = writeln!(out, "{finding:?}");
    }
    out
}

/// Loads `files` with both loaders, asserts they agree, and returns how
/// many files the fast loader read itself.
#[track_caller]
fn agree(what: &str, files: &[(String, Text)]) -> usize {
    let mut fast = Loaded::default();
    let mut reference = Loaded::default();
    let mut accepted = 0;
    for (name, text) in files {
        fast.add_text(name, Text::clone(text));
        reference.add_text_reference(name, Text::clone(text));
        accepted += usize::from(Loaded::default().try_add_text_fast(name, Text::clone(text)));
    }
    // All files in one call, as `ward check` loads them: on several
    // threads, each file's emptied owner maps reused by the next.
    let mut together = Loaded::default();
    together.add_texts(files.to_vec());
    let (fast, reference) = (dump(&fast), dump(&reference));
    assert!(
        dump(&together) == fast,
        "{what}: the files loaded together differ from one by one"
    );
    if fast != reference {
        let line = fast
            .lines()
            .zip(reference.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(fast.lines().count().min(reference.lines().count()));
        let input: String = files
            .iter()
            .map(|(n, t)| format!("--- {n}\n{}\n", &***t))
            .collect();
        panic!(
            "{what}: loaders disagree from line {line}\n--- fast\n{fast}\n--- reference\n{reference}\n--- input\n{input}"
        );
    }
    accepted
}

/// One file.
#[track_caller]
fn agree_one(what: &str, text: &str) -> bool {
    agree(
        what,
        &[("layout.toml".to_owned(), SourceText::shared(text))],
    ) == 1
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn checked_in_layouts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["examples", "tests/cases", "tests/repl", "tests/fuzz"] {
        toml_files(&root.join(dir), &mut paths);
    }
    assert!(paths.len() > 20, "found only {paths:?}");
    let mut handed_over = Vec::new();
    for path in &paths {
        let files = read_files(&[path]).expect("readable fixture");
        let files: Vec<_> = files
            .into_iter()
            .map(|(p, t)| (p.display().to_string(), t))
            .collect();
        if agree(&path.display().to_string(), &files) == 0 {
            handed_over.push(path.strip_prefix(root).unwrap_or(path));
        }
    }
    // Each directory as one load, as `ward check DIR` reads it: files
    // declaring the same org or site.
    let mut dirs: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    dirs.dedup();
    for dir in dirs.iter().chain([&root.join("examples/agency").as_path()]) {
        let files = read_files(&[dir]).expect("readable fixtures");
        let files: Vec<_> = files
            .into_iter()
            .map(|(p, t)| (p.display().to_string(), t))
            .collect();
        agree(&dir.display().to_string(), &files);
    }
    // The examples are ordinary layouts, which the fast loader reads itself.
    let examples: Vec<_> = handed_over
        .iter()
        .filter(|p| p.starts_with("examples"))
        .collect();
    assert!(examples.is_empty(), "handed over: {examples:?}");
}

#[test]
fn generated_layouts() {
    for (secrets, files, seed) in [(2_000, 1, 1), (3_000, 3, 2), (500, 1, 7), (20_000, 1, 3)] {
        let generated = layout_gen::generate(secrets, files, seed);
        let texts: Vec<_> = generated
            .files
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    format!("layout-{i:03}.toml"),
                    SourceText::shared(t.as_str()),
                )
            })
            .collect();
        let what = format!("generated {secrets} secrets, {files} files, seed {seed}");
        assert_eq!(
            agree(&what, &texts),
            texts.len(),
            "{what}: fast loader gave up"
        );
    }
}

/// A file cut into pieces parsed apart (as large files are, on several
/// threads) loads exactly as when parsed whole: the same model, spans and
/// findings, whether the cuts fall between owners or where they cannot be
/// used (an owner's tables on both sides, a multi-line string or array
/// holding a line that looks like a header), and the file is handed over
/// to the reference loader in the same cases.
#[test]
fn pieces_load_as_the_whole() {
    let generated = layout_gen::generate(3_000, 1, 5);
    let mut texts: Vec<String> = generated.files.clone();
    let header_in_string = "[sites.zz-1]\nowner = \"org-0\"\n[sites.zz-1.secrets.PEM]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"\"\"\nx\n[sites.zz-2]\ny\n\"\"\"\n";
    let header_in_array = "[sites.zz-3]\nsupporting = [\n\"a\",\n[sites.zz-4]\n]\n";
    let owner_twice = "[sites.zz-5]\nowner = \"org-0\"\n[sites.zz-6]\n[sites.zz-5.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n";
    let bare_top_late = "[sites.zz-7]\n[orgs]\n[sites.zz-8]\n";
    for extra in [header_in_string, header_in_array, owner_twice] {
        // Through the file, so some cut lands near it.
        let mut text = String::new();
        let blocks: Vec<&str> = generated.files[0].split_inclusive("\n\n").collect();
        for (n, chunk) in blocks.chunks(400).enumerate() {
            text.push_str(&chunk.concat());
            text.push_str(&extra.replace("zz-", &format!("zz{n}-")));
        }
        texts.push(text);
    }
    // At the end only, in the last piece: `[orgs]` after `[orgs.ID]` makes
    // the fast loader hand the file over, and must when the file is cut.
    texts.push(format!("{}{bare_top_late}", generated.files[0]));
    for (i, text) in texts.iter().enumerate() {
        let text = SourceText::shared(text.as_str());
        let mut whole = Loaded::default();
        let whole_fast = whole.try_add_text_fast("layout.toml", Text::clone(&text));
        for pieces in [2, 3, 7, 64, 1000] {
            let mut cut = Loaded::default();
            let used = cut.try_add_text_in_pieces("layout.toml", Text::clone(&text), pieces);
            assert_eq!(
                used.is_some(),
                whole_fast,
                "text {i}, {pieces} pieces: handed over differently"
            );
            if i == 0 {
                // A clean generated layout is cut where asked (fewer pieces
                // only if there are fewer owners than pieces).
                assert!(used > Some(1), "text {i}, {pieces} pieces: read whole");
            }
            assert!(
                dump(&cut) == dump(&whole),
                "text {i}, {pieces} pieces: the loads differ"
            );
        }
    }
}

/// The same files loaded twice: every org and site a duplicate.
#[test]
fn generated_layouts_loaded_twice() {
    let generated = layout_gen::generate(1_000, 2, 4);
    let texts: Vec<_> = (0..2)
        .flat_map(|_| generated.files.iter())
        .enumerate()
        .map(|(i, t)| (format!("layout-{i}.toml"), SourceText::shared(t.as_str())))
        .collect();
    assert_eq!(agree("twice", &texts), texts.len());
}

/// Shapes the fast loader reads itself, whose result must still be the
/// reference's.
const FAST: &[(&str, &str)] = &[
    ("empty", ""),
    ("comments only", "# a\n\n  # b\n"),
    (
        "quoted keys",
        "[orgs.'o 1']\n[orgs.\"o 1\".secrets.\"A.B\"]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"v\"\n[sites . \"s\\u0031\" ]\nowner = 'o 1'\n",
    ),
    (
        "escapes and literal strings",
        "[sites.s.secrets.K]\ntype = 'runtime'\nscope = ['web', \"us\\u0065r\"]\nvalue = \"a\\tb\\\"c\\\\\"\noverrides = { live = 'C:\\x', \"dev\" = \"\\u00e9\" }\n",
    ),
    (
        "multi-line strings",
        "[sites.s.secrets.K]\ntype = \"runtime\"\nscope = \"web\"\nvalue = \"\"\"\nline 1\n[not.a.header]\nline \\\n   3\"\"\"\noverrides = { live = '''\n[x]\n''' }\n",
    ),
    (
        "inline overrides",
        "[orgs.o.secrets.A]\noverrides = { live = \"x\", dev = \"y\" }\n[orgs.o.secrets.B]\noverrides = {}\n",
    ),
    (
        "scope as a string",
        "[sites.s.secrets.K]\ntype = \"env\"\nscope = \"web\"\n",
    ),
    (
        "comments everywhere",
        "# top\n[sites.s] # site\nowner = \"o\" # owner\nsupporting = [ # open\n  \"a\", # one\n  \"b\", # two\n] # close\nphp = \"8.2\"#x\n\n[sites.s.secrets.K] # k\ntype = \"env\" # t\nscope = [\"web\",] # s\nvalue = \"v\" # v\n",
    ),
    (
        "crlf",
        "[sites.s]\r\nowner = \"o\"\r\n\r\n[sites.s.secrets.K]\r\ntype = \"env\"\r\nscope = [\"web\"]\r\nvalue = \"v\"\r\n",
    ),
    (
        "bom",
        "\u{feff}[sites.s]\nowner = \"o\"\n[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n",
    ),
    (
        "no final newline",
        "[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"",
    ),
    (
        "php as a number",
        "[sites.a]\nphp = 8.2\n[sites.b]\nphp = 8_1\n[sites.c]\nphp = +8.10\n[sites.d]\nphp = 'x'\n",
    ),
    (
        "owners interleaved",
        "[orgs.o]\n[sites.s]\nowner = \"o\"\n[orgs.o.secrets.A]\noverrides = { live = \"x\" }\n[sites.s.secrets.B]\noverrides = { live = \"y\" }\n[orgs.p.secrets.C]\noverrides = { live = \"z\" }\n",
    ),
    (
        "sites before orgs",
        "[sites.s.secrets.A]\noverrides = { live = \"x\" }\n[orgs.o]\n",
    ),
    (
        "explicit parent tables",
        "[sites]\n[orgs]\n[sites.s]\n[sites.s.secrets]\n[sites.s.secrets.A]\noverrides = { live = \"x\" }\n",
    ),
    (
        "withheld value and override-only entry",
        "[sites.s.secrets.A]\ntype = \"env\"\nscope = [\"ic\"]\n[sites.s.secrets.B]\noverrides = { live = \"x\" }\n",
    ),
    (
        "findings in sections",
        "[orgs.o]\nname = \"x\"\n[sites.s]\nownr = \"o\"\nphp = true\nsupporting = [1, \"a\"]\n[sites.s.secrets.A]\ntype = 1\nscope = []\nvalue = 2\noverrides = { live = 3 }\n[sites.s.secrets.B]\nvalue = \"v\"\n[sites.s.secrets.C]\n[sites.s.secrets.D]\ntpye = \"env\"\n[sites.s.secrets.E]\noverrides = { a.b = \"x\" }\n[sites.s.secrets.F]\noverrides.live = \"x\"\nscope = [[\"web\"]]\n",
    ),
    (
        "secrets in an org section",
        "[orgs.o]\nsecrets = { A = { overrides = { live = \"x\" } } }\n[orgs.p]\nsecrets = 3\n",
    ),
    (
        "control characters in names",
        "[sites.\"s\\tt\".secrets.\"A\\u0001\"]\ntype = \"env\"\nscope = \"web\"\n",
    ),
    (
        "unknown top-level tables",
        "[site.s]\nowner = \"o\"\n[orgs.o]\n[Sites]\n[x.y.z]\na = { b = [1, { c = 2 }] }\n[sites.s]\n",
    ),
    (
        "deep value",
        "[sites.s.secrets.A]\ntype = [[[[[[\"x\"]]]]]]\nscope = \"web\"\n",
    ),
    (
        "whitespace everywhere it may be",
        "  [ sites . s ]  \n\towner\t=\t\"o\" \n supporting = [ \"a\" , \"b\" ] \n  [ sites.s.secrets . K ]\n type = \"env\"\n scope = [ \"web\" ,\"ic\" ]\n overrides = {  live = \"x\" ,dev=\"y\"  }\n",
    ),
];

/// Shapes the fast loader may hand to the reference loader: the result is
/// the reference's either way.
const EITHER: &[(&str, &str)] = &[
    ("syntax error", "[sites.s]\nowner = \n"),
    (
        "unclosed array",
        "[sites.s]\nsupporting = [\"a\"\n[sites.t]\n",
    ),
    (
        "unclosed string",
        "[sites.s.secrets.A]\nvalue = \"abc\ntype = \"env\"\n",
    ),
    ("duplicate table", "[sites.s]\n[sites.s]\n"),
    ("duplicate key", "[sites.s]\nowner = \"a\"\nowner = \"b\"\n"),
    (
        "duplicate override",
        "[sites.s.secrets.A]\noverrides = { live = \"a\", live = \"b\" }\n",
    ),
    (
        "duplicate secret",
        "[sites.s.secrets.A]\n[sites.s.secrets.A]\n",
    ),
    ("duplicate in odd section", "[sites.s]\nx = 1\nx = 2\n"),
    (
        "an owner's secrets interleaved with another's",
        "[sites.s.secrets.A]\noverrides = { live = \"x\" }\n[sites.t.secrets.B]\noverrides = { live = \"y\" }\n[sites.s.secrets.C]\noverrides = { live = \"z\" }\n",
    ),
    ("array of tables", "[[sites]]\nx = 1\n"),
    (
        "secret before its site",
        "[sites.s.secrets.A]\noverrides = { live = \"x\" }\n[sites.s]\nowner = \"o\"\n",
    ),
    ("parent after child", "[sites.s]\n[sites]\n"),
    ("top-level key", "x = 1\n[sites.s]\n"),
    ("unknown table twice", "[site.s]\n[sites.s]\n[site.t]\n"),
    (
        "unknown table with a duplicate key",
        "[x]\na = 1\na = 2\n[sites.s]\n",
    ),
    (
        "deeper table",
        "[sites.s.secrets.A.overrides]\nlive = \"x\"\n",
    ),
    ("other sub-table", "[sites.s.other]\nx = 1\n"),
    (
        "dotted site keys",
        "[sites.s]\nsecrets.A.type = \"env\"\nsecrets.A.scope = \"web\"\n[sites.s.secrets.B]\ntype = \"env\"\nscope = \"web\"\n",
    ),
    ("keys in [sites]", "[sites]\ns = 1\n"),
    ("keys in secrets table", "[sites.s.secrets]\nA = \"x\"\n"),
    ("date", "[sites.s]\nphp = 2024-01-01\n"),
    ("lone carriage return", "[sites.s]\rowner = \"o\"\n"),
    ("bad escape", "[sites.s]\nowner = \"\\q\"\n"),
    ("bad comment", "[sites.s] # \u{7f}\n"),
    (
        "extend inline table",
        "[sites.s]\nsecrets = {}\n[sites.s.secrets.A]\n",
    ),
    ("stray bracket", "]\n[sites.s]\nowner = \"o\"\n"),
    // Whitespace where TOML forbids it, or between what it would split:
    // the fast loader reads its tokens without whitespace.
    ("spaced array of tables", "[ [sites] ]\nx = 1\n"),
    ("array of tables spaced inside", "[[sites] ]\n[ [orgs]]\n"),
    ("space in a bare key", "[sites.s]\nown er = \"o\"\n"),
    ("space in a header key", "[sites s]\nowner = \"o\"\n"),
    ("two headers on a line", "[sites.s] [sites.t]\n"),
    ("two strings", "[sites.s]\nowner = \"a\" \"b\"\n"),
    ("two numbers", "[sites.s]\nphp = 8 2\n"),
    (
        "spaced float",
        "[sites.s]\nphp = 8 .2\n[sites.t]\nphp = 8. 2\n",
    ),
    ("two booleans", "[sites.s]\nphp = true false\n"),
    ("date and time", "[sites.s]\nphp = 2024-01-01 10:00:00\n"),
    (
        "spaced dotted key",
        "[sites.s]\nsecrets . A . type = \"env\"\n",
    ),
    (
        "very deep",
        "[sites.s]\nowner = [[[[[[[[[[[[[[[[[[[[\"x\"]]]]]]]]]]]]]]]]]]]]\n",
    ),
];

#[test]
fn tricky_shapes_read_by_the_fast_loader() {
    for (what, text) in FAST {
        assert!(agree_one(what, text), "{what}: fast loader gave up");
    }
}

/// An owner with more secrets than the fast loader scans for a name (it
/// indexes them), read whole; one name again after them is handed over.
#[test]
fn many_secrets_of_one_owner() {
    let mut text = String::from("[orgs.o]\n");
    for n in 0..40 {
        text.push_str(&format!(
            "[orgs.o.secrets.K{n}]\noverrides = {{ dev = \"{n}\" }}\n"
        ));
    }
    assert!(agree_one("40 secrets", &text), "the fast loader gave up");
    for again in [0, 16, 17, 39] {
        let twice = format!("{text}[orgs.o.secrets.K{again}]\noverrides = {{ live = \"x\" }}\n");
        assert!(
            !agree_one("a name again", &twice),
            "K{again} twice was read"
        );
    }
}

/// A secret with more overrides than the fast loader scans for a second
/// one (it keeps a set), read whole; an environment again is handed over,
/// wherever it comes.
#[test]
fn many_overrides_of_one_secret() {
    let envs: Vec<String> = (0..40).map(|n| format!("md{n} = \"{n}\"")).collect();
    let text = |envs: &[String]| {
        format!(
            "[sites.s]\n[sites.s.secrets.K]\ntype = \"env\"\nscope = \"web\"\nvalue = \"v\"\noverrides = {{ {} }}\n",
            envs.join(", ")
        )
    };
    for n in [2, 16, 17, 40] {
        assert!(
            agree_one("many overrides", &text(&envs[..n])),
            "{n}: gave up"
        );
    }
    for (n, again) in [(2, 0), (16, 15), (17, 3), (40, 39)] {
        let mut twice = envs[..n].to_vec();
        twice.push(format!("md{again} = \"x\""));
        assert!(
            !agree_one("an environment again", &text(&twice)),
            "{n}, md{again} twice was read"
        );
    }
}

#[test]
fn tricky_shapes_handed_over() {
    for (what, text) in EITHER {
        agree_one(what, text);
    }
}

/// Draws for the combinations below, on the generator's splitmix64.
impl Rng {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Ids and names, grouped by what they decode to: one of each group at most
/// per table, or TOML rejects the file.
const IDS: &[&[&str]] = &[
    &["a", "\"a\"", "\"\\u0061\""],
    &["b", "'b'"],
    &["\"c d\""],
    &["e-1"],
];
const NAMES: &[&[&str]] = &[
    &["K", "\"K\""],
    &["'M.N'"],
    &["\"x\\ty\""],
    &["API_KEY"],
    &["\"\""],
    &["L"],
];
/// Site fields, grouped by key.
const SITE_FIELDS: &[&[&str]] = &[
    &["owner = \"o\"", "owner = 'o'", "owner = 1"],
    &["php = \"8.2\"", "php = 8.2", "php = 8", "php = true"],
    &[
        "supporting = []",
        "supporting = [\"a\", 'b']",
        "supporting = [\n  \"a\", # one\n  \"b\",\n]",
        "supporting = \"a\"",
    ],
    &["environments = [\"feat-1\"]", "environments = [1]"],
    &["other = 1"],
    &["secrets.X.type = \"env\""],
];
/// Secret fields, grouped by key.
const SECRET_FIELDS: &[&[&str]] = &[
    &["type = \"runtime\"", "type = 'env'", "type = 3"],
    &[
        "scope = \"web\"",
        "scope = [\"web\", \"user\"]",
        "scope = []",
        "scope = [1]",
    ],
    &[
        "value = \"v\"",
        "value = 'C:\\v'",
        "value = \"\"\"\nml\n[x]\n\"\"\"",
        "value = '''\nml lit'''",
        "value = \"\\u00e9\\n\"",
        "value = 5",
    ],
    &[
        "overrides = {}",
        "overrides = { live = \"x\" }",
        "overrides = { live = \"x\", \"dev\" = 'y' }",
        "overrides = { live = 1 }",
        "overrides = { a.b = \"x\" }",
        "overrides = \"x\"",
        "overrides.live = \"x\"",
    ],
    &["tpye = \"env\""],
];
/// Lines that TOML rejects or that the fast loader leaves to the reference.
const BREAKERS: &[&str] = &[
    "[sites.a]\n",
    "[[sites]]\n",
    "x = \n",
    "[sites.a.secrets.K]\n",
    "owner = \"a\"\nowner = \"b\"\n",
    "[orgs]\n",
    "[site.typo]\nx = 1\n",
];

/// Up to `n` of `groups`, at most one of each, in random order.
fn some<'a>(rng: &mut Rng, groups: &[&[&'a str]], n: u64) -> Vec<&'a str> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    shuffle(rng, &mut order);
    let n = (n as usize).min(groups.len());
    order[..n].iter().map(|&g| rng.pick(groups[g])).collect()
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
}

/// A random layout of headers, fields, comments and blank lines.
fn random_layout(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.percent(5) {
        out.push('\u{feff}');
    }
    let mut owners = Vec::new();
    for kind in ["orgs", "sites"] {
        let n = rng.next() % 4;
        owners.extend(some(rng, IDS, n).into_iter().map(|id| (kind, id)));
    }
    shuffle(rng, &mut owners);
    for (kind, id) in owners {
        if rng.percent(60) {
            let _ = writeln!(out, "[{kind}.{id}]{}", comment(rng));
            if kind == "sites" {
                let n = rng.next() % 4;
                for field in some(rng, SITE_FIELDS, n) {
                    let _ = writeln!(out, "{field}{}", comment(rng));
                }
            }
        }
        let n = rng.next() % 4;
        for name in some(rng, NAMES, n) {
            let _ = writeln!(out, "[ {kind} . {id}.secrets.{name}]{}", comment(rng));
            let n = rng.next() % 5;
            for field in some(rng, SECRET_FIELDS, n) {
                let _ = writeln!(out, "{field}{}", comment(rng));
                if rng.percent(20) {
                    out.push('\n');
                }
            }
        }
        if rng.percent(3) {
            out.push_str(rng.pick(BREAKERS));
        }
    }
    if rng.percent(15) {
        out = out.replace('\n', "\r\n");
    }
    out
}

fn comment(rng: &mut Rng) -> &'static str {
    if rng.percent(15) { "  # note" } else { "" }
}

/// Many random layouts (most with findings, some invalid): the loaders
/// always agree, and the fast loader reads a good share itself.
#[test]
fn random_layouts() {
    let mut rng = Rng(42);
    let mut accepted = 0;
    const CASES: usize = 3_000;
    for case in 0..CASES {
        let text = random_layout(&mut rng);
        accepted += usize::from(agree_one(&format!("case {case}"), &text));
    }
    assert!(
        accepted * 2 > CASES,
        "fast loader read only {accepted} of {CASES}"
    );
}

/// A large layout on disk, e.g. one made by `examples/gen.rs`:
/// `WARD_LAYOUT=/tmp/ward-1m cargo test --release --test loader_equivalence -- --ignored`.
#[test]
#[ignore = "set WARD_LAYOUT to a layout file or directory"]
fn layout_from_env() {
    let Some(path) = std::env::var_os("WARD_LAYOUT") else {
        return;
    };
    let files = read_files(&[PathBuf::from(path)]).expect("readable layout");
    let files: Vec<_> = files
        .into_iter()
        .map(|(p, t)| (p.display().to_string(), t))
        .collect();
    assert_eq!(
        agree("WARD_LAYOUT", &files),
        files.len(),
        "fast loader gave up"
    );
}

/// Headers and lines with spaces, tabs and stray tokens dropped between
/// their tokens: the fast loader parses without whitespace tokens (see
/// `layout::fast`), and must still agree with the reference wherever
/// whitespace means something or is not allowed. `SOUP` sets how many
/// (200,000 ran clean, ~10k of them read by the fast loader).
#[test]
fn whitespace_and_stray_tokens_between_tokens() {
    const STRAY: &[&str] = &[
        "[",
        "]",
        "[[",
        "]]",
        " ",
        "\t",
        "sites",
        "s",
        ".",
        "=",
        "\"a\"",
        "'b'",
        "1",
        "8.2",
        "8",
        ".2",
        "2024-01-01",
        "10:00:00",
        "true",
        "{",
        "}",
        ",",
        "secrets",
        "type",
        "\"env\"",
        "scope",
        "owner",
        "php",
        "overrides",
        "live",
        "#c",
        "\n",
        "\r\n",
        "[\"web\"]",
        "+",
        "\"\"\"x\"\"\"",
    ];
    const LINES: &[&[&str]] = &[
        &["[", "sites", ".", "s", "]"],
        &["[", "sites", ".", "s", ".", "secrets", ".", "K", "]"],
        &["type", "=", "\"env\""],
        &["scope", "=", "[", "\"web\"", ",", "\"ic\"", "]"],
        &["overrides", "=", "{", "live", "=", "\"x\"", "}"],
        &["php", "=", "8.2"],
    ];
    let cases: usize = std::env::var("SOUP").map_or(2_000, |v| v.parse().unwrap_or(2_000));
    let mut rng = Rng(7);
    let mut read_fast = 0;
    for case in 0..cases {
        let mut text = String::new();
        for _ in 0..1 + rng.next() % 6 {
            for token in LINES[(rng.next() % LINES.len() as u64) as usize] {
                text.push_str(token);
                if rng.percent(30) {
                    let blank = rng.pick(&[" ", "\t", "  "]);
                    text.push_str(if rng.percent(25) {
                        rng.pick(STRAY)
                    } else {
                        blank
                    });
                }
            }
            text.push('\n');
        }
        read_fast += usize::from(agree_one(&format!("case {case}"), &text));
    }
    assert!(read_fast > 0, "the fast loader read none of them");
}
