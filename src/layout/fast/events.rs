//! toml_parser's events → the lines of a layout: table headers and
//! `key = value` pairs, keys and scalars decoded, handed to the
//! [`Builder`].
//!
//! Every key and scalar is decoded, whatever the line, so that any error the
//! reference loader would meet is reported here too. Values nested deeper
//! than a layout uses are passed on as [`Value::Odd`].

use std::borrow::Cow;
use std::ops::Range;

use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::EventReceiver;
use toml_parser::{ErrorSink, Raw, Span};

use super::build::Builder;

/// Deepest nesting of arrays and inline tables read; deeper, the file is
/// left to the reference loader (which has its own limit).
const MAX_DEPTH: u32 = 8;

/// A decoded key and the span of its token (quotes included).
pub(super) struct Key<'t> {
    pub(super) span: Range<usize>,
    pub(super) name: Cow<'t, str>,
}

/// A decoded scalar and the span of its token(s).
pub(super) struct Scalar<'t> {
    pub(super) span: Range<usize>,
    pub(super) kind: ScalarKind,
    pub(super) text: Cow<'t, str>,
}

/// An entry of a flat array (`key` is `None`) or inline table.
pub(super) struct Item<'t> {
    pub(super) key: Option<Key<'t>>,
    pub(super) value: Scalar<'t>,
}

/// The value of a `key = value` line.
pub(super) enum Value<'a, 't> {
    /// A string, number, boolean or date.
    Scalar(&'a Scalar<'t>),
    /// An array of scalars; `span` runs from `[` to `]`.
    Array {
        span: Range<usize>,
        items: &'a [Item<'t>],
    },
    /// An inline table of `key = scalar`, with simple keys.
    Inline { items: &'a [Item<'t>] },
    /// Anything else: nested arrays or tables, dotted keys in an inline table.
    Odd,
}

/// Where the receiver is in a line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Between lines.
    Line,
    /// In `[...]`.
    Header,
    /// In the key of `key = value`.
    Key,
    /// In the value.
    Value,
}

/// What the value being read is, at its outermost level.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Array,
    Inline,
    Odd,
}

/// Turns events into lines for the [`Builder`].
pub(super) struct Receiver<'t> {
    text: &'t str,
    pub(super) build: Builder<'t>,
    mode: Mode,
    /// Start of the current header's `[`.
    header_start: usize,
    /// The keys of the current header, or of the current line.
    keys: Vec<Key<'t>>,
    /// Entries of the current array or inline table.
    items: Vec<Item<'t>>,
    /// Nesting of arrays and inline tables in the current value.
    depth: u32,
    shape: Shape,
    value_start: usize,
    /// In an inline table: the key waiting for its value.
    pending: Option<Key<'t>>,
    /// Something this loader leaves to the reference loader.
    pub(super) failed: bool,
    /// Where the parsed piece starts in `text`: toml_parser's spans are
    /// relative to the piece, the model's to the file.
    offset: usize,
}

impl<'t> Receiver<'t> {
    /// A receiver for the piece of `text` that starts at `offset`.
    pub(super) fn new(text: &'t str, offset: usize, build: Builder<'t>) -> Self {
        Receiver {
            offset,
            text,
            build,
            mode: Mode::Line,
            header_start: 0,
            keys: Vec::new(),
            items: Vec::new(),
            depth: 0,
            shape: Shape::Odd,
            value_start: 0,
            pending: None,
            failed: false,
        }
    }

    /// A span of the piece as a span of the file.
    fn at(&self, span: Span) -> Span {
        Span::new_unchecked(span.start() + self.offset, span.end() + self.offset)
    }

    /// Whether a chunk of tokens ended between lines, as it must.
    pub(super) fn end_chunk(&mut self) {
        if self.mode != Mode::Line {
            self.failed = true;
        }
    }

