//! Lines → model: which section each header opens, and the fields of each
//! section read straight into orgs, sites and secrets.
//!
//! A section whose fields are not all of the expected shapes (an unknown
//! field, a number where a string belongs, a secret without `type`, …) is
//! read again by the reference loader, from its own text, so its findings
//! are the reference's. Headers the fast loader does not handle, or that
//! TOML would reject, fail the whole file (see [`super`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use toml_parser::decoder::ScalarKind;

use super::events::{Item, Key, Scalar, Value};
use crate::finding::Finding;
use crate::layout::{
    ById, Loaded, Name, Override, Overrides, OwnerKind, Scopes, Secret, SecretValue, Secrets,
    Spanned, Word, word,
};
use crate::source::{FileId, Loc, Span};

/// A file read by the fast loader, ready to be merged into a [`Loaded`].
#[derive(Default)]
pub(in crate::layout) struct Parsed {
    /// The top-level tables in the order the file first names them.
    pub(in crate::layout) order: Vec<Top>,
    /// Orgs in the order the file first names them.
    pub(in crate::layout) orgs: ById<Owner>,
    /// Sites in the order the file first names them.
    pub(in crate::layout) sites: ById<Owner>,
    /// A header other than an owner's or its secrets' was read (`[orgs]`,
    /// `[sites]`, an unknown table): a piece cut from a file after such a
    /// header cannot be judged apart from the rest (see `super::pieces`).
    pub(in crate::layout) tops: bool,
}

/// Owner maps the merge has emptied, orgs' and sites', for the next
/// file's builder: each file's took fresh memory (~2 MiB at 1M secrets in
/// 16 files, faulted in page by page) only to free it once merged. Loads
/// running at once in one process (tests) share them: the maps are empty,
/// only their room passes from one to another, or is freed early.
static SPARE_MAPS: Mutex<[Vec<ById<Owner>>; 2]> = Mutex::new([Vec::new(), Vec::new()]);

fn spare_maps() -> std::sync::MutexGuard<'static, [Vec<ById<Owner>>; 2]> {
    SPARE_MAPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// An emptied owner map of `kind`, kept for the next file's builder.
pub(in crate::layout) fn recycle(kind: OwnerKind, map: ById<Owner>) {
    if map.is_empty() && map.capacity() > 0 {
        spare_maps()[kind as usize].push(map);
    }
}

/// Frees the maps [`recycle`] kept: once every file of a load is merged.
pub(in crate::layout) fn drop_spare_maps() {
    let spares = std::mem::take(&mut *spare_maps());
    drop(spares);
}

fn spare_map(kind: OwnerKind) -> ById<Owner> {
    spare_maps()[kind as usize].pop().unwrap_or_default()
}

/// A top-level table.
#[derive(PartialEq, Eq)]
pub(in crate::layout) enum Top {
    /// `orgs` or `sites`.
    Owners(OwnerKind),
    /// Any other (an `unknown-field`), with the span of its first key.
    Unknown(String, Range<usize>),
}

/// An org or site of one file.
#[derive(Default)]
pub(in crate::layout) struct Owner {
    /// The id in the first header that names it.
    pub(in crate::layout) span: Span,
    pub(in crate::layout) owner: Option<Spanned<Name>>,
    pub(in crate::layout) supporting: Vec<Spanned<Name>>,
    pub(in crate::layout) php: Option<Spanned<Name>>,
    pub(in crate::layout) environments: Vec<Spanned<Name>>,
    /// Its secrets, once the file is read.
    pub(in crate::layout) secrets: Secrets,
    /// Where its secrets are in the builder's list while the file is read.
    run: Range<u32>,
    /// Its findings, in the order the reference loader reports them.
    pub(in crate::layout) findings: Vec<Finding>,
    /// A `[K.id.secrets…]` header was read.
    secrets_table: bool,
    /// Its `[K.id]` section has a `secrets` key: no header may add to it.
    secrets_in_body: bool,
}

/// A secret's fields while its section is read.
#[derive(Default)]
struct Draft {
    name: Name,
    span: Span,
    ty: Option<Spanned<Word, Loc>>,
    scope: Option<Spanned<Scopes, Loc>>,
    value: Option<SecretValue>,
    overrides: Option<Overrides>,
    /// Keys read, for an empty table.
    keys: usize,
}

