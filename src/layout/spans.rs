//! Every span an org, a site or a secret holds, visited together: a REPL
//! edit re-reads one owner's section of a file on its own, and then moves
//! the section's spans to where it sits in the file and everything after
//! it by the change in the section's length.

use super::{Org, Secret, Site};
use crate::source::Span;

impl Secret {
    /// Calls `f` on every span the secret holds.
    pub fn spans_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        if let Some(ty) = &mut self.ty {
            f(&mut ty.span);
        }
        if let Some(scope) = &mut self.scope {
            f(&mut scope.span);
            scope.value.iter_mut().for_each(|s| f(&mut s.span));
        }
        if let Some(value) = &mut self.value {
            f(&mut value.span);
        }
        for o in &mut self.overrides.0 {
            f(&mut o.env_span);
            f(&mut o.value.span);
        }
    }

    /// Calls `f` on every span the secret holds.
    pub fn spans(&self, f: &mut impl FnMut(Span)) {
        f(self.span);
        if let Some(ty) = &self.ty {
            f(ty.span);
        }
        if let Some(scope) = &self.scope {
            f(scope.span);
            scope.value.iter().for_each(|s| f(s.span));
        }
        if let Some(value) = &self.value {
            f(value.span);
        }
        for o in self.overrides.values() {
            f(o.env_span);
            f(o.value.span);
        }
    }
}

impl Org {
    /// Calls `f` on every span the org and its secrets hold.
    pub fn spans_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        self.secrets.values_mut().for_each(|s| s.spans_mut(f));
    }

    /// Calls `f` on every span the org and its secrets hold.
    pub fn spans(&self, f: &mut impl FnMut(Span)) {
        f(self.span);
        self.secrets.values().for_each(|s| s.spans(f));
    }
}

impl Site {
    /// Calls `f` on every span the site, its fields and its secrets hold.
    pub fn spans_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        let fields = self.owner.iter_mut().chain(self.php.iter_mut());
        let lists = self
            .supporting
            .iter_mut()
            .chain(self.environments.iter_mut());
        fields.chain(lists).for_each(|x| f(&mut x.span));
        self.secrets.values_mut().for_each(|s| s.spans_mut(f));
    }

    /// Calls `f` on every span the site, its fields and its secrets hold.
    pub fn spans(&self, f: &mut impl FnMut(Span)) {
        f(self.span);
        let fields = self.owner.iter().chain(self.php.iter());
        let lists = self.supporting.iter().chain(self.environments.iter());
        fields.chain(lists).for_each(|x| f(x.span));
        self.secrets.values().for_each(|s| s.spans(f));
    }
}
