//! Every view at once: what each site sees in each of its environments and
//! each of the policy's scopes, for `ward check`.
//!
//! [`resolve_site`](super::resolve_site) answers one query and keeps every
//! shadowed candidate, a list per name: resolving every view of a million
//! secrets that way takes seconds. Here each site is prepared once (which
//! declarations may give each name a value, the scopes each brings, the
//! overrides by environment), then:
//!
//! - [`Walker::site_views`] lists each view's secrets and winners, with no
//!   lookup by name and nothing allocated per view (a test compares it
//!   with `resolve_site`, view by view);
//! - [`Walker::site_totals`], what `ward check` uses, counts them without
//!   listing (a test compares it with `site_views`): its cost is the
//!   site's secrets and overrides, where a list is secrets × environments.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use foldhash::fast::FixedState;

use super::{SCANNED_ENVS, default_of, envs_of, inherited_orgs};
use crate::layout::{Layout, Org, Override, OwnerKind, Secret, Site, Word};
use crate::policy::{Layer, Policy, Slot};

/// What resolving every view of a layout comes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewTotals {
    /// Views resolved: each site × each of its environments × each scope.
    pub views: u64,
    /// Secrets seen, summed over the views.
    pub secrets: u64,
}

impl std::ops::Add for ViewTotals {
    type Output = ViewTotals;

    fn add(self, other: ViewTotals) -> ViewTotals {
        ViewTotals {
            views: self.views + other.views,
            secrets: self.secrets + other.secrets,
        }
    }
}

/// One view: a site in one environment, read with one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View<'l> {
    /// The environment.
    pub env: &'l str,
    /// The scope.
    pub scope: &'l str,
}

/// A secret as a view sees it: its name and the contribution that wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'l> {
    /// The secret's name.
    pub name: &'l str,
    /// Whose value wins: org or site.
    pub kind: OwnerKind,
    /// The winning org's or site's id.
    pub id: &'l str,
    /// `Some(env)` when an environment override wins.
    pub env: Option<&'l str>,
}

/// Resolves every view of every site, on several threads, and totals them
/// ([`Walker::site_totals`]). The totals do not depend on the thread count.
pub fn every_view(layout: &Layout, policy: &Policy) -> ViewTotals {
    let sites: Vec<&Site> = layout.sites.values().collect();
    let defaults = OrgDefaults::new(layout, policy);
    let runs = crate::parallel::map_chunks(&sites, |run| {
        let mut walker = Walker::new(policy);
        run.iter()
            .map(|site| {
                let quick = defaults
                    .as_ref()
                    .and_then(|d| walker.one_org_totals(layout, site, d));
                quick.unwrap_or_else(|| walker.site_totals(layout, site))
            })
            .fold(ViewTotals::default(), |a, b| a + b)
    });
    runs.into_iter().fold(ViewTotals::default(), |a, b| a + b)
}

/// The defaults each org declares, with the policy's scopes each has, for
/// [`Walker::one_org_totals`]: made once, where counting a site's views
/// went through each of its org's secrets again for every site.
struct OrgDefaults<'l> {
    /// By the org's place in the layout: its entries in `entries`, and
    /// how many (name, scope) pairs its defaults give.
    orgs: Vec<(Range<usize>, u64)>,
    /// (name's hash, name, scopes as bits in the policy's order).
    entries: Vec<(u64, &'l str, u64)>,
}

/// Orgs with more secrets than this are left to [`Walker::site_totals`],
/// whose names are in a map: here each site's name is looked for among
/// its org's by a scan.
const SCANNED_DEFAULTS: usize = 32;

impl<'l> OrgDefaults<'l> {
    /// `None` when the policy's scopes do not fit in a mask, or its
    /// precedence leaves out an org's or a site's default: counting
    /// without listing relies on both (see [`Walker::one_org_totals`]).
    fn new(layout: &'l Layout, policy: &Policy) -> Option<Self> {
        let fits = policy.scopes.len() <= 64;
        let both = has_default(policy, OwnerKind::Org) && has_default(policy, OwnerKind::Site);
        if !(fits && both) {
            return None;
        }
        let scopes = scope_words(policy);
        let mut entries = Vec::new();
        let orgs = layout
            .orgs
            .values()
            .map(|org| {
                let start = entries.len();
                let mut pairs = 0;
                for secret in org.secrets.values().filter(|s| s.declares_default()) {
                    let mask = scope_mask(&scopes, secret);
                    pairs += u64::from(mask.count_ones());
                    entries.push((name_hash(&secret.name), secret.name.as_str(), mask));
                }
                (start..entries.len(), pairs)
            })
            .collect();
        Some(OrgDefaults { orgs, entries })
    }
}

