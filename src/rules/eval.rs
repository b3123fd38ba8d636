//! Evaluates a rule's expressions on one subject, in three-valued logic: an
//! attribute the subject lacks (a withheld value, a site without `php`) is
//! unknown, and a rule whose outcome is unknown reports nothing.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use super::context::EnvSet;

use crate::finding::Finding;
use crate::layout::{Name, Scopes, Site, Spanned, show};
use crate::policy::{Attr, CmpOp, Expr, Operand, Rule, Template, TemplatePart};
use crate::source::Span;

use super::Owner;
use super::compiled::{Test, compile};
use super::context::Ctx;

/// An attribute's value on a subject (may be a secret value: no `Debug`).
#[derive(Clone)]
enum Val<'a> {
    Unknown,
    Bool(bool),
    Str(Cow<'a, str>),
    /// A count (`value.bytes`), compared as a one-part version.
    Num(u64),
    List(Vec<Cow<'a, str>>),
    /// Names as the layout holds them (a secret's scopes): read in place
    /// rather than copied into a list for every subject.
    Names(&'a Scopes),
    /// A literal list of the policy.
    Lits(&'a [String]),
    /// A list computed once per check (an owner's environments), looked up
    /// in constant time: `override.env in owner.environments` runs once per
    /// override, and a secret may have 100k of them.
    Set(&'a EnvSet<'a>),
    /// A site's environments: the policy's always-present ones, then the
    /// site's own (a name in both counts once).
    SiteEnvs(&'a [String], &'a [Spanned<Name>]),
}

/// A rule with the texts every finding of it shares, made once per check.
pub(crate) struct Prepared<'p> {
    pub rule: &'p Rule,
    /// The condition and the requirement, compiled.
    when: Option<Test<'p>>,
    require: Test<'p>,
    /// The requirement costs less to evaluate than the condition: it goes
    /// first (a finding needs both to fail and hold, in either order).
    require_first: bool,
    id: Arc<str>,
    label: Arc<str>,
    /// The help, if it has no `{holes}`.
    help: Option<Arc<str>>,
}

impl<'p> Prepared<'p> {
    pub fn new(rule: &'p Rule) -> Self {
        let fixed = |t: &Template| {
            let mut text = String::new();
            for part in &t.parts {
                match part {
                    TemplatePart::Text(t) => text.push_str(t),
                    TemplatePart::Hole(_) => return None,
                }
            }
            Some(Arc::from(text))
        };
        let when = rule.when.as_ref().map_or(0, cost);
        Prepared {
            rule,
            when: rule.when.as_ref().map(compile),
            require: compile(&rule.require),
            require_first: cost(&rule.require) < when,
            id: Arc::from(rule.id.as_str()),
            label: Arc::from(format!("violates `{}`", rule.id)),
            help: rule.help.as_ref().and_then(fixed),
        }
    }
}

/// Evaluates `rule` on `ctx` and pushes a finding if it is violated: its
/// condition holds and its requirement fails.
pub(crate) fn apply(rule: &Prepared<'_>, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let applies = || rule.when.as_ref().map_or(Some(true), |w| w(ctx)) == Some(true);
    let fails = || (rule.require)(ctx) == Some(false);
    let violated = match rule.require_first {
        true => fails() && applies(),
        false => applies() && fails(),
    };
    if violated {
        out.push(finding(rule, ctx));
    }
}

/// A rough cost of evaluating `expr` once: attributes that walk a site's
/// secrets and regexes and JSON parses cost more than a field read.
fn cost(expr: &Expr) -> u32 {
    let operand = |o: &Operand| match o {
        Operand::Attr(Attr::SiteScopes) => 50,
        Operand::Attr(Attr::ValueJsonKeys) => 50,
        Operand::Attr(_) | Operand::Lit(_) | Operand::List(_) => 1,
    };
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => cost(a) + cost(b),
        Expr::Not(e) => cost(e),
        Expr::Cmp(a, _, b) | Expr::In(a, b) | Expr::Has(a, b) => operand(a) + operand(b),
        Expr::Match { operand: o, .. } => operand(o) + 10,
        Expr::IsJson(o) => operand(o) + 50,
        Expr::Truthy(_) => 1,
    }
}

pub(super) fn eval(expr: &Expr, ctx: &Ctx<'_>) -> Option<bool> {
    match expr {
        Expr::And(a, b) => match (eval(a, ctx), eval(b, ctx)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match (eval(a, ctx), eval(b, ctx)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Not(e) => eval(e, ctx).map(|b| !b),
        Expr::Cmp(a, op, b) => compare(&operand(a, ctx), *op, &operand(b, ctx)),
        Expr::Match {
            operand: o,
            regex,
            negate,
            ..
        } => match operand(o, ctx) {
            Val::Str(s) => Some(regex.is_match(&s) != *negate),
            _ => None,
        },
        Expr::In(a, b) => contains(&operand(b, ctx), &operand(a, ctx)),
        Expr::Has(a, b) => contains(&operand(a, ctx), &operand(b, ctx)),
        Expr::IsJson(o) => match operand(o, ctx) {
            Val::Str(s) => Some(serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok()),
            _ => None,
        },
        Expr::Truthy(a) => match attr(*a, ctx) {
            Val::Bool(b) => Some(b),
            _ => None,
        },
    }
}

fn operand<'a>(o: &'a Operand, ctx: &Ctx<'a>) -> Val<'a> {
    match o {
        Operand::Attr(a) => attr(*a, ctx),
        Operand::Lit(s) => Val::Str(Cow::Borrowed(s)),
        Operand::List(items) => Val::Lits(items),
    }
}

fn contains(list: &Val<'_>, item: &Val<'_>) -> Option<bool> {
    match (list, item) {
        (Val::List(l), Val::Str(s)) => Some(l.iter().any(|x| x == s)),
        (Val::Set(l), Val::Str(s)) => Some(l.contains(s.as_ref())),
        (Val::SiteEnvs(always, own), Val::Str(s)) => {
            Some(always.iter().any(|x| x == s) || own.iter().any(|x| x.value == *s))
        }
        (Val::Names(l), Val::Str(s)) => Some(l.contains(s.as_ref())),
        (Val::Lits(l), Val::Str(s)) => Some(l.iter().any(|x| x == s)),
        _ => None,
    }
}

fn compare(a: &Val<'_>, op: CmpOp, b: &Val<'_>) -> Option<bool> {
    let ord = match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.cmp(y),
        // The common case (`value.bytes <= 16384`) without formatting.
        (Val::Num(x), Val::Str(y)) => match y.parse::<u64>() {
            Ok(y) => x.cmp(&y),
            Err(_) => return compare(&Val::Str(Cow::Owned(x.to_string())), op, b),
        },
        (Val::Str(x), Val::Num(y)) => match x.parse::<u64>() {
            Ok(x) => x.cmp(y),
            Err(_) => return compare(a, op, &Val::Str(Cow::Owned(y.to_string()))),
        },
        (Val::Str(x), Val::Str(y)) => match cmp_versions(x, y) {
            Some(ord) => ord,
            // Equality of words (`type == env`): lengths first, and no
            // ordering needed.
            None if matches!(op, CmpOp::Eq | CmpOp::Ne) => match x == y {
                true => Ordering::Equal,
                false => Ordering::Less,
            },
            None => return None,
        },
        (Val::Bool(x), Val::Bool(y)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => x.cmp(y),
        _ => return None,
    };
    Some(op.holds(ord))
}

/// Compares dotted numbers (`16384`, `8.0`) part by part, missing parts
/// as zero so `8` == `8.0`; `None` unless both are dotted numbers. Runs
/// for every value against the size limit: no allocation.
fn cmp_versions(a: &str, b: &str) -> Option<Ordering> {
    if !is_version(a) || !is_version(b) {
        return None;
    }
    let (mut a, mut b) = (a.split('.'), b.split('.'));
    loop {
        let (x, y) = match (a.next(), b.next()) {
            (None, None) => return Some(Ordering::Equal),
            (x, y) => (part(x), part(y)),
        };
        if x != y {
            return Some(x.cmp(&y));
        }
    }
}

pub(super) fn is_version(s: &str) -> bool {
    // Most comparisons are of words (`type == env`): out at the first byte,
    // which a number starts with (`u64` parsing also takes a leading `+`).
    s.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'+')
        && s.split('.').all(|p| p.parse::<u64>().is_ok())
}

fn part(p: Option<&str>) -> u64 {
    p.and_then(|p| p.parse().ok()).unwrap_or(0)
}

fn str_val<'a>(s: Option<&'a str>) -> Val<'a> {
    s.map_or(Val::Unknown, |s| Val::Str(Cow::Borrowed(s)))
}

