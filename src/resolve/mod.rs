//! Resolution: what a site sees in one environment and scope, following the
//! policy's precedence and inheritance (the seeds' "life of a secret").

mod error;
mod explain;
mod views;

pub use error::ResolveError;
pub use explain::{Explained, explain};
pub use views::{Seen, View, ViewTotals, Walker, every_view};

use std::collections::HashSet;

use foldhash::fast::RandomState;

use crate::layout::{Layout, Org, OwnerKind, Secret, SecretValue, Site};
use crate::policy::{Layer, Policy, Slot};
use crate::source::Span;

/// What to resolve.
#[derive(Debug, Clone, Copy)]
pub struct Query<'q> {
    /// Site id.
    pub site: &'q str,
    /// Environment name.
    pub env: &'q str,
    /// Scope the caller reads with (`web` for the runtime, `ic` for builds).
    pub scope: &'q str,
    /// Only secrets of this type, if given.
    pub ty: Option<&'q str>,
}

/// One layer's contribution to a secret's value.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'l> {
    /// Org or site.
    pub kind: OwnerKind,
    /// The org or site id.
    pub id: &'l str,
    /// `Some(env)` for an environment override, `None` for the default.
    pub env: Option<&'l str>,
    /// The value; `None` when withheld.
    pub value: Option<&'l SecretValue>,
    /// Where the contribution is declared (override key or secret name).
    pub span: Span,
    /// The declaration giving this contribution's type and scopes: they
    /// decide whether its value may be shown, whichever layer wins.
    pub meta: &'l Secret,
}

impl Candidate<'_> {
    /// The scopes of this contribution's declaration.
    pub fn scopes(&self) -> Vec<&str> {
        scopes_of(self.meta)
    }
}

fn scopes_of(meta: &Secret) -> Vec<&str> {
    meta.scope
        .as_ref()
        .map(|s| s.value.iter().map(|x| x.value.as_str()).collect())
        .unwrap_or_default()
}

/// A secret as the site sees it.
#[derive(Debug, Clone)]
pub struct Resolved<'l> {
    /// Secret name.
    pub name: &'l str,
    /// The declaration that gives type and scopes (for a site's override-only
    /// entry, the inherited org secret it sits on).
    pub meta: &'l Secret,
    /// The contribution that wins.
    pub winner: Candidate<'l>,
    /// Every other contribution, highest priority first.
    pub shadowed: Vec<Candidate<'l>>,
}

impl Resolved<'_> {
    /// The secret's type.
    pub fn ty(&self) -> &str {
        self.meta.ty.as_ref().map_or("", |t| t.value.as_str())
    }

    /// The secret's scopes.
    pub fn scopes(&self) -> Vec<&str> {
        scopes_of(self.meta)
    }
}

/// Resolves every secret `q.site` sees in `q.env` with scope `q.scope`, in
/// declaration order (site secrets first, then inherited ones).
pub fn resolve<'l>(
    layout: &'l Layout,
    policy: &Policy,
    q: Query<'_>,
) -> Result<Vec<Resolved<'l>>, ResolveError> {
    let site = find_site(layout, q.site)?;
    check_env(policy, site, q.env)?;
    check_vocab(policy, q)?;
    Ok(resolve_site(layout, policy, site, q))
}

/// Like [`resolve`] for a site already looked up, without checking that
/// the site has `q.env` and that the policy knows `q.scope` and `q.ty`:
/// for callers that go over a site's environments and check them once
/// (checking costs as much as the site has environments).
pub fn resolve_site<'l>(
    layout: &'l Layout,
    policy: &Policy,
    site: &'l Site,
    q: Query<'_>,
) -> Vec<Resolved<'l>> {
    let orgs = inherited_orgs(layout, policy, site);
    let mut out = Vec::new();
    // One scratch list for every name: `REPL diff` and the benches
    // resolve each site × env × scope, millions of names at 1M secrets.
    let mut found = Vec::new();
    each_visible_name(site, &orgs, |name| {
        if let Some(r) = resolve_into(policy, site, &orgs, name, q, &mut found) {
            out.push(r);
        }
    });
    out
}

