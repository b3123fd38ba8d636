//! Rules and their expressions: parse tree → [`Rule`], with the semantic
//! checks (attributes, vocabularies, shapes) reported at the exact operand.

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{Attr, Expr, Operand, Rule, Subject};
use super::check::{cmp, membership, scalar, truthy};
use super::error::ProblemKind;
use super::parse::{Ctx, G, P, did_you_mean, span};
use super::template;
use crate::finding::Severity;

/// Lowers a `rule` node; `ids` maps the ids seen so far to their spans.
pub(super) fn lower(
    cx: &mut Ctx,
    p: P<'_>,
    ids: &mut HashMap<String, Range<usize>>,
) -> Option<Rule> {
    let (mut severity, mut subject) = (Severity::Error, Subject::Secret);
    let (mut id, mut when, mut require, mut message, mut help) = (None, None, None, None, None);
    let mut last_kw = G::rule;
    for c in p.into_inner() {
        match c.as_rule() {
            G::severity => severity = parse_severity(c.as_str()),
            G::subject => subject = parse_subject(c.as_str()),
            G::rule_id => id = Some(rule_id(cx, &c, ids)),
            G::expr if last_kw == G::kw_when => when = Some(expr(cx, c)),
            G::expr => require = Some(expr(cx, c)),
            G::string if last_kw == G::kw_help => help = Some(template::template(cx, c)),
            G::string => message = Some(template::template(cx, c)),
            kw => last_kw = kw,
        }
    }
    // Outer `None`: the clause is absent; inner `None`: it had a problem.
    let when = match when {
        Some(w) => Some(w?),
        None => None,
    };
    let help = match help {
        Some(h) => Some(h?),
        None => None,
    };
    Some(Rule {
        id: id?,
        severity,
        subject,
        when,
        require: require??,
        message: message??,
        help,
    })
}

fn parse_severity(s: &str) -> Severity {
    match s {
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Error,
    }
}

fn parse_subject(s: &str) -> Subject {
    match s {
        "value" => Subject::Value,
        "override" => Subject::Override,
        "site" => Subject::Site,
        _ => Subject::Secret,
    }
}

fn rule_id(cx: &mut Ctx, c: &P<'_>, ids: &mut HashMap<String, Range<usize>>) -> String {
    let id = c.as_str().to_string();
    if let Some(first) = ids.get(&id) {
        let d = cx
            .diag(
                ProblemKind::DuplicateRule,
                span(c),
                format!("duplicate rule id `{id}`"),
                "defined again here",
            )
            .also(first.clone(), "first defined here")
            .help("rule ids name findings and must be unique; rename one of the rules");
        cx.push(d);
    } else {
        ids.insert(id.clone(), span(c));
    }
    id
}

/// Lowers an `expr` (or `conj`) node: operands joined by `or` (or `and`).
/// `None` if any part had a problem (all parts are still checked).
fn expr(cx: &mut Ctx, p: P<'_>) -> Option<Expr> {
    let join: fn(Box<Expr>, Box<Expr>) -> Expr = if p.as_rule() == G::expr {
        Expr::Or
    } else {
        Expr::And
    };
    let parts: Vec<Option<Expr>> = p
        .into_inner()
        .filter(|c| matches!(c.as_rule(), G::conj | G::neg))
        .map(|c| match c.as_rule() {
            G::conj => expr(cx, c),
            _ => neg(cx, c),
        })
        .collect();
    let parts: Option<Vec<Expr>> = parts.into_iter().collect();
    balanced(parts?, join)
}

/// Joins `parts` into a tree of depth log2(n), not a chain of depth n: a
/// condition of 100k `and`s must not overflow the stack of the evaluator
/// (or of `Drop`). `and` and `or` are associative, also over unknowns, so
/// the shape does not change the outcome; the left half is the larger, so
/// two or three parts give the usual left-nested tree, and reading order is
/// kept.
fn balanced(mut parts: Vec<Expr>, join: fn(Box<Expr>, Box<Expr>) -> Expr) -> Option<Expr> {
    if parts.len() <= 1 {
        return parts.pop();
    }
    let right = parts.split_off(parts.len().div_ceil(2));
    let (left, right) = (balanced(parts, join)?, balanced(right, join)?);
    Some(join(Box::new(left), Box::new(right)))
}

