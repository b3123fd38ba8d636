//! What-if edits in Terminus's syntax: `secret:site:set`, `secret:org:set`,
//! `secret:site:delete`, `secret:org:delete`, and `undo`. Each edit is
//! applied to the workspace tentatively and the layout re-checked; an edit
//! that would add an error about the secret it touches is taken back.

use std::ops::Range;

use super::command::{Arg, Owner, SetCmd};
use super::describe::{confirmation, describe};
use super::error::InputError;
use super::render::{FindingAtInput, at_input};
use super::session::{Problem, Reply, Session, done};
use super::workspace::{Edit, OwnerRef};
use crate::finding::{Finding, Severity};
use crate::policy::Attr;
use crate::report::Masked;

/// Terminus's defaults for a new secret.
const DEFAULT_TYPE: &str = "runtime";
const DEFAULT_SCOPE: &str = "user";

/// Where the parts of an edit command are, to point findings at them.
struct Places {
    env: Option<Range<usize>>,
    name: Range<usize>,
    value: Option<Range<usize>>,
    ty: Option<Range<usize>>,
    scope: Option<Range<usize>>,
}

impl Places {
    /// The word that gives a rule attribute its value, if any does.
    fn of(&self, attr: Attr) -> Option<Range<usize>> {
        match attr {
            Attr::Name => Some(self.name.clone()),
            Attr::Type => self.ty.clone(),
            Attr::Scope => self.scope.clone(),
            Attr::OverrideEnv => self.env.clone(),
            Attr::Value | Attr::ValueBytes | Attr::ValueSet | Attr::ValueJsonKeys => {
                self.value.clone()
            }
            _ => None,
        }
    }
}

impl Session {
    pub(super) fn set(&mut self, cmd: SetCmd, masked: &Masked) -> Reply {
        let owner = self.owner_ref(&cmd.owner, true)?;
        let name = cmd.name.text.clone();
        let ty = cmd.ty.as_ref().map(|a| self.ty(a)).transpose()?;
        let scope = cmd.scope.as_ref().map(|a| self.scopes(a)).transpose()?;
        let env = cmd.owner.env.as_ref().map(|e| e.text.clone());
        let own = self
            .declared(&owner, &name)
            .filter(|s| s.declares_default());
        let exists = own.is_some() || (env.is_some() && self.inherited_default(&owner, &name));
        if let (true, Some(flag)) = (exists, cmd.ty.as_ref().or(cmd.scope.as_ref())) {
            let span = super::error::to_span(&flag.span);
            return Err(InputError::AlreadyExists { name, span }.into());
        }
        // A new secret gets Terminus's defaults; an existing one (or an
        // override) keeps its type and scopes.
        let (ty, scope) = match env.is_none() && own.is_none() {
            true => self.with_defaults(ty, scope),
            false => (None, None),
        };
        let places = Places {
            env: cmd.owner.env.as_ref().map(|e| e.span.clone()),
            name: cmd.name.span.clone(),
            value: Some(cmd.value.span.clone()),
            ty: cmd.ty.as_ref().map(|a| a.span.clone()),
            scope: cmd.scope.as_ref().map(|a| a.span.clone()),
        };
        let edit = Edit::Set {
            owner,
            env,
            name,
            value: cmd.value.text,
            ty,
            scope,
        };
        self.tentative(edit, &places, masked)
    }

    pub(super) fn delete(&mut self, owner: Owner, name: Arg, masked: &Masked) -> Reply {
        let owner_ref = self.owner_ref(&owner, false)?;
        let who = who(&owner_ref);
        let Some(secret) = self.declared(&owner_ref, &name.text) else {
            let names = self.owner_secrets(&owner_ref).map(|s| s.name.as_str());
            let list = format!("`{}` lists its secrets", list_command(&owner_ref));
            let message = format!("{who} has no secret `{}`", name.text);
            let e = InputError::unknown(message, &name.text, names, list, &name.span);
            return Err(e.labelled("no such secret").into());
        };
        if let Some(env) = &owner.env
            && !secret.overrides.contains_key(&env.text)
        {
            let envs: Vec<&str> = secret.overrides.keys().map(|k| k.as_str()).collect();
            let message = format!(
                "secret `{}` of {who} has no override for `{}`",
                name.text, env.text
            );
            let help = match envs.is_empty() {
                true => "it has no overrides".to_string(),
                false => format!("it has overrides for: {}", envs.join(", ")),
            };
            let e = InputError::unknown(message, &env.text, envs.into_iter(), help, &env.span);
            return Err(e.labelled("no such override").into());
        }
        let places = Places {
            env: owner.env.as_ref().map(|e| e.span.clone()),
            name: name.span.clone(),
            value: None,
            ty: None,
            scope: None,
        };
        let edit = Edit::Delete {
            owner: owner_ref,
            env: owner.env.map(|e| e.text),
            name: name.text,
        };
        self.tentative(edit, &places, masked)
    }

