//! Rendering of `resolve` (a table or JSON) and `explain` (the winner and
//! every layer it shadowed). Values pass through [`Shown`], the single place
//! that decides whether a value may be printed.

use std::io::{self, Write};

use serde::Serialize;

use crate::layout::SecretValue;
use crate::policy::Policy;
use crate::resolve::{Candidate, Explained, Query, Resolved};
use crate::source::{FileId, Sources};

use super::Format;
use super::view::SourceView;

/// How `resolve` and `explain` print.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Human or JSON.
    pub format: Format,
    /// Show every value.
    pub reveal: bool,
}

/// A value as output may show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown<'a> {
    /// The user may see it (`--reveal`, or a revealing scope such as `user`).
    Plain(&'a str),
    /// Hidden; only its length is shown.
    Redacted(usize),
    /// The layout does not hold the value.
    Withheld,
}

impl<'a> Shown<'a> {
    /// Decides how to show `value` of a secret with `scopes`, declared in
    /// `file` of `sources`.
    pub fn of(
        value: Option<&'a SecretValue>,
        file: FileId,
        sources: &'a Sources,
        scopes: &[&str],
        policy: &Policy,
        reveal: bool,
    ) -> Self {
        let Some(v) = value else {
            return Shown::Withheld;
        };
        let revealed = reveal
            || scopes
                .iter()
                .any(|s| policy.reveal_scopes.iter().any(|r| r == s));
        if revealed {
            Shown::Plain(v.expose(file, sources))
        } else {
            Shown::Redacted(v.bytes())
        }
    }

    /// `[REDACTED] (N bytes)`, `(withheld)` or the value itself.
    pub fn text(&self) -> String {
        match self {
            Shown::Plain(s) => s.to_string(),
            Shown::Redacted(1) => "[REDACTED] (1 byte)".to_string(),
            Shown::Redacted(n) => format!("[REDACTED] ({n} bytes)"),
            Shown::Withheld => "(withheld)".to_string(),
        }
    }