/// Whether `policy`'s precedence has a layer for `owner`'s default.
fn has_default(policy: &Policy, owner: OwnerKind) -> bool {
    let mut layers = policy.precedence.iter();
    layers.any(|l| l.owner == owner && l.slot == Slot::Default)
}

/// The policy's scopes, as words, with their names.
fn scope_words(policy: &Policy) -> Vec<(Word, &str)> {
    let scopes = policy.scopes.iter();
    scopes
        .map(|s| (Word::from(s.as_str()), s.as_str()))
        .collect()
}

/// The scopes of `scopes` (the policy's) that `secret` has, as bits.
fn scope_mask(scopes: &[(Word, &str)], secret: &Secret) -> u64 {
    let has = scopes
        .iter()
        .enumerate()
        .filter(|(_, (w, _))| secret.has_scope(*w));
    has.fold(0, |mask, (i, _)| mask | 1 << i)
}

/// A name's hash, as [`OrgDefaults`] and [`NameIndex`] compare names by.
fn name_hash(name: &str) -> u64 {
    FixedState::default().hash_one(name)
}

/// A declaration that may give a name its value in a view.
struct Source<'l> {
    kind: OwnerKind,
    id: &'l str,
    secret: &'l Secret,
    /// Its overrides for the site's environments, as a run of
    /// [`Walker::overrides`].
    overrides: Range<usize>,
    /// The index of its name's group.
    group: usize,
}

/// A name a site sees, with its sources (site first, then the orgs in
/// priority order) as a run of [`Walker::sources`].
struct Group<'l> {
    name: &'l str,
    /// The contributions its sources may make, highest priority first, as
    /// a run of [`Walker::candidates`].
    candidates: Range<usize>,
}

