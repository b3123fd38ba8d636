//! Findings for a few orgs and sites, as [`check`](super::check) gives
//! them: what a REPL edit of one owner's secrets has to re-check.

use super::context::Facts;
use super::vocab::Known;
use super::{Rules, Unit, check_run, vocab};
use crate::finding::Finding;
use crate::layout::{Layout, Org, OwnerKind, Secret, Site};
use crate::policy::Policy;

/// A check of some orgs and sites of a layout.
pub struct Partial<'a> {
    facts: Facts<'a>,
    rules: Rules<'a>,
}

impl<'a> Partial<'a> {
    /// A check of the orgs `orgs` and of sites among `sites`. `sites` must
    /// hold, in layout order, every site that inherits from one of `orgs`
    /// (an org's environments are those of its sites) besides the sites
    /// to check.
    pub fn new(layout: &'a Layout, policy: &'a Policy, orgs: &[&str], sites: &[&'a Site]) -> Self {
        Partial {
            facts: Facts::partial(layout, policy, orgs, sites),
            rules: Rules::new(policy),
        }
    }

    /// The policy rules' findings on an org's secrets, in the order `check`
    /// gives them (rule by rule).
    pub fn org(&self, org: &'a Org) -> Vec<Finding> {
        self.unit(Unit::Org(org))
    }

    /// The policy rules' findings on a site and its secrets, in the order
    /// `check` gives them (rule by rule).
    pub fn site(&self, site: &'a Site) -> Vec<Finding> {
        self.unit(Unit::Site(site, None))
    }

    fn unit(&self, unit: Unit<'a>) -> Vec<Finding> {
        check_run(&self.facts, &self.rules, &[unit])
            .into_iter()
            .flatten()
            .collect()
    }
}

/// The vocabulary findings (unknown types and scopes) of the secrets of
/// org or site `id`, in the order `check` gives them. A site's own words,
/// its environments and orgs, are not among them.
pub fn secrets_vocab<'s>(
    policy: &Policy,
    kind: OwnerKind,
    id: &str,
    secrets: impl IntoIterator<Item = &'s Secret>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    owner_vocab(policy, &Known::new(policy), (kind, id), secrets, &mut out);
    out
}

/// [`secrets_vocab`] into `out`, with the policy's words at hand.
pub(super) fn owner_vocab<'s>(
    policy: &Policy,
    known: &Known,
    (kind, id): (OwnerKind, &str),
    secrets: impl IntoIterator<Item = &'s Secret>,
    out: &mut Vec<Finding>,
) {
    for secret in secrets {
        for mut f in vocab::secret_vocab(policy, known, secret) {
            match kind {
                OwnerKind::Org => f.org = Some(id.into()),
                OwnerKind::Site => f.site = Some(id.into()),
            }
            out.push(f);
        }
    }
}
