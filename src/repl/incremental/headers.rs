//! The header lines of a layout file (`[orgs.ID…]`, `[sites.ID…]` and any
//! other `[…]`) with their line numbers: where an owner's section starts
//! and ends, and on which line an offset is, without reading the file.
//!
//! Lines are read one by one, without a TOML parser: a line inside a
//! multi-line string or array that starts with `[` is taken for a header.
//! That errs on the safe side — it can only cut an owner's section short
//! (which then does not parse on its own) or make it look split (which
//! sends the edit down the whole-file path) — and a header the reader
//! cannot read (escapes, arrays of tables) makes the file's sections
//! unusable.

use std::collections::HashMap;
use std::ops::Range;

use crate::layout::OwnerKind;

/// Hashing for the per-owner counts: seeded, fast.
type Hasher = foldhash::fast::RandomState;

/// `key` tags (its low two bits).
const FOREIGN: u32 = 0;
const BARE: u32 = 3;

/// One header line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Header {
    /// Where the line starts.
    pub(super) start: u32,
    /// Its 1-based line number.
    pub(super) line: u32,
    /// Whose header it is: see [`key`].
    pub(super) key: u32,
}

/// The headers of one file.
#[derive(Debug, Default)]
pub(super) struct Headers {
    /// In file order.
    list: Vec<Header>,
    /// How many headers each owner has (by key).
    counts: HashMap<u32, u32, Hasher>,
    /// Every header could be read, and nothing but comments comes before
    /// the first.
    readable: bool,
    /// Each owner's headers follow one another.
    blocky: bool,
    /// Per kind (orgs, sites): the file's first header under it is spelled
    /// `[orgs.`/`[sites.`, as a new header of an edit is (toml_edit spells
    /// a key as where the document first names it).
    plain: [bool; 2],
}

/// An owner's section, as [`Headers::section`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// Its headers' indices in the list.
    pub(super) headers: Range<usize>,
    /// Its bytes.
    pub(super) range: Range<usize>,
    /// The line it starts on.
    pub(super) line: u32,
}

/// What a line that starts with `[` declares.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Line<'t> {
    /// `[orgs.ID…]` or `[sites.ID…]`.
    Owner(OwnerKind, &'t str),
    /// `[orgs]` or `[sites]`.
    Bare(OwnerKind),
    /// Any other table.
    Foreign,
    /// Not read here: escapes in a key, an array of tables, a stray `[`.
    Unreadable,
}

/// What [`scan`] found in a range of lines.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) headers: Vec<Header>,
    /// Newlines in the range.
    pub(super) newlines: u32,
    /// A header could not be read.
    pub(super) unreadable: bool,
    /// A line other than a blank or a comment comes before the first
    /// header.
    pub(super) root_keys: bool,
    /// Per kind: the spelling of the range's first header under it is
    /// `[orgs.`/`[sites.` (`None`: no such header).
    pub(super) plain: [Option<bool>; 2],
}

impl Headers {
    /// The headers of `text`, a whole file.
    pub(super) fn of(text: &str) -> Headers {
        let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let scan = scan(text, from..text.len(), 1);
        let mut counts: HashMap<u32, u32, Hasher> = HashMap::default();
        let mut blocky = true;
        let mut last = None;
        for h in scan.headers.iter().filter(|h| is_owner(h.key)) {
            let n = counts.entry(h.key).or_default();
            blocky &= *n == 0 || last == Some(h.key);
            *n += 1;
            last = Some(h.key);
        }
        Headers {
            list: scan.headers,
            counts,
            readable: !scan.unreadable && !scan.root_keys,
            blocky,
            plain: scan.plain.map(|p| p.unwrap_or(true)),
        }
    }

    /// Where to cut the file `text`, whose headers these are, so that each
    /// part holds whole sections and reads as a file of its own: at the
    /// start of the section (its leading comments included) of each owner
    /// header that starts at a byte of `at`. `None` when the file cannot
    /// be cut: its sections cannot be edited apart; an owner's headers are
    /// not together; a header is not an owner's (a bare `[orgs]` whose
    /// keys a later part's header would clash with, or any other table);
    /// an owner header is not spelled `[orgs.`/`[sites.` (toml_edit spells
    /// a new header's `orgs`/`sites` as its document first does, and a
    /// part is its own document); or a header at a cut is not the first
    /// of its owner's.
    pub(super) fn cuts(&self, text: &str, at: &[usize]) -> Option<Vec<usize>> {
        if !(self.readable && self.blocky) {
            return None;
        }
        // Every header spelled so: each kind's first too (`plain`).
        let spelled = |h: &Header| {
            let line = text.get(h.start as usize..).unwrap_or("");
            line.starts_with("[orgs.") || line.starts_with("[sites.")
        };
        if !self.list.iter().all(|h| is_owner(h.key) && spelled(h)) {
            return None;
        }
        let floor = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut out = Vec::with_capacity(at.len());
        for &cut in at {
            let i = self.list.partition_point(|h| (h.start as usize) < cut);
            let header = self.list.get(i).filter(|h| h.start as usize == cut)?;
            let before = self.list.get(i.checked_sub(1)?)?;
            if before.key == header.key {
                return None;
            }
            out.push(decor_start(text, cut, floor));
        }
        (!out.is_empty()).then_some(out)
    }

