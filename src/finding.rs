//! Findings: what `ward check` reports, whether from loading a layout or from
//! a policy rule.

use std::sync::Arc;

use crate::source::Span;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational.
    Info,
    /// Worth a look; fails CI only with `--deny-warnings`.
    Warning,
    /// The layout is wrong.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem in a layout. Messages never hold a secret value.
///
/// Rule id, label and help are shared: the same for every finding of a
/// rule (but for help with `{holes}`), and there may be a hundred thousand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Rule id (`env-key-name`) or loader check id (`toml-syntax`).
    pub rule: Arc<str>,
    /// Severity.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// How to fix it.
    pub help: Option<Arc<str>>,
    /// The primary location.
    pub span: Span,
    /// Label for the primary location.
    pub label: Arc<str>,
    /// Other places that matter (e.g. the first declaration of a duplicate).
    pub related: Vec<(Span, String)>,
    /// Context: the org, site, secret and environment the finding is about.
    pub org: Option<String>,
    /// Site context.
    pub site: Option<String>,
    /// Secret context.
    pub secret: Option<String>,
    /// Environment context.
    pub env: Option<String>,
}

impl Finding {
    /// A finding with no context; fill the context fields as needed.
    pub fn new(
        rule: impl Into<Arc<str>>,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            message: message.into(),
            help: None,
            span,
            label: Arc::from(""),
            related: Vec::new(),
            org: None,
            site: None,
            secret: None,
            env: None,
        }
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the primary label.
    pub fn with_label(mut self, label: impl Into<Arc<str>>) -> Self {
        self.label = label.into();
        self
    }
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