/// Resolves the views of one site after another, reusing its lists.
pub struct Walker<'l> {
    policy: &'l Policy,
    /// The policy's layers, highest priority first.
    layers: Vec<Layer>,
    /// Whether an org's default is among them (a policy built in code may
    /// leave it out).
    org_defaults: bool,
    /// The policy's scopes, as words, with their names.
    scopes: Vec<(Word, &'l str)>,
    groups: Vec<Group<'l>>,
    names: NameIndex<'l>,
    /// The counting sort's lists: where each group's run starts, the next
    /// free place in each, and the sources by group.
    runs: Vec<usize>,
    fill: Vec<usize>,
    by_group: Vec<usize>,
    sources: Vec<Source<'l>>,
    /// Per source and scope (`source * scopes + scope`): whether the
    /// source's declaration has that scope.
    scoped: Vec<bool>,
    /// (source, slot) pairs: what a source may give in a layer. A default
    /// slot only for a declared default, an override slot only for a
    /// source with overrides in the site's environments.
    candidates: Vec<(usize, Slot)>,
    /// Each source's overrides, by the index of their environment in the
    /// site's (declaration order among equals).
    overrides: Vec<(usize, &'l Override)>,
    /// Per source: where its next override is, and the one for the
    /// environment being viewed. Environments are viewed in order, so a
    /// source's overrides are each looked at once, however many the site
    /// has (a site with 100k multidevs and a secret overriding each must
    /// not take 100k × 100k steps).
    next: Vec<usize>,
    current: Vec<Option<&'l Override>>,
    /// Per group and scope (`group * scopes + scope`): who wins there.
    plans: Vec<Plan>,
    seen: Vec<Seen<'l>>,
}

/// Who wins a name in one scope, as far as it is known before the
/// environment is: most secrets have no override, so their winner is the
/// same in every environment and is found once per site.
#[derive(Clone, Copy)]
enum Plan {
    /// No source has the scope.
    Never,
    /// This source's default, whatever the environment.
    Default(usize),
    /// An override may win: it depends on the environment.
    Varies,
}

impl<'l> Walker<'l> {
    /// A walker for `policy`'s precedence, inheritance and scopes.
    pub fn new(policy: &'l Policy) -> Self {
        Walker {
            policy,
            layers: policy.precedence.iter().rev().copied().collect(),
            org_defaults: has_default(policy, OwnerKind::Org),
            scopes: scope_words(policy),
            groups: Vec::new(),
            names: NameIndex::default(),
            runs: Vec::new(),
            fill: Vec::new(),
            by_group: Vec::new(),
            sources: Vec::new(),
            scoped: Vec::new(),
            candidates: Vec::new(),
            overrides: Vec::new(),
            next: Vec::new(),
            current: Vec::new(),
            plans: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// Calls `f` with each view of `site` (environments in order, each
    /// with every scope in the policy's order) and the secrets it sees, in
    /// the order [`resolve_site`](super::resolve_site) gives them.
    pub fn site_views(
        &mut self,
        layout: &'l Layout,
        site: &'l Site,
        mut f: impl FnMut(View<'l>, &[Seen<'l>]),
    ) {
        let orgs = inherited_orgs(layout, self.policy, site);
        let envs = envs_of(&self.policy.always_envs, &site.environments);
        self.prepare(site, &orgs, &envs, false);
        // The plan and the override cursors: listing reads them, counting
        // (`site_totals`) does not.
        self.plan();
        self.next.clear();
        self.next
            .extend(self.sources.iter().map(|s| s.overrides.start));
        self.current.clear();
        self.current.resize(self.sources.len(), None);
        for (at, env) in envs.into_iter().enumerate() {
            self.move_to_env(at);
            for (scope, &(_, scope_name)) in self.scopes.iter().enumerate() {
                self.seen.clear();
                let every = self.scopes.len();
                for (g, group) in self.groups.iter().enumerate() {
                    let seen = match self.plans[g * every + scope] {
                        Plan::Never => None,
                        Plan::Default(i) => Some(self.seen_from(group, i, None)),
                        Plan::Varies => self.winner(group, scope),
                    };
                    if let Some(seen) = seen {
                        self.seen.push(seen);
                    }
                }
                let view = View {
                    env,
                    scope: scope_name,
                };
                f(view, &self.seen);
            }
        }
    }

    /// What the views of `site` come to: as many secrets as
    /// [`site_views`](Self::site_views) lists, counted without listing them.
    /// A name a default gives in a scope is seen in every environment; one
    /// only overrides give is seen in the environments they name. So this
    /// costs the site's secrets and overrides, not secrets × environments:
    /// a site with 100k multidevs and 100k secrets stays quick.
    pub fn site_totals(&mut self, layout: &'l Layout, site: &'l Site) -> ViewTotals {
        let orgs = inherited_orgs(layout, self.policy, site);
        let envs = envs_of(&self.policy.always_envs, &site.environments);
        let mut everywhere = self.prepare(site, &orgs, &envs, true);
        let scopes = self.scopes.len();
        // (environment, scope, group) for each name that only overrides
        // give in that scope, once each.
        let mut named: Vec<(usize, usize, usize)> = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            let candidates = &self.candidates[group.candidates.clone()];
            for scope in 0..scopes {
                let has = |&&(i, _): &&(usize, Slot)| self.scoped[i * scopes + scope];
                let mut given = candidates.iter().filter(has);
                if given.clone().any(|(_, slot)| *slot == Slot::Default) {
                    everywhere += 1;
                    continue;
                }
                for &(i, _) in given.by_ref() {
                    let overrides = &self.overrides[self.sources[i].overrides.clone()];
                    named.extend(overrides.iter().map(|&(env, _)| (env, scope, g)));
                }
            }
        }
        named.sort_unstable();
        named.dedup();
        let envs = envs.len() as u64;
        ViewTotals {
            views: envs * scopes as u64,
            secrets: envs * everywhere + named.len() as u64,
        }
    }

    /// [`site_totals`](Self::site_totals) of a site that inherits from
    /// one org or none, when `defaults` could be made: `None` for any
    /// other site.
    ///
    /// Under a precedence with both an org's and a site's default, a name
    /// is seen in every environment of each scope a default gives it, the
    /// site's or the org's; overrides add nothing, as each is in the scopes
    /// of a default that is seen (a site's override-only entry takes its
    /// scopes from the org's default, which is then seen too; with no org,
    /// it gives nothing). So a site sees its org's pairs of name and
    /// scope, plus those of its own defaults the org's default of that
    /// name does not give.
    fn one_org_totals(
        &self,
        layout: &'l Layout,
        site: &'l Site,
        defaults: &OrgDefaults<'_>,
    ) -> Option<ViewTotals> {
        let orgs = inherited_orgs(layout, self.policy, site);
        let (entries, pairs) = match orgs[..] {
            [] => (&[][..], 0),
            [org] => {
                let at = layout.orgs.get_index_of(org.id.as_str())?;
                let (run, pairs) = defaults.orgs.get(at)?;
                (&defaults.entries[run.clone()], *pairs)
            }
            _ => return None,
        };
        if entries.len() > SCANNED_DEFAULTS {
            return None;
        }
        let mut everywhere = pairs;
        for secret in site.secrets.values().filter(|s| s.declares_default()) {
            let hash = name_hash(&secret.name);
            let same = |&&(h, name, _): &&(u64, &str, u64)| h == hash && secret.name == name;
            let org_mask = entries.iter().find(same).map_or(0, |e| e.2);
            let mask = scope_mask(&self.scopes, secret);
            everywhere += u64::from((mask & !org_mask).count_ones());
        }
        let envs = envs_of(&self.policy.always_envs, &site.environments).len() as u64;
        Some(ViewTotals {
            views: envs * self.scopes.len() as u64,
            secrets: envs * everywhere,
        })
    }

    /// Fills the groups, sources and overrides with what `site` sees:
    /// its secrets, then each inherited org's (in priority order), a name
    /// joining the group of its first owner. Names are matched through
    /// [`NameIndex`], not looked up in each owner: that was half the time.
    ///
    /// When only counting (`count`), a site that inherits from one org
    /// gets groups for its own names only: a name only the org declares
    /// is seen, from the org's default, in every environment of each scope
    /// its declaration has, whatever the layers' order (if the org's
    /// default is one of them). Returns how many
    /// such (name, scope) pairs there are, for
    /// [`site_totals`](Self::site_totals); the org's secrets are then not
    /// each prepared for every site that inherits them.
    fn prepare(&mut self, site: &'l Site, orgs: &[&'l Org], envs: &[&str], count: bool) -> u64 {
        self.groups.clear();
        self.names.clear();
        self.sources.clear();
        self.scoped.clear();
        self.candidates.clear();
        self.overrides.clear();
        let mut lists = Lists {
            at: EnvIndex::new(envs),
            scopes: &self.scopes,
            layers: &self.layers,
            sources: &mut self.sources,
            scoped: &mut self.scoped,
            candidates: &mut self.candidates,
            overrides: &mut self.overrides,
        };
        for secret in site.secrets.values() {
            let group = self.names.group_of(&secret.name);
            if let Some(meta) = default_of(secret, orgs) {
                lists.push(OwnerKind::Site, &site.id, secret, meta, group);
            }
        }
        let mut org_only = 0;
        let only_counted = count && orgs.len() == 1 && self.org_defaults;
        for org in orgs {
            // Org entries without a default give nothing, as in `resolve`,
            // but their name still takes its place in the order (when only
            // counting, the order does not matter).
            for secret in org.secrets.values() {
                if only_counted {
                    if !secret.declares_default() {
                        continue;
                    }
                    match self.names.index_of(&secret.name) {
                        Some(group) => lists.push(OwnerKind::Org, &org.id, secret, secret, group),
                        None => {
                            let scoped = self.scopes.iter().filter(|(w, _)| secret.has_scope(*w));
                            org_only += scoped.count() as u64;
                        }
                    }
                    continue;
                }
                let group = self.names.group_of(&secret.name);
                if secret.declares_default() {
                    lists.push(OwnerKind::Org, &org.id, secret, secret, group);
                }
            }
        }
        // Each group's sources in the order added: site, then orgs by
        // priority. A counting sort by group keeps that order.
        let (runs, fill, by_group) = (&mut self.runs, &mut self.fill, &mut self.by_group);
        runs.clear();
        runs.resize(self.names.len() + 1, 0);
        for s in lists.sources.iter() {
            runs[s.group + 1] += 1;
        }
        for g in 0..self.names.len() {
            runs[g + 1] += runs[g];
        }
        by_group.clear();
        by_group.resize(lists.sources.len(), 0);
        fill.clone_from(runs);
        for (i, s) in lists.sources.iter().enumerate() {
            by_group[fill[s.group]] = i;
            fill[s.group] += 1;
        }
        for (g, name) in self.names.names.iter().enumerate() {
            let candidates = lists.candidates_of(&by_group[runs[g]..runs[g + 1]]);
            self.groups.push(Group { name, candidates });
        }
        org_only
    }

    /// Sets each source's override for the environment at index `env`.
    fn move_to_env(&mut self, env: usize) {
        for (i, source) in self.sources.iter().enumerate() {
            let next = &mut self.next[i];
            while *next < source.overrides.end && self.overrides[*next].0 < env {
                *next += 1;
            }
            self.current[i] = (*next < source.overrides.end && self.overrides[*next].0 == env)
                .then(|| self.overrides[*next].1);
        }
    }

    /// The highest layer's contribution to `group` in the scope at index
    /// `scope`, in the environment [`move_to_env`](Self::move_to_env) set.
    fn winner(&self, group: &Group<'l>, scope: usize) -> Option<Seen<'l>> {
        let scopes = self.scopes.len();
        self.candidates[group.candidates.clone()]
            .iter()
            .filter(|(i, _)| self.scoped[i * scopes + scope])
            .find_map(|&(i, slot)| {
                let env = match slot {
                    Slot::Default => None,
                    Slot::Override => Some(self.current[i]?.env.as_str()),
                };
                Some(self.seen_from(group, i, env))
            })
    }

    fn seen_from(&self, group: &Group<'l>, source: usize, env: Option<&'l str>) -> Seen<'l> {
        let s = &self.sources[source];
        Seen {
            name: group.name,
            kind: s.kind,
            id: s.id,
            env,
        }
    }

    /// Fills [`Walker::plans`]: in each scope, the first candidate of a
    /// group that has the scope wins if it is a default; if it is an
    /// override, the environment decides.
    fn plan(&mut self) {
        let scopes = self.scopes.len();
        self.plans.clear();
        for group in &self.groups {
            let candidates = &self.candidates[group.candidates.clone()];
            for scope in 0..scopes {
                let first = candidates
                    .iter()
                    .find(|(i, _)| self.scoped[i * scopes + scope]);
                self.plans.push(match first {
                    None => Plan::Never,
                    Some(&(i, Slot::Default)) => Plan::Default(i),
                    Some((_, Slot::Override)) => Plan::Varies,
                });
            }
        }
    }
}

