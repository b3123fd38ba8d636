//! `--format sarif`: SARIF 2.1.0 for code-scanning tools, with regions.

use std::io::{self, Write};

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::finding::{Finding, Severity};

use super::view::SourceView;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The results' list in the document as serde writes it with none.
const NO_RESULTS: &str = "\"results\": []";

/// The results' list's depth in the document (`runs[0].results`).
const RESULTS_DEPTH: usize = 3;

/// The document is written around its results, which are serialized in
/// batches on every thread and written in order, as serde would write the
/// whole document: a document of 90k results in memory took 5x the input.
pub(super) fn findings(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    findings: &[&Finding],
) -> io::Result<()> {
    let rules = rules(findings);
    let frame = serde_json::to_string_pretty(&document(&rules, Vec::new()))?;
    // The first: only the schema, `runs` and `columnKind` come before it.
    let Some((head, tail)) = frame.split_once(NO_RESULTS) else {
        return Err(io::Error::other("SARIF frame without its results"));
    };
    out.write_all(head.as_bytes())?;
    out.write_all(b"\"results\": ")?;
    let each = super::json::pretty(|f: &&Finding| result(view, f, &rules));
    super::json::list(out, findings, RESULTS_DEPTH, each)?;
    out.write_all(tail.as_bytes())?;
    writeln!(out)
}

/// Each rule that has findings, by id, in order of its first finding.
fn rules<'a>(findings: &[&'a Finding]) -> IndexMap<&'a str, Value> {
    let mut rules: IndexMap<&'a str, Value> = IndexMap::new();
    for f in findings {
        rules.entry(&f.rule).or_insert_with(|| {
            json!({
                "id": &*f.rule,
                "shortDescription": { "text": &*f.rule },
                "defaultConfiguration": { "level": level(f.severity) },
            })
        });
    }
    rules
}

/// The SARIF document with `results`.
fn document(rules: &IndexMap<&str, Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ward",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/ward-secrets/ward",
                "rules": rules.values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(view: &SourceView<'_>, f: &Finding, rules: &IndexMap<&str, Value>) -> Value {
    let mut text = f.message.clone();
    if let Some(h) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, (span, label))| {
            let mut loc = location(view, *span);
            loc["id"] = json!(i);
            loc["message"] = json!({ "text": label });
            loc
        })
        .collect();
    json!({
        "ruleId": &*f.rule,
        "ruleIndex": rules.get_index_of(&*f.rule),
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location(view, f.span)],
        "relatedLocations": related,
    })
}

fn location(view: &SourceView<'_>, span: crate::source::Span) -> Value {
    match view.locate(span) {
        Some(l) => json!({ "physicalLocation": {
            "artifactLocation": { "uri": uri(&l.file) },
            "region": {
                "startLine": l.line,
                "startColumn": l.column,
                "endLine": l.end_line,
                "endColumn": l.end_column,
            },
        }}),
        None => json!({}),
    }
}

/// A URI reference for a path as the user gave it: relative, with `/` and
/// no leading `./`; `file://` for an absolute path. Bytes that are not
/// allowed in a URI path (spaces, `#`, `?`, `%`, non-ASCII) are
/// percent-encoded, so `a#1.toml` is not read as `a` with a fragment.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    if p.starts_with('/') {
        out.push_str("file://");
    }
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' => {
                out.push(b as char)
            }
            b'*' | b'+' | b',' | b';' | b'=' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::{SourceKind, SourceText, Sources, Span};

    /// The whole document at once, as serde writes it.
    fn serde_document(view: &SourceView<'_>, findings: &[&Finding]) -> Vec<u8> {
        let rules = rules(findings);
        let results = findings.iter().map(|f| result(view, f, &rules)).collect();
        let mut out = serde_json::to_vec_pretty(&document(&rules, results)).expect("serializes");
        out.push(b'\n');
        out
    }

    /// Results written around a frame, batch by batch, give serde's bytes
    /// for any number of them (related places and line breaks included).
    #[test]
    fn the_document_is_what_serde_writes_for_any_number_of_results() {
        let text = "[sites.a]\nphp = \"7.4\"\n\"quoted\\nkey\" = 1\n".repeat(50);
        let mut sources = Sources::default();
        let file = sources.add(
            "a b.toml",
            SourceText::shared(text.clone()),
            SourceKind::Layout,
        );
        let view = SourceView::new(&sources);
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let finding = |i: usize| {
            let start = (i * 7) % (text.len() - 3);
            let span = Span::new(file, start..start + 3);
            let rule = ["r-one", "r-two", "r-three"][i % 3];
            let message = format!("message {i} with \"quotes\", a\nline break and \u{e9}");
            let mut f = Finding::new(rule, severities[i % 3], message, span);
            if i.is_multiple_of(4) {
                f = f.with_help("fix it");
                f.related.push((Span::new(file, 0..2), "first here".into()));
            }
            f
        };
        for n in [
            0,
            1,
            2,
            255,
            256,
            257,
            1000,
            super::super::json::WRITE_BATCH + 3,
        ] {
            let findings: Vec<Finding> = (0..n).map(finding).collect();
            let findings: Vec<&Finding> = findings.iter().collect();
            let mut ours = Vec::new();
            super::findings(&mut ours, &view, &findings).expect("writes");
            let theirs = serde_document(&view, &findings);
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            assert_eq!(text(&ours), text(&theirs), "{n} findings");
        }
    }
}
