//! Secret tables: `type`, `scope`, `value` and `overrides`, and which of them
//! a secret must have.

use indexmap::IndexMap;
use toml::de::DeValue;

use super::fields::{Ctx, Key, Val, field_of, invalid, list_of, show, string, table, unknown};
use super::{Name, Override, Secret, SecretValue, Spanned, Word};
use crate::finding::{Finding, rule_id};
use crate::source::Span;

/// Keys allowed in a secret table.
const SECRET_FIELDS: &[&str] = &["type", "scope", "value", "overrides"];

/// Which keys a secret table has, usable or not: a bad `scope = 3` is
/// reported as invalid, not also as missing.
#[derive(Default)]
struct Seen {
    ty: bool,
    scope: bool,
    value: bool,
}

/// A secret's fields while its table is read.
#[derive(Default)]
struct Fields {
    ty: Option<Spanned<Name>>,
    scope: Option<Spanned<Vec<Spanned<Name>>>>,
    value: Option<SecretValue>,
    overrides: IndexMap<String, Override>,
    seen: Seen,
}

/// Converts the secret `key` of an org or site; `None` if it is not a table.
pub(super) fn secret(
    cx: Ctx<'_>,
    key: Key<'_>,
    value: Val<'_>,
    out: &mut Vec<Finding>,
) -> Option<Secret> {
    let span = cx.span(key.span());
    let name = key.into_inner().into_owned();
    let cx = cx.secret(&name);
    let table = table(cx, value, out, || {
        let header = cx.header();
        let help = format!("declare it as a table, `{header}`, with `type`, `scope` and `value`");
        (cx.place(), help)
    })?;
    let empty = table.is_empty();
    let mut fields = Fields::default();
    for (key, value) in table {
        fields.field(cx, key, value, out);
    }
    fields.check(cx, span, empty, out);
    Some(Secret {
        name: name.into(),
        span,
        ty: fields.ty.map(|t| name_of(t).loc()),
        scope: fields.scope.map(|s| Spanned {
            value: s.value.into_iter().map(|s| name_of(s).loc()).collect(),
            span: s.span.loc(),
        }),
        value: fields.value,
        overrides: fields.overrides.into_values().collect(),
    })
}

fn name_of(s: Spanned<Name>) -> Spanned<Word> {
    Spanned {
        value: super::word(&s.value),
        span: s.span,
    }
}

impl Fields {
    /// Reads one `key = value` of a secret table.
    fn field(&mut self, cx: Ctx<'_>, key: Key<'_>, value: Val<'_>, out: &mut Vec<Finding>) {
        match key.get_ref().as_ref() {
            "type" => {
                self.seen.ty = true;
                self.ty = string(cx, "type", value, out);
            }
            "scope" => {
                self.seen.scope = true;
                self.scope = scope(cx, value, out);
            }
            "value" => {
                self.seen.value = true;
                self.value = secret_value(cx, value, out, || field_of(cx, "value"));
            }
            "overrides" => self.overrides = overrides(cx, value, out),
            _ => out.push(unknown(cx, &key, SECRET_FIELDS)),
        }
    }

    /// `missing-field`: an empty table, or a default without `type` or
    /// `scope`. A table with only `overrides` is an override-only entry.
    fn check(&self, cx: Ctx<'_>, span: Span, empty: bool, out: &mut Vec<Finding>) {
        if empty {
            let help = "add `type`, `scope` and `value`, or only `overrides` to override a secret declared elsewhere";
            let message = format!("{} declares nothing", cx.place());
            out.push(
                cx.error_at(rule_id::MISSING_FIELD, message, span, "empty secret")
                    .with_help(help),
            );
            return;
        }
        if !(self.seen.ty || self.seen.scope || self.seen.value) {
            return;
        }
        if !self.seen.ty {
            let help = "add `type = \"runtime\"` (or another of the policy's types)";
            out.push(missing(cx, span, "type").with_help(help));
        }
        if !self.seen.scope {
            let help = "add `scope = [\"web\"]` (one or more of the policy's scopes)";
            out.push(missing(cx, span, "scope").with_help(help));
        }
    }
}

/// `secret `X` has no `type``.
fn missing(cx: Ctx<'_>, span: Span, field: &str) -> Finding {
    let message = format!("{} has no `{field}`", cx.place());
    cx.error_at(
        rule_id::MISSING_FIELD,
        message,
        span,
        &format!("no `{field}`"),
    )
}

/// `scope = ["web", "user"]`, or a single `scope = "web"`.
fn scope(
    cx: Ctx<'_>,
    value: Val<'_>,
    out: &mut Vec<Finding>,
) -> Option<Spanned<Vec<Spanned<Name>>>> {
    let span = cx.span(value.span());
    if let DeValue::String(s) = value.get_ref() {
        if cx.is_value(value.span()) {
            return None;
        }
        let one = Spanned {
            value: Name::from(s.as_ref()),
            span,
        };
        return Some(Spanned {
            value: vec![one],
            span,
        });
    }
    let was_empty = matches!(value.get_ref(), DeValue::Array(a) if a.is_empty());
    let scopes = list_of(cx, "scope", value, out)?;
    if was_empty {
        let message = "a secret needs at least one scope".to_owned();
        let finding = cx.error_at(rule_id::INVALID_FIELD, message, span, "empty scope");
        out.push(finding.with_help("add a scope, e.g. `scope = [\"web\"]`"));
    }
    // Empty here means every entry was reported already.
    (!scopes.is_empty()).then_some(Spanned {
        value: scopes,
        span,
    })
}

/// A secret value: `value = "..."` or an override's value. `what` names it
/// in messages; the value itself never appears.
fn secret_value(
    cx: Ctx<'_>,
    value: Val<'_>,
    out: &mut Vec<Finding>,
    what: impl FnOnce() -> String,
) -> Option<SecretValue> {
    let range = value.span();
    match value.into_inner() {
        // After a syntax error, a string the masker shows is not a value
        // but a field toml's recovery swept in (`php = "3"` under an
        // unclosed `overrides = {`): as a value, it would be shown unmasked.
        DeValue::String(s) if !s.is_empty() && cx.is_shown(range.clone()) => None,
        DeValue::String(s) => Some(SecretValue::read(
            &s,
            cx.written(range.clone()),
            cx.span(range).loc(),
        )),
        other => {
            let finding = invalid(cx, &what(), "a string", &other, range);
            out.push(finding.with_help("write the value in quotes: `\"...\"`"));
            None
        }
    }
}

/// `overrides = { live = "..." }`: environment name → value.
fn overrides(cx: Ctx<'_>, value: Val<'_>, out: &mut Vec<Finding>) -> IndexMap<String, Override> {
    let Some(table) = table(cx, value, out, || {
        let help = "write a table of environment names to values: `overrides = { live = \"...\" }`";
        (field_of(cx, "overrides"), help.to_owned())
    }) else {
        return IndexMap::new();
    };
    let mut overrides = IndexMap::with_capacity(table.len());
    for (env, value) in table {
        let env_span = cx.span(env.span()).loc();
        let env = env.into_inner().into_owned();
        let what = || format!("override `{}` of {}", show(&env), cx.place());
        if let Some(value) = secret_value(cx.env(&env), value, out, what) {
            overrides.insert(
                env.clone(),
                Override {
                    env: env.into(),
                    env_span,
                    value,
                },
            );
        }
    }
    overrides
}