/// The lists [`Walker::prepare`] fills, with the site's environments.
struct Lists<'a, 'l> {
    at: EnvIndex<'a>,
    scopes: &'a [(Word, &'l str)],
    layers: &'a [Layer],
    sources: &'a mut Vec<Source<'l>>,
    scoped: &'a mut Vec<bool>,
    candidates: &'a mut Vec<(usize, Slot)>,
    overrides: &'a mut Vec<(usize, &'l Override)>,
}

impl<'l> Lists<'_, 'l> {
    /// Adds a source, with its overrides for the site's environments
    /// sorted by environment (others never apply to a view).
    /// `meta` is the declaration giving type and scopes (for a site's
    /// override-only entry, the inherited org secret under it).
    fn push(
        &mut self,
        kind: OwnerKind,
        id: &'l str,
        secret: &'l Secret,
        meta: &'l Secret,
        group: usize,
    ) {
        let start = self.overrides.len();
        for (env, o) in secret.overrides.iter() {
            if let Some(at) = self.at.get(env) {
                self.overrides.push((at, o));
            }
        }
        // Stable: of two overrides for one environment, the first counts,
        // as in `Overrides::get`.
        self.overrides[start..].sort_by_key(|(at, _)| *at);
        self.sources.push(Source {
            kind,
            id,
            secret,
            overrides: start..self.overrides.len(),
            group,
        });
        let scoped = self.scopes.iter().map(|(w, _)| meta.has_scope(*w));
        self.scoped.extend(scoped);
    }

    /// Adds the candidates of the sources in `sources`, highest layer
    /// first, and returns their run.
    fn candidates_of(&mut self, sources: &[usize]) -> Range<usize> {
        let start = self.candidates.len();
        for layer in self.layers {
            for &i in sources {
                let s = &self.sources[i];
                let gives = match layer.slot {
                    Slot::Default => s.secret.declares_default(),
                    Slot::Override => !s.overrides.is_empty(),
                };
                if s.kind == layer.owner && gives {
                    self.candidates.push((i, layer.slot));
                }
            }
        }
        start..self.candidates.len()
    }
}

