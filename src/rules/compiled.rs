//! Rule expressions compiled once per check into closures that read the
//! subject's fields directly.
//!
//! [`eval`] builds a value for each attribute and compares values of any
//! kind; at a million secrets it runs ten million times. The shapes policies
//! mostly use (`type == env`, `value.bytes <= 16384`, `name =~ /re/`,
//! `scope has ic`, `override.env in [test, live]`) get a closure that does
//! only what that shape needs, with the literal decoded once. Every other
//! shape runs [`eval`] itself, so a compiled test always answers as `eval`
//! does (a test compares them on every shape).

use crate::layout::Word;
use crate::policy::{Attr, CmpOp, Expr, Operand, PatternDfa};

use super::context::Ctx;
use super::eval::{eval, is_version, str_attr};

/// A compiled expression: what [`eval`] gives for the subject.
pub(super) type Test<'p> = Box<dyn Fn(&Ctx<'_>) -> Option<bool> + Send + Sync + 'p>;

/// `expr` as a [`Test`].
pub(super) fn compile(expr: &Expr) -> Test<'_> {
    fast(expr).unwrap_or_else(|| Box::new(move |c| eval(expr, c)))
}

/// `expr` as a [`Test`] of its own if its shape has one (its operands may
/// still run `eval`), else `None`.
fn fast(expr: &Expr) -> Option<Test<'_>> {
    match expr {
        Expr::And(a, b) => Some(junction(compile(a), compile(b), false)),
        Expr::Or(a, b) => Some(junction(compile(a), compile(b), true)),
        Expr::Not(e) => {
            let e = compile(e);
            Some(Box::new(move |c: &Ctx<'_>| e(c).map(|b| !b)) as Test<'_>)
        }
        Expr::Cmp(Operand::Attr(a), op, Operand::Lit(lit)) => compare(*a, *op, lit),
        Expr::Cmp(Operand::Lit(lit), op, Operand::Attr(a)) => compare(*a, flip(*op), lit),
        Expr::Match {
            operand: Operand::Attr(a),
            regex,
            negate,
            dfa,
        } => str_attr(*a).map(|get| -> Test<'_> {
            let matcher = Matcher::new(regex, dfa);
            Box::new(move |c| get(c).map(|s| matcher.is_match(s) != *negate))
        }),
        Expr::In(Operand::Attr(a), Operand::List(items)) => str_attr(*a).map(|get| -> Test<'_> {
            Box::new(move |c| get(c).map(|s| items.iter().any(|x| x == s)))
        }),
        Expr::Has(Operand::Attr(Attr::Scope), Operand::Lit(lit)) => {
            let scope = Word::from(lit.as_str());
            Some(Box::new(move |c: &Ctx<'_>| {
                let scopes = &c.meta?.scope.as_ref()?.value;
                Some(scopes.contains(scope))
            }) as Test<'_>)
        }
        _ => None,
    }
}

/// Largest DFA built for a rule's regex: past it, the regex engine runs.
const DFA_LIMIT: usize = 1 << 20;

/// A rule's regex, searched with a DFA built once when the pattern allows a
/// small one. A rule tests every secret's name or value: the regex engine
/// picks its strategy and takes its scratch space at each call, which cost
/// several times the search of a short name (~1.5% of a check at 1M).
/// Patterns a DFA cannot search (a Unicode word boundary) or that make a
/// large one stay with the regex engine; both answer alike (a test
/// compares them).
pub(super) struct Matcher<'r> {
    regex: &'r regex::Regex,
    dfa: Option<&'r regex_automata::dfa::dense::DFA<Vec<u32>>>,
}

impl<'r> Matcher<'r> {
    /// `regex` with its DFA, built into `dfa` if no check has yet.
    pub(super) fn new(regex: &'r regex::Regex, dfa: &'r PatternDfa) -> Self {
        let dfa = dfa.get_or_init(|| {
            use regex_automata::dfa::dense;
            let config = dense::Config::new()
                .dfa_size_limit(Some(DFA_LIMIT))
                .determinize_size_limit(Some(DFA_LIMIT));
            let built = dense::Builder::new()
                .configure(config)
                .build(regex.as_str());
            built.ok().map(Box::new)
        });
        Matcher {
            regex,
            dfa: dfa.as_deref(),
        }
    }

    /// Whether the pattern matches anywhere in `text`, as `Regex::is_match`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        use regex_automata::dfa::Automaton;
        let Some(dfa) = self.dfa else {
            return self.regex.is_match(text);
        };
        let input = regex_automata::Input::new(text).earliest(true);
        match dfa.try_search_fwd(&input) {
            Ok(found) => found.is_some(),
            // A byte the DFA gives up on: the regex engine decides.
            Err(_) => self.regex.is_match(text),
        }
    }
}

