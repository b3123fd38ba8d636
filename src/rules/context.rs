//! What a rule sees: one subject (secret, value, override or site) and the
//! facts about the layout it needs, computed once per check.

use std::collections::HashMap;
use std::ops::Range;

use indexmap::IndexSet;

use crate::layout::{Layout, Org, Override, OwnerKind, Secret, SecretValue, Site};
use crate::policy::Policy;
use crate::resolve::{default_of, inherited_orgs};
use crate::source::{FileId, Span};

use super::Owner;

/// Hashing for the maps and sets looked up once per subject: seeded (a
/// crafted layout cannot make them degrade) and faster than std's SipHash.
type Hasher = foldhash::fast::RandomState;
type Map<K, V> = HashMap<K, V, Hasher>;
/// A set of environment names, in order.
pub(crate) type EnvSet<'a> = IndexSet<&'a str, Hasher>;

/// Facts derived from the whole layout that rules read.
///
/// Nothing is kept per site but where its inherited orgs are: a site's
/// environments are read from the site itself (a handful of names, where a
/// scan beats a hash set), so facts stay small at a hundred thousand sites.
pub struct Facts<'a> {
    /// The layout.
    pub layout: &'a Layout,
    /// The policy.
    pub policy: &'a Policy,
    /// Each site's run of `inherited_orgs`.
    inherited: Map<&'a str, Range<u32>>,
    /// The same runs, in the order of the sites the facts were made for:
    /// a site's is found by its place, not by hashing its id (a lookup
    /// in a map of 100k sites was ~1% of a check).
    runs: Vec<Range<u32>>,
    /// Every site's inherited orgs, owner first, site after site.
    inherited_orgs: Vec<&'a Org>,
    /// Every org's environments, computed once: an override rule reads
    /// them for each of possibly 100k overrides.
    org_envs: Map<&'a str, EnvSet<'a>>,
    /// The environments of the sites that declare many, as sets.
    many_envs: Map<&'a str, EnvSet<'a>>,
}

/// A site declaring more environments than this gets a set of them: the
/// same bound as resolution's.
pub(crate) use crate::resolve::SCANNED_ENVS;

impl<'a> Facts<'a> {
    /// Computes the inheritance of every site and the environments of every org.
    pub fn new(layout: &'a Layout, policy: &'a Policy) -> Self {
        let orgs = layout.orgs.keys().map(|k| k.as_str());
        Facts::of(layout, policy, orgs, layout.sites.values())
    }

    /// The facts a check of only some orgs and sites needs
    /// ([`super::Partial`]): the environments of the orgs `orgs`, and the
    /// inheritance and environments of `sites`, which must hold (in layout
    /// order) every site that inherits from one of `orgs` besides the
    /// sites to check.
    pub(crate) fn partial(
        layout: &'a Layout,
        policy: &'a Policy,
        orgs: &[&str],
        sites: &[&'a Site],
    ) -> Self {
        let orgs = orgs
            .iter()
            .filter_map(|id| layout.orgs.get_key_value(*id))
            .map(|(id, _)| id.as_str());
        Facts::of(layout, policy, orgs, sites.iter().copied())
    }

    /// The environments of `orgs` (an org's are the always-present ones
    /// plus those of every site in `sites` that inherits from it), and the
    /// inheritance and environments of `sites`.
    fn of(
        layout: &'a Layout,
        policy: &'a Policy,
        orgs: impl Iterator<Item = &'a str>,
        sites: impl Iterator<Item = &'a Site>,
    ) -> Self {
        // Sized once: grown, the map of 100k sites was rehashed a dozen
        // times (~0.5% of a check).
        let count = sites.size_hint().0;
        let mut inherited = Map::with_capacity_and_hasher(count, Hasher::default());
        let mut runs = Vec::with_capacity(count);
        let mut inherited_list = Vec::with_capacity(count);
        let mut many_envs = Map::default();
        let always = || policy.always_envs.iter().map(String::as_str).collect();
        let mut org_envs: Map<&str, EnvSet<'_>> = orgs.map(|id| (id, always())).collect();
        for site in sites {
            let orgs = inherited_orgs(layout, policy, site);
            for org in &orgs {
                if let Some(envs) = org_envs.get_mut(org.id.as_str()) {
                    envs.extend(site.environments.iter().map(|e| e.value.as_str()));
                }
            }
            if site.environments.len() > SCANNED_ENVS {
                let mut envs: EnvSet<'_> = always();
                envs.extend(site.environments.iter().map(|e| e.value.as_str()));
                many_envs.insert(site.id.as_str(), envs);
            }
            let start = inherited_list.len() as u32;
            inherited_list.extend(orgs);
            let run = start..inherited_list.len() as u32;
            inherited.insert(site.id.as_str(), run.clone());
            runs.push(run);
        }
        Facts {
            layout,
            policy,
            inherited,
            runs,
            inherited_orgs: inherited_list,
            org_envs,
            many_envs,
        }
    }

    /// The orgs a site inherits from, owner first.
    pub fn inherited(&self, site: &str) -> &[&'a Org] {
        match self.inherited.get(site) {
            Some(run) => &self.inherited_orgs[run.start as usize..run.end as usize],
            None => &[],
        }
    }

    /// [`Facts::inherited`] of the site at `place` among those the facts
    /// were made for (every site of the layout, in order, for
    /// [`Facts::new`]).
    pub fn inherited_at(&self, place: usize) -> &[&'a Org] {
        match self.runs.get(place) {
            Some(run) => &self.inherited_orgs[run.start as usize..run.end as usize],
            None => &[],
        }
    }

    /// The environments of a site that declares many (see
    /// [`SCANNED_ENVS`]), as a set; `None` for the others.
    pub fn many_envs(&self, site: &str) -> Option<&EnvSet<'a>> {
        self.many_envs.get(site)
    }

