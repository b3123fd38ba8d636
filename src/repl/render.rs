//! Diagnostics about a command line, rendered over the line as typed but
//! with its secret value masked (and very long words cut short).

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::finding::{Finding, Severity};
use crate::report::{Masked, Snippet, Style, Window, render_diagnostic};

/// Renders `diag`, whose labels are byte ranges of the line, over `masked`
/// (the line with its value masked: [`Masked::command_line`]).
pub fn at_input(diag: &dyn Diagnostic, masked: &Masked, style: Style) -> String {
    // A trailing space for a label just past the end ("argument expected
    // here").
    let past_end = diag
        .labels()
        .is_some_and(|mut l| l.any(|l| l.offset() + l.len() > masked.as_str().len()));
    let snippet = match past_end {
        true => Snippet::new(masked.padded()),
        false => Snippet::new(masked.clone()),
    };
    let snippet = Arc::new(snippet);
    let wrapped = AtInput {
        src: Window::new("input", Arc::clone(&snippet)),
        inner: diag,
        snippet,
    };
    render_diagnostic(&wrapped, style)
}

struct AtInput<'a> {
    inner: &'a dyn Diagnostic,
    src: Window,
    snippet: Arc<Snippet>,
}

impl fmt::Debug for AtInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AtInput({})", self.inner)
    }
}

impl fmt::Display for AtInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for AtInput<'_> {}

impl Diagnostic for AtInput<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.inner.labels()?;
        Some(Box::new(labels.map(|l| {
            let start = self.snippet.map(l.offset());
            let end = self.snippet.map(l.offset() + l.len());
            LabeledSpan::new(
                l.label().map(String::from),
                start,
                end.saturating_sub(start),
            )
        })))
    }
}

/// A finding that an edit would add, shown on the command line that asked
/// for it (the layout text it points into is gone once the edit is refused).
pub struct FindingAtInput<'f> {
    /// The finding.
    pub finding: &'f Finding,
    /// The word of the line it is about.
    pub span: std::ops::Range<usize>,
}

impl fmt::Debug for FindingAtInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FindingAtInput({})", self.finding.rule)
    }
}

impl fmt::Display for FindingAtInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingAtInput<'_> {}

impl Diagnostic for FindingAtInput<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.finding.help.as_ref()?;
        Some(Box::new(help))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = format!("violates `{}`", self.finding.rule);
        let len = self.span.end.saturating_sub(self.span.start);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            self.span.start,
            len,
        ))))
    }
}