/// What the current header opened.
enum Section {
    /// Before the first header: a key here is a top-level field.
    Root,
    /// `[orgs]`, `[sites]` or `[K.id.secrets]`: no keys expected.
    Empty,
    /// Under an unknown top-level table: not read, only checked for
    /// TOML errors.
    Ignored,
    /// `[K.id]`, fields read into `owners[index]`; `seen` holds a bit per
    /// field, `odd` sends the section to the reference loader.
    Owner {
        kind: OwnerKind,
        index: usize,
        seen: u8,
        odd: bool,
    },
    /// `[K.id.secrets.NAME]`, fields read into the builder's draft.
    Secret {
        kind: OwnerKind,
        index: usize,
        odd: bool,
    },
}

/// Reads lines into a [`Parsed`].
pub(super) struct Builder<'t> {
    file: FileId,
    text: &'t str,
    parsed: Parsed,
    section: Section,
    /// The secret of the current `Section::Secret`.
    draft: Draft,
    /// Where the current section's header starts.
    start: usize,
    /// The last owner a header named, to skip a lookup.
    last: Option<(OwnerKind, usize)>,
    /// The secrets read so far, every owner's, each owner's in one run.
    secrets: Vec<Secret>,
    /// The owner of the last run of `secrets`.
    adding_to: Option<(OwnerKind, usize)>,
    /// Names → positions in `secrets` of the last run, once it is long.
    names: HashMap<Name, u32, foldhash::fast::RandomState>,
    pub(super) failed: bool,
}

/// Fewest bytes of text a secret takes in the layouts ward is built for
/// (a header, `type` and `scope`, a value: ~220 in generated layouts):
/// the estimate of how many secrets a piece holds. Fewer bytes a secret
/// only means the list grows as it fills.
const MIN_SECRET_BYTES: usize = 128;

/// Runs longer than this are looked up through [`Builder::names`].
const SCANNED_UP_TO: usize = 16;

