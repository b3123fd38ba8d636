//! Layouts: the orgs and sites of one or more TOML files, every entry with
//! the span it was declared at.

mod context;
mod duplicate;
mod fast;
mod fields;
mod load;
pub mod mask;
mod secret;
mod secrets;
mod section;
mod spans;
mod syntax;
#[cfg(test)]
mod tests;
mod walk;

pub(crate) use context::show;
pub use load::{LoadError, Loaded, Part, load_paths, load_str, map_paths, part_ranges, read_files};
pub use secrets::{Released, Secrets};
pub use section::{Section, load_section};

use indexmap::IndexMap;

use thin_vec::ThinVec;

use crate::secret::SecretString;
use crate::source::{FileId, Loc, Sources, Span};

/// A name or string with the span it was written at: a [`Span`], or in a
/// secret's fields a [`Loc`] in the secret's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T, S = Span> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: S,
}

impl<T> Spanned<T> {
    /// The same without the span's file (a field of a secret, whose file
    /// the secret gives).
    pub fn loc(self) -> Spanned<T, Loc> {
        Spanned {
            value: self.value,
            span: self.span.loc(),
        }
    }
}

impl<T> Spanned<T, Loc> {
    /// The same with its place in `file`.
    pub fn at(self, file: FileId) -> Spanned<T> {
        Spanned {
            value: self.value,
            span: self.span.at(file),
        }
    }
}

/// A secret value with the place it was written at (in its secret's file).
///
/// Most values are read in place: the text between the quotes of their
/// token in the file, which [`SourceText`](crate::source::SourceText) zeroes
/// when dropped. A value whose text differs from what is written (escapes,
/// multi-line strings) keeps its decoded text in a [`SecretString`].
/// `Debug` never shows the text.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Repr);

/// 16 bytes, and `Option<SecretValue>` too (the tag has room for `None`):
/// a million secrets carry one each.
#[derive(Clone, PartialEq, Eq)]
enum Repr {
    /// The token's inside as written; the token's place.
    InPlace(Loc),
    /// The decoded text and the token's place: rare, so boxed.
    Decoded(Box<(SecretString, Loc)>),
}

impl SecretValue {
    /// Wraps a decoded value written at `loc`.
    pub fn new(text: impl Into<SecretString>, loc: Loc) -> Self {
        SecretValue(Repr::Decoded(Box::new((text.into(), loc))))
    }

    /// The value `decoded` of the string `token` (as written, quotes
    /// included) at `loc`: read in place when it is the token's inside as
    /// written (no copy).
    pub fn read(decoded: &str, token: &str, loc: Loc) -> Self {
        let inside = token.get(1..token.len().saturating_sub(1));
        // Most values are the token's inside itself, borrowed: then no
        // byte needs comparing.
        let same = inside.is_some_and(|i| std::ptr::eq(i, decoded) || i == decoded);
        if token.len() == loc.len() && same {
            SecretValue(Repr::InPlace(loc))
        } else {
            SecretValue::new(decoded.to_owned(), loc)
        }
    }

    /// The value itself: callers decide whether it may be shown. `file` is
    /// its secret's, `sources` those of the layout it was loaded into.
    pub fn expose<'a>(&'a self, file: FileId, sources: &'a Sources) -> &'a str {
        match &self.0 {
            Repr::Decoded(text) => text.0.expose(),
            Repr::InPlace(_) => sources.text(self.inside().at(file)),
        }
    }

    /// Length in bytes (the unit of the size limit).
    pub fn bytes(&self) -> usize {
        match &self.0 {
            Repr::Decoded(text) => text.0.len(),
            Repr::InPlace(_) => self.inside().len(),
        }
    }

    /// The place of the TOML string token that holds the value.
    pub fn loc(&self) -> Loc {
        match &self.0 {
            Repr::InPlace(loc) => *loc,
            Repr::Decoded(text) => text.1,
        }
    }

    /// The token's place, to move it.
    pub fn loc_mut(&mut self) -> &mut Loc {
        match &mut self.0 {
            Repr::InPlace(loc) => loc,
            Repr::Decoded(text) => &mut text.1,
        }
    }

    /// The span of the token in `file`, its secret's.
    pub fn span(&self, file: FileId) -> Span {
        self.loc().at(file)
    }

