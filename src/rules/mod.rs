//! Rule evaluation: the policy's vocabularies and rules applied to a layout,
//! giving findings.

mod compiled;
mod context;
mod eval;
mod partial;
mod vocab;

pub use context::Facts;
pub use partial::{Partial, secrets_vocab};

use crate::finding::Finding;
use crate::layout::{Layout, Org, OwnerKind, Secret, Site};
use crate::policy::{Policy, Subject};
use context::Ctx;
use eval::Prepared;

/// Every finding of `policy` on `layout`: vocabulary checks, then each rule
/// in policy order, subjects in declaration order.
///
/// Subjects are visited once each (not once per rule), split into
/// contiguous runs over [`crate::parallel::threads`] threads; each run keeps one bucket per
/// rule, and the buckets are joined rule by rule, run by run, so the order
/// is the same whatever the thread count.
pub fn check(layout: &Layout, policy: &Policy) -> Vec<Finding> {
    joined(check_parts(layout, policy))
}

/// The findings of `parts`, one part after another, in one list sized
/// once; each part is freed once moved, so the list fills as the parts
/// empty instead of holding all twice.
pub fn joined(parts: Vec<Vec<Finding>>) -> Vec<Finding> {
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        out.extend(part);
    }
    out
}

/// [`check`]'s findings in parts, as they were found (the vocabulary's,
/// then each rule's bucket of each run): `check` is their concatenation,
/// which copies every finding (~20 MB on one thread at a million secrets)
/// for a caller that only needs to read them.
pub fn check_parts(layout: &Layout, policy: &Policy) -> Vec<Vec<Finding>> {
    // Both walk every owner on one thread, and neither needs the other.
    let big = layout.is_big();
    let (facts, vocab) = crate::parallel::join(
        big,
        || Facts::new(layout, policy),
        || vocab::check(layout, policy),
    );
    let units: Vec<Unit<'_>> = layout
        .orgs
        .values()
        .map(Unit::Org)
        .chain(
            layout
                .sites
                .values()
                .enumerate()
                .map(|(i, s)| Unit::Site(s, Some(i))),
        )
        .collect();
    let rules = Rules::new(policy);
    let mut runs = crate::parallel::map_chunks(&units, |run| check_run(&facts, &rules, run));
    drop((facts, units));
    let mut parts = vec![vocab];
    for rule in 0..policy.rules.len() {
        for buckets in &mut runs {
            parts.push(std::mem::take(&mut buckets[rule]));
        }
    }
    parts.retain(|part| !part.is_empty());
    parts
}

/// One org or site with its secrets: the unit of work. A site comes with
/// its place among the sites the facts were made for, when it is known.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Org(&'a Org),
    Site(&'a Site, Option<usize>),
}

/// The policy's rules, prepared, and which of them apply to each kind of
/// subject: a secret's subjects meet only their own rules, instead of
/// every rule being asked its subject (an indirect jump each, 14 a secret,
/// was ~2% of a check).
struct Rules<'p> {
    all: Vec<Prepared<'p>>,
    /// Indices in `all` of the rules on secrets, values, overrides, sites.
    secret: Vec<usize>,
    value: Vec<usize>,
    over: Vec<usize>,
    site: Vec<usize>,
}

impl<'p> Rules<'p> {
    fn new(policy: &'p Policy) -> Self {
        let on = |subject: Subject| -> Vec<usize> {
            let rules = policy.rules.iter().enumerate();
            rules
                .filter(|(_, r)| r.subject == subject)
                .map(|(i, _)| i)
                .collect()
        };
        Rules {
            all: policy.rules.iter().map(Prepared::new).collect(),
            secret: on(Subject::Secret),
            value: on(Subject::Value),
            over: on(Subject::Override),
            site: on(Subject::Site),
        }
    }

    /// Applies the rules at `indices` to `ctx`, each into its bucket.
    fn apply(&self, indices: &[usize], ctx: &Ctx<'_>, buckets: &mut [Vec<Finding>]) {
        for &i in indices {
            eval::apply(&self.all[i], ctx, &mut buckets[i]);
        }
    }
}

/// The findings of every rule on a run of units, one bucket per rule.
fn check_run(facts: &Facts<'_>, rules: &Rules<'_>, run: &[Unit<'_>]) -> Vec<Vec<Finding>> {
    let mut buckets: Vec<Vec<Finding>> = rules.all.iter().map(|_| Vec::new()).collect();
    for unit in run {
        match *unit {
            Unit::Org(org) => {
                for secret in org.secrets.values() {
                    let ctx = Ctx::for_org_secret(facts, org, secret);
                    apply_secret_rules(rules, &ctx, secret, &mut buckets);
                }
            }
            Unit::Site(site, place) => {
                rules.apply(&rules.site, &Ctx::for_site(facts, site), &mut buckets);
                let inherited = match place {
                    Some(place) => facts.inherited_at(place),
                    None => facts.inherited(&site.id),
                };
                for secret in site.secrets.values() {
                    let ctx = Ctx::for_site_secret(facts, site, inherited, secret);
                    apply_secret_rules(rules, &ctx, secret, &mut buckets);
                }
            }
        }
    }
    buckets
}

/// Applies every secret, value and override rule to one secret's
/// subjects. Each rule's findings come in the order of its subjects: the
/// default value before the overrides, the overrides in order.
fn apply_secret_rules<'a>(
    rules: &Rules<'_>,
    ctx: &Ctx<'a>,
    secret: &'a Secret,
    buckets: &mut [Vec<Finding>],
) {
    rules.apply(&rules.secret, ctx, buckets);
    if secret.value.is_some() {
        rules.apply(&rules.value, ctx, buckets);
    }
    for o in secret.overrides.values() {
        let ctx = ctx.with_override(o);
        rules.apply(&rules.value, &ctx, buckets);
        rules.apply(&rules.over, &ctx, buckets);
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