/// Resolves one name; `None` when no layer gives it in that scope and type.
pub fn resolve_name<'l>(
    policy: &Policy,
    site: &'l Site,
    orgs: &[&'l Org],
    name: &'l str,
    q: Query<'_>,
) -> Option<Resolved<'l>> {
    resolve_into(policy, site, orgs, name, q, &mut Vec::new())
}

/// [`resolve_name`] with the candidates gathered in `found`, a scratch
/// list (left empty).
fn resolve_into<'l>(
    policy: &Policy,
    site: &'l Site,
    orgs: &[&'l Org],
    name: &'l str,
    q: Query<'_>,
    found: &mut Vec<(Candidate<'l>, &'l Secret)>,
) -> Option<Resolved<'l>> {
    found.clear();
    for layer in &policy.precedence {
        layer_candidates(*layer, site, orgs, name, q.env, found);
    }
    found.retain(|(_, meta)| {
        meta.has_scope(q.scope)
            && q.ty
                .is_none_or(|t| meta.ty.as_ref().is_some_and(|x| x.value == t))
    });
    let (winner, meta) = found.pop()?;
    let shadowed = found.drain(..).rev().map(|(c, _)| c).collect();
    Some(Resolved {
        name,
        meta,
        winner,
        shadowed,
    })
}

/// Pushes the contributions of one precedence layer, lowest priority first.
fn layer_candidates<'l>(
    layer: Layer,
    site: &'l Site,
    orgs: &[&'l Org],
    name: &str,
    env: &str,
    out: &mut Vec<(Candidate<'l>, &'l Secret)>,
) {
    match layer.owner {
        OwnerKind::Site => {
            if let Some(secret) = site.secrets.get(name) {
                push_candidate(
                    layer.slot,
                    OwnerKind::Site,
                    &site.id,
                    secret,
                    orgs,
                    env,
                    out,
                );
            }
        }
        // `orgs` is in priority order (owner first), so walk it backwards.
        OwnerKind::Org => {
            for org in orgs.iter().rev() {
                if let Some(secret) = org.secrets.get(name) {
                    push_candidate(layer.slot, OwnerKind::Org, &org.id, secret, &[], env, out);
                }
            }
        }
    }
}

fn push_candidate<'l>(
    slot: Slot,
    kind: OwnerKind,
    id: &'l str,
    secret: &'l Secret,
    orgs: &[&'l Org],
    env: &str,
    out: &mut Vec<(Candidate<'l>, &'l Secret)>,
) {
    let Some(meta) = default_of(secret, orgs) else {
        return;
    };
    let candidate = match slot {
        Slot::Default if secret.declares_default() => Candidate {
            kind,
            id,
            env: None,
            value: secret.value.as_ref(),
            span: secret.span,
            meta,
        },
        Slot::Override => match secret.overrides.get(env) {
            Some(o) => Candidate {
                kind,
                id,
                env: Some(o.env.as_str()),
                value: Some(&o.value),
                span: o.env_span.at(secret.span.file),
                meta,
            },
            None => return,
        },
        Slot::Default => return,
    };
    out.push((candidate, meta));
}

/// The declaration that gives `secret` its type and scopes: itself, or for an
/// override-only entry the first inherited org secret of that name.
pub fn default_of<'l>(secret: &'l Secret, orgs: &[&'l Org]) -> Option<&'l Secret> {
    if secret.declares_default() {
        return Some(secret);
    }
    orgs.iter()
        .filter_map(|o| o.secrets.get(&secret.name))
        .find(|s| s.declares_default())
}

/// The orgs a site inherits from, highest priority first (owner, then
/// supporting orgs in declaration order), as the policy's `inherit` says.
pub fn inherited_orgs<'l>(layout: &'l Layout, policy: &Policy, site: &Site) -> Vec<&'l Org> {
    let mut orgs: Vec<&Org> = Vec::new();
    let owner = site.owner.as_ref().filter(|_| policy.inherit.owner);
    let supporting = site.supporting.iter().filter(|_| policy.inherit.supporting);
    for id in owner.into_iter().chain(supporting) {
        if let Some(org) = layout.orgs.get(&id.value)
            && !orgs.iter().any(|o| o.id == org.id)
        {
            orgs.push(org);
        }
    }
    orgs
}