    /// Whether sections of owners of `kind` can be edited apart.
    pub(super) fn usable(&self, kind: OwnerKind) -> bool {
        self.readable && self.plain[slot(kind)]
    }

    /// Whether each owner's headers follow one another.
    pub(super) fn blocky(&self) -> bool {
        self.blocky
    }

    /// The section of the owner `kind`/`id` whose first header line
    /// contains byte `at` (the owner's span), if its headers follow one
    /// another and are all it has.
    ///
    /// A section runs from the blank and comment lines just before its
    /// first header (toml_edit counts them as the header's: they go when
    /// its table goes) to those before the next header, or to the end of
    /// the file.
    pub(super) fn section(
        &self,
        text: &str,
        kind: OwnerKind,
        id: &str,
        at: usize,
    ) -> Option<Found> {
        let key = key(kind, id);
        let first = self.list.partition_point(|h| h.start as usize <= at);
        let first = first.checked_sub(1)?;
        let count = self.list[first..]
            .iter()
            .take_while(|h| h.key == key)
            .count();
        if count == 0 || self.counts.get(&key).copied() != Some(count as u32) {
            return None;
        }
        let header = self.list[first];
        let floor = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let start = decor_start(text, header.start as usize, floor);
        let end = self
            .list
            .get(first + count)
            .map_or(text.len(), |h| decor_start(text, h.start as usize, floor));
        // The first line holds the owner's span; every header names it
        // (the key is a hash: two owners may share one).
        let first_line = text.get(header.start as usize..)?.split('\n').next()?;
        let names = |h: &Header| {
            let line = text.get(h.start as usize..).unwrap_or("");
            read_header(line.split('\n').next().unwrap_or("")) == Line::Owner(kind, id)
        };
        let ok = at < header.start as usize + first_line.len()
            && self.list[first..first + count].iter().all(names)
            && plain(first_line, kind);
        let decor = text.get(start..header.start as usize)?;
        let line = header.line - memchr::memchr_iter(b'\n', decor.as_bytes()).count() as u32;
        ok.then_some(Found {
            headers: first..first + count,
            range: start..end,
            line,
        })
    }

    /// Replaces the headers `old` (indices) by `new`, a section's, whose
    /// change in length is `bytes` and in lines `lines`: the headers after
    /// them move.
    pub(super) fn replace(&mut self, old: Range<usize>, new: Vec<Header>, bytes: i64, lines: i64) {
        for h in &self.list[old.clone()] {
            if let Some(n) = self.counts.get_mut(&h.key) {
                *n = n.saturating_sub(1);
            }
        }
        for h in new.iter().filter(|h| is_owner(h.key)) {
            *self.counts.entry(h.key).or_default() += 1;
        }
        let end = old.start + new.len();
        self.list.splice(old, new);
        for h in &mut self.list[end..] {
            h.start = (i64::from(h.start) + bytes) as u32;
            h.line = (i64::from(h.line) + lines) as u32;
        }
    }

    /// The 1-based line of byte `offset` of `text` and the offset at which
    /// that line starts.
    pub(super) fn line_of(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let i = self.list.partition_point(|h| h.start as usize <= offset);
        let (line, start) = match i.checked_sub(1).map(|i| self.list[i]) {
            // Line 1 starts at 0, byte-order mark included.
            Some(h) if h.line == 1 => (1, 0),
            Some(h) => (h.line as usize, h.start as usize),
            None => (1, 0),
        };
        let bytes = text.as_bytes().get(start..offset).unwrap_or_default();
        let line = line + memchr::memchr_iter(b'\n', bytes).count();
        let start = memchr::memrchr(b'\n', bytes).map_or(start, |i| start + i + 1);
        (line, start)
    }
}