impl<'t> Builder<'t> {
    /// A builder for a piece of `bytes` bytes of `text`.
    pub(super) fn new(file: FileId, text: &'t str, bytes: usize) -> Self {
        // Room for the secrets a piece this long may hold, taken at once in
        // huge pages; unused room is given back by `finish`.
        let secrets = Vec::with_capacity(bytes / MIN_SECRET_BYTES);
        crate::huge::advise(&secrets);
        Builder {
            file,
            text,
            parsed: Parsed {
                orgs: spare_map(OwnerKind::Org),
                sites: spare_map(OwnerKind::Site),
                ..Parsed::default()
            },
            section: Section::Root,
            draft: Draft::default(),
            start: 0,
            last: None,
            secrets,
            adding_to: None,
            names: HashMap::default(),
            failed: false,
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn owners(&mut self, kind: OwnerKind) -> &mut ById<Owner> {
        match kind {
            OwnerKind::Org => &mut self.parsed.orgs,
            OwnerKind::Site => &mut self.parsed.sites,
        }
    }

    /// The file read so far, once the last section is closed at `end`.
    pub(super) fn finish(mut self, end: usize) -> Option<Parsed> {
        self.end_section(end);
        if self.failed {
            return None;
        }
        // Shrunk in place (a large block is remapped, not copied), and
        // shared as a `Vec`: `Arc<[_]>` would copy it.
        self.secrets.shrink_to_fit();
        let shared = Arc::new(std::mem::take(&mut self.secrets));
        for owner in self
            .parsed
            .orgs
            .values_mut()
            .chain(self.parsed.sites.values_mut())
        {
            owner.secrets = Secrets::shared(&shared, owner.run.clone());
        }
        Some(self.parsed)
    }

    /// Whether owner `index` has a secret `name`.
    fn has_secret(&self, kind: OwnerKind, index: usize, name: &str) -> bool {
        let run = match kind {
            OwnerKind::Org => &self.parsed.orgs[index].run,
            OwnerKind::Site => &self.parsed.sites[index].run,
        };
        if run.len() > SCANNED_UP_TO && self.adding_to == Some((kind, index)) {
            return self.names.contains_key(name);
        }
        let run = run.start as usize..run.end as usize;
        // Names that differ mostly differ at the end (`KEY_1`, `KEY_2`):
        // the last byte first, before a call to compare the rest.
        let last = name.as_bytes().last();
        let same = |s: &Secret| s.name.as_bytes().last() == last && s.name == name;
        self.secrets[run].iter().any(same)
    }

    /// Adds `secret` to owner `index`. An owner's secrets must form one
    /// run (toml orders a table's keys as first written, whatever comes in
    /// between, so secrets interleaved with another owner's would need
    /// sorting): the file fails otherwise, and when a name comes twice.
    fn add_secret(&mut self, kind: OwnerKind, index: usize, secret: Secret) {
        self.add_secret_named(kind, index, secret, false);
    }

    /// [`Builder::add_secret`]; `checked` if the owner is known not to
    /// have a secret of that name (its header was checked, and nothing
    /// was added since).
    fn add_secret_named(&mut self, kind: OwnerKind, index: usize, secret: Secret, checked: bool) {
        let at = self.secrets.len() as u32;
        let same = self.adding_to == Some((kind, index));
        if !same {
            self.names.clear();
        }
        let run = self.owners_run(kind, index).clone();
        let twice = || !checked && self.has_secret(kind, index, &secret.name);
        if (!same && run.start != run.end) || twice() {
            self.failed = true;
            return;
        }
        let first = if same { run.start } else { at };
        *self.owners_run(kind, index) = first..at + 1;
        self.adding_to = Some((kind, index));
        self.secrets.push(secret);
        // Long runs are looked up by name: index the run once it is long.
        if (at + 1 - first) as usize > SCANNED_UP_TO {
            let from = if self.names.is_empty() { first } else { at };
            for i in from..=at {
                self.names.insert(self.secrets[i as usize].name.clone(), i);
            }
        }
    }

    fn owners_run(&mut self, kind: OwnerKind, index: usize) -> &mut Range<u32> {
        &mut self.owners(kind)[index].run
    }

    /// A `[a.b.c]` header starting at byte `start`.
    pub(super) fn header(&mut self, start: usize, keys: &[Key<'t>]) {
        self.end_section(start);
        self.parsed.tops |= keys.len() == 1;
        self.start = start;
        self.section = Section::Empty;
        let kind = match keys.first() {
            Some(k) if k.name == "orgs" => OwnerKind::Org,
            Some(k) if k.name == "sites" => OwnerKind::Site,
            Some(k) => return self.unknown(k),
            None => return self.failed = true,
        };
        let first_time = !self.parsed.order.contains(&Top::Owners(kind));
        if first_time {
            self.parsed.order.push(Top::Owners(kind));
        }
        let (id, rest) = match keys {
            [_] if first_time => return,
            [_, id, rest @ ..] => (id, rest),
            _ => return self.failed = true,
        };
        if let [secrets, ..] = rest
            && secrets.name != "secrets"
        {
            return self.failed = true;
        }
        let index = match rest {
            [] => self.declare(kind, id),
            _ => Some(self.named(kind, id)),
        };
        let Some(index) = index else {
            return self.failed = true;
        };
        let owner = &mut self.owners(kind)[index];
        match rest {
            [] => {
                self.section = Section::Owner {
                    kind,
                    index,
                    seen: 0,
                    odd: false,
                }
            }
            [_] if !owner.secrets_table && !owner.secrets_in_body => owner.secrets_table = true,
            [_, name]
                if !owner.secrets_in_body && !self.has_secret(kind, index, name.name.as_ref()) =>
            {
                self.owners(kind)[index].secrets_table = true;
                self.draft = Draft {
                    name: Name::from(name.name.as_ref()),
                    span: Span::new(self.file, name.span.clone()),
                    ..Draft::default()
                };
                self.section = Section::Secret {
                    kind,
                    index,
                    odd: false,
                };
            }
            _ => self.failed = true,
        }
    }

    /// A header under an unknown top-level table: reported, not read. A
    /// second header under it fails the file (the two could clash).
    fn unknown(&mut self, key: &Key<'t>) {
        self.parsed.tops = true;
        let named = |top: &Top| matches!(top, Top::Unknown(name, _) if *name == key.name);
        if self.parsed.order.iter().any(named) {
            self.failed = true;
            return;
        }
        let top = Top::Unknown(key.name.to_string(), key.span.clone());
        self.parsed.order.push(top);
        self.section = Section::Ignored;
    }

    /// `[K.id]`: the first header to name the owner, or the file fails
    /// (declared twice, or after its secrets, which reorders toml's DOM).
    fn declare(&mut self, kind: OwnerKind, id: &Key<'t>) -> Option<usize> {
        let span = self.span(id.span.clone());
        let owners = self.owners(kind);
        if owners.contains_key(id.name.as_ref()) {
            return None;
        }
        let owner = Owner {
            span,
            ..Owner::default()
        };
        let (index, _) = owners.insert_full(Name::from(&*id.name), owner);
        self.last = Some((kind, index));
        Some(index)
    }

    /// An owner named by a `[K.id.secrets…]` header, created if new.
    fn named(&mut self, kind: OwnerKind, id: &Key<'t>) -> usize {
        if let Some((k, index)) = self.last
            && k == kind
            && self
                .owners(kind)
                .get_index(index)
                .is_some_and(|(name, _)| *name == id.name)
        {
            return index;
        }
        let span = self.span(id.span.clone());
        let owners = self.owners(kind);
        let index = match owners.get_index_of(id.name.as_ref()) {
            Some(index) => index,
            None => {
                let owner = Owner {
                    span,
                    ..Owner::default()
                };
                owners.insert_full(Name::from(&*id.name), owner).0
            }
        };
        self.last = Some((kind, index));
        index
    }

    /// A `key = value` line of the current section.
    pub(super) fn key_value(&mut self, keys: &[Key<'t>], value: Value<'_, 't>) {
        let (file, text) = (self.file, self.text);
        let Some(first) = keys.first() else {
            self.failed = true;
            return;
        };
        match &mut self.section {
            Section::Root | Section::Empty => self.failed = true,
            Section::Ignored => {}
            Section::Owner {
                kind,
                index,
                seen,
                odd,
            } => {
                let owner = match kind {
                    OwnerKind::Org => &mut self.parsed.orgs[*index],
                    OwnerKind::Site => &mut self.parsed.sites[*index],
                };
                if first.name == "secrets" {
                    owner.secrets_in_body = true;
                }
                if *odd {
                    return;
                }
                let read = match (keys, *kind) {
                    ([key], OwnerKind::Site) => site_field((file, text), owner, seen, key, value),
                    _ => Read::Odd,
                };
                match read {
                    Read::Done => {}
                    Read::Odd => *odd = true,
                    Read::Twice => self.failed = true,
                }
            }
            Section::Secret { odd, .. } => {
                let draft = &mut self.draft;
                draft.keys += 1;
                if *odd {
                    return;
                }
                let read = match keys {
                    [key] => secret_field((file, self.text), draft, key, value),
                    _ => Read::Odd,
                };
                match read {
                    Read::Done => {}
                    Read::Odd => *odd = true,
                    Read::Twice => self.failed = true,
                }
            }
        }
    }

    /// Closes the current section, which ends at byte `end`.
    fn end_section(&mut self, end: usize) {
        let range = self.start..end;
        match std::mem::replace(&mut self.section, Section::Root) {
            Section::Root | Section::Empty => {}
            Section::Ignored => {
                let text = self.text.get(range.clone()).unwrap_or_default();
                if !Loaded::default().convert(self.file, text, range.start) {
                    self.failed = true;
                }
            }
            Section::Owner {
                kind, index, odd, ..
            } => {
                if odd {
                    let owner = &mut self.owners(kind)[index];
                    owner.owner = None;
                    owner.supporting = Vec::new();
                    owner.php = None;
                    owner.environments = Vec::new();
                    self.reference(kind, index, range, true);
                }
            }
            Section::Secret { kind, index, odd } => match complete(std::mem::take(&mut self.draft))
            {
                // Its header checked the name.
                Some(secret) if !odd => self.add_secret_named(kind, index, secret, true),
                _ => self.reference(kind, index, range, false),
            },
        }
    }

    /// Reads section `range` with the reference loader into owner `index`:
    /// its fields if `fields`, its secrets and findings always.
    fn reference(&mut self, kind: OwnerKind, index: usize, range: Range<usize>, fields: bool) {
        let Some(text) = self.text.get(range.clone()) else {
            self.failed = true;
            return;
        };
        let mut loaded = Loaded::default();
        if !loaded.convert(self.file, text, range.start) {
            self.failed = true;
            return;
        }
        let owner = &mut self.owners(kind)[index];
        owner.findings.append(&mut loaded.findings);
        let secrets = match kind {
            OwnerKind::Org => loaded.layout.orgs.pop().map(|(_, org)| org.secrets),
            OwnerKind::Site => loaded.layout.sites.pop().map(|(_, site)| {
                if fields {
                    owner.owner = site.owner;
                    owner.supporting = site.supporting;
                    owner.php = site.php;
                    owner.environments = site.environments;
                }
                site.secrets
            }),
        };
        for secret in secrets.unwrap_or_default() {
            self.add_secret(kind, index, secret);
        }
    }
}

/// How a field was read.
enum Read {
    /// Into the model.
    Done,
    /// Not a shape read here: the section goes to the reference loader.
    Odd,
    /// A key given twice, which TOML rejects: the file fails.
    Twice,
}

/// Marks field `bit` as seen; [`Read::Twice`] if it was.
fn once(seen: &mut u8, bit: u8) -> Option<Read> {
    let twice = *seen & bit != 0;
    *seen |= bit;
    twice.then_some(Read::Twice)
}

/// One `key = value` of a `[sites.ID]` section.
fn site_field(
    cx: (FileId, &str),
    site: &mut Owner,
    seen: &mut u8,
    key: &Key<'_>,
    value: Value<'_, '_>,
) -> Read {
    let (file, text) = cx;
    let (bit, slot) = match key.name.as_ref() {
        "owner" => (1, 0),
        "php" => (2, 1),
        "supporting" => (4, 2),
        "environments" => (8, 3),
        _ => return Read::Odd,
    };
    if let Some(twice) = once(seen, bit) {
        return twice;
    }
    let read = match (slot, value) {
        (0, Value::Scalar(s)) if s.kind == ScalarKind::String => {
            site.owner = Some(spanned(file, s, |t| Name::from(t)));
            true
        }
        (1, Value::Scalar(s)) if s.kind == ScalarKind::String => {
            site.php = Some(spanned(file, s, |t| Name::from(t)));
            true
        }
        // A bare number is kept as written (`8.10`, `8_2`).
        (1, Value::Scalar(s)) if matches!(s.kind, ScalarKind::Float | ScalarKind::Integer(_)) => {
            site.php = text.get(s.span.clone()).map(|raw| Spanned {
                value: Name::from(raw),
                span: Span::new(file, s.span.clone()),
            });
            site.php.is_some()
        }
        (2, Value::Array { items, .. }) => strings(file, items, |t| Name::from(t))
            .map(|l| site.supporting = l)
            .is_some(),
        (3, Value::Array { items, .. }) => strings(file, items, |t| Name::from(t))
            .map(|l| site.environments = l)
            .is_some(),
        _ => false,
    };
    if read { Read::Done } else { Read::Odd }
}

/// The fields of a secret.
#[derive(Clone, Copy)]
enum Field {
    Type,
    Scope,
    Value,
    Overrides,
}

/// One `key = value` of a `[K.id.secrets.NAME]` section.
fn secret_field(
    (file, text): (FileId, &str),
    draft: &mut Draft,
    key: &Key<'_>,
    value: Value<'_, '_>,
) -> Read {
    // The key matched once: each `match` on text compares bytes again.
    let (field, twice) = match key.name.as_ref() {
        "type" => (Field::Type, draft.ty.is_some()),
        "scope" => (Field::Scope, draft.scope.is_some()),
        "value" => (Field::Value, draft.value.is_some()),
        "overrides" => (Field::Overrides, draft.overrides.is_some()),
        _ => return Read::Odd,
    };
    if twice {
        return Read::Twice;
    }
    let read = match (field, value) {
        (Field::Type, Value::Scalar(s)) if s.kind == ScalarKind::String => {
            draft.ty = Some(spanned(file, s, word).loc());
            true
        }
        (Field::Scope, Value::Scalar(s)) if s.kind == ScalarKind::String => {
            let one = spanned(file, s, word).loc();
            draft.scope = Some(Spanned {
                value: Scopes::One(one.value, one.span),
                span: one.span,
            });
            true
        }
        (Field::Scope, Value::Array { span, items }) if !items.is_empty() => {
            draft.scope = scopes(file, items).map(|value| Spanned {
                value,
                span: Span::new(file, span).loc(),
            });
            draft.scope.is_some()
        }
        (Field::Value, Value::Scalar(s)) if s.kind == ScalarKind::String => {
            let loc = Span::new(file, s.span.clone()).loc();
            draft.value = Some(SecretValue::read(&s.text, &text[s.span.clone()], loc));
            true
        }
        (Field::Overrides, Value::Inline { items }) => match overrides((file, text), items) {
            Ok(map) => {
                draft.overrides = Some(map);
                true
            }
            Err(read) => return read,
        },
        _ => false,
    };
    if read { Read::Done } else { Read::Odd }
}

/// `{ env = "value", … }`; [`Read::Odd`] if a value is not a string,
/// [`Read::Twice`] if an environment is given twice. Built in place, in
/// one heap block: most secrets with overrides have one or two, where a
/// map to find a second one was two more blocks.
fn overrides((file, text): (FileId, &str), items: &[Item<'_>]) -> Result<Overrides, Read> {
    let mut list = Overrides::with_capacity(items.len());
    let mut many = (items.len() > SCANNED_UP_TO).then(HashSet::<Word>::new);
    for item in items {
        let Some(key) = &item.key else {
            return Err(Read::Odd);
        };
        if item.value.kind != ScalarKind::String {
            return Err(Read::Odd);
        }
        let loc = Span::new(file, item.value.span.clone()).loc();
        let value = SecretValue::read(&item.value.text, &text[item.value.span.clone()], loc);
        let env = word(key.name.as_ref());
        let twice = match &mut many {
            Some(seen) => !seen.insert(env),
            None => list.contains_word(env),
        };
        if twice {
            return Err(Read::Twice);
        }
        list.push(Override {
            env,
            env_span: Span::new(file, key.span.clone()).loc(),
            value,
        });
    }
    Ok(list)
}

/// A secret whose fields need no finding: `None` for an empty table or a
/// default without `type` or `scope`, which the reference loader reports.
fn complete(draft: Draft) -> Option<Secret> {
    let default = draft.ty.is_some() || draft.scope.is_some() || draft.value.is_some();
    let missing = default && (draft.ty.is_none() || draft.scope.is_none());
    if draft.keys == 0 || missing {
        return None;
    }
    Some(Secret {
        name: draft.name,
        span: draft.span,
        ty: draft.ty,
        scope: draft.scope,
        value: draft.value,
        overrides: draft.overrides.unwrap_or_default(),
    })
}

/// An array of scopes; `None` if an entry is not a string. No heap block
/// for a single scope, and one of the exact size for several.
fn scopes(file: FileId, items: &[Item<'_>]) -> Option<Scopes> {
    let scope = |item: &Item<'_>| {
        let string = item.key.is_none() && item.value.kind == ScalarKind::String;
        string.then(|| spanned(file, &item.value, word).loc())
    };
    match items {
        [one] => scope(one).map(|one| Scopes::One(one.value, one.span)),
        _ => {
            let mut many = Vec::with_capacity(items.len());
            for item in items {
                many.push(scope(item)?);
            }
            Some(Scopes::Many(many.into_boxed_slice()))
        }
    }
}

/// An array of strings; `None` if an entry is something else.
fn strings<T>(file: FileId, items: &[Item<'_>], make: fn(&str) -> T) -> Option<Vec<Spanned<T>>> {
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        if item.key.is_some() || item.value.kind != ScalarKind::String {
            return None;
        }
        strings.push(spanned(file, &item.value, make));
    }
    Some(strings)
}

fn spanned<T>(file: FileId, scalar: &Scalar<'_>, make: fn(&str) -> T) -> Spanned<T> {
    Spanned {
        value: make(&scalar.text),
        span: Span::new(file, scalar.span.clone()),
    }
}