    pub(super) fn undo(&mut self) -> Reply {
        let Some((edit, change)) = self.undo_edit() else {
            return Err(InputError::NothingToUndo.into());
        };
        let mut text = change.render();
        text.push_str(&format!("[notice] Undone: {}.\n", describe(&edit)));
        done(text)
    }

    /// Applies `edit`, re-checks, and keeps it unless it adds an error about
    /// the secret it touches; prints the findings it adds and removes.
    fn tentative(&mut self, edit: Edit, at: &Places, masked: &Masked) -> Reply {
        let rechecked = self.apply_edit(&edit)?;
        let blocking: Vec<&Finding> = rechecked
            .change
            .added()
            .filter(|f| f.severity == Severity::Error && about(f, &edit))
            .collect();
        if !blocking.is_empty() {
            let verb = if matches!(edit, Edit::Set { .. }) {
                "set"
            } else {
                "delete"
            };
            let mut text =
                format!("[error]  An error happened when trying to {verb} the secret.\n");
            for f in blocking {
                let span = self.place_of(f, at);
                let diag = FindingAtInput { finding: f, span };
                text.push_str(&at_input(&diag, masked, self.opts.style));
            }
            self.take_back(rechecked);
            return Err(Problem::Text(text));
        }
        let mut text = rechecked.change.render();
        text.push_str(&confirmation(&edit));
        done(text)
    }

    /// The word a finding about the edit is best shown on: the first
    /// attribute the rule reads (requirement, then condition) that a word
    /// of the command gives, else the secret's name.
    fn place_of(&self, f: &Finding, at: &Places) -> Range<usize> {
        let mut attrs = Vec::new();
        if let Some(rule) = self.policy.rules.iter().find(|r| *r.id == *f.rule) {
            rule.require.attrs(&mut attrs);
            if let Some(when) = &rule.when {
                when.attrs(&mut attrs);
            }
        }
        attrs
            .into_iter()
            .find_map(|a| at.of(a))
            .unwrap_or_else(|| at.name.clone())
    }

    /// Type and scopes for a new secret: as given, else Terminus's defaults.
    fn with_defaults(
        &self,
        ty: Option<String>,
        scope: Option<Vec<String>>,
    ) -> (Option<String>, Option<Vec<String>>) {
        let p = &self.policy;
        let ty = ty.unwrap_or_else(|| vocab_default(&p.types, DEFAULT_TYPE));
        let scope = scope.unwrap_or_else(|| vec![vocab_default(&p.scopes, DEFAULT_SCOPE)]);
        (Some(ty), Some(scope))
    }
}

/// Terminus's default if the policy has it, else the policy's first word.
fn vocab_default(known: &[String], preferred: &str) -> String {
    known
        .iter()
        .find(|k| *k == preferred)
        .or(known.first())
        .map_or_else(|| preferred.to_string(), String::clone)
}

/// Whether a finding is about the secret an edit touches.
fn about(f: &Finding, edit: &Edit) -> bool {
    let (Edit::Set { owner, name, .. } | Edit::Delete { owner, name, .. }) = edit;
    let owned = match owner {
        OwnerRef::Site(id) => f.site.as_deref() == Some(id) && f.org.is_none(),
        OwnerRef::Org(id) => f.org.as_deref() == Some(id),
    };
    owned && f.secret.as_deref() == Some(name)
}

/// `site globex-www`, `org globex`.
pub(super) fn who(o: &OwnerRef) -> String {
    match o {
        OwnerRef::Site(id) => format!("site `{id}`"),
        OwnerRef::Org(id) => format!("org `{id}`"),
    }
}

fn list_command(o: &OwnerRef) -> String {
    match o {
        OwnerRef::Site(id) => format!("secret:site:list {id}"),
        OwnerRef::Org(id) => format!("secret:org:list {id}"),
    }
}
