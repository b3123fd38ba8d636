//! Rule evaluation: the policy's vocabularies and rules applied to a layout,
//! giving findings.

mod context;
mod eval;
mod vocab;

pub use context::Facts;

use crate::finding::Finding;
use crate::layout::{Layout, Org, OwnerKind, Secret, Site};
use crate::policy::{Policy, Rule, Subject};
use context::Ctx;

/// Every finding of `policy` on `layout`: vocabulary checks, then each rule
/// in policy order, subjects in declaration order.
pub fn check(layout: &Layout, policy: &Policy) -> Vec<Finding> {
    let facts = Facts::new(layout, policy);
    let mut out = vocab::check(layout, policy);
    for rule in &policy.rules {
        check_rule(&facts, rule, &mut out);
    }
    out
}

fn check_rule(facts: &Facts<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let layout = facts.layout;
    match rule.subject {
        Subject::Site => {
            for site in layout.sites.values() {
                eval::apply(rule, &Ctx::for_site(facts, site), out);
            }
        }
        _ => {
            for org in layout.orgs.values() {
                for secret in org.secrets.values() {
                    let ctx = Ctx::for_org_secret(facts, org, secret);
                    apply_secret(rule, ctx, secret, out);
                }
            }
            for site in layout.sites.values() {
                for secret in site.secrets.values() {
                    let ctx = Ctx::for_site_secret(facts, site, secret);
                    apply_secret(rule, ctx, secret, out);
                }
            }
        }
    }
}

/// Applies a secret, value or override rule to one secret's subjects.
fn apply_secret<'a>(rule: &Rule, ctx: Ctx<'a>, secret: &'a Secret, out: &mut Vec<Finding>) {
    match rule.subject {
        Subject::Secret => eval::apply(rule, &ctx, out),
        Subject::Value => {
            if secret.value.is_some() {
                eval::apply(rule, &ctx, out);
            }
            for o in secret.overrides.values() {
                eval::apply(rule, &ctx.with_override(o), out);
            }
        }
        Subject::Override => {
            for o in secret.overrides.values() {
                eval::apply(rule, &ctx.with_override(o), out);
            }
        }
        Subject::Site => {}
    }
}

/// Who owns a secret, for finding context.
#[derive(Clone, Copy)]
pub(crate) enum Owner<'a> {
    Org(&'a Org),
    Site(&'a Site),
}

impl<'a> Owner<'a> {
    fn kind(self) -> OwnerKind {
        match self {
            Owner::Org(_) => OwnerKind::Org,
            Owner::Site(_) => OwnerKind::Site,
        }
    }

    fn id(self) -> &'a str {
        match self {
            Owner::Org(o) => &o.id,
            Owner::Site(s) => &s.id,
        }
    }
}

#[cfg(test)]
mod tests;