/// Where the blank and comment lines right before the line at `start`
/// begin (not before `floor`).
fn decor_start(text: &str, start: usize, floor: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while at > floor {
        let before = &bytes[floor..at - 1];
        let line = memchr::memrchr(b'\n', before).map_or(floor, |i| floor + i + 1);
        if !blank(text.get(line..at - 1).unwrap_or("x")) {
            break;
        }
        at = line;
    }
    at
}

/// Reads the lines of `text` in `range` (which starts a line) whose first
/// line is line `first_line`.
pub(super) fn scan(text: &str, range: Range<usize>, first_line: u32) -> Scan {
    let mut out = Scan::default();
    let bytes = text.as_bytes();
    let mut start = range.start;
    let mut line = first_line;
    while start < range.end {
        let end = memchr::memchr(b'\n', &bytes[start..range.end]).map_or(range.end, |i| start + i);
        let body = text.get(start..end).unwrap_or("");
        let trimmed = body.trim_start_matches([' ', '\t']);
        if trimmed.starts_with('[') {
            let read = read_header(body);
            out.unreadable |= read == Line::Unreadable;
            let kind = match read {
                Line::Owner(kind, _) | Line::Bare(kind) => Some(kind),
                _ => None,
            };
            if let Some(kind) = kind {
                out.plain[slot(kind)].get_or_insert(plain(body, kind));
            }
            out.headers.push(Header {
                start: start as u32,
                line,
                key: key_of(&read),
            });
        } else if out.headers.is_empty() && !blank(trimmed) {
            out.root_keys = true;
        }
        if end < range.end {
            out.newlines += 1;
            line += 1;
        }
        start = end + 1;
    }
    out
}

/// What a line declares, if it starts (after spaces) with `[`.
pub(super) fn read_header(line: &str) -> Line<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some(rest) = line.trim_start_matches([' ', '\t']).strip_prefix('[') else {
        return Line::Unreadable;
    };
    if rest.starts_with('[') {
        return Line::Unreadable;
    }
    // The first two keys are all that matters (a million headers: no
    // allocation per line).
    let mut keys: [Option<&str>; 2] = [None, None];
    let mut rest = rest;
    for n in 0.. {
        let Some((key, after)) = read_key(rest.trim_start_matches([' ', '\t'])) else {
            return Line::Unreadable;
        };
        if let Some(slot) = keys.get_mut(n) {
            *slot = Some(key);
        }
        let after = after.trim_start_matches([' ', '\t']);
        if let Some(after) = after.strip_prefix('.') {
            rest = after;
            continue;
        }
        let Some(after) = after.strip_prefix(']') else {
            return Line::Unreadable;
        };
        let after = after.trim_start_matches([' ', '\t']);
        if !(after.is_empty() || after.starts_with('#')) {
            return Line::Unreadable;
        }
        break;
    }
    let kind = match keys[0] {
        Some("orgs") => OwnerKind::Org,
        Some("sites") => OwnerKind::Site,
        _ => return Line::Foreign,
    };
    match keys[1] {
        Some(id) => Line::Owner(kind, id),
        None => Line::Bare(kind),
    }
}

/// A bare, `"basic"` (without escapes) or `'literal'` key at the start of
/// `s`, and what follows it.
fn read_key(s: &str) -> Option<(&str, &str)> {
    let quoted = |q: char| {
        let inner = s.strip_prefix(q)?;
        let end = inner.find(q)?;
        let key = &inner[..end];
        let plain = !key.contains('\\') && !key.chars().any(|c| c.is_control() && c != '\t');
        plain.then(|| (key, &inner[end + 1..]))
    };
    match s.chars().next()? {
        '"' => quoted('"'),
        '\'' => quoted('\''),
        _ => {
            let end = s
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(s.len());
            (end > 0).then(|| (&s[..end], &s[end..]))
        }
    }
}

/// Whether a header line is spelled `[orgs.`/`[sites.` from its first
/// byte.
fn plain(line: &str, kind: OwnerKind) -> bool {
    let prefix = match kind {
        OwnerKind::Org => "[orgs.",
        OwnerKind::Site => "[sites.",
    };
    line.starts_with(prefix)
}

/// A blank or comment line (a line's text without its newline).
fn blank(line: &str) -> bool {
    let t = line.trim_matches([' ', '\t', '\r']);
    t.is_empty() || t.starts_with('#')
}

pub(super) fn slot(kind: OwnerKind) -> usize {
    match kind {
        OwnerKind::Org => 0,
        OwnerKind::Site => 1,
    }
}

/// The key of an owner: a hash of its kind and id, tagged with its kind.
pub(super) fn key(kind: OwnerKind, id: &str) -> u32 {
    let tag = slot(kind) as u32 + 1;
    (fnv(kind, id) << 2) | tag
}

