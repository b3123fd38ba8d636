//! Semantic checks on a rule's operands: boolean conditions, list shapes,
//! and literals against the vocabulary of the attribute they meet.

use std::ops::Range;

use super::ast::{Attr, CmpOp, Expr, Operand};
use super::error::ProblemKind;
use super::parse::{Ctx, closest, did_you_mean};
use super::rule::Opnd;

const BOOLEAN_HELP: &str = "the boolean attributes are `default.exists`, `value.set` and `shadows`";

/// An operand on its own: must be a boolean attribute.
pub(super) fn truthy(cx: &mut Ctx, o: Opnd) -> Option<Expr> {
    let (message, label, hint) = match &o.op {
        Operand::Attr(a) if a.is_bool() => return Some(Expr::Truthy(*a)),
        Operand::Attr(a) => (
            format!("`{}` is not a boolean attribute", a.name()),
            "not true or false",
            format!(
                "compare it (`{} == x`) or test a list with `has`; ",
                a.name()
            ),
        ),
        Operand::Lit(s) => (
            format!("`{s}` is not a condition"),
            "a literal, not a condition",
            did_you_mean(
                s,
                Attr::ALL
                    .iter()
                    .filter(|(_, a)| a.is_bool())
                    .map(|(n, _)| *n),
            ),
        ),
        Operand::List(_) => (
            "a list is not a condition".to_string(),
            "not a condition",
            String::new(),
        ),
    };
    let d = cx
        .diag(ProblemKind::NotBoolean, o.span, message, label)
        .help(format!("{hint}{BOOLEAN_HELP}"));
    cx.push(d);
    None
}

/// Reports `o` if it is a list; `what` completes "`scope` is a list and ...".
pub(super) fn scalar(cx: &mut Ctx, o: &Opnd, what: &str) -> Option<()> {
    let name = match &o.op {
        Operand::Attr(a) if a.is_list() => format!("`{}`", a.name()),
        Operand::List(_) => "a list literal".to_string(),
        _ => return Some(()),
    };
    let d = cx
        .diag(
            ProblemKind::WrongShape,
            o.span.clone(),
            format!("{name} is a list and {what}"),
            "a list",
        )
        .help("test a list's items with `LIST has ITEM` or `ITEM in LIST`");
    cx.push(d);
    None
}

pub(super) fn cmp(cx: &mut Ctx, left: Opnd, op: &str, right: Opnd) -> Option<Expr> {
    let op = match op {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Ge,
    };
    let shapes = [
        scalar(cx, &left, "cannot be compared"),
        scalar(cx, &right, "cannot be compared"),
    ];
    if matches!(op, CmpOp::Eq | CmpOp::Ne) {
        vocab_pair(cx, &left, &right);
        vocab_pair(cx, &right, &left);
    }
    shapes
        .iter()
        .all(Option::is_some)
        .then(|| Expr::Cmp(left.op, op, right.op))
}

/// `item in list` (`has` = false) or `list has item` (`has` = true).
pub(super) fn membership(cx: &mut Ctx, item: Opnd, list: Opnd, has: bool) -> Option<Expr> {
    let ok = match &list.op {
        Operand::List(_) => true,
        Operand::Attr(a) => a.is_list(),
        Operand::Lit(_) => false,
    };
    if !ok {
        let (message, help) = if has {
            (
                "`has` needs a list on its left",
                "write `LIST has ITEM`, e.g. `scope has ic`",
            )
        } else {
            (
                "`in` needs a list on its right",
                "write `ITEM in [a, b]` or `ITEM in owner.environments`",
            )
        };
        let d = cx
            .diag(
                ProblemKind::WrongShape,
                list.span.clone(),
                message,
                "not a list",
            )
            .help(help);
        cx.push(d);
    }
    let item_ok = scalar(cx, &item, "cannot be an item of a list");
    membership_vocab(cx, &item, &list);
    (ok && item_ok.is_some()).then(|| {
        if has {
            Expr::Has(list.op, item.op)
        } else {
            Expr::In(item.op, list.op)
        }
    })
}

/// Checks literals against the vocabulary of the attribute they meet.
fn vocab_pair(cx: &mut Ctx, attr: &Opnd, lit: &Opnd) {
    if let (Operand::Attr(a), Operand::Lit(s)) = (&attr.op, &lit.op) {
        check_vocab(cx, scalar_vocab(cx, *a), s, lit.span.clone());
    }
}

fn membership_vocab(cx: &mut Ctx, item: &Opnd, list: &Opnd) {
    match (&item.op, &list.op) {
        (Operand::Lit(s), Operand::Attr(a)) => {
            check_vocab(cx, element_vocab(cx, *a), s, item.span.clone())
        }
        (Operand::Attr(a), Operand::List(values)) => {
            for (value, at) in values.iter().zip(&list.items) {
                check_vocab(cx, scalar_vocab(cx, *a), value, at.clone());
            }
        }
        _ => {}
    }
}

/// What a vocabulary is called and its words.
type Vocab = Option<(&'static str, &'static str, Vec<String>)>;

/// The words an attribute's value must be one of, if the policy fixes them.
fn scalar_vocab(cx: &Ctx, a: Attr) -> Vocab {
    match a {
        Attr::Type => Some(("type", "types", cx.types.clone())),
        Attr::OwnerKind => Some((
            "owner kind",
            "owner kinds",
            vec!["org".into(), "site".into()],
        )),
        _ => None,
    }
}

/// The words a list attribute's items must be one of.
fn element_vocab(cx: &Ctx, a: Attr) -> Vocab {
    match a {
        Attr::Scope | Attr::SiteScopes => Some(("scope", "scopes", cx.scopes.clone())),
        _ => None,
    }
}

fn check_vocab(cx: &mut Ctx, vocab: Vocab, word: &str, at: Range<usize>) {
    let Some((what, plural, words)) = vocab else {
        return;
    };
    // Without the statement there is nothing to check against (reported elsewhere).
    if words.is_empty() || words.iter().any(|w| w == word) {
        return;
    }
    let list = words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hint =
        closest(word, words.iter().map(String::as_str)).map(|c| format!("did you mean `{c}`? "));
    let d = cx
        .diag(
            ProblemKind::UnknownVocabulary,
            at,
            format!("unknown {what} `{word}`"),
            format!("not one of the policy's {plural}"),
        )
        .help(format!(
            "{}the {plural} are {list}",
            hint.unwrap_or_default()
        ));
    cx.push(d);
}

/// Reports `word` if the policy's `scopes` do not list it.
pub(super) fn check_scope(cx: &mut Ctx, word: &str, at: Range<usize>) {
    check_vocab(cx, element_vocab(cx, Attr::Scope), word, at);
}
