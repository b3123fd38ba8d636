//! `diff`: the edits since load and, for every site, environment and scope
//! they touch, what now resolves differently (values redacted as anywhere).

use indexmap::{IndexMap, IndexSet};

use super::describe::describe;
use super::query::table;
use super::session::{Reply, Session, done};
use super::workspace::{Edit, OwnerRef};
use crate::layout::{Layout, Site};
use crate::policy::Policy;
use crate::report::{Shown, source_text};
use crate::resolve::{self, Query, Resolved, inherited_orgs, site_envs};
use crate::source::Sources;

impl Session {
    pub(super) fn diff(&self) -> Reply {
        let edits = self.workspace.edits();
        if edits.is_empty() {
            return done("no edits since load or the last save\n".to_string());
        }
        let mut text = format!("edits since load or the last save ({}):\n", edits.len());
        for (i, e) in edits.iter().enumerate() {
            text.push_str(&format!("  {}. {}\n", i + 1, describe(e)));
        }
        let old = &self.workspace.baseline().layout;
        let new = &self.now.layout;
        let mut changed = false;
        for site in touched_sites(old, new, &self.policy, edits) {
            for ((envs, rows), scopes) in self.site_changes(old, &site) {
                changed = true;
                let scopes = format!("{} {}", plural("scope", scopes.len()), scopes.join(", "));
                text.push_str(&format!("\n{site}: {} ({scopes})\n", envs.join(", ")));
                text.push_str(&indent(&table(&rows)?.text));
            }
        }
        if !changed {
            text.push_str("\nno site sees anything different\n");
        }
        done(text)
    }

    /// For one site: the change rows of each environment and scope, grouped
    /// by environments with the same changes, then by scopes with the same
    /// environments and changes.
    fn site_changes(&self, old: &Layout, site: &str) -> IndexMap<(Vec<String>, Rows), Vec<String>> {
        let mut out: IndexMap<(Vec<String>, Rows), Vec<String>> = IndexMap::new();
        let sides = [
            Side::new(&self.policy, old, site),
            Side::new(&self.policy, &self.now.layout, site),
        ];
        let envs: IndexSet<&str> = sides.iter().flat_map(|s| s.envs.iter().copied()).collect();
        for scope in &self.policy.scopes {
            let mut by_rows: IndexMap<Rows, Vec<String>> = IndexMap::new();
            for &env in &envs {
                let rows = self.env_changes(&sides, env, scope);
                if !rows.is_empty() {
                    by_rows.entry(rows).or_default().push(env.to_string());
                }
            }
            for (rows, envs) in by_rows {
                out.entry((envs, rows)).or_default().push(scope.clone());
            }
        }
        out
    }

    /// What changed for one site, environment and scope.
    fn env_changes(&self, [old, new]: &[Side<'_>; 2], env: &str, scope: &str) -> Rows {
        let before = old.resolve(&self.policy, env, scope);
        let after = new.resolve(&self.policy, env, scope);
        self.changes(&before, &after, [&old.layout.sources, &new.layout.sources])
    }

    /// `~ NAME  old → new` rows, `(not visible)` for a side that lacks it.
    /// `sources` are those of the two layouts, for reading values.
    fn changes(
        &self,
        before: &[Resolved<'_>],
        after: &[Resolved<'_>],
        [was, now]: [&Sources; 2],
    ) -> Rows {
        let find = |list: &[Resolved<'_>], name: &str| list.iter().position(|r| r.name == name);
        let mut rows = Vec::new();
        for r in after {
            match find(before, r.name) {
                Some(i) if same(&before[i], r, [was, now]) => {}
                Some(i) => {
                    let b = &before[i];
                    let meta = b.ty() != r.ty() || b.scopes() != r.scopes();
                    let (old, mut new) = (self.cell(b, meta, was), self.cell(r, meta, now));
                    if old == new {
                        new.push_str(" (new value)");
                    }
                    rows.push(vec!["~".into(), r.name.into(), old, "→".into(), new]);
                }
                None => rows.push(vec![
                    "+".into(),
                    r.name.into(),
                    "(not visible)".into(),
                    "→".into(),
                    self.cell(r, false, now),
                ]),
            }
        }
        for r in before.iter().filter(|r| find(after, r.name).is_none()) {
            let cell = self.cell(r, false, was);
            rows.push(vec![
                "-".into(),
                r.name.into(),
                cell,
                "→".into(),
                "(not visible)".into(),
            ]);
        }
        rows
    }

    /// `site s (live override) [REDACTED] (5 bytes)`, with `, type runtime,
    /// scopes web` when `meta`.
    fn cell(&self, r: &Resolved<'_>, meta: bool, sources: &Sources) -> String {
        let shown = Shown::of(
            r.winner.value,
            r.winner.span.file,
            sources,
            &r.scopes(),
            &self.policy,
            self.reveal,
        );
        let mut cell = format!("{} {}", source_text(&r.winner), shown.text());
        if meta {
            let scopes = r.scopes().join(",");
            cell.push_str(&format!(", type {}, scopes {scopes}", r.ty()));
        }
        cell
    }
}

/// Table rows.
type Rows = Vec<Vec<String>>;

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Whether a secret resolves the same: same layer, value, type and scopes.
fn same(a: &Resolved<'_>, b: &Resolved<'_>, [was, now]: [&Sources; 2]) -> bool {
    let (x, y) = (&a.winner, &b.winner);
    (x.kind, x.id, x.env) == (y.kind, y.id, y.env)
        && x.value.map(|v| v.expose(x.span.file, was))
            == y.value.map(|v| v.expose(y.span.file, now))
        && a.ty() == b.ty()
        && a.scopes() == b.scopes()
}

/// Sites an edit can change: the edited site, or every site inheriting from
/// the edited org (before or after the edits), in layout order.
fn touched_sites(old: &Layout, new: &Layout, policy: &Policy, edits: &[Edit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for layout in [new, old] {
        for site in layout.sites.values() {
            let orgs = inherited_orgs(layout, policy, site);
            let hit = edits.iter().any(|e| match e.owner() {
                OwnerRef::Site(id) => *id == site.id,
                OwnerRef::Org(id) => orgs.iter().any(|o| o.id == *id),
            });
            if hit && !out.iter().any(|id| *id == site.id) {
                out.push(site.id.to_string());
            }
        }
    }
    out
}

/// A site in the layout before or after the edits, with its environments
/// looked up once: a site may have 100k of them.
struct Side<'l> {
    layout: &'l Layout,
    site: Option<&'l Site>,
    envs: IndexSet<&'l str>,
}

impl<'l> Side<'l> {
    fn new(policy: &'l Policy, layout: &'l Layout, site: &str) -> Self {
        let site = layout.sites.get(site);
        let envs = site.map(|s| site_envs(policy, s).into_iter().collect());
        Side {
            layout,
            site,
            envs: envs.unwrap_or_default(),
        }
    }

    /// What the site sees in `env` and `scope`; nothing if it has no such
    /// site or environment.
    fn resolve(&self, policy: &Policy, env: &str, scope: &str) -> Vec<Resolved<'l>> {
        let Some(site) = self.site.filter(|_| self.envs.contains(env)) else {
            return Vec::new();
        };
        let q = Query {
            site: &site.id,
            env,
            scope,
            ty: None,
        };
        resolve::resolve_site(self.layout, policy, site, q)
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