/// Calls `f` with each name a site can see, site secrets first, each once.
/// Without a set: an owner's names are unique, so a name is new unless an
/// earlier owner (the site, a higher-priority org) has it, which a lookup
/// in each tells.
fn each_visible_name<'l>(site: &'l Site, orgs: &[&'l Org], mut f: impl FnMut(&'l str)) {
    for name in site.secrets.keys() {
        f(name.as_str());
    }
    for (i, org) in orgs.iter().enumerate() {
        for name in org.secrets.keys() {
            let earlier = site.secrets.contains_key(name)
                || orgs[..i].iter().any(|o| o.secrets.contains_key(name));
            if !earlier {
                f(name.as_str());
            }
        }
    }
}

/// Every environment a site has: the policy's always-present ones, then the
/// site's own.
pub fn site_envs<'l>(policy: &'l Policy, site: &'l Site) -> Vec<&'l str> {
    envs_of(&policy.always_envs, &site.environments)
}

/// The environments `always`, then `own`, each once, in that order.
///
/// Called for every site when every view is resolved: a site has a few
/// environments, so a scan of the list finds the repeated ones; only a
/// site with many gets a set (an `IndexSet` per site, seeded and hashed
/// with SipHash, was a fifth of the time to count every view).
pub(crate) fn envs_of<'l>(
    always: &'l [String],
    own: &'l [crate::layout::Spanned<crate::layout::Name>],
) -> Vec<&'l str> {
    let all = always
        .iter()
        .map(String::as_str)
        .chain(own.iter().map(|e| e.value.as_str()));
    let n = always.len() + own.len();
    let mut envs = Vec::with_capacity(n);
    if n <= SCANNED_ENVS {
        for env in all {
            if !envs.contains(&env) {
                envs.push(env);
            }
        }
    } else {
        let mut seen = HashSet::with_capacity_and_hasher(n, RandomState::default());
        envs.extend(all.filter(|env| seen.insert(*env)));
    }
    envs
}

/// Up to this many environments, a site's are told apart (and found) by a
/// scan of the list; above it, through a set or a map.
pub(crate) const SCANNED_ENVS: usize = 16;

/// Every query a layout can answer: each site, in layout order, with each
/// of its environments and each of the policy's scopes (no type filter).
pub fn every_query<'l>(layout: &'l Layout, policy: &'l Policy) -> impl Iterator<Item = Query<'l>> {
    layout.sites.values().flat_map(move |site| {
        site_envs(policy, site).into_iter().flat_map(move |env| {
            policy.scopes.iter().map(move |scope| Query {
                site: &site.id,
                env,
                scope,
                ty: None,
            })
        })
    })
}

/// Looks a site up, with a "did you mean" when it is not there.
pub fn find_site<'l>(layout: &'l Layout, id: &str) -> Result<&'l Site, ResolveError> {
    layout
        .sites
        .get(id)
        .ok_or_else(|| ResolveError::UnknownSite {
            site: id.to_string(),
            suggestion: closest(id, layout.sites.keys().map(|k| k.as_str())),
        })
}

fn check_env(policy: &Policy, site: &Site, env: &str) -> Result<(), ResolveError> {
    let envs = site_envs(policy, site);
    if envs.contains(&env) {
        return Ok(());
    }
    Err(ResolveError::UnknownEnv {
        site: site.id.to_string(),
        env: env.to_string(),
        suggestion: closest(env, envs.iter().copied()),
        known: envs.join(", "),
    })
}

fn check_vocab(policy: &Policy, q: Query<'_>) -> Result<(), ResolveError> {
    if !policy.scopes.iter().any(|s| s == q.scope) {
        return Err(ResolveError::UnknownScope {
            scope: q.scope.to_string(),
            known: policy.scopes.join(", "),
        });
    }
    match q.ty {
        Some(t) if !policy.types.iter().any(|x| x == t) => Err(ResolveError::UnknownType {
            ty: t.to_string(),
            known: policy.types.join(", "),
        }),
        _ => Ok(()),
    }
}

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests;