    /// An org's environments: the always-present ones plus those of every
    /// site that inherits from it (`None` for an org not in the layout).
    pub fn org_envs(&self, org: &str) -> Option<&EnvSet<'a>> {
        self.org_envs.get(org)
    }

    /// Scopes of every secret a site sees (its own and inherited ones).
    pub fn site_scopes(&self, site: &'a Site) -> Vec<&'a str> {
        let orgs = self.inherited(&site.id);
        let inherited = orgs.iter().flat_map(|o| o.secrets.values());
        // A policy has a handful of scopes: a list beats a hash set.
        let mut scopes: Vec<&str> = Vec::new();
        for secret in site.secrets.values().chain(inherited) {
            if let Some(meta) = default_of(secret, orgs)
                && let Some(s) = &meta.scope
            {
                for scope in s.value.iter() {
                    if !scopes.contains(&scope.value.as_str()) {
                        scopes.push(scope.value.as_str());
                    }
                }
            }
        }
        scopes
    }
}

/// One subject of a rule.
#[derive(Clone)]
pub(crate) struct Ctx<'a> {
    pub facts: &'a Facts<'a>,
    pub owner: Option<Owner<'a>>,
    pub site: Option<&'a Site>,
    pub secret: Option<&'a Secret>,
    /// The declaration giving type and scopes (an inherited one for a site's
    /// override-only entry).
    pub meta: Option<&'a Secret>,
    pub over: Option<&'a Override>,
}

impl<'a> Ctx<'a> {
    pub fn for_site(facts: &'a Facts<'a>, site: &'a Site) -> Self {
        Ctx {
            facts,
            owner: None,
            site: Some(site),
            secret: None,
            meta: None,
            over: None,
        }
    }

    pub fn for_org_secret(facts: &'a Facts<'a>, org: &'a Org, secret: &'a Secret) -> Self {
        Ctx {
            facts,
            owner: Some(Owner::Org(org)),
            site: None,
            secret: Some(secret),
            meta: default_of(secret, &[]),
            over: None,
        }
    }

    /// A site's secret; `inherited` is `facts.inherited(&site.id)`, looked
    /// up once per site rather than once per secret.
    pub fn for_site_secret(
        facts: &'a Facts<'a>,
        site: &'a Site,
        inherited: &[&'a Org],
        secret: &'a Secret,
    ) -> Self {
        Ctx {
            facts,
            owner: Some(Owner::Site(site)),
            site: Some(site),
            secret: Some(secret),
            meta: default_of(secret, inherited),
            over: None,
        }
    }

    pub fn with_override(&self, over: &'a Override) -> Self {
        Ctx {
            over: Some(over),
            ..self.clone()
        }
    }

    /// The value under test: the override's, else the secret's default.
    pub fn value(&self) -> Option<&'a SecretValue> {
        match self.over {
            Some(o) => Some(&o.value),
            None => self.secret.and_then(|s| s.value.as_ref()),
        }
    }

    /// The value (the override's, if any) and the file it is in.
    pub fn value_in(&self) -> Option<(&'a SecretValue, FileId)> {
        Some((self.value()?, self.secret?.span.file))
    }

    /// The span in the secret's file of one of its fields' places.
    pub fn at(&self, loc: crate::source::Loc) -> Option<Span> {
        Some(loc.at(self.secret?.span.file))
    }

    pub fn owner_kind(&self) -> Option<OwnerKind> {
        self.owner.map(Owner::kind)
    }

    pub fn owner_id(&self) -> Option<&'a str> {
        self.owner.map(Owner::id)
    }

    /// Orgs the subject's site inherits from (none for org secrets).
    pub fn inherited(&self) -> &[&'a Org] {
        match self.owner {
            Some(Owner::Site(s)) => self.facts.inherited(&s.id),
            _ => &[],
        }
    }
}
