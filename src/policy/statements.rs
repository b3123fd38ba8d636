//! The vocabulary and resolution statements: `types`, `scopes`,
//! `environments`, `environment names`, `precedence`, `inherit`, `reveal scope`.

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{EnvNames, Inherit, Layer, Slot};
use super::block::Once;
use super::error::ProblemKind;
use super::parse::{Ctx, G, P, did_you_mean, span};
use super::{check, template};
use crate::layout::OwnerKind;

/// The names of a `name_list` child of `p`, each reported if listed twice.
pub(super) fn names(cx: &mut Ctx, p: P<'_>, what: &str) -> Vec<String> {
    spanned_names(cx, p, what)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// [`names`], with where each is written.
pub(super) fn spanned_names(cx: &mut Ctx, p: P<'_>, what: &str) -> Vec<(String, Range<usize>)> {
    let Some(list) = p.into_inner().find(|c| c.as_rule() == G::name_list) else {
        return Vec::new();
    };
    name_list(cx, list, what)
}

fn name_list(cx: &mut Ctx, list: P<'_>, what: &str) -> Vec<(String, Range<usize>)> {
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    let mut out = Vec::new();
    for n in list.into_inner().filter(|c| c.as_rule() == G::name) {
        if let Some(first) = seen.get(n.as_str()) {
            let d = cx
                .diag(
                    ProblemKind::DuplicateName,
                    span(&n),
                    format!("`{}` is listed twice in `{what}`", n.as_str()),
                    "listed again here",
                )
                .also(first.clone(), "first listed here")
                .help("remove one of them");
            cx.push(d);
            continue;
        }
        seen.insert(n.as_str(), span(&n));
        out.push((n.as_str().to_string(), span(&n)));
    }
    out
}

pub(super) fn env_names(cx: &mut Ctx, p: P<'_>) -> Option<EnvNames> {
    let mut pattern = None;
    let mut except = Vec::new();
    for c in p.into_inner() {
        match c.as_rule() {
            G::regex => pattern = template::regex(cx, c),
            G::name_list => {
                except = name_list(cx, c, "except")
                    .into_iter()
                    .map(|(n, _)| n)
                    .collect()
            }
            _ => {}
        }
    }
    Some(EnvNames {
        pattern: pattern?,
        except,
    })
}

const LAYERS: [(&str, Layer); 4] = [
    (
        "org.default",
        Layer {
            owner: OwnerKind::Org,
            slot: Slot::Default,
        },
    ),
    (
        "org.override",
        Layer {
            owner: OwnerKind::Org,
            slot: Slot::Override,
        },
    ),
    (
        "site.default",
        Layer {
            owner: OwnerKind::Site,
            slot: Slot::Default,
        },
    ),
    (
        "site.override",
        Layer {
            owner: OwnerKind::Site,
            slot: Slot::Override,
        },
    ),
];

pub(super) fn precedence(cx: &mut Ctx, p: P<'_>) -> Vec<Layer> {
    let at = span(&p);
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    let mut out = Vec::new();
    for l in p.into_inner().filter(|c| c.as_rule() == G::layer) {
        let Some((name, layer)) = LAYERS.iter().find(|(n, _)| *n == l.as_str()) else {
            let d = cx
                .diag(
                    ProblemKind::Precedence,
                    span(&l),
                    format!("unknown layer `{}`", l.as_str()),
                    "not a layer",
                )
                .help(format!(
                    "{}the layers are `org.default`, `org.override`, `site.default` and `site.override`",
                    did_you_mean(l.as_str(), LAYERS.iter().map(|(n, _)| *n))
                ));
            cx.push(d);
            continue;
        };
        if let Some(first) = seen.get(name) {
            let d = cx
                .diag(
                    ProblemKind::Precedence,
                    span(&l),
                    format!("layer `{name}` is listed twice"),
                    "listed again here",
                )
                .also(first.clone(), "first listed here")
                .help("list each layer exactly once, from lowest to highest priority");
            cx.push(d);
            continue;
        }
        seen.insert(name, span(&l));
        out.push(*layer);
    }
    missing_layers(cx, &seen, at);
    out
}

fn missing_layers(cx: &mut Ctx, seen: &HashMap<&str, Range<usize>>, at: Range<usize>) {
    let missing: Vec<String> = LAYERS
        .iter()
        .filter(|(n, _)| !seen.contains_key(n))
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    let d = cx
        .diag(
            ProblemKind::Precedence,
            at,
            format!("precedence does not list {}", and_list(&missing)),
            "incomplete order",
        )
        .help("list each of `org.default`, `org.override`, `site.default` and `site.override` exactly once, from lowest to highest priority");
    cx.push(d);
}

pub(super) fn inherit(p: P<'_>) -> Inherit {
    let rules: Vec<G> = p.into_inner().map(|c| c.as_rule()).collect();
    Inherit {
        owner: rules.contains(&G::kw_owner),
        supporting: rules.contains(&G::kw_supporting),
    }
}

/// The `reveal scope` names, each checked against `scopes`.
pub(super) fn reveal(cx: &mut Ctx, once: Once<Vec<(String, Range<usize>)>>) -> Vec<String> {
    let names = once.map(|(names, _)| names).unwrap_or_default();
    for (name, at) in &names {
        check::check_scope(cx, name, at.clone());
    }
    names.into_iter().map(|(n, _)| n).collect()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
