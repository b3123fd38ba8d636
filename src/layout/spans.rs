//! Every span an org, a site or a secret holds, visited together: a REPL
//! edit re-reads one owner's section of a file on its own, and then moves
//! the section's spans to where it sits in the file and everything after
//! it by the change in the section's length.

use super::{Org, Secret, Site};
use crate::source::{Loc, Span};

impl Secret {
    /// Calls `f` on every span the secret holds. Its fields' places are
    /// given as spans in its file; `f` moves them within that file.
    pub fn spans_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        let file = self.span.file;
        let mut f = |loc: &mut Loc| {
            let mut span = loc.at(file);
            f(&mut span);
            *loc = span.loc();
        };
        if let Some(ty) = &mut self.ty {
            f(&mut ty.span);
        }
        if let Some(scope) = &mut self.scope {
            f(&mut scope.span);
            scope.value.spans_mut(&mut f);
        }
        if let Some(value) = &mut self.value {
            f(value.loc_mut());
        }
        for o in &mut self.overrides.0 {
            f(&mut o.env_span);
            f(o.value.loc_mut());
        }
    }

    /// Calls `f` on every span the secret holds.
    pub fn spans(&self, f: &mut impl FnMut(Span)) {
        f(self.span);
        let file = self.span.file;
        let mut f = |loc: Loc| f(loc.at(file));
        if let Some(ty) = &self.ty {
            f(ty.span);
        }
        if let Some(scope) = &self.scope {
            f(scope.span);
            scope.value.iter().for_each(|s| f(s.span));
        }
        if let Some(value) = &self.value {
            f(value.loc());
        }
        for o in self.overrides.values() {
            f(o.env_span);
            f(o.value.loc());
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
        self.own_spans_mut(f);
        self.secrets.values_mut().for_each(|s| s.spans_mut(f));
    }

    /// Calls `f` on every span the site holds but those of its secrets.
    pub fn own_spans_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        let fields = self.owner.iter_mut().chain(self.php.iter_mut());
        let lists = self
            .supporting
            .iter_mut()
            .chain(self.environments.iter_mut());
        fields.chain(lists).for_each(|x| f(&mut x.span));
    }

    /// The spans of the site's own fields (owner, php, supporting orgs,
    /// environments), in that order: those its own findings point at.
    pub fn field_spans(&self) -> Vec<Span> {
        let fields = self.owner.iter().chain(self.php.iter());
        let lists = self.supporting.iter().chain(self.environments.iter());
        fields.chain(lists).map(|x| x.span).collect()
    }

    /// Whether the site's own fields (all but its secrets) say what
    /// `other`'s say, wherever they are written.
    pub fn same_fields(&self, other: &Site) -> bool {
        same_fields(self, other)
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

/// [`Site::same_fields`].
fn same_fields(a: &Site, b: &Site) -> bool {
    field_values(a) == field_values(b)
}

/// A site's own fields' values; `None` for a field it lacks, and between
/// the lists (`["a"], []` is not `[], ["a"]`).
fn field_values(s: &Site) -> Vec<Option<&str>> {
    let owner = s.owner.as_ref().map(|x| x.value.as_str());
    let php = s.php.as_ref().map(|x| x.value.as_str());
    let mut out = vec![owner, php, None];
    out.extend(s.supporting.iter().map(|x| Some(x.value.as_str())));
    out.push(None);
    out.extend(s.environments.iter().map(|x| Some(x.value.as_str())));
    out
}