    fn raw(&mut self, span: Span, encoding: Option<Encoding>) -> Option<Raw<'t>> {
        let raw = self.text.get(span.start()..span.end());
        if raw.is_none() {
            self.failed = true;
        }
        raw.map(|raw| Raw::new_unchecked(raw, encoding, span))
    }

    fn key(
        &mut self,
        span: Span,
        encoding: Option<Encoding>,
        error: &mut dyn ErrorSink,
    ) -> Key<'t> {
        let mut name = Cow::Borrowed("");
        if let Some(raw) = self.raw(span, encoding) {
            match plain(raw.as_str(), encoding, true) {
                Some(plain) => name = Cow::Borrowed(plain),
                None => raw.decode_key(&mut name, error),
            }
        }
        Key {
            span: span.start()..span.end(),
            name,
        }
    }

    /// Hands the finished `key = value` line to the builder.
    fn line(&mut self, value: Value<'_, 't>) {
        self.build.key_value(&self.keys, value);
        self.next_line();
    }

    fn next_line(&mut self) {
        self.keys.clear();
        self.items.clear();
        self.pending = None;
        self.mode = Mode::Line;
    }

    /// Opens an array or inline table; false past [`MAX_DEPTH`].
    fn open(&mut self, span: Span, shape: Shape) -> bool {
        if self.mode != Mode::Value {
            self.failed = true;
            return false;
        }
        if self.depth == 0 {
            self.shape = shape;
            self.value_start = span.start();
        } else {
            self.shape = Shape::Odd;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.failed = true;
            return false;
        }
        true
    }

    fn close(&mut self, span: Span) {
        if self.mode != Mode::Value || self.depth == 0 {
            self.failed = true;
            return;
        }
        self.depth -= 1;
        if self.depth > 0 {
            return;
        }
        let items = &self.items;
        let value = match self.shape {
            _ if self.pending.is_some() => Value::Odd,
            Shape::Array => Value::Array {
                span: self.value_start..span.end(),
                items,
            },
            Shape::Inline => Value::Inline { items },
            Shape::Odd => Value::Odd,
        };
        self.build.key_value(&self.keys, value);
        self.next_line();
    }
}

impl EventReceiver for Receiver<'_> {
    fn std_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        let span = self.at(span);
        if self.mode != Mode::Line {
            self.failed = true;
        }
        self.mode = Mode::Header;
        self.header_start = span.start();
        self.keys.clear();
    }

    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        if self.mode != Mode::Header {
            self.failed = true;
            return;
        }
        self.build.header(self.header_start, &self.keys);
        self.keys.clear();
        self.mode = Mode::Line;
    }

    fn array_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.failed = true;
    }

    fn inline_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(self.at(span), Shape::Inline)
    }

    fn inline_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close(self.at(span));
    }

    fn array_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(self.at(span), Shape::Array)
    }

    fn array_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close(self.at(span));
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let key = self.key(self.at(span), encoding, error);
        match self.mode {
            Mode::Line => {
                self.keys.clear();
                self.keys.push(key);
                self.mode = Mode::Key;
            }
            Mode::Header | Mode::Key => self.keys.push(key),
            Mode::Value if self.depth == 1 && self.shape == Shape::Inline => {
                // A second key before a value is a dotted key.
                if self.pending.replace(key).is_some() {
                    self.shape = Shape::Odd;
                }
            }
            Mode::Value => self.shape = Shape::Odd,
        }
    }

    fn key_val_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        match self.mode {
            Mode::Key => {
                self.mode = Mode::Value;
                self.depth = 0;
                self.pending = None;
            }
            Mode::Value if self.depth > 0 => {}
            _ => self.failed = true,
        }
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let span = self.at(span);
        let mut text = Cow::Borrowed("");
        let kind = match self.raw(span, encoding) {
            Some(raw) => match plain(raw.as_str(), encoding, false) {
                Some(plain) => {
                    text = Cow::Borrowed(plain);
                    ScalarKind::String
                }
                None => raw.decode_scalar(&mut text, error),
            },
            None => return,
        };
        if kind == ScalarKind::DateTime {
            // The reference loader parses dates further: leave them to it.
            self.failed = true;
        }
        let value = Scalar {
            span: span.start()..span.end(),
            kind,
            text,
        };
        match self.mode {
            Mode::Value if self.depth == 0 => self.line(Value::Scalar(&value)),
            Mode::Value if self.depth == 1 => {
                let key = self.pending.take();
                match (self.shape, &key) {
                    (Shape::Array, None) | (Shape::Inline, Some(_)) => {
                        self.items.push(Item { key, value });
                    }
                    _ => self.shape = Shape::Odd,
                }
            }
            Mode::Value => {}
            _ => self.failed = true,
        }
    }

    // Whitespace tokens need no check (the lexer makes them of spaces and
    // tabs only). Comments and line ends are checked here rather than by
    // toml_parser's `ValidateWhitespace`, which would stand between the
    // parser and this receiver for every event.
    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if let Some(raw) = self.raw(self.at(span), None) {
            raw.decode_comment(error);
        }
    }

    fn newline(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // A line end is `\n` or `\r\n`, or a lone `\r`: an error.
        if self.text.as_bytes().get(self.at(span).start()) == Some(&b'\r') && span.len() == 1 {
            self.failed = true;
        }
    }

    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.failed = true;
    }
}

