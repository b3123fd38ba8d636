//! Masking secret values in layout text, so that the source lines a
//! diagnostic prints around a span never show one.
//!
//! A small lexer rather than the TOML parser: it must work on malformed
//! files too, since those are the ones diagnostics print. Every byte of a
//! value becomes `*` (newlines kept), so the result has the same length and
//! every span stays valid. Keys, headers, comments and punctuation are kept
//! (but values in a comment that reads as `key = value`).
//! When in doubt it masks: a line that is not a header, a comment or
//! `key = value` is masked whole.

use std::ops::Range;

use keys::{Lookahead, key_info, scalar_like, valid_key};

mod keys;

/// Keys whose values are never secret.
const SAFE_KEYS: &[&[u8]] = &[
    b"type",
    b"scope",
    b"owner",
    b"supporting",
    b"php",
    b"environments",
];

/// Keys under which every value is secret, whatever its own key:
/// `overrides.type = "..."` overrides an environment named `type`.
const HIDING_PARENTS: &[&[u8]] = &[b"overrides", b"value"];

/// How deeply arrays and inline tables may nest before the masker stops
/// following them (it is recursive; a hostile file nests 100k deep). The
/// TOML parser refuses far less, so such a line is an error anyway.
const MAX_NESTING: usize = 128;

/// Words that look like a table header in an array (`[true]`) but are values.
const VALUE_WORDS: &[&[u8]] = &[b"true", b"false", b"inf", b"nan"];

/// Texts at least this long are masked in pieces on several threads, each
/// of at least half this.
const MIN_PIECES: usize = 1 << 20;

/// `text` with every secret value replaced by `*`, byte for byte.
pub fn mask_layout(text: &str) -> String {
    mask_layout_in_place(text.to_owned())
}

/// [`mask_layout`] in `text`'s own buffer, with no copy of it: the
/// masker reads the text whole first and notes what to hide, then hides
/// it. (A copy of a one-file 200 MB layout was the peak of `ward check`.)
pub fn mask_layout_in_place(text: String) -> String {
    if u32::try_from(text.len()).is_err() {
        // Places are noted as `u32`s; the loader refuses such a file.
        return mask_all(text.into_bytes());
    }
    // No more pieces than the text has room for, whatever the thread
    // count asked (`WARD_THREADS` may be any number).
    let pieces = if text.len() >= MIN_PIECES {
        crate::parallel::threads().min(text.len() / (MIN_PIECES / 2))
    } else {
        1
    };
    let hidden = hidden_ranges(text.as_bytes(), pieces);
    let mut bytes = text.into_bytes();
    // Hidden by halves too, each range cut to the half it falls in.
    let half = bytes.len() / 2;
    let (head, tail) = bytes.split_at_mut(half);
    crate::parallel::join(
        pieces > 1,
        || hide_in(head, 0, &hidden),
        || hide_in(tail, half, &hidden),
    );
    into_string(bytes)
}

/// Masks the bytes of `hidden` in `bytes`, which start at byte `offset` of
/// the text the ranges are in (the parts of ranges outside them are left).
fn hide_in(bytes: &mut [u8], offset: usize, hidden: &[[u32; 2]]) {
    let len = bytes.len();
    for &[start, end] in hidden {
        let end = (end as usize).saturating_sub(offset).min(len);
        let start = (start as usize).saturating_sub(offset).min(end);
        for b in &mut bytes[start..end] {
            if !is_newline(*b) {
                *b = b'*';
            }
        }
    }
}

/// The ranges of `src` to mask, found in up to `pieces` pieces at once (a
/// human report masks each file before its findings print, on one thread
/// otherwise: a seventh of its time at a million secrets). Each piece but
/// the first starts at a line that opens with `[`, which the masker reads
/// as a header whatever came before: its one state from line to line,
/// whether the last header hides its values, a header sets anew. So a
/// piece's ranges are the whole text's, provided the masker of the piece
/// before reaches that very byte between statements, not inside a value
/// (a multi-line string across the cut, say). If one does not, the text
/// is masked whole. Public for the tests that compare the two.
#[doc(hidden)]
pub fn hidden_ranges(src: &[u8], pieces: usize) -> Vec<[u32; 2]> {
    let mut starts = vec![0];
    for k in 1..pieces {
        let last = starts[starts.len() - 1];
        // `len / pieces * k`, not `len * k / pieces`: no overflow.
        let from = (src.len() / pieces * k).max(last);
        let at = memchr::memmem::find(src.get(from..).unwrap_or_default(), b"\n[");
        if let Some(cut) = at.map(|i| from + i + 1).filter(|&c| c > last) {
            starts.push(cut);
        }
    }
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([src.len()]).collect();
    let spans: Vec<(usize, usize)> = starts.into_iter().zip(ends).collect();
    // The ranges of one piece, and whether its masker stopped at its end.
    let piece = |(start, end): (usize, usize)| {
        let mut masker = Masker {
            src,
            hidden: Some(Vec::new()),
            pos: start,
            depth: 0,
            stop: end,
        };
        masker.document();
        (masker.hidden.unwrap_or_default(), masker.pos == end)
    };
    if spans.len() == 1 {
        return piece((0, usize::MAX)).0;
    }
    let found = crate::parallel::map(&spans, |&span| piece(span));
    // The last piece ends with the text, wherever its masker stops.
    if found[..found.len() - 1].iter().all(|&(_, met)| met) {
        found.into_iter().flat_map(|(hidden, _)| hidden).collect()
    } else {
        piece((0, usize::MAX)).0
    }
}

