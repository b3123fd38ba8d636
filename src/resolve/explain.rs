//! `explain`: one secret's resolution plus every declaration of its name that
//! does not count for the query, and why.

use crate::layout::{Layout, Secret};
use crate::policy::Policy;

use super::{
    Query, ResolveError, Resolved, closest, default_of, find_site, inherited_orgs, resolve,
    resolve_name,
};

/// Explains how `name` resolves for the query.
pub fn explain<'l>(
    layout: &'l Layout,
    policy: &Policy,
    q: Query<'_>,
    name: &str,
) -> Result<Explained<'l>, ResolveError> {
    // Validates site, env, scope and type once.
    let visible = resolve(layout, policy, q)?;
    let site = find_site(layout, q.site)?;
    let orgs = inherited_orgs(layout, policy, site);
    let owned = site.secrets.get_key_value(name).map(|(k, _)| k.as_str());
    let inherited = orgs
        .iter()
        .find_map(|o| o.secrets.get_key_value(name))
        .map(|(k, _)| k.as_str());
    let resolved = owned
        .or(inherited)
        .and_then(|n| resolve_name(policy, site, &orgs, n, q));
    let mut ignored = Vec::new();
    if let Some(s) = site.secrets.get(name) {
        ignored.extend(filtered(
            &format!("site {}", site.id),
            default_of(s, &orgs),
            q,
        ));
    }
    for org in &orgs {
        if let Some(s) = org.secrets.get(name) {
            ignored.extend(filtered(&format!("org {}", org.id), default_of(s, &[]), q));
        }
    }
    for id in site.owner.iter().chain(&site.supporting) {
        let held = layout
            .orgs
            .get(&id.value)
            .is_some_and(|o| o.secrets.contains_key(name));
        if held && !orgs.iter().any(|o| o.id == id.value) {
            let role = if site.owner.as_ref() == Some(id) {
                "owner"
            } else {
                "supporting"
            };
            ignored.push((
                format!("org {} ({role})", id.value),
                "not inherited: the policy's `inherit` excludes it".to_string(),
            ));
        }
    }
    if resolved.is_none() && ignored.is_empty() {
        let names = visible.iter().map(|r| r.name);
        let hint = match closest(name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "`ward resolve --site {} --env {}` lists what it sees",
                q.site, q.env
            ),
        };
        return Err(ResolveError::UnknownSecret {
            site: q.site.to_string(),
            env: q.env.to_string(),
            scope: q.scope.to_string(),
            name: name.to_string(),
            hint,
        });
    }
    Ok(Explained { resolved, ignored })
}

/// Why a declaration is left out of this query, if it is.
fn filtered(who: &str, meta: Option<&Secret>, q: Query<'_>) -> Option<(String, String)> {
    let Some(meta) = meta else {
        return Some((
            who.to_string(),
            "override without a default: it applies nowhere".to_string(),
        ));
    };
    if !meta.has_scope(q.scope) {
        let scopes: Vec<&str> = meta
            .scope
            .iter()
            .flat_map(|s| s.value.iter())
            .map(|s| s.value.as_str())
            .collect();
        return Some((
            who.to_string(),
            format!(
                "its scopes ({}) do not include `{}`",
                scopes.join(","),
                q.scope
            ),
        ));
    }
    let ty = meta.ty.as_ref().map_or("", |t| t.value.as_str());
    match q.ty {
        Some(t) if t != ty => Some((who.to_string(), format!("its type `{ty}` is not `{t}`"))),
        _ => None,
    }
}

/// What `explain` needs beyond the resolution: layers that hold the name but
/// do not count, and why.
pub struct Explained<'a> {
    /// The resolution, if the name is visible in the scope.
    pub resolved: Option<Resolved<'a>>,
    /// (who, why) for declarations of the name that were left out.
    pub ignored: Vec<(String, String)>,
}
