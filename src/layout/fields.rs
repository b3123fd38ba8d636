//! Field-level conversion of layout tables: each function keeps what it can
//! use and reports the rest (`unknown-field`, `invalid-field`,
//! `missing-field`). No message ever holds a value: only keys, ids and kinds.

use std::borrow::Cow;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

pub(super) use super::context::{Ctx, show};
use super::{Name, Secrets, Spanned};
use crate::finding::{Finding, rule_id};

/// A key of the TOML DOM, with its span.
pub(super) type Key<'i> = toml::Spanned<Cow<'i, str>>;
/// A value of the TOML DOM, with its span.
pub(super) type Val<'i> = toml::Spanned<DeValue<'i>>;

/// `unknown-field`: `key` is not one of `allowed` here.
pub(super) fn unknown(cx: Ctx<'_>, key: &Key<'_>, allowed: &[&str]) -> Finding {
    let name = key.get_ref();
    let message = format!("unknown field `{}` in {}", show(name), cx.place());
    let help = match closest(name, allowed) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("{} may only have {}", cx.noun(), and_list(allowed)),
    };
    cx.error(rule_id::UNKNOWN_FIELD, message, key.span(), "unknown field")
        .with_help(help)
}

/// The allowed key closest to `name`, if it is close enough to be a typo.
fn closest<'k>(name: &str, allowed: &[&'k str]) -> Option<&'k str> {
    let name = name.to_lowercase();
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(&name, a), *a))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a)
}

/// `` `a`, `b` and `c` ``.
fn and_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// `a string`, `an integer`, …: what a value is, never what it holds.
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// `invalid-field`: `what` is `found` where `expected` is needed.
pub(super) fn invalid(
    cx: Ctx<'_>,
    what: &str,
    expected: &str,
    found: &DeValue<'_>,
    range: Range<usize>,
) -> Finding {
    let message = format!("{what} must be {expected}, not {}", kind(found));
    cx.error(
        rule_id::INVALID_FIELD,
        message,
        range,
        &format!("expected {expected}"),
    )
}

/// `` `field` of secret `X` `` and the like.
pub(super) fn field_of(cx: Ctx<'_>, field: &str) -> String {
    format!("`{field}` of {}", cx.place())
}

/// The table in `value`, or an `invalid-field` finding; `describe` gives
/// the table's name and help, only when they are needed.
pub(super) fn table<'i>(
    cx: Ctx<'_>,
    value: Val<'i>,
    out: &mut Vec<Finding>,
    describe: impl FnOnce() -> (String, String),
) -> Option<DeTable<'i>> {
    let range = value.span();
    match value.into_inner() {
        DeValue::Table(table) => Some(table),
        other => {
            let (what, help) = describe();
            out.push(invalid(cx, &what, "a table", &other, range).with_help(help));
            None
        }
    }
}

/// A string field, e.g. `owner = "my-org"`.
pub(super) fn string(
    cx: Ctx<'_>,
    field: &str,
    value: Val<'_>,
    out: &mut Vec<Finding>,
) -> Option<Spanned<Name>> {
    let range = value.span();
    match value.into_inner() {
        // Swept in from a value by a syntax error (already reported).
        DeValue::String(_) if cx.is_value(range.clone()) => None,
        DeValue::String(s) => Some(Spanned {
            value: Name::from(s),
            span: cx.span(range),
        }),
        other => {
            let help = format!("write it in quotes: `{field} = \"...\"`");
            out.push(invalid(cx, &field_of(cx, field), "a string", &other, range).with_help(help));
            None
        }
    }
}

/// `php = "8.2"`; a bare number such as `8.2` is kept as written.
pub(super) fn php(cx: Ctx<'_>, value: Val<'_>, out: &mut Vec<Finding>) -> Option<Spanned<Name>> {
    let range = value.span();
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) if cx.is_value(range.clone()) => None,
        DeValue::Integer(_) | DeValue::Float(_) => {
            let text = Name::from(cx.source(range.clone()));
            Some(Spanned {
                value: text,
                span: cx.span(range),
            })
        }
        _ => string(cx, "php", value, out),
    }
}

/// An array of strings, e.g. `supporting = ["agency"]`; bad entries are
/// reported and left out.
pub(super) fn list_of(
    cx: Ctx<'_>,
    field: &str,
    value: Val<'_>,
    out: &mut Vec<Finding>,
) -> Option<Vec<Spanned<Name>>> {
    let range = value.span();
    let items = match value.into_inner() {
        DeValue::Array(items) => items,
        other => {
            let help = format!("write a list: `{field} = [\"...\"]`");
            out.push(
                invalid(
                    cx,
                    &field_of(cx, field),
                    "an array of strings",
                    &other,
                    range,
                )
                .with_help(help),
            );
            return None;
        }
    };
    let strings = items.into_iter().filter_map(|item| {
        let range = item.span();
        match item.into_inner() {
            DeValue::String(_) if cx.is_value(range.clone()) => None,
            DeValue::String(s) => Some(Spanned {
                value: Name::from(s),
                span: cx.span(range),
            }),
            other => {
                let what = format!("each entry of {}", field_of(cx, field));
                let finding = invalid(cx, &what, "a string", &other, range);
                out.push(finding.with_help("write it in quotes"));
                None
            }
        }
    });
    Some(strings.collect())
}

/// Like [`list_of`], an absent or bad list being empty.
pub(super) fn list(
    cx: Ctx<'_>,
    field: &str,
    value: Val<'_>,
    out: &mut Vec<Finding>,
) -> Vec<Spanned<Name>> {
    list_of(cx, field, value, out).unwrap_or_default()
}

/// `secrets` of an org or site: a table of secret tables.
pub(super) fn secrets(cx: Ctx<'_>, value: Val<'_>, out: &mut Vec<Finding>) -> Secrets {
    let Some(table) = table(cx, value, out, || {
        let header = cx.secret("NAME").header();
        let help = format!("declare each secret as a table: `{header}`");
        (field_of(cx, "secrets"), help)
    }) else {
        return Secrets::default();
    };
    let mut secrets = Secrets::with_capacity(table.len());
    for (key, value) in table {
        if let Some(secret) = super::secret::secret(cx, key, value, out) {
            secrets.insert(secret);
        }
    }
    secrets
}
