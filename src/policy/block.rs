//! The policy block: its statements in any order, the once-only ones
//! checked for presence and duplicates, then the rules against the
//! vocabularies.

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{EnvNames, Inherit, Layer, Policy};
use super::error::ProblemKind;
use super::parse::{Ctx, G, P, span};
use super::statements::{env_names, inherit, names, precedence, reveal, spanned_names};
use super::{rule, template};

/// A statement that may appear once: its value and where it was stated.
pub(super) type Once<T> = Option<(T, Range<usize>)>;

/// The statements of a policy block, before assembly.
#[derive(Default)]
struct Parts<'i> {
    types: Once<Vec<String>>,
    scopes: Once<Vec<String>>,
    envs: Once<Vec<String>>,
    env_names: Once<Option<EnvNames>>,
    precedence: Once<Vec<Layer>>,
    inherit: Once<Inherit>,
    reveal: Once<Vec<(String, Range<usize>)>>,
    rules: Vec<P<'i>>,
}

/// Lowers the `policy` node.
pub(super) fn lower_policy(cx: &mut Ctx, policy: P<'_>) -> Policy {
    let mut name = String::new();
    let mut head = 0..0;
    let mut parts = Parts::default();
    for p in policy.into_inner() {
        match p.as_rule() {
            G::policy_head => {
                head = span(&p);
                if let Some(s) = p.into_inner().find(|c| c.as_rule() == G::string) {
                    name = template::string(cx, s);
                }
            }
            G::rule => parts.rules.push(p),
            G::lbrace | G::rbrace => {}
            _ => statement(cx, &mut parts, p),
        }
    }
    cx.types = value_or_missing(
        cx,
        parts.types,
        &head,
        "types",
        "types runtime, env, composer",
    );
    cx.scopes = value_or_missing(cx, parts.scopes, &head, "scopes", "scopes ic, web, user");
    let always_envs = value_or_missing(
        cx,
        parts.envs,
        &head,
        "environments",
        "environments dev, test, live",
    );
    let precedence = value_or_missing(
        cx,
        parts.precedence,
        &head,
        "precedence",
        "precedence org.default < org.override < site.default < site.override",
    );
    let inherit = value_or_missing(cx, parts.inherit, &head, "inherit", "inherit from owner");
    let reveal_scopes = reveal(cx, parts.reveal);
    let mut ids = HashMap::new();
    let rules = parts
        .rules
        .into_iter()
        .filter_map(|r| rule::lower(cx, r, &mut ids))
        .collect();
    Policy {
        name,
        types: cx.types.clone(),
        scopes: cx.scopes.clone(),
        always_envs,
        env_names: parts.env_names.and_then(|(e, _)| e),
        precedence,
        inherit,
        reveal_scopes,
        rules,
    }
}

fn value_or_missing<T: Default>(
    cx: &mut Ctx,
    once: Once<T>,
    head: &Range<usize>,
    what: &str,
    example: &str,
) -> T {
    if let Some((value, _)) = once {
        return value;
    }
    let d = cx
        .diag(
            ProblemKind::MissingStatement,
            head.clone(),
            format!("missing `{what}` statement"),
            format!("this policy has no `{what}`"),
        )
        .help(format!(
            "every policy states `{what}` once, e.g. `{example}`"
        ));
    cx.push(d);
    T::default()
}

fn statement(cx: &mut Ctx, parts: &mut Parts<'_>, p: P<'_>) {
    let at = keyword_span(&p);
    match p.as_rule() {
        G::types_stmt => once(cx, &mut parts.types, at, "types", |cx| {
            names(cx, p, "types")
        }),
        G::scopes_stmt => once(cx, &mut parts.scopes, at, "scopes", |cx| {
            names(cx, p, "scopes")
        }),
        G::envs_stmt => once(cx, &mut parts.envs, at, "environments", |cx| {
            names(cx, p, "environments")
        }),
        G::env_names_stmt => once(cx, &mut parts.env_names, at, "environment names", |cx| {
            env_names(cx, p)
        }),
        G::precedence_stmt => once(cx, &mut parts.precedence, at, "precedence", |cx| {
            precedence(cx, p)
        }),
        G::inherit_stmt => once(cx, &mut parts.inherit, at, "inherit", |_| inherit(p)),
        G::reveal_stmt => once(cx, &mut parts.reveal, at, "reveal scope", |cx| {
            spanned_names(cx, p, "reveal scope")
        }),
        _ => {}
    }
}

/// From the start of a statement to the end of its leading keywords.
fn keyword_span(p: &P<'_>) -> Range<usize> {
    let start = p.as_span().start();
    let end = p
        .clone()
        .into_inner()
        .take_while(|c| is_keyword(c.as_rule()))
        .last()
        .map_or(p.as_span().end(), |c| c.as_span().end());
    start..end
}

/// The keywords that open a statement.
fn is_keyword(r: G) -> bool {
    matches!(
        r,
        G::kw_types
            | G::kw_scopes
            | G::kw_environments
            | G::kw_environment
            | G::kw_names
            | G::kw_precedence
            | G::kw_inherit
            | G::kw_reveal
            | G::kw_scope
    )
}

/// Lowers a once-only statement, or reports it as a duplicate.
fn once<T>(
    cx: &mut Ctx,
    slot: &mut Once<T>,
    at: Range<usize>,
    what: &str,
    lower: impl FnOnce(&mut Ctx) -> T,
) {
    if let Some((_, first)) = slot {
        let d = cx
            .diag(
                ProblemKind::DuplicateStatement,
                at,
                format!("duplicate `{what}` statement"),
                "stated again here",
            )
            .also(first.clone(), "first stated here")
            .help(format!("a policy states `{what}` once; merge the two"));
        cx.push(d);
        return;
    }
    let value = lower(cx);
    *slot = Some((value, at));
}