/// `not NEG`, `( EXPR )` or a predicate.
fn neg(cx: &mut Ctx, p: P<'_>) -> Option<Expr> {
    let inner = p
        .into_inner()
        .find(|c| matches!(c.as_rule(), G::neg | G::expr | G::predicate))?;
    match inner.as_rule() {
        G::neg => Some(Expr::Not(Box::new(neg(cx, inner)?))),
        G::expr => expr(cx, inner),
        _ => predicate(cx, inner),
    }
}

/// An operand with where it is written.
pub(super) struct Opnd {
    pub(super) op: Operand,
    pub(super) span: Range<usize>,
    /// For a list literal: where each item is.
    pub(super) items: Vec<Range<usize>>,
}

fn predicate(cx: &mut Ctx, p: P<'_>) -> Option<Expr> {
    let mut inner = p.into_inner();
    let left = operand(cx, inner.next()?);
    let Some(tail) = inner.next() else {
        return truthy(cx, left?);
    };
    // cmp: op operand; matches: op regex; in / has: operand; is json: nothing.
    let mut parts = tail.clone().into_inner().filter(|c| !is_token(c.as_rule()));
    let first = parts.next();
    let second = parts.next();
    match tail.as_rule() {
        G::cmp => {
            let right = operand(cx, second?);
            cmp(cx, left?, first?.as_str(), right?)
        }
        G::matches => {
            let regex = template::regex(cx, second?);
            let left = left?;
            scalar(cx, &left, "cannot match a regex")?;
            Some(Expr::Match {
                operand: left.op,
                regex: regex?,
                negate: first?.as_str() == "!~",
                dfa: Default::default(),
            })
        }
        G::in_list => {
            let right = operand(cx, first?);
            membership(cx, left?, right?, false)
        }
        G::has => {
            let right = operand(cx, first?);
            membership(cx, right?, left?, true)
        }
        _ => Some(Expr::IsJson(left?.op)),
    }
}

/// Keywords and punctuation inside a predicate's tail.
fn is_token(r: G) -> bool {
    matches!(r, G::kw_in | G::kw_has | G::kw_is | G::kw_json)
}

fn operand(cx: &mut Ctx, p: P<'_>) -> Option<Opnd> {
    let at = span(&p);
    let (op, items) = match p.as_rule() {
        G::list => {
            let items: Vec<P<'_>> = p
                .into_inner()
                .filter(|c| !matches!(c.as_rule(), G::lbracket | G::rbracket | G::comma))
                .collect();
            let spans = items.iter().map(span).collect();
            let values = items.into_iter().map(|i| literal(cx, i)).collect();
            (Operand::List(values), spans)
        }
        G::word => (word(cx, &p)?, Vec::new()),
        _ => (Operand::Lit(literal(cx, p)), Vec::new()),
    };
    Some(Opnd {
        op,
        span: at,
        items,
    })
}

fn literal(cx: &mut Ctx, p: P<'_>) -> String {
    match p.as_rule() {
        G::string => template::string(cx, p),
        _ => p.as_str().to_string(),
    }
}

/// A bare word: an attribute if it names one; a dotted path must.
fn word(cx: &mut Ctx, p: &P<'_>) -> Option<Operand> {
    let w = p.as_str();
    if let Some(a) = Attr::from_name(w) {
        return Some(Operand::Attr(a));
    }
    if !w.contains('.') {
        return Some(Operand::Lit(w.to_string()));
    }
    let d = cx
        .diag(
            ProblemKind::UnknownAttribute,
            span(p),
            format!("unknown attribute `{w}`"),
            "not an attribute",
        )
        .help(format!(
            "{}a bare word with dots names an attribute; to write a literal with dots, quote it: `\"{w}\"`",
            did_you_mean(w, Attr::ALL.iter().map(|(n, _)| *n))
        ));
    cx.push(d);
    None
}
