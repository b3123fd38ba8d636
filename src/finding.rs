//! Findings: what `ward check` reports, whether from loading a layout or from
//! a policy rule.

use std::sync::Arc;

use crate::layout::Name;
use crate::source::Span;

/// The ids of the findings ward makes itself, not from a policy rule: one
/// list for the code that makes them and for the REPL's re-check, which
/// orders findings that share a span by where their rule comes from.
pub mod rule_id {
    /// The loader's findings: first among findings with the same span.
    pub const LOADER: [&str; 5] = [
        TOML_SYNTAX,
        UNKNOWN_FIELD,
        INVALID_FIELD,
        MISSING_FIELD,
        DUPLICATE,
    ];
    /// The vocabulary checks' findings: after the loader's, before the
    /// policy rules'.
    pub const VOCABULARY: [&str; 4] = [
        UNKNOWN_TYPE,
        UNKNOWN_SCOPE,
        INVALID_ENVIRONMENT,
        UNKNOWN_ORG,
    ];

    /// A file that is not valid TOML.
    pub const TOML_SYNTAX: &str = "toml-syntax";
    /// A field the layout format does not have.
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    /// A field of the wrong shape.
    pub const INVALID_FIELD: &str = "invalid-field";
    /// A field a secret needs.
    pub const MISSING_FIELD: &str = "missing-field";
    /// An org, site or secret declared twice.
    pub const DUPLICATE: &str = "duplicate";
    /// A type the policy does not know.
    pub const UNKNOWN_TYPE: &str = "unknown-type";
    /// A scope the policy does not know.
    pub const UNKNOWN_SCOPE: &str = "unknown-scope";
    /// An environment name the policy rejects.
    pub const INVALID_ENVIRONMENT: &str = "invalid-environment";
    /// An org a site names that the layout does not declare.
    pub const UNKNOWN_ORG: &str = "unknown-org";
}

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
    /// Inline strings (ids and names are short): four heap blocks per
    /// finding were a third of the findings' memory.
    pub org: Option<Name>,
    /// Site context.
    pub site: Option<Name>,
    /// Secret context.
    pub secret: Option<Name>,
    /// Environment context.
    pub env: Option<Name>,
}

/// The empty label, shared: most findings get their rule's label right
/// after `Finding::new`, and an `Arc` of its own each was an allocation
/// per finding for nothing.
fn no_label() -> Arc<str> {
    static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
    Arc::clone(&EMPTY)
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
            label: no_label(),
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
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
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