/// The text of a key or string token that needs no decoding: a bare key,
/// or a one-line string with no escape and only characters TOML allows in
/// it — what toml_parser's decoder would return, without an error. `None`
/// leaves the token to the decoder. Most tokens of a layout are plain, and
/// this check is several times faster than decoding.
fn plain(raw: &str, encoding: Option<Encoding>, key: bool) -> Option<&str> {
    match encoding {
        Some(Encoding::BasicString) => strip(raw, '"').filter(|s| all_text::<b'"', b'\\'>(s)),
        Some(Encoding::LiteralString) => strip(raw, '\'').filter(|s| all_text::<b'\'', b'\''>(s)),
        None if key && !raw.is_empty() => Some(raw).filter(|s| s.bytes().all(bare)),
        _ => None,
    }
}

/// Whether every byte of `text` stands as itself in a string whose quote
/// is `Q` (and `E`, `\\` in a basic string): tab, visible ASCII and any
/// byte of a non-ASCII character, but not those. Values are most of a
/// layout's bytes: they are tested 16 bytes at a time ([`block_bad`]); the
/// last 16 bytes are a block of their own, overlapping the one before.
fn all_text<const Q: u8, const E: u8>(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(tail) = bytes.len().checked_sub(16) else {
        return !bytes.iter().any(|&b| bad::<Q, E>(b));
    };
    let (blocks, _) = bytes.as_chunks::<16>();
    let (last, _) = bytes[tail..].as_chunks::<16>();
    for block in blocks.iter().chain(last) {
        if block_bad::<Q, E>(block) {
            return false;
        }
    }
    true
}

/// Whether `b` stands for something else in a string quoted by `Q` (see
/// [`all_text`]).
fn bad<const Q: u8, const E: u8>(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f || b == Q || b == E
}

