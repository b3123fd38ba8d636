//! `--format json` for check (SPEC §4): a stable shape; fields are added,
//! never renamed.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Finding, Summary};
use crate::resolve::ViewTotals;

use super::view::SourceView;

/// The whole report, as serde would write it: what [`findings`] writes,
/// byte for byte (a test compares them).
#[cfg(test)]
#[derive(Serialize)]
struct Report<'a> {
    findings: Findings<'a>,
    summary: JsonSummary,
}

#[cfg(test)]
struct Findings<'a> {
    view: &'a SourceView<'a>,
    findings: &'a [Finding],
}

#[cfg(test)]
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

/// Findings turned into JSON at once, on every thread, before they are
/// written: bounded, so the report is never held whole (90k findings are
/// ~40 MB of JSON).
pub(super) const WRITE_BATCH: usize = 4096;

/// The report, as `serde_json::to_writer_pretty` writes it (`{"findings":
/// [...], "summary": {...}}`, two spaces of indent), but with the findings
/// turned into text on every thread: on one, it was a tenth of a check of
/// a million secrets.
pub(super) fn findings(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    findings: &[Finding],
    views: Option<ViewTotals>,
) -> io::Result<()> {
    let s = Summary::of(findings);
    let summary = JsonSummary {
        errors: s.errors,
        warnings: s.warnings,
        infos: s.infos,
        views: views.map(|v| v.views),
        resolved: views.map(|v| v.secrets),
    };
    out.write_all(b"{\n  \"findings\": ")?;
    list(out, findings, 1, |f, buf| {
        serde_json::to_writer_pretty(buf, &one(view, f))
    })?;
    out.write_all(b",\n  \"summary\": ")?;
    indented(out, &to_json(&summary)?, b"\n  ")?;
    out.write_all(b"\n}\n")
}

/// The list of `items`, each serialized by `value`, written as serde's
/// pretty writer writes a list at `depth` of a document (two spaces a
/// level): the elements are serialized in batches of [`WRITE_BATCH`] on
/// every thread and written in order.
pub(super) fn list<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    depth: usize,
    value: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> io::Result<()> {
    let indent = [b"\n".as_slice(), &b"  ".repeat(depth + 1)].concat();
    out.write_all(b"[")?;
    let mut first = true;
    for batch in items.chunks(WRITE_BATCH) {
        for text in crate::parallel::map_chunks(batch, |run| elements(run, &indent, &value)) {
            // Each element comes after a comma, but the first.
            let text = text?;
            match text.strip_prefix(b",") {
                Some(rest) if first => out.write_all(rest)?,
                _ => out.write_all(&text)?,
            }
            first &= text.is_empty();
        }
    }
    if !first {
        out.write_all(&indent[..indent.len() - 2])?;
    }
    out.write_all(b"]")
}

/// `items` as elements of a list: each after `,` and `indent` (a line
/// break and the elements' depth), indented to it.
fn elements<T>(
    items: &[T],
    indent: &[u8],
    value: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()>,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(items.len() * 512);
    // One buffer for every element's JSON, not one each.
    let mut json = Vec::new();
    for item in items {
        json.clear();
        value(item, &mut json).map_err(io::Error::other)?;
        out.push(b',');
        out.extend_from_slice(indent);
        indented(&mut out, &json, indent)?;
    }
    Ok(out)
}

fn to_json(value: &impl Serialize) -> io::Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(io::Error::other)
}

/// `json` with each line break followed by `indent`'s: as if written
/// deeper in a document (a line break in JSON text is always layout:
/// strings hold theirs escaped).
pub(super) fn indented(
    out: &mut (impl Write + ?Sized),
    json: &[u8],
    indent: &[u8],
) -> io::Result<()> {
    for (i, line) in json.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(indent)?;
        }
        out.write_all(line)?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::{SourceKind, SourceText, Sources, Span};

    /// What serde writes for the whole report, the way this module wrote
    /// it before the findings went to threads.
    fn serde_report(
        view: &SourceView<'_>,
        findings: &[Finding],
        views: Option<ViewTotals>,
    ) -> Vec<u8> {
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
        let mut out = serde_json::to_vec_pretty(&report).expect("serializes");
        out.push(b'\n');
        out
    }

    #[test]
    fn the_report_is_what_serde_writes_for_any_number_of_findings() {
        let text = "[sites.a]\nphp = \"7.4\"\n\"quoted\\nkey\" = 1\n".repeat(50);
        let mut sources = Sources::default();
        let file = sources.add(
            "layout.toml",
            SourceText::shared(text.clone()),
            SourceKind::Layout,
        );
        let view = SourceView::new(&sources);
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let finding = |i: usize| {
            let start = (i * 7) % (text.len() - 3);
            let mut f = Finding::new(
                "rule-id",
                severities[i % 3],
                format!("message {i} with \"quotes\", a\nline break and \u{e9}"),
                Span::new(file, start..start + 3),
            );
            f.site = i.is_multiple_of(2).then(|| "a".into());
            f.env = i.is_multiple_of(5).then(|| "live".into());
            f
        };
        for n in [0, 1, 2, 255, 256, 257, 1000, WRITE_BATCH + 3] {
            let findings: Vec<Finding> = (0..n).map(finding).collect();
            for views in [
                None,
                Some(ViewTotals {
                    views: 3,
                    secrets: 7,
                }),
            ] {
                let mut ours = Vec::new();
                super::findings(&mut ours, &view, &findings, views).expect("writes");
                let theirs = serde_report(&view, &findings, views);
                let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                assert_eq!(text(&ours), text(&theirs), "{n} findings, views {views:?}");
            }
        }
    }
}