/// `a and b` (`decides` false) or `a or b` (`decides` true), in
/// three-valued logic: either side equal to `decides` decides, two sides
/// equal to its opposite give it, anything else is unknown. `b` is not
/// evaluated when `a` decides.
fn junction<'p>(a: Test<'p>, b: Test<'p>, decides: bool) -> Test<'p> {
    Box::new(move |c| match a(c) {
        Some(x) if x == decides => Some(decides),
        a => match (a, b(c)) {
            (_, Some(y)) if y == decides => Some(decides),
            (Some(_), Some(_)) => Some(!decides),
            _ => None,
        },
    })
}

/// `attr op lit`, for the shapes that need no general comparison: `None`
/// for the others.
fn compare(a: Attr, op: CmpOp, lit: &str) -> Option<Test<'_>> {
    let eq = match op {
        CmpOp::Eq => true,
        CmpOp::Ne => false,
        _ if a == Attr::ValueBytes => return bytes(op, lit.parse().ok()?),
        _ => return None,
    };
    if is_version(lit) {
        // Versions compare part by part (`8` == `8.0`): left to `eval`.
        return None;
    }
    // A word that is not a version equals only itself.
    match a {
        Attr::Type => {
            let word = Word::from(lit);
            Some(Box::new(move |c| {
                Some((c.meta?.ty.as_ref()?.value == word) == eq)
            }))
        }
        Attr::OverrideEnv => {
            let word = Word::from(lit);
            Some(Box::new(move |c| Some((c.over?.env == word) == eq)))
        }
        _ => {
            let get = str_attr(a)?;
            Some(Box::new(move |c| get(c).map(|s| (s == lit) == eq)))
        }
    }
}

/// `value.bytes op n`.
fn bytes<'p>(op: CmpOp, n: u64) -> Option<Test<'p>> {
    Some(Box::new(move |c| {
        let ord = (c.value()?.bytes() as u64).cmp(&n);
        Some(op.holds(ord))
    }))
}

/// The operator with its sides swapped: `lit < a` is `a > lit`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::load_str;
    use crate::policy::parse;
    use crate::rules::context::Facts;

    /// Shapes with a closure of their own.
    const FAST: &[&str] = &[
        "type == env",
        "env == type",
        "type != composer",
        "type == runtime and name == own",
        "name == \"API_KEY\"",
        "name != API_KEY",
        "owner.kind == org",
        "owner.id == o",
        "site.id != s",
        "override.env == dev",
        "override.env != live",
        "value.bytes <= 16384",
        "16 >= value.bytes",
        "4 < value.bytes",
        "17 <= value.bytes",
        "3 > value.bytes",
        "value.bytes < 5",
        "value.bytes > \"+4\"",
        "name =~ /^[A-Z_]+$/",
        "value !~ /^[a-z]+$/",
        "site.php =~ /^8/",
        "override.env in [test, live]",
        "name in [API_KEY, \"8\"]",
        "scope has ic",
        "scope has user",
        "not type == env",
        "type == env or site.php >= 8.0",
        "site.php >= 8.0 and type == composer",
        "not (scope has ic and override.env in [dev])",
    ];

    /// A rule's regex answers with its DFA as the regex engine does, for
    /// patterns a DFA can search and patterns it cannot (word boundaries,
    /// a DFA past the limit).
    #[test]
    fn matchers_answer_as_the_regex_does() {
        let patterns = [
            r"^[a-zA-Z_][a-zA-Z0-9_]*$",
            r"^(github-oauth|gitlab-oauth|bearer)\.[A-Za-z0-9.-]+$",
            r"(?i)api_?key",
            r"KEY",
            r"^$",
            r"",
            r"\bKEY\b",
            r"[[:^ascii:]]",
            r"é|Ω+",
            r"^\w{40}$",
            r"\d{3}-\d{2}",
            r"a.b",
            r"(?s)a.b",
        ];
        let texts = [
            "",
            "API_KEY",
            "api key",
            "apikey",
            "_x9",
            "9x",
            "KEY",
            "A KEY here",
            "MY_KEY",
            "github-oauth.github.com",
            "bearer.",
            "é",
            "ΩΩ",
            "a\nb",
            "axb",
            "123-45",
            &"w".repeat(40),
            &"é".repeat(40),
            "née",
        ];
        let mut dfas = 0;
        for pattern in patterns {
            let regex = regex::Regex::new(pattern).expect("valid");
            let dfa = PatternDfa::new();
            let matcher = Matcher::new(&regex, &dfa);
            dfas += usize::from(matcher.dfa.is_some());
            // Built once: a second matcher (the next REPL edit's) takes it.
            let again = Matcher::new(&regex, &dfa);
            assert_eq!(
                again.dfa.map(std::ptr::from_ref),
                matcher.dfa.map(std::ptr::from_ref)
            );
            for text in texts {
                assert_eq!(
                    matcher.is_match(text),
                    regex.is_match(text),
                    "/{pattern}/ on {text:?}"
                );
            }
        }
        // Most patterns get a DFA; a word boundary or a large one does not.
        assert!(dfas >= 9 && dfas < patterns.len(), "{dfas}");
    }

    /// Shapes left to `eval`.
    const SLOW: &[&str] = &[
        "owner.id == \"8.0\"",
        "site.php >= 8.0",
        "site.php == 8",
        "value.bytes == 4",
        "value.bytes <= abc",
        "name < x",
        "override.env in owner.environments",
        "site.scopes has ic",
        "default.exists",
        "value is json",
        "site.supporting has site.owner",
        "scope has type",
    ];

    const LAYOUT: &str = r#"