fn list_val<'a>(items: impl Iterator<Item = &'a str>) -> Val<'a> {
    Val::List(items.map(Cow::Borrowed).collect())
}

/// The reader of a string attribute, `None` for the others: shared by
/// [`attr`] and the compiled rules, which read it without a [`Val`].
pub(super) fn str_attr(a: Attr) -> Option<for<'a> fn(&Ctx<'a>) -> Option<&'a str>> {
    Some(match a {
        Attr::Name => |ctx| ctx.secret.map(|s| s.name.as_str()),
        Attr::Type => |ctx| Some(ctx.meta?.ty.as_ref()?.value.as_str()),
        Attr::OwnerKind => |ctx| ctx.owner_kind().map(|k| k.as_str()),
        Attr::OwnerId => |ctx| ctx.owner_id(),
        Attr::OverrideEnv => |ctx| ctx.over.map(|o| o.env.as_str()),
        Attr::Value => |ctx| {
            let (v, file) = ctx.value_in()?;
            Some(v.expose(file, &ctx.facts.layout.sources))
        },
        Attr::SiteId => |ctx| ctx.site.map(|s| s.id.as_str()),
        Attr::SitePhp => |ctx| Some(ctx.site?.php.as_ref()?.value.as_str()),
        Attr::SiteOwner => |ctx| Some(ctx.site?.owner.as_ref()?.value.as_str()),
        Attr::Scope
        | Attr::OwnerEnvironments
        | Attr::ValueBytes
        | Attr::ValueSet
        | Attr::ValueJsonKeys
        | Attr::DefaultExists
        | Attr::Shadows
        | Attr::SiteSupporting
        | Attr::SiteEnvironments
        | Attr::SiteScopes => return None,
    })
}

