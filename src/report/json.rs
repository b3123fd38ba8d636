//! `--format json` for check (SPEC §4): a stable shape; fields are added,
//! never renamed.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Summary};
use crate::resolve::ViewTotals;

use super::view::SourceView;

#[derive(Serialize)]
struct Report<'a> {
    findings: Findings<'a>,
    summary: JsonSummary,
}

/// The findings, each turned into its JSON form as it is written: a list
/// of them all first took 25 MB at 1M secrets.
struct Findings<'a> {
    view: &'a SourceView<'a>,
    findings: &'a [Finding],
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|f| one(self.view, f)))
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    org: Option<&'a str>,
    site: Option<&'a str>,
    secret: Option<&'a str>,
    env: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Views resolved (site × environment × scope), when the check
    /// resolved them.
    #[serde(skip_serializing_if = "Option::is_none")]
    views: Option<u64>,
    /// Secrets those views see, summed over the views.
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<u64>,
}

pub(super) fn findings(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    findings: &[Finding],
    views: Option<ViewTotals>,
) -> io::Result<()> {
    let s = Summary::of(findings);
    let report = Report {
        findings: Findings { view, findings },
        summary: JsonSummary {
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            views: views.map(|v| v.views),
            resolved: views.map(|v| v.secrets),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn one<'a>(view: &SourceView<'_>, f: &'a Finding) -> JsonFinding<'a> {
    let loc = view.locate(f.span);
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        file: loc.as_ref().map(|l| l.file.clone()),
        line: loc.as_ref().map(|l| l.line),
        column: loc.as_ref().map(|l| l.column),
        end_line: loc.as_ref().map(|l| l.end_line),
        end_column: loc.as_ref().map(|l| l.end_column),
        org: f.org.as_deref(),
        site: f.site.as_deref(),
        secret: f.secret.as_deref(),
        env: f.env.as_deref(),
    }
}