    /// The place between the token's quotes.
    fn inside(&self) -> Loc {
        let loc = self.loc();
        Loc {
            start: loc.start + 1,
            end: loc.end.saturating_sub(1).max(loc.start + 1),
        }
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretValue([REDACTED] {} bytes)", self.bytes())
    }
}

/// Who owns a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnerKind {
    /// An organization.
    Org,
    /// A site.
    Site,
}

impl OwnerKind {
    /// `org` or `site`, as the policy language and JSON output spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Org => "org",
            OwnerKind::Site => "site",
        }
    }
}

/// A short name held inline (up to 24 bytes) rather than on the heap:
/// secret names, types, scopes and environments, several per secret, are
/// a few million small allocations at a million secrets otherwise.
pub type Name = compact_str::CompactString;

/// A word of a policy's vocabulary as a layout uses it — a type, a scope,
/// an environment — interned (8 bytes, compared by pointer when equal):
/// a few distinct words, written a million times. Never a secret value.
pub type Word = ustr::Ustr;

/// `text` as a [`Word`]. Each thread keeps the words it made in a small
/// table, one per slot of a hash of their bytes: a layout repeats a
/// handful of words (types, scopes, environments), and the interner's hash
/// and lock cost more than one comparison. (A scan of the last few words
/// made compared each text with up to eight.)
pub fn word(text: &str) -> Word {
    const SLOT_BITS: u32 = 6;
    /// A word made, with its first 8 bytes and its length.
    type Made = Option<(u64, usize, Word)>;
    thread_local! {
        static MADE: std::cell::RefCell<[Made; 1 << SLOT_BITS]> =
            const { std::cell::RefCell::new([None; 1 << SLOT_BITS]) };
    }
    let bytes = text.as_bytes();
    let head = head(bytes);
    // The head, the last byte and the length, mixed by a multiplication
    // whose top bits pick the slot.
    let last = u64::from(bytes.last().copied().unwrap_or(0));
    let key = head ^ last << 56 ^ (bytes.len() as u64) << 48;
    let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOT_BITS)) as usize;
    MADE.with_borrow_mut(|made| match made[slot] {
        // Head and length are the whole text up to 8 bytes.
        Some((h, len, w)) if h == head && len == bytes.len() && (len <= 8 || w == text) => w,
        _ => made[slot].insert((head, bytes.len(), Word::from(text))).2,
    })
}

/// Up to 8 bytes of `bytes` as a number: all of them when there are 8 or
/// fewer, so that with the length it tells such texts apart. Read by
/// loads that may overlap rather than copied into a zeroed buffer: the
/// buffer's bytes, stored one by one and read back as one number, held
/// every call up for a few cycles (half of [`word`]'s time).
fn head(bytes: &[u8]) -> u64 {
    let at = |i: usize| u64::from(bytes[i]);
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes([
            bytes[i],
            bytes[i + 1],
            bytes[i + 2],
            bytes[i + 3],
        ]))
    };
    match bytes.len() {
        0 => 0,
        n @ 1..=3 => at(0) | at(n / 2) << 8 | at(n - 1) << 16,
        n @ 4..=7 => u32_at(0) | u32_at(n - 4) << 32,
        _ => u64::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ]),
    }
}

/// One secret as declared by an org or a site.
///
/// Its fields are in the file of its `span`, and their places are [`Loc`]s
/// in that file: a file id each was 20 bytes a secret.
#[derive(Clone, Debug)]
pub struct Secret {
    /// The secret's name (key).
    pub name: Name,
    /// The name in the table header (or dotted key).
    pub span: Span,
    /// `type = ...`; absent on an override-only entry.
    pub ty: Option<Spanned<Word, Loc>>,
    /// `scope = [...]`; absent on an override-only entry.
    pub scope: Option<Spanned<Scopes, Loc>>,
    /// `value = ...`; absent when withheld or on an override-only entry.
    pub value: Option<SecretValue>,
    /// `overrides = { env = value }`, in declaration order.
    pub overrides: Overrides,
}

/// A secret's scopes, in declaration order. Most secrets have one, kept
/// in the secret: a boxed list each was a heap block per secret (30 MB at
/// 1M secrets) and a pointer every rule that reads scopes had to follow.
/// `Option<Spanned<Scopes, Loc>>` takes 32 bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scopes {
    /// Exactly one scope, and where it is written.
    One(Word, Loc),
    /// None, or more than one.
    Many(Box<[Spanned<Word, Loc>]>),
}