fn attr<'a>(a: Attr, ctx: &Ctx<'a>) -> Val<'a> {
    let meta = ctx.meta;
    let site = ctx.site;
    match a {
        Attr::Name
        | Attr::Type
        | Attr::OwnerKind
        | Attr::OwnerId
        | Attr::OverrideEnv
        | Attr::Value
        | Attr::SiteId
        | Attr::SitePhp
        | Attr::SiteOwner => str_val(str_attr(a).and_then(|get| get(ctx))),
        Attr::Scope => match meta.and_then(|m| m.scope.as_ref()) {
            Some(s) => Val::Names(&s.value),
            None => Val::Unknown,
        },
        Attr::OwnerEnvironments => owner_envs(ctx),
        Attr::ValueBytes => ctx
            .value()
            .map_or(Val::Unknown, |v| Val::Num(v.bytes() as u64)),
        Attr::ValueSet => Val::Bool(ctx.value().is_some()),
        Attr::ValueJsonKeys => json_keys(ctx),
        Attr::DefaultExists => Val::Bool(meta.is_some()),
        Attr::Shadows => shadows(ctx),
        Attr::SiteSupporting => match site {
            Some(s) => list_val(s.supporting.iter().map(|x| x.value.as_str())),
            None => Val::Unknown,
        },
        Attr::SiteEnvironments => match site {
            Some(s) => site_envs(ctx, s),
            None => Val::Unknown,
        },
        Attr::SiteScopes => match site {
            Some(s) => list_val(ctx.facts.site_scopes(s).into_iter()),
            None => Val::Unknown,
        },
    }
}