fn key_of(line: &Line<'_>) -> u32 {
    match line {
        Line::Owner(kind, id) => key(*kind, id),
        Line::Bare(kind) => (fnv(*kind, "") << 2) | BARE,
        Line::Foreign | Line::Unreadable => FOREIGN,
    }
}

/// Whether a key is an owner's (not another table's).
pub(super) fn is_owner(key: u32) -> bool {
    matches!(key & 3, 1 | 2)
}

/// FNV-1a, 30 bits, of a kind and an id.
fn fnv(kind: OwnerKind, id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in std::iter::once(slot(kind) as u8).chain(id.bytes()) {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h >> 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_with_their_owner() {
        let read = |l| read_header(l);
        assert_eq!(read("[sites.a]"), Line::Owner(OwnerKind::Site, "a"));
        assert_eq!(
            read("  [ orgs . \"a b\" .secrets.'X.Y' ]  # c\r"),
            Line::Owner(OwnerKind::Org, "a b")
        );
        assert_eq!(read("[sites]"), Line::Bare(OwnerKind::Site));
        assert_eq!(read("[other.a]"), Line::Foreign);
        for odd in [
            "[[sites.a]]",
            "[sites.\"a\\u0062\"]",
            "[sites.a",
            "[sites.a] x",
            "[]",
        ] {
            assert_eq!(read(odd), Line::Unreadable, "{odd}");
        }
    }

    #[test]
    fn a_section_runs_to_the_next_owners_header() {
        let text = "# top\n[sites.a]\nphp = \"8\"\n\n[sites.a.secrets.K]\nvalue = \"v\"\n# b's\n[sites.b]\n";
        let h = Headers::of(text);
        assert!(h.usable(OwnerKind::Site) && h.blocky());
        let at = text.find("a]").unwrap();
        let found = h.section(text, OwnerKind::Site, "a", at).unwrap();
        assert_eq!((found.headers, found.line), (0..2, 1));
        // The comments before a header are its own.
        assert_eq!(
            &text[found.range],
            "# top\n[sites.a]\nphp = \"8\"\n\n[sites.a.secrets.K]\nvalue = \"v\"\n"
        );
        assert_eq!(
            h.line_of(text, text.find("value").unwrap()),
            (6, text.find("value").unwrap())
        );
        assert_eq!(h.line_of(text, 2), (1, 0));
        // Split: no section.
        let split = "[sites.a]\n[sites.b]\n[sites.a.secrets.K]\n";
        let h = Headers::of(split);
        assert!(!h.blocky());
        assert_eq!(h.section(split, OwnerKind::Site, "a", 7), None);
        // A key-value line before the first header: no sections.
        assert!(!Headers::of("sites.a.php = \"8\"\n[sites.b]\n").usable(OwnerKind::Site));
        assert!(!Headers::of("[ sites.b]\n").usable(OwnerKind::Site));
        assert!(Headers::of("[ sites.b]\n").usable(OwnerKind::Org));
    }

    #[test]
    fn a_file_is_cut_before_an_owners_blank_lines_and_only_where_parts_read_alone() {
        let text =
            "[orgs.o]\n[orgs.o.secrets.K]\nvalue = \"v\"\n\n# b's\n[sites.b]\nowner = \"o\"\n";
        let at = [text.find("[sites.b]").unwrap()];
        let cut = Headers::of(text).cuts(text, &at);
        // The blank and comment lines before the header go with it, as
        // they do with its section.
        assert_eq!(cut, Some(vec![text.find("\n\n# b's").unwrap() + 1]));
        // Not at a header, or at an owner's second header.
        assert_eq!(Headers::of(text).cuts(text, &[3]), None);
        let again = "[sites.b]\n[sites.b.secrets.K]\n";
        assert_eq!(Headers::of(again).cuts(again, &[10]), None);
        assert_eq!(Headers::of(text).cuts(text, &[]), None);
        // Any header but an owner's plainly spelled one, or owners split:
        // the file stays whole.
        for odd in [
            "[orgs.o]\n[orgs]\nb = \"x\"\n[sites.b]\n",
            "[orgs.o]\n[other]\n[sites.b]\n",
            "[orgs.o]\n[sites.b]\n[ sites . c ]\n",
            "[orgs.o]\n[sites.b]\n[\"sites\".c]\n",
            "[orgs.o]\n[sites.b]\n[orgs.o.secrets.K]\n",
            "k = 1\n[orgs.o]\n[sites.b]\n",
        ] {
            let at = [odd.find("[sites.b]").unwrap()];
            assert_eq!(Headers::of(odd).cuts(odd, &at), None, "{odd:?}");
        }
    }
}