impl Scopes {
    /// The scopes, with their spans, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = Spanned<Word, Loc>> + '_ {
        let (one, many) = match self {
            Scopes::One(value, span) => (
                Some(Spanned {
                    value: *value,
                    span: *span,
                }),
                &[][..],
            ),
            Scopes::Many(many) => (None, &many[..]),
        };
        one.into_iter().chain(many.iter().copied())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        match self {
            Scopes::One(..) => 1,
            Scopes::Many(many) => many.len(),
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `scope` is one of them: a `&str`, or a [`Word`] (then a
    /// comparison of pointers per scope).
    pub fn contains<S: Copy>(&self, scope: S) -> bool
    where
        Word: PartialEq<S>,
    {
        match self {
            Scopes::One(value, _) => *value == scope,
            Scopes::Many(many) => many.iter().any(|x| x.value == scope),
        }
    }

    /// Calls `f` on each scope's span.
    pub fn spans_mut(&mut self, f: &mut impl FnMut(&mut Loc)) {
        match self {
            Scopes::One(_, span) => f(span),
            Scopes::Many(many) => many.iter_mut().for_each(|s| f(&mut s.span)),
        }
    }
}

impl From<Vec<Spanned<Word, Loc>>> for Scopes {
    fn from(list: Vec<Spanned<Word, Loc>>) -> Self {
        match list[..] {
            [one] => Scopes::One(one.value, one.span),
            _ => Scopes::Many(list.into_boxed_slice()),
        }
    }
}

impl FromIterator<Spanned<Word, Loc>> for Scopes {
    /// Without a heap block for the usual single scope: that was a block
    /// made and freed for each of a million secrets.
    fn from_iter<I: IntoIterator<Item = Spanned<Word, Loc>>>(iter: I) -> Self {
        let mut iter = iter.into_iter();
        match (iter.next(), iter.next()) {
            (Some(one), None) => Scopes::One(one.value, one.span),
            (first, second) => Scopes::Many(first.into_iter().chain(second).chain(iter).collect()),
        }
    }
}

/// A secret's environment overrides, in declaration order, each
/// environment once (the loaders report a second one). A list rather than
/// a map: most secrets have none or one, and an empty list costs no
/// allocation. A thin list (its length in its heap block): one word in
/// each of a million secrets, not two.
#[derive(Clone, Debug, Default)]
pub struct Overrides(ThinVec<Override>);

impl Overrides {
    /// The override for `env`.
    pub fn get(&self, env: &str) -> Option<&Override> {
        self.0.iter().find(|o| o.env == env)
    }

    /// Whether there is an override for `env`.
    pub fn contains_key(&self, env: &str) -> bool {
        self.get(env).is_some()
    }

    /// The environments, in declaration order.
    pub fn keys(&self) -> impl Iterator<Item = &Word> {
        self.0.iter().map(|o| &o.env)
    }

    /// The overrides, in declaration order.
    pub fn values(&self) -> std::slice::Iter<'_, Override> {
        self.0.iter()
    }

    /// (environment, override) pairs, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&Word, &Override)> {
        self.0.iter().map(|o| (&o.env, o))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Room for `n`, in one heap block (none for 0).
    pub(crate) fn with_capacity(n: usize) -> Self {
        Overrides(ThinVec::with_capacity(n))
    }

    /// Whether there is an override for `env`, by pointer.
    pub(crate) fn contains_word(&self, env: Word) -> bool {
        self.0.iter().any(|o| o.env == env)
    }

    /// Adds `o`, whose environment the caller knows is not there yet
    /// (checking here would make 100k overrides quadratic).
    pub(crate) fn push(&mut self, o: Override) {
        self.0.push(o);
    }

    /// Removes them all.
    pub fn clear(&mut self) {
        self.0 = ThinVec::new();
    }
}

impl FromIterator<Override> for Overrides {
    fn from_iter<I: IntoIterator<Item = Override>>(iter: I) -> Self {
        let mut list: ThinVec<Override> = iter.into_iter().collect();
        list.shrink_to_fit();
        Overrides(list)
    }
}

impl<'a> IntoIterator for &'a Overrides {
    type Item = (&'a Word, &'a Override);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, Override>, fn(&Override) -> (&Word, &Override)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|o| (&o.env, o))
    }
}

