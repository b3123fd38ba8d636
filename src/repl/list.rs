//! `secret:site:list SITE` and `secret:org:list ORG`: an owner's secrets as
//! Terminus lists them (values redacted unless revealed or `user`-scoped).

use super::command::{Arg, OwnerKind};
use super::query::{cells, table};
use super::session::{Reply, Session, done};
use crate::layout::{Org, Secret};
use crate::report::Shown;
use crate::resolve::{default_of, inherited_orgs};

impl Session {
    pub(super) fn list(&self, kind: OwnerKind, id: &Arg) -> Reply {
        let layout = &self.now.layout;
        let (label, secrets, orgs) = match kind {
            OwnerKind::Site => {
                let site = self.find_site(id)?;
                let orgs = inherited_orgs(layout, &self.policy, site);
                (format!("site {}", site.id), &site.secrets, orgs)
            }
            OwnerKind::Org => {
                let org = self.find_org(id)?;
                (format!("org {}", org.id), &org.secrets, Vec::new())
            }
        };
        let mut text = if secrets.is_empty() {
            format!("{label} has no secrets of its own\n")
        } else {
            let mut rows = vec![cells(&["NAME", "TYPE", "SCOPES", "VALUE", "OVERRIDES"])];
            rows.extend(secrets.values().map(|s| self.row(s, &orgs)));
            table(&rows)?.text
        };
        for org in &orgs {
            let n = org.secrets.len();
            text.push_str(&format!(
                "inherits {} from org {} (`secret:org:list {}`)\n",
                super::state::count(n, "secret"),
                org.id,
                org.id
            ));
        }
        done(text)
    }

    /// One secret: name, type, scopes, value (as output may show it) and
    /// the environments it overrides.
    fn row(&self, s: &Secret, orgs: &[&Org]) -> Vec<String> {
        let meta = default_of(s, orgs);
        let scopes: Vec<&str> = meta
            .and_then(|m| m.scope.as_ref())
            .map(|sc| sc.value.iter().map(|x| x.value.as_str()).collect())
            .unwrap_or_default();
        let ty = meta.and_then(|m| m.ty.as_ref()).map(|t| t.value.as_str());
        let value = match (s.declares_default(), meta) {
            (true, _) => Shown::of(
                s.value.as_ref(),
                s.span.file,
                &self.now.layout.sources,
                &scopes,
                &self.policy,
                self.reveal,
            )
            .text(),
            (false, Some(_)) => {
                let org = orgs.iter().find(|o| o.secrets.contains_key(&s.name));
                format!("(default from org {})", org.map_or("?", |o| o.id.as_str()))
            }
            (false, None) => "(no default)".to_string(),
        };
        let overrides: Vec<&str> = s.overrides.keys().map(|k| k.as_str()).collect();
        vec![
            s.name.to_string(),
            ty.unwrap_or("-").to_string(),
            if scopes.is_empty() {
                "-".to_string()
            } else {
                scopes.join(",")
            },
            value,
            if overrides.is_empty() {
                "-".to_string()
            } else {
                overrides.join(",")
            },
        ]
    }
}
