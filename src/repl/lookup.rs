//! Names on the command line looked up in the layout and policy, with a
//! "did you mean" pointing at the word when one is not there.

use super::command::{Arg, Owner, OwnerKind};
use super::error::InputError;
use super::session::Session;
use super::workspace::OwnerRef;
use crate::layout::{Org, Secret, Site};
use crate::resolve::site_envs;

impl Session {
    /// The site `a` names.
    pub(super) fn find_site(&self, a: &Arg) -> Result<&Site, InputError> {
        let sites = &self.now.layout.sites;
        sites.get(a.text.as_str()).ok_or_else(|| {
            InputError::unknown(
                format!("unknown site `{}`", a.text),
                &a.text,
                sites.keys().map(|k| k.as_str()),
                "`sites` lists the sites".to_string(),
                &a.span,
            )
            .labelled("not a site")
        })
    }

    /// The org `a` names.
    pub(super) fn find_org(&self, a: &Arg) -> Result<&Org, InputError> {
        let orgs = &self.now.layout.orgs;
        orgs.get(a.text.as_str()).ok_or_else(|| {
            InputError::unknown(
                format!("unknown org `{}`", a.text),
                &a.text,
                orgs.keys().map(|k| k.as_str()),
                "`orgs` lists the organizations".to_string(),
                &a.span,
            )
            .labelled("not an org")
        })
    }

    /// Checks that `site` has the environment `a` names.
    pub(super) fn site_env(&self, site: &Site, a: &Arg) -> Result<(), InputError> {
        let envs = site_envs(&self.policy, site);
        self.known_env(&envs, a, "site", &site.id)
    }

    /// Checks that an org has the environment `a` names: the policy's
    /// always-present ones or one of a site inheriting from it.
    pub(super) fn org_env(&self, org: &Org, a: &Arg) -> Result<(), InputError> {
        let envs = self.now.org_envs(&self.policy, &org.id);
        self.known_env(&envs, a, "org", &org.id)
    }

    fn known_env(&self, envs: &[&str], a: &Arg, kind: &str, id: &str) -> Result<(), InputError> {
        if envs.contains(&a.text.as_str()) {
            return Ok(());
        }
        Err(InputError::unknown(
            format!("{kind} `{id}` has no environment `{}`", a.text),
            &a.text,
            envs.iter().copied(),
            format!("its environments are: {}", envs.join(", ")),
            &a.span,
        )
        .labelled("no such environment"))
    }

    /// A `--scope` value: each comma-separated scope must be the policy's.
    pub(super) fn scopes(&self, a: &Arg) -> Result<Vec<String>, InputError> {
        let mut out = Vec::new();
        // Each part's own span when the word was written unquoted.
        let exact = a.span.len() == a.text.len();
        let mut at = a.span.start;
        for part in a.text.split(',') {
            let span = if exact {
                at..at + part.len()
            } else {
                a.span.clone()
            };
            at += part.len() + 1;
            let part = part.trim();
            self.known_word(part, &span, &self.policy.scopes, "scope")?;
            if !out.iter().any(|s| s == part) {
                out.push(part.to_string());
            }
        }
        Ok(out)
    }

    /// A `--type` value: one of the policy's types.
    pub(super) fn ty(&self, a: &Arg) -> Result<String, InputError> {
        self.known_word(&a.text, &a.span, &self.policy.types, "type")?;
        Ok(a.text.clone())
    }

    /// Checks that `word` is one of the policy's `known` words (`what`s).
    pub(super) fn known_word(
        &self,
        word: &str,
        span: &std::ops::Range<usize>,
        known: &[String],
        what: &str,
    ) -> Result<(), InputError> {
        if known.iter().any(|k| k == word) {
            return Ok(());
        }
        Err(InputError::unknown(
            format!("unknown {what} `{word}`"),
            word,
            known.iter().map(String::as_str),
            format!("the policy's {what}s are: {}", known.join(", ")),
            span,
        )
        .labelled(&format!("not a {what} of the policy")))
    }

    /// The org or site an edit command names (and its environment, when
    /// `check_env`), checked against the layout.
    pub(super) fn owner_ref(&self, o: &Owner, check_env: bool) -> Result<OwnerRef, InputError> {
        match o.kind {
            OwnerKind::Site => {
                let site = self.find_site(&o.id)?;
                if let (true, Some(env)) = (check_env, &o.env) {
                    self.site_env(site, env)?;
                }
                Ok(OwnerRef::Site(site.id.to_string()))
            }
            OwnerKind::Org => {
                let org = self.find_org(&o.id)?;
                if let (true, Some(env)) = (check_env, &o.env) {
                    self.org_env(org, env)?;
                }
                Ok(OwnerRef::Org(org.id.to_string()))
            }
        }
    }

    /// The secrets an org or site declares.
    pub(super) fn owner_secrets(&self, o: &OwnerRef) -> impl Iterator<Item = &Secret> {
        let l = &self.now.layout;
        let secrets = match o {
            OwnerRef::Site(id) => l.sites.get(id.as_str()).map(|s| &s.secrets),
            OwnerRef::Org(id) => l.orgs.get(id.as_str()).map(|o| &o.secrets),
        };
        secrets.into_iter().flat_map(|s| s.values())
    }

    /// The secret `name` as the org or site declares it.
    pub(super) fn declared(&self, o: &OwnerRef, name: &str) -> Option<&Secret> {
        self.owner_secrets(o).find(|s| s.name == name)
    }

    /// Whether a site inherits a default for `name` from an org.
    pub(super) fn inherited_default(&self, o: &OwnerRef, name: &str) -> bool {
        let layout = &self.now.layout;
        let OwnerRef::Site(id) = o else {
            return false;
        };
        let Some(site) = layout.sites.get(id.as_str()) else {
            return false;
        };
        let orgs = crate::resolve::inherited_orgs(layout, &self.policy, site);
        orgs.iter()
            .filter_map(|org| org.secrets.get(name))
            .any(Secret::declares_default)
    }
}