fn owner_envs<'a>(ctx: &Ctx<'a>) -> Val<'a> {
    match ctx.owner {
        Some(Owner::Site(s)) => site_envs(ctx, s),
        Some(Owner::Org(o)) => match ctx.facts.org_envs(&o.id) {
            Some(envs) => Val::Set(envs),
            None => list_val(ctx.facts.policy.always_envs.iter().map(String::as_str)),
        },
        None => Val::Unknown,
    }
}

fn site_envs<'a>(ctx: &Ctx<'a>, site: &'a Site) -> Val<'a> {
    match ctx.facts.many_envs(&site.id) {
        Some(envs) => Val::Set(envs),
        None => Val::SiteEnvs(&ctx.facts.policy.always_envs, &site.environments),
    }
}

fn json_keys<'a>(ctx: &Ctx<'a>) -> Val<'a> {
    let Some((v, file)) = ctx.value_in() else {
        return Val::Unknown;
    };
    // Only the keys are read: the values under them (tokens, passwords)
    // are skipped, not copied into a DOM that would not be zeroed.
    type Keys = std::collections::BTreeMap<String, serde::de::IgnoredAny>;
    match serde_json::from_str::<Keys>(v.expose(file, &ctx.facts.layout.sources)) {
        Ok(map) => Val::List(map.into_keys().map(Cow::Owned).collect()),
        Err(_) => Val::List(Vec::new()),
    }
}

fn shadows<'a>(ctx: &Ctx<'a>) -> Val<'a> {
    match (ctx.owner, ctx.secret) {
        (Some(Owner::Site(_)), Some(secret)) => Val::Bool(
            secret.declares_default()
                && ctx.inherited().iter().any(|o| {
                    o.secrets
                        .get(&secret.name)
                        .is_some_and(|s| s.declares_default())
                }),
        ),
        (Some(Owner::Org(_)), Some(_)) => Val::Bool(false),
        _ => Val::Unknown,
    }
}

fn finding(prepared: &Prepared<'_>, ctx: &Ctx<'_>) -> Finding {
    let rule = prepared.rule;
    let mut f = Finding::new(
        Arc::clone(&prepared.id),
        rule.severity,
        render(&rule.message, ctx),
        focus(rule, ctx),
    );
    f.help = match &prepared.help {
        Some(help) => Some(Arc::clone(help)),
        None => rule.help.as_ref().map(|h| Arc::from(render(h, ctx))),
    };
    f.label = Arc::clone(&prepared.label);
    match ctx.owner {
        Some(Owner::Org(o)) => f.org = Some(o.id.as_str().into()),
        Some(Owner::Site(s)) => f.site = Some(s.id.as_str().into()),
        None => f.site = ctx.site.map(|s| s.id.as_str().into()),
    }
    f.secret = ctx.secret.map(|s| s.name.clone());
    f.env = ctx.over.map(|o| o.env.as_str().into());
    f
}

