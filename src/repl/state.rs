//! The checked layout a session answers from, and what an edit changed in
//! its findings.

use std::collections::HashMap;

use super::incremental::Index;
use crate::finding::{Finding, Severity, Summary};
use crate::layout::{Layout, Loaded};
use crate::policy::Policy;
use crate::report::SourceView;

/// A layout with its findings (loader and policy), in file order.
#[derive(Debug)]
pub struct Checked {
    /// The layout.
    pub layout: Layout,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// What re-checking only an edited section needs (`None`: every edit
    /// re-checks everything).
    pub(super) index: Option<Index>,
}

impl Checked {
    /// Checks `loaded` against `policy`, as `ward check` does.
    pub fn new(loaded: Loaded, policy: &Policy) -> Self {
        let (layout, findings) = crate::cli::lint(loaded, policy);
        let index = Index::build(&layout, &findings, policy);
        Checked {
            layout,
            findings,
            index,
        }
    }

    /// `1 file, 2 orgs, 3 sites, 9 secrets; 1 error, 0 warnings`.
    pub fn summary(&self) -> String {
        let l = &self.layout;
        let secrets: usize = l.orgs.values().map(|o| o.secrets.len()).sum::<usize>()
            + l.sites.values().map(|s| s.secrets.len()).sum::<usize>();
        let s = Summary::of(&self.findings);
        format!(
            "{}, {}, {}, {}; {}, {}",
            count(l.sources.file_count(), "file"),
            count(l.orgs.len(), "org"),
            count(l.sites.len(), "site"),
            count(secrets, "secret"),
            count(s.errors, "error"),
            count(s.warnings, "warning"),
        )
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A finding with where it is, ` at FILE:LINE:COLUMN` (located when its
/// text was at hand).
#[derive(Debug, Clone)]
pub struct Shown {
    /// The finding.
    pub finding: Finding,
    /// ` at FILE:LINE:COLUMN`, or empty.
    pub at: String,
}

impl Shown {
    /// `finding`, located `at`.
    pub fn new(finding: Finding, at: String) -> Shown {
        Shown { finding, at }
    }
}

/// What an edit changed in the findings: those it added and those it
/// removed, each in file order.
#[derive(Debug, Default)]
pub struct Change {
    /// Findings that are new.
    pub added: Vec<Shown>,
    /// Findings that are gone.
    pub removed: Vec<Shown>,
}

impl Change {
    /// The findings of `new` that `old` lacks, and of `old` that `new` lacks.
    pub fn between(old: &Checked, new: &Checked) -> Change {
        let shown = |list: Vec<&Finding>, checked: &Checked| {
            let view = SourceView::new(&checked.layout.sources);
            let at = |f: &Finding| {
                view.locate(f.span)
                    .map(|l| format!(" at {}:{}:{}", l.file, l.line, l.column))
                    .unwrap_or_default()
            };
            list.into_iter()
                .map(|f| Shown::new(f.clone(), at(f)))
                .collect()
        };
        Change {
            added: shown(missing_from(&new.findings, &old.findings), new),
            removed: shown(missing_from(&old.findings, &new.findings), old),
        }
    }

    /// What changed when the findings `added` replaced `removed` (both in
    /// file order): those of each that the other lacks.
    pub fn between_lists(added: Vec<Shown>, removed: Vec<Shown>) -> Change {
        Change {
            added: beyond(added.clone(), &removed),
            removed: beyond(removed, &added),
        }
    }

    /// The findings the edit added.
    pub fn added(&self) -> impl Iterator<Item = &Finding> {
        self.added.iter().map(|s| &s.finding)
    }

    /// `+ warning ic-override-test-live at file:3:1: message` lines for
    /// the findings the edit added, then `-` lines for those it removed.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (sign, list) in [("+", &self.added), ("-", &self.removed)] {
            for s in list {
                let f = &s.finding;
                out.push_str(&format!(
                    "{sign} {} {}{}: {}\n",
                    f.severity.as_str(),
                    f.rule,
                    s.at,
                    f.message
                ));
            }
        }
        out
    }
}

/// What identifies a finding across edits (spans move when text changes).
type Key<'f> = (
    &'f str,
    Severity,
    &'f str,
    Option<&'f str>,
    Option<&'f str>,
    Option<&'f str>,
    Option<&'f str>,
);

fn key(f: &Finding) -> Key<'_> {
    (
        &f.rule,
        f.severity,
        &f.message,
        f.org.as_deref(),
        f.site.as_deref(),
        f.secret.as_deref(),
        f.env.as_deref(),
    )
}

/// How many findings of each key.
fn counts<'f>(findings: impl Iterator<Item = &'f Finding>) -> HashMap<Key<'f>, usize> {
    let mut have: HashMap<Key<'_>, usize> = HashMap::new();
    for f in findings {
        *have.entry(key(f)).or_default() += 1;
    }
    have
}

/// Takes one finding of `f`'s key from `have`, if there is one left.
fn take<'f>(have: &mut HashMap<Key<'f>, usize>, f: &'f Finding) -> bool {
    match have.get_mut(&key(f)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    }
}

/// The findings of `from` beyond those of `other` (as multisets).
fn beyond(from: Vec<Shown>, other: &[Shown]) -> Vec<Shown> {
    let mut have = counts(other.iter().map(|s| &s.finding));
    let keep: Vec<bool> = from.iter().map(|s| !take(&mut have, &s.finding)).collect();
    from.into_iter()
        .zip(keep)
        .filter_map(|(s, keep)| keep.then_some(s))
        .collect()
}

/// The findings of `from` beyond those of `other` (as multisets).
fn missing_from<'a>(from: &'a [Finding], other: &[Finding]) -> Vec<&'a Finding> {
    let mut have = counts(other.iter());
    from.iter().filter(|f| !take(&mut have, f)).collect()
}

/// `+`/`-` lines for the findings that differ between two checks.
pub fn render_delta(old: &Checked, new: &Checked) -> String {
    Change::between(old, new).render()
}