    fn json(&self) -> Option<&'a str> {
        match self {
            Shown::Plain(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct JsonResolution<'a> {
    site: &'a str,
    env: &'a str,
    scope: &'a str,
    #[serde(rename = "type")]
    ty: Option<&'a str>,
    secrets: Vec<JsonSecret<'a>>,
}

#[derive(Serialize)]
struct JsonSecret<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: &'a str,
    scope: Vec<&'a str>,
    value: Option<&'a str>,
    redacted: bool,
    withheld: bool,
    bytes: Option<usize>,
    source: JsonSource<'a>,
    shadowed: Vec<JsonSource<'a>>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    kind: &'a str,
    id: &'a str,
    #[serde(rename = "override")]
    env: Option<&'a str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

/// Prints what a site sees: an aligned table, or SPEC §4's JSON.
pub fn resolution(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    policy: &Policy,
    q: Query<'_>,
    secrets: &[Resolved<'_>],
    opts: Output,
) -> io::Result<()> {
    let Output { format, reveal } = opts;
    if format == Format::Json {
        let doc = JsonResolution {
            site: q.site,
            env: q.env,
            scope: q.scope,
            ty: q.ty,
            secrets: secrets
                .iter()
                .map(|r| json_secret(view, policy, r, reveal))
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    if secrets.is_empty() {
        return writeln!(
            out,
            "{} sees no secrets in {} with scope {}",
            q.site, q.env, q.scope
        );
    }
    let header = ["NAME", "TYPE", "SCOPES", "VALUE", "SOURCE"]
        .map(String::from)
        .to_vec();
    let rows = secrets.iter().map(|r| {
        let shown = Shown::of(
            r.winner.value,
            r.winner.span.file,
            view.sources(),
            &r.scopes(),
            policy,
            reveal,
        );
        vec![
            r.name.to_string(),
            r.ty().to_string(),
            r.scopes().join(","),
            shown.text(),
            source_text(&r.winner),
        ]
    });
    table(
        out,
        "",
        &std::iter::once(header).chain(rows).collect::<Vec<_>>(),
    )
}

/// Writes rows as left-aligned columns two spaces apart, each line prefixed
/// with `indent`.
pub fn table(out: &mut dyn Write, indent: &str, rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        widths.resize(widths.len().max(row.len()), 0);
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = indent.to_string();
        for (cell, w) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.push_str(&" ".repeat(w - cell.chars().count() + 2));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `site my-site (live override)`, `org my-org (default)`.
pub fn source_text(c: &Candidate<'_>) -> String {
    match c.env {
        Some(env) => format!("{} {} ({env} override)", c.kind.as_str(), c.id),
        None => format!("{} {} (default)", c.kind.as_str(), c.id),
    }
}

fn json_source<'a>(view: &SourceView<'_>, c: &Candidate<'a>) -> JsonSource<'a> {
    let loc = view.locate(c.span);
    JsonSource {
        kind: c.kind.as_str(),
        id: c.id,
        env: c.env,
        file: loc.as_ref().map(|l| l.file.clone()),
        line: loc.as_ref().map(|l| l.line),
        column: loc.as_ref().map(|l| l.column),
    }
}

fn json_secret<'a>(
    view: &SourceView<'a>,
    policy: &Policy,
    r: &'a Resolved<'a>,
    reveal: bool,
) -> JsonSecret<'a> {
    let scopes = r.scopes();
    let shown = Shown::of(
        r.winner.value,
        r.winner.span.file,
        view.sources(),
        &scopes,
        policy,
        reveal,
    );
    JsonSecret {
        name: r.name,
        ty: r.meta.ty.as_ref().map_or("", |t| t.value.as_str()),
        redacted: matches!(shown, Shown::Redacted(_)),
        withheld: shown == Shown::Withheld,
        bytes: r.winner.value.map(SecretValue::bytes),
        value: shown.json(),
        scope: scopes,
        source: json_source(view, &r.winner),
        shadowed: r.shadowed.iter().map(|c| json_source(view, c)).collect(),
    }
}

/// Prints the chain for one secret: the winner, then each shadowed layer.
pub fn explain(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    policy: &Policy,
    q: Query<'_>,
    name: &str,
    e: &Explained<'_>,
    opts: Output,
) -> io::Result<()> {
    let Output { format, reveal } = opts;
    if format == Format::Json {
        let doc = serde_json::json!({
            "site": q.site, "env": q.env, "scope": q.scope, "name": name,
            "secret": e.resolved.as_ref().map(|r| json_secret(view, policy, r, reveal)),
            "ignored": e.ignored.iter().map(|(who, why)| serde_json::json!({"source": who, "reason": why})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    writeln!(out, "{name} on {}.{} (scope {})", q.site, q.env, q.scope)?;
    let mut rows = Vec::new();
    match &e.resolved {
        Some(r) => {
            let scopes = r.scopes();
            writeln!(out, "  type {}, scopes {}", r.ty(), scopes.join(","))?;
            let layers = std::iter::once(("wins", &r.winner))
                .chain(r.shadowed.iter().map(|c| ("shadows", c)));
            for (role, c) in layers {
                // Each layer by its own scopes: a user-scoped winner
                // does not reveal the org value it shadows.
                let shown = Shown::of(
                    c.value,
                    c.span.file,
                    view.sources(),
                    &c.scopes(),
                    policy,
                    reveal,
                );
                rows.push(vec![
                    role.to_string(),
                    source_text(c),
                    shown.text(),
                    at(view, c),
                ]);
            }
        }
        None => writeln!(
            out,
            "  not visible: no layer gives it to this site in this scope"
        )?,
    }
    for (who, why) in &e.ignored {
        rows.push(vec!["ignored".to_string(), who.clone(), why.clone()]);
    }
    table(out, "  ", &rows)
}

fn at(view: &SourceView<'_>, c: &Candidate<'_>) -> String {
    view.locate(c.span)
        .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
        .unwrap_or_default()
}
