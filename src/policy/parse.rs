//! Policy text → [`Policy`]: the pest grammar (`grammar/policy.pest`), then
//! semantic checks. Every problem is collected, not only the first; pest
//! `Pair`s never leave this module and its children.

use std::ops::Range;
use std::sync::Arc;

use miette::NamedSource;
use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::Policy;
use super::block::lower_policy;
use super::error::{PolicyDiagnostic, PolicyError, ProblemKind};
use super::syntax;

mod grammar {
    #![allow(missing_docs)]
    /// The pest parser generated from `grammar/policy.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/policy.pest"]
    pub struct PolicyParser;
}

pub(super) use grammar::{PolicyParser, Rule as G};

/// A node of the pest parse tree.
pub(super) type P<'i> = Pair<'i, G>;

/// Parses and checks a policy. `name` names the file in diagnostics.
///
/// Every syntax or semantic problem found is reported in the error.
pub fn parse(name: &str, text: &str) -> Result<Policy, PolicyError> {
    let mut cx = Ctx::new(name, text);
    if let Some(span) = syntax::too_deep(text) {
        cx.push(syntax::too_deep_diagnostic(&cx.src, span));
        return Err(cx.finish());
    }
    match PolicyParser::parse(G::file, text) {
        Ok(pairs) => {
            let policy = pairs
                .flatten()
                .find(|p| p.as_rule() == G::policy)
                .map(|p| lower_policy(&mut cx, p));
            match policy {
                Some(policy) if cx.problems.is_empty() => Ok(policy),
                _ => Err(cx.finish()),
            }
        }
        Err(e) => {
            cx.problems = syntax::errors(&cx.src, text, &e);
            Err(cx.finish())
        }
    }
}

/// What lowering needs: the source (for diagnostics), the problems found so
/// far and the vocabularies that rules are checked against.
pub(super) struct Ctx {
    pub(super) src: NamedSource<Arc<str>>,
    pub(super) problems: Vec<PolicyDiagnostic>,
    pub(super) types: Vec<String>,
    pub(super) scopes: Vec<String>,
}

impl Ctx {
    fn new(name: &str, text: &str) -> Self {
        Ctx {
            src: NamedSource::new(name, Arc::from(text)),
            problems: Vec::new(),
            types: Vec::new(),
            scopes: Vec::new(),
        }
    }

    /// A new diagnostic in this file; push it with [`Ctx::push`].
    pub(super) fn diag(
        &self,
        kind: ProblemKind,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> PolicyDiagnostic {
        PolicyDiagnostic::new(&self.src, kind, span, message, label)
    }

    /// Records a problem.
    pub(super) fn push(&mut self, d: PolicyDiagnostic) {
        self.problems.push(d);
    }

    fn finish(mut self) -> PolicyError {
        self.problems.sort_by_key(|p| p.span.offset());
        PolicyError {
            name: self.src.name().to_string(),
            problems: self.problems,
        }
    }
}

/// The byte range a pair covers.
pub(super) fn span(p: &P<'_>) -> Range<usize> {
    p.as_span().start()..p.as_span().end()
}

/// The candidate closest to `word`, if any is close enough to suggest.
pub(super) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `did you mean `x`? ` or nothing.
pub(super) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(word, candidates).map_or(String::new(), |c| format!("did you mean `{c}`? "))
}
