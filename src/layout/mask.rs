//! Masking secret values in layout text, so that the source lines a
//! diagnostic prints around a span never show one.
//!
//! A small lexer rather than the TOML parser: it must work on malformed
//! files too, since those are the ones diagnostics print. Every byte of a
//! value becomes `*` (newlines kept), so the result has the same length and
//! every span stays valid. Keys, headers, comments and punctuation are kept.
//! When in doubt it masks: a line that is not a header, a comment or
//! `key = value` is masked whole.

use std::ops::Range;

use keys::{Lookahead, key_info};

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

/// Words that look like a table header in an array (`[true]`) but are values.
const VALUE_WORDS: &[&[u8]] = &[b"true", b"false", b"inf", b"nan"];

/// `text` with every secret value replaced by `*`, byte for byte.
pub fn mask_layout(text: &str) -> String {
    let mut masker = Masker {
        src: text.as_bytes(),
        out: text.as_bytes().to_vec(),
        pos: 0,
    };
    masker.document();
    into_string(masker.out)
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
    out: Vec<u8>,
    pos: usize,
}

impl<'a> Masker<'a> {
    /// A masker that only scans `src`, for looking ahead.
    fn scanner(src: &'a [u8]) -> Self {
        Masker {
            src,
            out: Vec::new(),
            pos: 0,
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

    /// Masks `range`, keeping line breaks.
    fn hide(&mut self, range: Range<usize>) {
        let end = range.end.min(self.out.len());
        for b in self
            .out
            .get_mut(range.start.min(end)..end)
            .unwrap_or_default()
        {
            if !is_newline(*b) {
                *b = b'*';
            }
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
        let mut hidden = false;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'#' => self.pos = self.line_end(),
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
        let (last, hiding) = key_info(self.src.get(start..self.pos).unwrap_or_default());
        let safe = !hidden && last.is_some_and(|k| SAFE_KEYS.contains(&k)) && !hiding;
        let children_hidden = hidden || hiding || last.is_some_and(|k| HIDING_PARENTS.contains(&k));
        self.pos += 1;
        self.value(!safe, children_hidden);
        if place == Place::Line {
            self.line_tail();
        }
    }

    /// After a value or header: blanks and a comment are kept, anything else
    /// on the line is masked.
    fn line_tail(&mut self) {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n') => {}
            Some(b'#') => self.pos = self.line_end(),
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
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q, hide),
            Some(b'[') => self.array(hide, children_hidden),
            Some(b'{') => self.inline_table(children_hidden),
            Some(b'#') if !hide => {}
            _ => self.bare(hide),
        }
    }

    /// An unquoted token: a number, a boolean, a date or a mistake such as
    /// `value = sk_live_abc`. `#` is part of it: `value = abc#def` is a
    /// mistake whose tail must not pass as a comment.
    fn bare(&mut self, hide: bool) {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') {
                break;
            }
            self.pos += 1;
        }
        if hide {
            self.hide(start..self.pos);
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
        // line up to the next one.
        if hide || triple {
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
                Some(b'#') => self.pos = self.line_end(),
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
