//! The checked layout a session answers from, and what an edit changed in
//! its findings.

use std::collections::HashMap;

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
}

impl Checked {
    /// Checks `loaded` against `policy`, as `ward check` does.
    pub fn new(loaded: Loaded, policy: &Policy) -> Self {
        let (layout, findings) = crate::cli::lint(loaded, policy);
        Checked { layout, findings }
    }

    /// `1 file, 2 orgs, 3 sites, 9 secrets; 1 error, 0 warnings`.
    pub fn summary(&self) -> String {
        let l = &self.layout;
        let secrets: usize = l.orgs.values().map(|o| o.secrets.len()).sum::<usize>()
            + l.sites.values().map(|s| s.secrets.len()).sum::<usize>();
        let s = Summary::of(&self.findings);
        format!(
            "{}, {}, {}, {}; {}, {}",
            count(l.sources.iter().count(), "file"),
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

/// Findings of `new` that `old` lacks, and of `old` that `new` lacks.
pub fn delta<'a>(old: &'a Checked, new: &'a Checked) -> (Vec<&'a Finding>, Vec<&'a Finding>) {
    (
        missing_from(&new.findings, old),
        missing_from(&old.findings, new),
    )
}

/// The findings of `from` beyond those of `other` (as multisets).
fn missing_from<'a>(from: &'a [Finding], other: &Checked) -> Vec<&'a Finding> {
    let mut have: HashMap<Key<'_>, usize> = HashMap::new();
    for f in &other.findings {
        *have.entry(key(f)).or_default() += 1;
    }
    from.iter()
        .filter(|f| match have.get_mut(&key(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// `+ warning ic-override-test-live at file:3:1: message` lines for the
/// findings an edit added and removed.
pub fn render_delta(old: &Checked, new: &Checked) -> String {
    let (added, removed) = delta(old, new);
    let mut out = String::new();
    for (sign, list, checked) in [("+", added, new), ("-", removed, old)] {
        let view = SourceView::new(&checked.layout.sources);
        for f in list {
            let at = view
                .locate(f.span)
                .map(|l| format!(" at {}:{}:{}", l.file, l.line, l.column))
                .unwrap_or_default();
            out.push_str(&format!(
                "{sign} {} {}{at}: {}\n",
                f.severity.as_str(),
                f.rule,
                f.message
            ));
        }
    }
    out
}
