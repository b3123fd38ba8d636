//! The fast loader: TOML text → orgs, sites and secrets without a DOM, on
//! toml's own low-level parser (`toml_parser`'s lexer and push parser).
//!
//! It reads the shapes real layouts use — `[orgs.ID]`, `[sites.ID]` and
//! `[K.ID.secrets.NAME]` headers with plain `key = value` lines — and must
//! give exactly what the reference loader ([`Loaded::add_text_reference`])
//! gives: the same model, spans and findings. So it gives up on a file
//! (`None`, and the reference loader reads it) at any TOML error, at headers
//! it does not handle (arrays of tables, deeper tables, a table declared
//! twice or after its sub-tables, keys outside `[K.ID]`/secret sections, an
//! unknown top-level table named by two headers, …) and at dates. A section whose fields need findings (an unknown field, a
//! wrong type, a missing `type`) is read again by the reference loader from
//! its own text ([`build`]).
//!
//! Tokens are lexed as a stream and parsed in chunks that end before a
//! `[` starting a line outside any array or inline table: a header. The
//! token buffer stays small whatever the file size, and the spans stay
//! those of the whole file.

mod build;
mod events;

use toml_parser::lexer::{Token, TokenKind};
use toml_parser::parser::parse_document;
use toml_parser::{ErrorSink, ParseError, Source};

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use super::context::Ctx;
use super::fields;
use super::load::TOP_FIELDS;
use super::{Loaded, Name, Org, OwnerKind, Site};
use crate::source::FileId;
pub(super) use build::drop_spare_maps;
use build::{Builder, Owner, Parsed, Top};
use events::Receiver;

/// Tokens parsed at a time (at least: a chunk ends at a header).
const CHUNK_TOKENS: usize = 16 * 1024;

/// Records that the parser or a decoder found an error.
#[derive(Default)]
struct Sink {
    failed: bool,
}

impl ErrorSink for Sink {
    fn report_error(&mut self, _error: ParseError) {
        self.failed = true;
    }
}

/// Pieces of a large file are parsed on several threads: at least this
/// many bytes each.
const MIN_PIECE: usize = 4 << 20;

/// Reads file `file`, whose text is `text`; `None` leaves it to the
/// reference loader. A large file is cut into pieces parsed on several
/// threads ([`pieces`]).
pub(super) fn parse(file: FileId, text: &str) -> Option<Parsed> {
    parse_among(file, text, text.len(), true)
}

/// [`parse`] for a file read along with others, `total` bytes in all, on
/// the same threads: it is cut only into its share of the pieces. Files
/// that are each a small share are read whole: cutting them would only
/// add threads to threads already busy, and pieces to join. But the
/// `last` files, those the threads take when no other is left, are cut
/// into a piece per thread: read whole, the one that ends last ran alone
/// (~45 ms of a 0.85 s check of 1M secrets in 16 files, one core idle).
pub(super) fn parse_among(file: FileId, text: &str, total: usize, last: bool) -> Option<Parsed> {
    let n = piece_count(text.len(), total, crate::parallel::threads(), last);
    parse_in_pieces(file, text, n).map(|(parsed, _)| parsed)
}

/// How many pieces [`parse_among`] cuts a file of `len` bytes into: its
/// share of two pieces per thread, at least one per thread if it is among
/// the `last`, none under [`MIN_PIECE`] bytes (0 or 1: read whole).
fn piece_count(len: usize, total: usize, threads: usize, last: bool) -> usize {
    // Saturating: `WARD_THREADS` may be any number.
    let share = threads
        .saturating_mul(2)
        .saturating_mul(len)
        .div_ceil(total.max(1));
    let share = if last { share.max(threads) } else { share };
    share.min(len / MIN_PIECE)
}

/// [`parse`] with the file cut into at most `n` pieces; also says how many
/// pieces were read apart (1: the file was read whole).
pub(super) fn parse_in_pieces(file: FileId, text: &str, n: usize) -> Option<(Parsed, usize)> {
    let pieces = pieces(text, n);
    let whole = || parse_piece(file, text, 0..text.len()).map(|p| (p, 1));
    if pieces.len() < 2 {
        return whole();
    }
    let parsed = crate::parallel::map(&pieces, |range| parse_piece(file, text, range.clone()));
    // A cut that was not between owners shows as a piece that does not
    // parse alone, or an owner in two pieces: read the file whole.
    combine(parsed).map(|p| (p, pieces.len())).or_else(whole)
}

