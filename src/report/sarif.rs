//! `--format sarif`: SARIF 2.1.0 for code-scanning tools, with regions.

use std::io::{self, Write};

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::finding::{Finding, Severity};

use super::view::SourceView;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(super) fn findings(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    findings: &[Finding],
) -> io::Result<()> {
    let mut rules: IndexMap<&str, Value> = IndexMap::new();
    for f in findings {
        rules.entry(&f.rule).or_insert_with(|| {
            json!({
                "id": &*f.rule,
                "shortDescription": { "text": &*f.rule },
                "defaultConfiguration": { "level": level(f.severity) },
            })
        });
    }
    let results: Vec<Value> = findings.iter().map(|f| result(view, f, &rules)).collect();
    let doc = json!({
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
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
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