/// Whether any byte of `block` is [`bad`], in a few vector instructions
/// (SSE2, which every x86-64 processor has): the compiler made a loop of
/// shuffles of the same test written byte by byte.
#[cfg(target_arch = "x86_64")]
fn block_bad<const Q: u8, const E: u8>(block: &[u8; 16]) -> bool {
    use std::arch::x86_64::{
        _mm_andnot_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of every x86-64 processor (the target has it
    // enabled), `block` is 16 readable bytes and the load needs no
    // alignment.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        // Bytes up to 0x1f are those the minimum with 0x1f leaves as is.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let others = _mm_or_si128(is(0x7f), _mm_or_si128(is(Q), is(E)));
        let bad = _mm_or_si128(_mm_andnot_si128(is(b'\t'), control), others);
        _mm_movemask_epi8(bad) != 0
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_bad<const Q: u8, const E: u8>(block: &[u8; 16]) -> bool {
    block.iter().any(|&b| bad::<Q, E>(b))
}

/// Whether `b` may be in a bare key: letters, digits, `-` and `_`.
fn bare(b: u8) -> bool {
    const BARE: [bool; 256] = {
        let mut table = [false; 256];
        let mut i = 0;
        while i < 256 {
            let b = i as u8;
            table[i] = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
            i += 1;
        }
        table
    };
    BARE[usize::from(b)]
}

/// `raw` without the quote `q` it opens and closes with.
fn strip(raw: &str, q: char) -> Option<&str> {
    raw.strip_prefix(q)?.strip_suffix(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What toml_parser's decoder makes of `raw`, and whether it erred.
    fn decoded(raw: &str, encoding: Option<Encoding>, key: bool) -> (String, bool) {
        let span = Span::new_unchecked(0, raw.len());
        let raw = Raw::new_unchecked(raw, encoding, span);
        let mut out = Cow::Borrowed("");
        let mut errors: Vec<toml_parser::ParseError> = Vec::new();
        match key {
            true => raw.decode_key(&mut out, &mut errors),
            false => {
                let _ = raw.decode_scalar(&mut out, &mut errors);
            }
        }
        (out.into_owned(), !errors.is_empty())
    }

    /// Checks that a plain token decodes to itself without error; returns
    /// whether it is plain.
    #[track_caller]
    fn check(raw: &str, encoding: Option<Encoding>, key: bool) -> bool {
        let Some(plain) = plain(raw, encoding, key) else {
            return false;
        };
        let expected = (plain.to_owned(), false);
        assert_eq!(decoded(raw, encoding, key), expected, "{raw:?}");
        true
    }

    #[test]
    fn plain_tokens_are_what_the_decoder_returns() {
        let basic = Some(Encoding::BasicString);
        let literal = Some(Encoding::LiteralString);
        // Every character, alone and between others, in each kind of token.
        let chars = (0..=0x2ffu32).chain([0xe9, 0x20ac, 0x1f600]);
        let mut plains = 0;
        for c in chars.filter_map(char::from_u32) {
            // Short, in a block of 32 bytes, and after the blocks.
            let (x, y) = ("x".repeat(31), "y".repeat(40));
            let texts = [c.to_string(), format!("a{c}b"), format!("{c}{c}")];
            let long = [format!("{x}{c}{y}"), format!("{x}{y}{c}")];
            for text in texts.into_iter().chain(long) {
                for key in [false, true] {
                    plains += usize::from(check(&format!("\"{text}\""), basic, key));
                    plains += usize::from(check(&format!("'{text}'"), literal, key));
                }
                plains += usize::from(check(&text, None, true));
            }
        }
        assert!(plains > 1000, "{plains}");
        // One bad byte at each place of texts around one and two blocks:
        // in a block, in the last (overlapping) one, or in neither.
        for len in 1..=40 {
            for at in 0..len {
                for bad in ["\u{1}", "\u{7f}", "\\"] {
                    let mut text = "a".repeat(len);
                    text.replace_range(at..=at, bad);
                    assert!(!check(&format!("\"{text}\""), basic, false), "{len} {at}");
                }
                let mut text = "a".repeat(len);
                text.replace_range(at..=at, "'");
                assert!(!check(&format!("'{text}'"), literal, false), "{len} {at}");
                text.replace_range(at..=at, "\t");
                assert!(check(&format!("'{text}'"), literal, false), "{len} {at}");
            }
        }
        // Not plain: escapes, control characters, unclosed or stray quotes,
        // empty bare keys, unquoted scalars.
        for (raw, encoding, key) in [
            ("\"a\\tb\"", basic, false),
            ("\"a\u{7f}\"", basic, false),
            ("\"a\u{1}\"", basic, false),
            ("\"abc", basic, false),
            ("\"", basic, false),
            ("'", literal, false),
            ("'a'b'", literal, false),
            ("\"a\"b\"", basic, false),
            ("", None, true),
            ("a.b", None, true),
            ("8.2", None, false),
            ("true", None, false),
        ] {
            assert_eq!(plain(raw, encoding, key), None, "{raw:?}");
        }
    }
}