[orgs.o.secrets.API_KEY]
type = "env"
scope = ["ic", "web"]
value = "abcd"
overrides = { dev = "0123456789abcdef0", live = "x" }

[orgs.o.secrets."8"]
type = "8"
scope = "web"
value = ""

[orgs.o.secrets."x"]
type = "composer"
scope = []
overrides = { test = "ABC" }

[sites.s]
owner = "o"
php = 8
environments = ["feature"]

[sites.s.secrets.API_KEY]
overrides = { feature = "abcdef", test = "ab" }

[sites.s.secrets.own]
type = "runtime"
scope = ["user"]
value = "QWERTY"

[sites.t]
owner = "o"
php = "7.4"

[sites.t.secrets.x]
overrides = { dev = "abc" }

[sites.u]
"#;

    /// Every subject `check` would give a rule on [`LAYOUT`].
    fn subjects<'a>(facts: &'a Facts<'a>) -> Vec<Ctx<'a>> {
        let layout = facts.layout;
        let mut out = Vec::new();
        let mut secret = |ctx: Ctx<'a>| {
            let overrides = ctx.secret.into_iter().flat_map(|s| s.overrides.values());
            let with: Vec<Ctx<'a>> = overrides.map(|o| ctx.with_override(o)).collect();
            out.push(ctx);
            out.extend(with);
        };
        for org in layout.orgs.values() {
            for s in org.secrets.values() {
                secret(Ctx::for_org_secret(facts, org, s));
            }
        }
        for site in layout.sites.values() {
            secret(Ctx::for_site(facts, site));
            let inherited = facts.inherited(&site.id);
            for s in site.secrets.values() {
                secret(Ctx::for_site_secret(facts, site, inherited, s));
            }
        }
        out
    }

    #[test]
    fn compiled_tests_answer_as_eval_does() {
        let pantheon = include_str!("../../policies/pantheon.policy");
        let head = pantheon.rfind('}').map_or(pantheon, |end| &pantheon[..end]);
        let rules: String = FAST
            .iter()
            .chain(SLOW)
            .enumerate()
            .map(|(i, e)| format!("  error t{i} on secret\n    require {e}\n    message \"m\"\n"))
            .collect();
        let policy = parse("t.policy", &format!("{head}{rules}}}\n")).expect("policy parses");
        let loaded = load_str("l.toml", LAYOUT);
        let facts = Facts::new(&loaded.layout, &policy);
        let subjects = subjects(&facts);
        assert_eq!(subjects.len(), 15);
        let tests = &policy.rules[policy.rules.len() - FAST.len() - SLOW.len()..];
        let mut answers = [0; 3];
        for (i, rule) in tests.iter().enumerate() {
            let text = FAST.iter().chain(SLOW).nth(i).copied().unwrap_or_default();
            assert_eq!(fast(&rule.require).is_some(), i < FAST.len(), "{text}");
            let test = compile(&rule.require);
            for (j, ctx) in subjects.iter().enumerate() {
                let expected = eval(&rule.require, ctx);
                assert_eq!(test(ctx), expected, "`{text}` on subject {j}");
                answers[expected.map_or(2, usize::from)] += 1;
            }
        }
        // Each answer comes up often: the comparison is not of unknowns.
        assert!(answers.iter().all(|&n| n > 50), "{answers:?}");
    }
}