/// Renders a template. `{value}` cannot get past the policy parser; it is
/// redacted here too so no template can ever print a secret.
fn render(t: &Template, ctx: &Ctx<'_>) -> String {
    let mut s = String::new();
    for part in &t.parts {
        match part {
            TemplatePart::Text(text) => s.push_str(text),
            TemplatePart::Hole(Attr::Value | Attr::ValueJsonKeys) => s.push_str("[REDACTED]"),
            TemplatePart::Hole(a) => match attr(*a, ctx) {
                Val::Unknown => s.push_str("(none)"),
                Val::Bool(b) => s.push_str(if b { "true" } else { "false" }),
                // Names from the layout, escaped: a message stays one line
                // and sends no control characters to a terminal.
                Val::Str(v) => s.push_str(&show(&v)),
                Val::Num(n) => s.push_str(&n.to_string()),
                Val::Names(l) => {
                    let shown: Vec<String> = l.iter().map(|x| show(&x.value)).collect();
                    s.push_str(&shown.join(", "));
                }
                Val::Lits(l) => {
                    let shown: Vec<String> = l.iter().map(|x| show(x)).collect();
                    s.push_str(&shown.join(", "));
                }
                Val::List(l) => {
                    let shown: Vec<String> = l.iter().map(|x| show(x)).collect();
                    s.push_str(&shown.join(", "));
                }
                Val::Set(l) => {
                    let shown: Vec<String> = l.iter().map(|x| show(x)).collect();
                    s.push_str(&shown.join(", "));
                }
                Val::SiteEnvs(always, own) => {
                    let envs = crate::resolve::envs_of(always, own);
                    let shown: Vec<String> = envs.iter().map(|x| show(x)).collect();
                    s.push_str(&shown.join(", "));
                }
            },
        }
    }
    s
}

/// Where a finding points: the first attribute of the requirement (then of
/// the condition) that has a place in the layout, else the subject itself.
fn focus(rule: &Rule, ctx: &Ctx<'_>) -> Span {
    let mut attrs = Vec::new();
    rule.require.attrs(&mut attrs);
    if let Some(w) = &rule.when {
        w.attrs(&mut attrs);
    }
    attrs
        .into_iter()
        .find_map(|a| attr_span(a, ctx))
        .or_else(|| subject_span(ctx))
        .unwrap_or_default()
}

fn attr_span(a: Attr, ctx: &Ctx<'_>) -> Option<Span> {
    let own = ctx.secret.filter(|s| s.declares_default());
    let site = ctx.site;
    match a {
        Attr::Value | Attr::ValueBytes | Attr::ValueJsonKeys | Attr::ValueSet => {
            ctx.value().and_then(|v| ctx.at(v.loc()))
        }
        Attr::Type => own.and_then(|s| Some(s.ty?.span.at(s.span.file))),
        Attr::Scope => own.and_then(|s| Some(s.scope.as_ref()?.span.at(s.span.file))),
        Attr::Name => ctx.secret.map(|s| s.span),
        Attr::OverrideEnv | Attr::OwnerEnvironments => ctx.over.and_then(|o| ctx.at(o.env_span)),
        Attr::SitePhp => site.and_then(|s| s.php.as_ref()).map(|p| p.span),
        Attr::SiteOwner => site.and_then(|s| s.owner.as_ref()).map(|p| p.span),
        Attr::SiteSupporting => site.and_then(|s| s.supporting.first()).map(|p| p.span),
        Attr::SiteEnvironments => site.and_then(|s| s.environments.first()).map(|p| p.span),
        _ => None,
    }
}

fn subject_span(ctx: &Ctx<'_>) -> Option<Span> {
    if let Some(o) = ctx.over {
        return ctx.at(o.env_span);
    }
    ctx.secret.map(|s| s.span).or(ctx.site.map(|s| s.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_part_by_part_and_words_are_not_versions() {
        assert_eq!(cmp_versions("8", "8.0"), Some(Ordering::Equal));
        assert_eq!(cmp_versions("7.4", "8.0"), Some(Ordering::Less));
        assert_eq!(cmp_versions("+8", "8"), Some(Ordering::Equal));
        assert_eq!(cmp_versions("8.10", "8.9"), Some(Ordering::Greater));
        assert_eq!(cmp_versions("env", "8"), None);
        assert_eq!(cmp_versions("8.x", "8"), None);
        assert_eq!(cmp_versions("", "8"), None);
    }
}