impl Secret {
    /// Whether the entry declares a default (type, scope or value) rather
    /// than only overrides on top of a default held elsewhere.
    pub fn declares_default(&self) -> bool {
        self.ty.is_some() || self.scope.is_some() || self.value.is_some()
    }

    /// Whether the secret's scopes include `scope`: a `&str`, or a
    /// [`Word`] (then a comparison of pointers per scope).
    pub fn has_scope<S: Copy>(&self, scope: S) -> bool
    where
        Word: PartialEq<S>,
    {
        self.scope.as_ref().is_some_and(|s| s.value.contains(scope))
    }
}

/// An environment override of a secret.
#[derive(Clone, Debug)]
pub struct Override {
    /// The environment name.
    pub env: Word,
    /// Place of the environment key (in its secret's file).
    pub env_span: Loc,
    /// The value for that environment.
    pub value: SecretValue,
}

/// An organization.
#[derive(Clone, Debug)]
pub struct Org {
    /// The org id (its key under `orgs`).
    pub id: Name,
    /// Span of the id in the first header that declares it.
    pub span: Span,
    /// The org's secrets, in declaration order.
    pub secrets: Secrets,
}

/// A site.
#[derive(Clone, Debug)]
pub struct Site {
    /// The site id (its key under `sites`).
    pub id: Name,
    /// Span of the id in the first header that declares it.
    pub span: Span,
    /// The primary organization; `None` for a personal site.
    pub owner: Option<Spanned<Name>>,
    /// Supporting organizations.
    pub supporting: Vec<Spanned<Name>>,
    /// PHP version, as written.
    pub php: Option<Spanned<Name>>,
    /// Environments declared beyond the policy's always-present ones.
    pub environments: Vec<Spanned<Name>>,
    /// The site's secrets, in declaration order.
    pub secrets: Secrets,
}

/// Orgs or sites by id, in declaration order. A check looks ids up
/// several times per site (its owner, for the rules' facts, the
/// vocabulary and every view): hashed with foldhash, faster than std's
/// SipHash, and seeded per process so that a crafted layout still cannot
/// make the map degrade.
pub type ById<V> = IndexMap<Name, V, foldhash::fast::RandomState>;

/// All orgs and sites of a run, with the files they came from.
#[derive(Debug, Default)]
pub struct Layout {
    /// Every file read, for diagnostics.
    pub sources: Sources,
    /// Orgs in declaration order.
    pub orgs: ById<Org>,
    /// Sites in declaration order.
    pub sites: ById<Site>,
}

/// Owners from which a layout's stages that each run on one thread (rule
/// facts, vocabulary checks, views, freeing the secrets) are worth a
/// thread each, side by side.
const BIG_LAYOUT: usize = 10_000;

impl Layout {
    /// Whether the layout has owners enough for [`BIG_LAYOUT`].
    pub(crate) fn is_big(&self) -> bool {
        self.orgs.len() + self.sites.len() >= BIG_LAYOUT
    }

    /// Frees what holds secret text — the file texts and the few values
    /// kept decoded, all zeroed on drop — and leaks the rest: for a
    /// process about to exit, where freeing a million secrets' small
    /// allocations one by one takes longer than checking them did.
    pub fn release(mut self) {
        let big = self.is_big();
        std::mem::take(&mut self.sources).free(big);
        self.release_secrets();
        std::mem::forget(self);
    }

    /// Frees every secret of the orgs and sites, which are left without
    /// secrets, as [`Layout::release`] does: for a run that reads no
    /// secret after this (a check's report, which reads its findings and
    /// the file texts only).
    pub fn release_secrets(&mut self) {
        self.take_secrets().free();
    }

    /// Takes every secret of the orgs and sites, which are left without
    /// secrets, for [`Released::free`] to free (on another thread, say).
    pub fn take_secrets(&mut self) -> Released {
        let owners = self.orgs.values_mut().map(|o| &mut o.secrets);
        Secrets::take(owners.chain(self.sites.values_mut().map(|s| &mut s.secrets)))
    }
}
