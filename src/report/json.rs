//! `--format json` for check (SPEC §4): a stable shape; fields are added,
//! never renamed.

use std::io::{self, Write};
use std::sync::Mutex;

use serde::Serialize;

use crate::finding::{Finding, Summary};
use crate::resolve::ViewTotals;

use super::view::{Located, SourceView, lock};

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

/// A finding as JSON; [`write_finding`] writes it without making one.
#[cfg(test)]
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
    findings: &[&Finding],
    views: Option<ViewTotals>,
) -> io::Result<()> {
    let s = Summary::of(findings.iter().copied());
    let summary = JsonSummary {
        errors: s.errors,
        warnings: s.warnings,
        infos: s.infos,
        views: views.map(|v| v.views),
        resolved: views.map(|v| v.secrets),
    };
    out.write_all(b"{\n  \"findings\": ")?;
    list(out, findings, 1, |run, buf, indent| {
        let mut locator = view.locator();
        for f in run {
            buf.push(b',');
            buf.extend_from_slice(indent);
            write_finding(buf, indent, f, locator.locate(f.span))?;
        }
        Ok(())
    })?;
    out.write_all(b",\n  \"summary\": ")?;
    indented(out, &to_json(&summary)?, b"\n  ")?;
    out.write_all(b"\n}\n")
}

/// The list of `items`, written as serde's pretty writer writes a list at
/// `depth` of a document (two spaces a level): `run` appends the JSON of
/// a run of items to a buffer, each element after a comma and the
/// elements' indent (a line break and its spaces), its own lines indented
/// to it. Runs are written in batches of [`WRITE_BATCH`] items on every
/// thread, and written out in order.
pub(super) fn list<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    depth: usize,
    run: impl Fn(&[T], &mut Vec<u8>, &[u8]) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let indent = [b"\n".as_slice(), &b"  ".repeat(depth + 1)].concat();
    out.write_all(b"[")?;
    let mut first = true;
    // The runs' buffers, kept from batch to batch: fresh ones, each of its
    // own mapping (over glibc's threshold), cost a page fault per 4 KiB
    // written and an unmap (~12k faults at 1M secrets).
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::default();
    for batch in items.chunks(WRITE_BATCH) {
        let texts = crate::parallel::map_chunks(batch, |items| {
            let mut text = lock(&spare).pop().unwrap_or_default();
            run(items, &mut text, &indent).map(|()| text)
        });
        for text in texts {
            let mut text = text?;
            // Each element comes after a comma, but the first.
            match text.strip_prefix(b",") {
                Some(rest) if first => out.write_all(rest)?,
                _ => out.write_all(&text)?,
            }
            first &= text.is_empty();
            text.clear();
            lock(&spare).push(text);
        }
    }
    if !first {
        out.write_all(&indent[..indent.len() - 2])?;
    }
    out.write_all(b"]")
}

/// A `run` for [`list`] that writes each item as serde's pretty writer
/// writes `value(item)`, then indents it.
pub(super) fn pretty<T, V: Serialize>(
    value: impl Fn(&T) -> V + Sync,
) -> impl Fn(&[T], &mut Vec<u8>, &[u8]) -> io::Result<()> + Sync {
    move |items, out, indent| {
        // One buffer for every element's JSON, not one each.
        let mut json = Vec::new();
        for item in items {
            json.clear();
            serde_json::to_writer_pretty(&mut json, &value(item)).map_err(io::Error::other)?;
            out.push(b',');
            out.extend_from_slice(indent);
            indented(out, &json, indent)?;
        }
        Ok(())
    }
}

/// A finding as serde's pretty writer writes [`JsonFinding`] at
/// `indent` (the line break and spaces of the finding's own lines),
/// without making one: no copy of its file's name, and no second pass to
/// indent it (a test compares the two).
fn write_finding(
    out: &mut Vec<u8>,
    indent: &[u8],
    f: &Finding,
    at: Option<Located<'_>>,
) -> io::Result<()> {
    let mut fields = JsonFields {
        out,
        indent,
        first: true,
    };
    fields.field("rule", Some(&*f.rule))?;
    fields.field("severity", Some(f.severity.as_str()))?;
    fields.field("message", Some(&*f.message))?;
    fields.field("help", f.help.as_deref())?;
    fields.field("file", at.as_ref().map(|l| l.file))?;
    fields.field("line", at.as_ref().map(|l| l.line))?;
    fields.field("column", at.as_ref().map(|l| l.column))?;
    fields.field("end_line", at.as_ref().map(|l| l.end_line))?;
    fields.field("end_column", at.as_ref().map(|l| l.end_column))?;
    fields.field("org", f.org.as_deref())?;
    fields.field("site", f.site.as_deref())?;
    fields.field("secret", f.secret.as_deref())?;
    fields.field("env", f.env.as_deref())?;
    fields.out.extend_from_slice(indent);
    fields.out.push(b'}');
    Ok(())
}

/// The fields of one object, written one after another.
struct JsonFields<'a> {
    out: &'a mut Vec<u8>,
    indent: &'a [u8],
    first: bool,
}

impl JsonFields<'_> {
    /// `"name": ` on a line of its own, after `{` or `,`.
    fn name(&mut self, name: &str) {
        self.out.push(if self.first { b'{' } else { b',' });
        self.first = false;
        self.out.extend_from_slice(self.indent);
        self.out.extend_from_slice(b"  \"");
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// `"name": value`, the value as serde writes it (`null` for none).
    fn field(&mut self, name: &str, value: Option<impl Serialize>) -> io::Result<()> {
        self.name(name);
        serde_json::to_writer(&mut *self.out, &value).map_err(io::Error::other)
    }
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

#[cfg(test)]
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
        // A name to escape, and a file the view does not have.
        let other = sources.add(
            "dir\\\"é\".toml",
            SourceText::shared(text.clone()),
            SourceKind::Layout,
        );
        let missing = other + 1;
        let view = SourceView::new(&sources);
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let finding = |i: usize| {
            let start = (i * 7) % (text.len() - 3);
            let in_file = [file, file, other, missing][i % 4];
            let mut f = Finding::new(
                "rule-id",
                severities[i % 3],
                format!("message {i} with \"quotes\", a\nline break and \u{e9}"),
                Span::new(in_file, start..start + 3),
            );
            if i.is_multiple_of(3) {
                f = f.with_help("help with \"quotes\"\tand a tab");
            }
            f.org = i.is_multiple_of(7).then(|| "o\u{1}".into());
            f.site = i.is_multiple_of(2).then(|| "a".into());
            f.secret = i.is_multiple_of(11).then(|| "K\\".into());
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
                let refs: Vec<&Finding> = findings.iter().collect();
                super::findings(&mut ours, &view, &refs, views).expect("writes");
                let theirs = serde_report(&view, &findings, views);
                let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                assert_eq!(text(&ours), text(&theirs), "{n} findings, views {views:?}");
            }
        }
    }
}