/// Ranges of `text` to parse apart, at most `n`: cut at the start of a
/// line opening a new owner (`[orgs.ID]`, `[sites.ID]`), near equal
/// sizes. Whether a cut really falls between top-level tables (not inside
/// a multi-line string or array) is for the parse to tell.
pub(super) fn pieces(text: &str, n: usize) -> Vec<Range<usize>> {
    let mut cuts = vec![0];
    for k in 1..n.max(1) {
        let target = (text.len() / n * k).max(cuts[cuts.len() - 1] + 1);
        if let Some(cut) = owner_line_from(text, target) {
            cuts.push(cut);
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The start of the first line at or after `from` that is an owner's
/// header with a bare id, `[sites.ID]`.
fn owner_line_from(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = bytes.get(at..)?.windows(2).position(|w| w == b"\n[") {
        let start = at + i + 1;
        let line = text[start..].lines().next().unwrap_or("");
        let header = line
            .strip_prefix("[orgs.")
            .or_else(|| line.strip_prefix("[sites."));
        let bare = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if let Some((id, rest)) = header.and_then(|h| h.split_once(']'))
            && !id.is_empty()
            && id.chars().all(bare)
            && rest.trim().is_empty()
        {
            return Some(start);
        }
        at = start;
    }
    None
}

/// The pieces' results as one file's: `None` if a piece did not parse,
/// names an owner an earlier piece named, or declares a table only the
/// whole file can judge (see [`Parsed::tops`]).
fn combine(pieces: Vec<Option<Parsed>>) -> Option<Parsed> {
    let pieces: Vec<Parsed> = pieces.into_iter().collect::<Option<_>>()?;
    let mut all = Parsed::default();
    // Sized once: grown by doubling, the lists' old blocks were as large
    // as the new ones, freed at once.
    all.orgs.reserve(pieces.iter().map(|p| p.orgs.len()).sum());
    all.sites
        .reserve(pieces.iter().map(|p| p.sites.len()).sum());
    for (i, piece) in pieces.into_iter().enumerate() {
        if i > 0 && piece.tops {
            return None;
        }
        all.tops |= piece.tops;
        for top in piece.order {
            if !all.order.contains(&top) {
                all.order.push(top);
            }
        }
        for (into, from) in [(&mut all.orgs, piece.orgs), (&mut all.sites, piece.sites)] {
            for (id, owner) in from {
                if into.insert(id, owner).is_some() {
                    return None;
                }
            }
        }
    }
    Some(all)
}

thread_local! {
    /// A thread's token buffer, kept from piece to piece: a fresh one
    /// was ~400 KiB of fresh pages for each file.
    static TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

/// Reads `range` of file `file`, whose text is `text`, as if alone.
fn parse_piece(file: FileId, text: &str, range: Range<usize>) -> Option<Parsed> {
    let mut tokens = TOKENS.take();
    tokens.reserve(CHUNK_TOKENS + 1024);
    let parsed = parse_piece_with(file, text, range, &mut tokens);
    tokens.clear();
    TOKENS.set(tokens);
    parsed
}

/// [`parse_piece`] with `tokens` (empty) for the buffer.
fn parse_piece_with(
    file: FileId,
    text: &str,
    range: Range<usize>,
    tokens: &mut Vec<Token>,
) -> Option<Parsed> {
    let end = range.end;
    let source = Source::new(text.get(range.clone())?);
    let mut receiver = Receiver::new(text, range.start, Builder::new(file, text, range.len()));
    let mut sink = Sink::default();
    // Open `[` and `{` minus closed ones; negative once unbalanced (an
    // error), after which the rest is one chunk.
    let mut depth: i64 = 0;
    let mut line_start = true;
    for token in source.lex() {
        match token.kind() {
            // Whitespace tokens (a fifth of a layout's) are left out: the
            // receiver has nothing to do with them, and the parser reads the
            // same lines without them. Where TOML allows whitespace, it
            // means nothing; values it would split (`1 2`, a date and its
            // time) are joined into one scalar either way, spanning the
            // whitespace; the one place TOML forbids it, inside `[[` and
            // `]]`, then reads as an array of tables, which this loader
            // leaves to the reference loader, and so does any error.
            TokenKind::Whitespace => continue,
            TokenKind::LeftSquareBracket => {
                if depth == 0 && line_start && tokens.len() >= CHUNK_TOKENS {
                    chunk(tokens, &mut receiver, &mut sink);
                    if sink.failed || receiver.failed || receiver.build.failed {
                        return None;
                    }
                    tokens.clear();
                }
                depth += i64::from(depth >= 0);
            }
            TokenKind::LeftCurlyBracket => depth += i64::from(depth >= 0),
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = if depth > 0 { depth - 1 } else { -1 };
            }
            _ => {}
        }
        line_start = token.kind() == TokenKind::Newline;
        tokens.push(token);
    }
    chunk(tokens, &mut receiver, &mut sink);
    if sink.failed || receiver.failed {
        return None;
    }
    receiver.build.finish(end)
}

/// Parses one chunk of tokens, which must end between lines.
fn chunk(tokens: &[Token], receiver: &mut Receiver<'_>, sink: &mut Sink) {
    parse_document(tokens, receiver, sink);
    receiver.end_chunk();
}

/// A file's owner maps, emptied by [`Loaded::merge`].
#[derive(Default)]
pub(super) struct Emptied(Vec<(OwnerKind, crate::layout::ById<Owner>)>);

impl Emptied {
    /// Keeps the maps for the next file's builder, until
    /// [`drop_spare_maps`].
    pub(super) fn recycle(self) {
        for (kind, map) in self.0 {
            build::recycle(kind, map);
        }
    }
}

impl Loaded {
    /// Adds a file the fast loader read: its orgs and sites in the order
    /// toml's DOM has them, each with its findings, or a `duplicate`
    /// finding if an earlier file declared it. Returns the file's owner
    /// maps, emptied, for a load of several files to [`recycle`].
    pub(super) fn merge(&mut self, file: FileId, text: &str, parsed: Parsed) -> Emptied {
        let mut emptied = Emptied::default();
        let cx = Ctx::new(file, text, None);
        let Parsed {
            order, orgs, sites, ..
        } = parsed;
        // Sized once per file, not grown by doubling as owners come.
        self.layout.orgs.reserve(orgs.len());
        self.layout.sites.reserve(sites.len());
        let (mut orgs, mut sites) = (Some(orgs), Some(sites));
        for top in order {
            let kind = match top {
                Top::Owners(kind) => kind,
                Top::Unknown(name, span) => {
                    let key = toml::Spanned::new(span, Cow::Owned(name));
                    self.findings.push(fields::unknown(cx, &key, TOP_FIELDS));
                    continue;
                }
            };
            let owners = match kind {
                OwnerKind::Org => orgs.take(),
                OwnerKind::Site => sites.take(),
            };
            let Some(mut owners) = owners else {
                continue;
            };
            for (id, owner) in owners.drain(..) {
                let first = match kind {
                    OwnerKind::Org => self.layout.orgs.get(&id).map(|o| o.span),
                    OwnerKind::Site => self.layout.sites.get(&id).map(|s| s.span),
                };
                if let Some(first) = first {
                    self.duplicate(cx.owner(kind, &id), owner.span, first);
                    continue;
                }
                self.add_owner(kind, id, owner);
            }
            emptied.0.push((kind, owners));
        }
        emptied
    }

    fn add_owner(&mut self, kind: OwnerKind, id: Name, owner: Owner) {
        let Owner {
            span,
            owner,
            supporting,
            php,
            environments,
            secrets,
            mut findings,
            ..
        } = owner;
        self.findings.append(&mut findings);
        match kind {
            OwnerKind::Org => {
                let org = Org {
                    id: id.clone(),
                    span,
                    secrets,
                };
                self.layout.orgs.insert(id, org);
            }
            OwnerKind::Site => {
                let site = Site {
                    id: id.clone(),
                    span,
                    owner,
                    supporting,
                    php,
                    environments,
                    secrets,
                };
                self.layout.sites.insert(id, site);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MIN_PIECE, piece_count};

    /// A file among many is read whole but for the last ones, which are
    /// cut into a piece per thread; a lone large file is cut into two
    /// pieces per thread; a small file is never cut.
    #[test]
    fn the_last_files_are_cut_a_piece_per_thread() {
        let file = 14 << 20;
        let total = 16 * file;
        assert_eq!(piece_count(file, total, 2, false), 1);
        assert_eq!(piece_count(file, total, 2, true), 2);
        assert_eq!(piece_count(file, total, 3, true), 3);
        assert_eq!(piece_count(16 * file, 16 * file, 2, true), 4);
        assert_eq!(piece_count(16 * file, 16 * file, 2, false), 4);
        // Pieces of MIN_PIECE bytes at least.
        assert_eq!(piece_count(MIN_PIECE * 2, total, 4, true), 2);
        assert!(piece_count(MIN_PIECE - 1, total, 2, true) <= 1);
        assert!(piece_count(MIN_PIECE - 1, MIN_PIECE - 1, 2, true) <= 1);
    }
}