/// A site's environments by name: a scan when few, else a map.
struct EnvIndex<'a> {
    envs: &'a [&'a str],
    map: Option<HashMap<&'a str, usize>>,
}

impl<'a> EnvIndex<'a> {
    fn new(envs: &'a [&'a str]) -> Self {
        let map = (envs.len() > SCANNED_ENVS)
            .then(|| envs.iter().enumerate().map(|(i, e)| (*e, i)).collect());
        EnvIndex { envs, map }
    }

    fn get(&self, env: &str) -> Option<usize> {
        match &self.map {
            Some(map) => map.get(env).copied(),
            None => self.envs.iter().position(|e| *e == env),
        }
    }
}

/// Above this many names, a site's are matched through a map.
const SCANNED_NAMES: usize = 32;

/// The names a site sees, in order, each with its index: new names are
/// matched against the ones so far by a scan of their hashes while few,
/// by a map beyond.
#[derive(Default)]
struct NameIndex<'l> {
    names: Vec<&'l str>,
    hashes: Vec<u64>,
    map: HashMap<&'l str, usize, FixedState>,
}

impl<'l> NameIndex<'l> {
    fn clear(&mut self) {
        self.names.clear();
        self.hashes.clear();
        self.map.clear();
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// The index of `name`, if it is there.
    fn index_of(&self, name: &str) -> Option<usize> {
        if !self.map.is_empty() {
            return self.map.get(name).copied();
        }
        self.scan(name_hash(name), name)
    }

    /// The index of `name`, whose hash is `hash`, among the names so far.
    fn scan(&self, hash: u64, name: &str) -> Option<usize> {
        let mut pairs = self.hashes.iter().zip(&self.names);
        pairs.position(|(h, n)| *h == hash && *n == name)
    }

    /// The index of `name`, added if new.
    fn group_of(&mut self, name: &'l str) -> usize {
        if self.names.len() > SCANNED_NAMES {
            if self.map.is_empty() {
                let indexed = self.names.iter().enumerate().map(|(i, n)| (*n, i));
                self.map.extend(indexed);
            }
            let next = self.names.len();
            let at = *self.map.entry(name).or_insert(next);
            if at == next {
                self.names.push(name);
            }
            return at;
        }
        let hash = name_hash(name);
        self.scan(hash, name).unwrap_or_else(|| {
            self.names.push(name);
            self.hashes.push(hash);
            self.names.len() - 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::load_str;
    use crate::policy::pantheon;

    /// The quick count of a one-org (or no-org) site is the walker's, on
    /// the shapes its reasoning rests on: an override-only entry on the
    /// org's default, an org entry with no default, a site default that
    /// narrows or widens the org's scopes, scopes outside the policy, an
    /// empty scope list, overrides in environments the site lacks.
    #[test]
    fn the_quick_count_is_the_walkers() {
        let text = r#"
[orgs.o.secrets.A]
type = "runtime"
scope = ["web", "ic"]
[orgs.o.secrets.B]
overrides = { live = "x" }
[orgs.o.secrets.C]
type = "env"
scope = ["user"]
overrides = { dev = "y", nowhere = "z" }
[orgs.o.secrets.D]
type = "env"
scope = ["wbe"]
[sites.s]
owner = "o"
environments = ["feat"]
[sites.s.secrets.A]
overrides = { live = "s", feat = "t" }
[sites.s.secrets.B]
type = "env"
scope = ["ic"]
overrides = { feat = "u" }
[sites.s.secrets.C]
type = "env"
scope = ["web", "user"]
[sites.s.secrets.E]
type = "env"
scope = []
[sites.s.secrets.F]
overrides = { live = "v" }
[sites.t]
owner = "o"
[sites.personal.secrets.A]
type = "runtime"
scope = ["web", "user", "web"]
overrides = { test = "w" }
[sites.personal.secrets.B]
overrides = { live = "x" }
[sites.orphan]
owner = "missing"
[sites.orphan.secrets.A]
type = "env"
scope = ["ic"]
"#;
        let layout = load_str("l.toml", text).layout;
        let policy = pantheon().expect("policy");
        let defaults = OrgDefaults::new(&layout, &policy).expect("both defaults are layers");
        let mut walker = Walker::new(&policy);
        for site in layout.sites.values() {
            let quick = walker.one_org_totals(&layout, site, &defaults);
            let quick = quick.expect("one org or none: counted the quick way");
            assert_eq!(quick, walker.site_totals(&layout, site), "site {}", site.id);
        }
    }
}
