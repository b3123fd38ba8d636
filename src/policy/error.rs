//! Policy errors: every problem found in a policy file, each a miette
//! diagnostic that points into the file.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

/// A policy that could not be loaded, with every problem found in it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid policy `{name}`")]
#[diagnostic(code(ward::policy::invalid))]
pub struct PolicyError {
    /// The policy file's name, as given.
    pub name: String,
    /// Every problem found, in source order.
    #[related]
    pub problems: Vec<PolicyDiagnostic>,
}

impl PolicyError {
    /// `(message, line, column)` of each problem, 1-based: handy in tests and
    /// for one-line reports.
    pub fn positions(&self) -> Vec<(String, usize, usize)> {
        self.problems
            .iter()
            .map(|p| {
                let (line, column) = p.line_col();
                (p.message.clone(), line, column)
            })
            .collect()
    }
}

/// What kind of problem a [`PolicyDiagnostic`] reports; decides its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text does not follow the grammar.
    Syntax,
    /// A string holds an escape other than `\"`, `\\`, `\n`, `\t`.
    BadEscape,
    /// A required statement (`types`, `scopes`, ...) is missing.
    MissingStatement,
    /// A statement that may appear once appears twice.
    DuplicateStatement,
    /// A name is listed twice in `types`, `scopes`, `environments` or `except`.
    DuplicateName,
    /// `precedence` names an unknown layer, repeats one, or misses one.
    Precedence,
    /// A regex literal does not compile.
    InvalidRegex,
    /// A dotted path that is no attribute.
    UnknownAttribute,
    /// A literal compared with an attribute is outside its vocabulary
    /// (unknown type, scope or owner kind).
    UnknownVocabulary,
    /// A bare operand used as a condition is not a boolean attribute.
    NotBoolean,
    /// An operand is used where a list is needed, or a list where a single
    /// value is needed.
    WrongShape,
    /// A template shows `{value}`.
    ValueInTemplate,
    /// A template hole names no attribute.
    UnknownHole,
    /// A lone `{` or `}` in a template.
    TemplateBrace,
    /// Two rules share an id.
    DuplicateRule,
    /// An expression is nested too deeply.
    TooDeep,
}

impl ProblemKind {
    /// The diagnostic code, e.g. `ward::policy::unknown_attribute`.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::Syntax => "ward::policy::syntax",
            ProblemKind::BadEscape => "ward::policy::bad_escape",
            ProblemKind::MissingStatement => "ward::policy::missing_statement",
            ProblemKind::DuplicateStatement => "ward::policy::duplicate_statement",
            ProblemKind::DuplicateName => "ward::policy::duplicate_name",
            ProblemKind::Precedence => "ward::policy::precedence",
            ProblemKind::InvalidRegex => "ward::policy::invalid_regex",
            ProblemKind::UnknownAttribute => "ward::policy::unknown_attribute",
            ProblemKind::UnknownVocabulary => "ward::policy::unknown_vocabulary",
            ProblemKind::NotBoolean => "ward::policy::not_boolean",
            ProblemKind::WrongShape => "ward::policy::wrong_shape",
            ProblemKind::ValueInTemplate => "ward::policy::value_in_template",
            ProblemKind::UnknownHole => "ward::policy::unknown_hole",
            ProblemKind::TemplateBrace => "ward::policy::template_brace",
            ProblemKind::DuplicateRule => "ward::policy::duplicate_rule",
            ProblemKind::TooDeep => "ward::policy::too_deep",
        }
    }
}

/// One problem in a policy file, pointing at the text it is about.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PolicyDiagnostic {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// One-line message (lowercase, user input in backticks).
    pub message: String,
    /// The primary location: the exact text the problem is about.
    pub span: SourceSpan,
    /// Label under the primary location.
    pub label: String,
    /// Other places that matter, e.g. the first definition of a duplicate.
    pub related: Vec<(SourceSpan, String)>,
    /// How to fix it.
    pub help: Option<String>,
    src: NamedSource<Arc<str>>,
}

impl PolicyDiagnostic {
    /// A problem of `kind` at byte range `span` of `src`.
    pub(super) fn new(
        src: &NamedSource<Arc<str>>,
        kind: ProblemKind,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        PolicyDiagnostic {
            kind,
            message: message.into(),
            span: span.into(),
            label: label.into(),
            related: Vec::new(),
            help: None,
            src: src.clone(),
        }
    }

    /// Sets the help text.
    pub(super) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub(super) fn also(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((span.into(), label.into()));
        self
    }

    /// The file name the problem is in.
    pub fn file(&self) -> &str {
        self.src.name()
    }

    /// 1-based line and column (in characters) of the primary location.
    pub fn line_col(&self) -> (usize, usize) {
        crate::source::line_col(self.src.inner(), self.span.offset())
    }

    /// The exact text under the primary location.
    pub fn underlined(&self) -> &str {
        let start = self.span.offset();
        self.src
            .inner()
            .get(start..start + self.span.len())
            .unwrap_or("")
    }
}

impl Diagnostic for PolicyDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span);
        let others = self
            .related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}