/// Every byte but line breaks masked.
fn mask_all(mut bytes: Vec<u8>) -> String {
    bytes
        .iter_mut()
        .filter(|b| !is_newline(**b))
        .for_each(|b| *b = b'*');
    into_string(bytes)
}

/// The masked bytes as a string. Masks end at ASCII delimiters, so they
/// are UTF-8; should one not be, every byte but newlines is masked.
fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| {
        let all = e
            .as_bytes()
            .iter()
            .map(|&b| if is_newline(b) { b as char } else { '*' });
        all.collect()
    })
}

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Where a key-value pair sits: decides where its key ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A line of the document: the key ends at `=`.
    Line,
    /// Inside `{ ... }`: the key also ends at `,` or `}`.
    Inline,
}

struct Masker<'a> {
    src: &'a [u8],
    /// The ranges to mask, noted rather than masked as they are found:
    /// `src` is the very buffer they are masked in afterwards. `None` for a
    /// masker that only looks ahead.
    hidden: Option<Vec<[u32; 2]>>,
    pos: usize,
    /// Arrays and inline tables open around `pos`.
    depth: usize,
    /// Where the document's statements stop being read: the next piece's
    /// start (see [`hidden_ranges`]), else past the end.
    stop: usize,
}

impl<'a> Masker<'a> {
    /// A masker that only scans `src`, for looking ahead.
    fn scanner(src: &'a [u8]) -> Self {
        Masker {
            src,
            hidden: None,
            pos: 0,
            depth: 0,
            stop: usize::MAX,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.at(self.pos)
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.src.get(i).copied()
    }

    fn rest(&self) -> &[u8] {
        self.src.get(self.pos..).unwrap_or_default()
    }

    /// Notes `range` to be masked (line breaks are kept).
    fn hide(&mut self, range: Range<usize>) {
        let end = range.end.min(self.src.len());
        let start = range.start.min(end);
        if let Some(hidden) = &mut self.hidden
            && start < end
        {
            // In range: `mask_layout_in_place` takes only texts under 4 GiB.
            hidden.push([start as u32, end as u32]);
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The position of the next `\n` (or the end).
    fn line_end(&self) -> usize {
        let rest = self.rest().iter().position(|&b| b == b'\n');
        rest.map_or(self.src.len(), |i| self.pos + i)
    }

    fn document(&mut self) {
        self.lines(false);
    }

    /// Lines of TOML; `hidden` when they start under a header whose values
    /// are all hidden.
    fn lines(&mut self, mut hidden: bool) {
        while self.pos < self.stop
            && let Some(b) = self.peek()
        {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'#' => self.comment(hidden),
                b'[' => hidden = self.header(),
                _ => self.pair(hidden, Place::Line),
            }
        }
    }

    /// A `[table]` header, kept; returns whether its values are all hidden.
    fn header(&mut self) -> bool {
        while self.peek() == Some(b'[') {
            self.pos += 1;
        }
        let start = self.pos;
        self.scan_key(b"]=");
        if self.peek() != Some(b']') {
            // Unclosed, or `=` in it: not a header but a line gone wrong,
            // maybe with a value on it.
            self.pos = self.line_end();
            self.hide(start..self.pos);
            return true;
        }
        let (last, hiding) = key_info(self.src.get(start..self.pos).unwrap_or_default());
        while self.peek() == Some(b']') {
            self.pos += 1;
        }
        self.line_tail();
        hiding || last.is_some_and(|k| HIDING_PARENTS.contains(&k))
    }

    /// Moves to the first of `stops` or a line end, skipping quoted keys.
    fn scan_key(&mut self, stops: &[u8]) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => return,
                _ if stops.contains(&b) => return,
                b'"' | b'\'' => {
                    self.pos += 1;
                    self.single_line_body(b);
                }
                _ => self.pos += 1,
            }
        }
    }

    /// `key = value`; anything else up to the end of the key is masked.
    fn pair(&mut self, hidden: bool, place: Place) {
        let start = self.pos;
        self.scan_key(if place == Place::Line { b"=" } else { b"=,}" });
        if self.peek() != Some(b'=') {
            self.hide(start..self.pos);
            return;
        }
        let key = self.src.get(start..self.pos).unwrap_or_default();
        if !valid_key(key) || self.no_value_after_eq() {
            // Not a key, or a key without a value: a line gone wrong, such
            // as the last line of a broken multi-line value (base64 ending
            // in `=` or `==`). All masked.
            self.hide(start..self.pos);
            self.pos += 1;
            self.value(true, true);
        } else {
            let (last, hiding) = key_info(key);
            let safe = !hidden && last.is_some_and(|k| SAFE_KEYS.contains(&k)) && !hiding;
            let children_hidden =
                hidden || hiding || last.is_some_and(|k| HIDING_PARENTS.contains(&k));
            self.pos += 1;
            self.value(!safe, children_hidden);
        }
        if place == Place::Line {
            self.line_tail();
        }
    }

    /// Whether the `=` at `pos` has nothing after it on its line, or
    /// another `=`: never a TOML pair, but the end of a base64 text.
    fn no_value_after_eq(&self) -> bool {
        let after = self.src.get(self.pos + 1..).unwrap_or_default();
        let next = after.iter().find(|b| !matches!(b, b' ' | b'\t'));
        matches!(next, None | Some(b'\n' | b'\r' | b'='))
    }

    /// A comment, from its `#` to the line end: kept, unless it holds a `=`.
    /// Then it is masked as a line of TOML would be, so that a commented-out
    /// value (`# value = "sk_live_old"`), or values after a stray `#` in a
    /// line (`{ live = "a", #dev = "b" }`) are masked, while prose and
    /// commented-out safe fields (`# type = "env"`) stay readable. `hidden`
    /// as for the line it is on.
    fn comment(&mut self, hidden: bool) {
        let start = (self.pos + 1).min(self.src.len());
        let end = self.line_end();
        self.pos = end;
        let body = self.src.get(start..end).unwrap_or_default();
        if !body.contains(&b'=') || self.hidden.is_none() {
            return;
        }
        // A masker of its own over the comment alone: it cannot run past
        // the line, whatever quote or bracket the comment opens.
        let mut inner = Masker::scanner(body);
        inner.hidden = Some(Vec::new());
        inner.lines(hidden);
        let shift = start as u32;
        for [a, b] in inner.hidden.unwrap_or_default() {
            self.hide((a + shift) as usize..(b + shift) as usize);
        }
    }

    /// After a value or header: blanks and a comment are kept, anything else
    /// on the line is masked.
    fn line_tail(&mut self) {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n') => {}
            Some(b'#') => self.comment(false),
            Some(_) => {
                let start = self.pos;
                self.pos = self.line_end();
                self.hide(start..self.pos);
            }
        }
    }

    /// A value; `hide` masks its scalars, `children_hidden` is passed to
    /// inline tables in it.
    fn value(&mut self, hide: bool, children_hidden: bool) {
        self.skip_blanks();
        if self.depth >= MAX_NESTING && matches!(self.peek(), Some(b'[' | b'{')) {
            // Too deep to follow: when in doubt, mask the rest of the line.
            let start = self.pos;
            self.pos = self.line_end();
            self.hide(start..self.pos);
            return;
        }
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q, hide),
            Some(b'[') => self.nested(|m| m.array(hide, children_hidden)),
            Some(b'{') => self.nested(|m| m.inline_table(children_hidden)),
            Some(b'#') if !hide => {}
            _ => self.bare(hide),
        }
    }

    /// An unquoted token: a number, a boolean, a date or a mistake such as
    /// `value = sk_live_abc`. `#` is part of it: `value = abc#def` is a
    /// mistake whose tail must not pass as a comment.
    fn bare(&mut self, hide: bool) {
        let start = self.pos;
        self.bare_token();
        // Under a safe key too, a token that is not a TOML number, boolean
        // or date is not a value of that key but a line gone wrong.
        let scalar = self.src.get(start..self.pos).is_some_and(scalar_like);
        if hide || !scalar {
            // toml reads `value = two words` as one value: the blanks
            // between words are part of it.
            loop {
                let end = self.pos;
                self.skip_blanks();
                if self.pos == end
                    || matches!(self.peek(), None | Some(b'\n' | b',' | b']' | b'}' | b'#'))
                {
                    self.pos = end;
                    break;
                }
                self.bare_token();
            }
            self.hide(start..self.pos);
        }
    }

    /// Moves past an unquoted token.
    fn bare_token(&mut self) {
        while let Some(b) = self.peek() {
            if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') {
                break;
            }
            self.pos += 1;
        }
    }

    /// A basic, literal or multi-line string quoted with `q`; only the
    /// contents are masked.
    fn string(&mut self, q: u8, hide: bool) {
        let triple = self.rest().starts_with(&[q, q, q]);
        self.pos += if triple { 3 } else { 1 };
        let start = self.pos;
        let end = match triple {
            true => self.multi_line_body(q),
            false => self.single_line_body(q),
        };
        // A multi-line string is never a type, scope or name: masked even
        // under a safe key, where a stray `"""` would otherwise show every
        // line up to the next one. So is a string left open: a stray quote
        // (`owner = '"o", secrets = { … }`) would show the rest of its line.
        let closed = self.pos > end;
        if hide || triple || !closed {
            self.hide(start..end);
        }
    }

    /// Moves past a one-line string's closing quote; returns where its
    /// contents end. Unterminated, it ends at the line end.
    fn single_line_body(&mut self, q: u8) -> usize {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => return self.pos,
                b'\\' if q == b'"' && self.at(self.pos + 1).is_some_and(|n| n != b'\n') => {
                    self.pos += 2
                }
                _ if b == q => {
                    self.pos += 1;
                    return self.pos - 1;
                }
                _ => self.pos += 1,
            }
        }
        self.pos
    }

    /// Moves past a multi-line string's closing quotes; returns where its
    /// contents end. Unterminated, it runs to the end of the text.
    fn multi_line_body(&mut self, q: u8) -> usize {
        while let Some(b) = self.peek() {
            match b {
                b'\\' if q == b'"' => self.pos = (self.pos + 2).min(self.src.len()),
                _ if b == q && self.rest().starts_with(&[q, q, q]) => {
                    // Up to two quotes before the closing three belong to the contents.
                    let run = self.rest().iter().take_while(|&&c| c == q).count();
                    let end = self.pos + (run - 3).min(2);
                    self.pos = end + 3;
                    return end;
                }
                _ => self.pos += 1,
            }
        }
        self.pos
    }

    /// `[a, b, ...]`, possibly over several lines. A line that reads as a
    /// header or `key =` ends an unclosed array. Two items without a comma
    /// between them mean a broken array (`scope = ["web"value = "..."`):
    /// everything after that is masked, even in an array of a safe key.
    fn array(&mut self, mut hide: bool, children_hidden: bool) {
        self.pos += 1;
        let mut after_item = false;
        while self.skip_filler(true) {
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    after_item = false;
                }
                Some(_) => {
                    hide |= after_item;
                    self.progress(|m| m.value(hide, children_hidden));
                    after_item = true;
                }
            }
        }
    }

    /// `{ k = v, ... }`. A line that reads as a header ends an unclosed one.
    fn inline_table(&mut self, hidden: bool) {
        self.pos += 1;
        while self.skip_filler(false) {
            match self.peek() {
                None => return,
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => self.pos += 1,
                Some(_) => self.progress(|m| m.pair(hidden, Place::Inline)),
            }
        }
    }

    /// Runs `step` one level of nesting deeper.
    fn nested(&mut self, step: impl FnOnce(&mut Self)) {
        self.depth += 1;
        step(self);
        self.depth -= 1;
    }

    /// Runs `step`, then moves on one byte if it did not move.
    fn progress(&mut self, step: impl FnOnce(&mut Self)) {
        let before = self.pos;
        step(self);
        if self.pos == before {
            self.pos += 1;
        }
    }

    /// Skips blanks, comments and line breaks inside brackets; returns false
    /// at a line break followed by a line that starts a new statement (a
    /// header, or in an array a `key =`), leaving the break unread.
    fn skip_filler(&mut self, in_array: bool) -> bool {
        loop {
            self.skip_blanks();
            match self.peek() {
                Some(b'#') => self.comment(false),
                Some(b'\n') => {
                    let next = Lookahead(self.src.get(self.pos + 1..).unwrap_or_default());
                    if next.header() || in_array && next.pair() {
                        return false;
                    }
                    self.pos += 1;
                }
                _ => return true,
            }
        }
    }
}
