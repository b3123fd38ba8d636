//! Reading keys and headers for the masker: dotted-key segments, and
//! whether a line starts a new statement.

use super::{HIDING_PARENTS, Masker, VALUE_WORDS};

/// The start of a line, looked at without moving.
pub(super) struct Lookahead<'a>(pub(super) &'a [u8]);

impl Lookahead<'_> {
    /// `[name...]` or `[[name...]]` with only a comment after it.
    pub(super) fn header(&self) -> bool {
        let line = self.0.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = line.trim_ascii();
        let Some(inner) = line.strip_prefix(b"[") else {
            return false;
        };
        let inner = inner.strip_prefix(b"[").unwrap_or(inner);
        let mut m = Masker::scanner(inner);
        m.scan_key(b"],");
        let name = inner.get(..m.pos).unwrap_or_default().trim_ascii();
        let starts_bare = name
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        let closed = m.peek() == Some(b']');
        m.pos += 1;
        while m.peek() == Some(b']') {
            m.pos += 1;
        }
        let tail = m.rest().trim_ascii();
        closed
            && starts_bare
            && !VALUE_WORDS.contains(&name)
            && (tail.is_empty() || tail.starts_with(b"#"))
    }

    /// `name =` (never valid inside an array).
    pub(super) fn pair(&self) -> bool {
        let mut m = Masker::scanner(self.0);
        m.skip_blanks();
        let start = m.pos;
        while let Some(b) = m.peek() {
            match b {
                b'"' | b'\'' => {
                    m.pos += 1;
                    m.single_line_body(b);
                }
                _ if b.is_ascii_alphanumeric() || b"_-. \t".contains(&b) => m.pos += 1,
                _ => break,
            }
        }
        m.pos > start && m.peek() == Some(b'=')
    }
}

/// The last segment of a dotted key (unquoted, not unescaped) and whether a
/// segment before it is one of [`HIDING_PARENTS`].
pub(super) fn key_info(raw: &[u8]) -> (Option<&[u8]>, bool) {
    let mut last: Option<&[u8]> = None;
    let mut hiding = false;
    for segment in (Segments { raw, pos: 0 }) {
        hiding |= last.is_some_and(|k| HIDING_PARENTS.contains(&k));
        last = Some(segment);
    }
    (last, hiding)
}

/// Whether `raw` (up to `=`) is a TOML key: dotted segments, each quoted or
/// bare (letters, digits, `-`, `_`; bytes beyond ASCII are let through for
/// the parser to judge).
pub(super) fn valid_key(raw: &[u8]) -> bool {
    (Segments { raw, pos: 0 })
        .raw_segments()
        .all(|segment| match segment {
            [q @ (b'"' | b'\''), .., last] => last == q,
            [] => false,
            bare => bare
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80),
        })
}

/// Whether an unquoted token may be a TOML number, boolean, date or time
/// (`8.2`, `-1_000`, `0x1F`, `true`, `inf`, `1979-05-27T07:32:00Z`).
pub(super) fn scalar_like(token: &[u8]) -> bool {
    let digits = token
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"+-_.:".contains(&b));
    let starts = token
        .first()
        .is_some_and(|b| b.is_ascii_digit() || b"+-".contains(b));
    digits && (starts || VALUE_WORDS.contains(&token))
}

/// The segments of a dotted key, split at dots outside quotes.
struct Segments<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> Segments<'a> {
    /// The segments as written, quotes included.
    fn raw_segments(self) -> impl Iterator<Item = &'a [u8]> {
        let Segments { raw, mut pos } = self;
        std::iter::from_fn(move || {
            let rest = raw.get(pos..)?;
            let mut m = Masker::scanner(rest);
            m.scan_key(b".");
            let segment = rest.get(..m.pos).unwrap_or_default().trim_ascii();
            pos += m.pos + 1;
            Some(segment)
        })
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.raw.get(self.pos..)?;
        let mut m = Masker::scanner(rest);
        m.scan_key(b".");
        let segment = rest.get(..m.pos).unwrap_or_default().trim_ascii();
        self.pos += m.pos + 1;
        Some(unquote(segment))
    }
}

/// A quoted key without its quotes.
fn unquote(key: &[u8]) -> &[u8] {
    match key {
        [q @ (b'"' | b'\''), inner @ .., last] if last == q => inner,
        _ => key,
    }
}
