//! Source text as diagnostics print it: masked, and with very long lines
//! (a 16 KB certificate on one line) cut short so a diagnostic stays
//! readable. Offsets into the original file are mapped onto the cut text.

use std::ops::Range;
use std::sync::Arc;

use super::masked::Masked;

/// Lines longer than this many bytes are cut.
const MAX_LINE: usize = 120;
const ELLIPSIS: &str = "…";

/// One cut line: bytes `cut..end` of the original were replaced by `…`.
#[derive(Debug, Clone, Copy)]
struct Cut {
    cut: usize,
    end: usize,
    /// Bytes removed by earlier cuts.
    shift: usize,
}

impl Cut {
    fn removed(&self) -> usize {
        self.end - self.cut - ELLIPSIS.len()
    }
}

/// A printable copy of a masked source with its offset map: what miette
/// reads source lines from. Built from [`Masked`] text only.
pub struct Snippet {
    /// The text to hand to miette: the masked text itself when no line is
    /// cut (no copy).
    pub text: Arc<String>,
    cuts: Vec<Cut>,
    /// How many line breaks `text` has before each [`BLOCK`] of it, as
    /// miette counts them: every `\n`, and every `\r` not followed by one.
    /// Not every break's place: a 200 MB file has 6M lines (24 MB).
    /// `u32`: layout files are under 4 GiB (the loader refuses larger ones).
    blocks: Vec<u32>,
}

/// Bytes per entry of [`Snippet::blocks`].
const BLOCK: usize = 4096;

/// The line breaks in `text[range]`, the byte after the range read too (a
/// `\r` before a `\n` is no break of its own).
fn breaks_in(text: &[u8], range: Range<usize>) -> usize {
    let start = range.start;
    if memchr::memchr(b'\r', &text[range.clone()]).is_none() {
        // Line feeds alone, counted by memchr's counter rather than found
        // one by one (most layouts have no `\r`).
        return memchr::memchr_iter(b'\n', &text[range]).count();
    }
    memchr::memchr2_iter(b'\n', b'\r', &text[range])
        .filter(|&i| text[start + i] == b'\n' || text.get(start + i + 1) != Some(&b'\n'))
        .count()
}

impl Snippet {
    /// Cuts every line of `text` longer than [`MAX_LINE`] bytes.
    /// The masked text is cut in place when nothing else holds it (a
    /// second copy of a 200 MB file otherwise).
    pub fn new(text: Masked) -> Self {
        let cuts = cuts(text.as_str());
        let text = match cuts.is_empty() {
            true => text.shared(),
            false => Arc::new(match text.into_string() {
                Ok(own) => cut_in_place(own, &cuts),
                Err(shared) => cut(shared.as_str(), &cuts),
            }),
        };
        let bytes = text.as_bytes();
        let mut before = 0;
        let blocks = std::iter::once(0)
            .chain((0..bytes.len()).step_by(BLOCK).map(|start| {
                before += breaks_in(bytes, start..(start + BLOCK).min(bytes.len())) as u32;
                before
            }))
            .collect();
        Snippet { text, cuts, blocks }
    }

    /// How many lines `text` breaks before byte `at`.
    pub fn breaks_before(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let at = at.min(bytes.len());
        let block = at / BLOCK;
        let before = self.blocks.get(block).map_or(0, |&n| n as usize);
        before + breaks_in(bytes, block * BLOCK..at)
    }

    /// Where original byte `offset` is in the cut text; offsets inside a cut
    /// part land on the ellipsis.
    pub fn map(&self, offset: usize) -> usize {
        let i = self.cuts.partition_point(|c| c.cut <= offset);
        let Some(c) = i.checked_sub(1).and_then(|i| self.cuts.get(i)) else {
            return offset;
        };
        if offset < c.end {
            c.cut - c.shift + (offset - c.cut).min(ELLIPSIS.len())
        } else {
            offset - c.shift - c.removed()
        }
    }
}

/// Where the lines of `text` longer than [`MAX_LINE`] are cut.
fn cuts(text: &str) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let mut shift = 0;
    let mut start = 0;
    // Line ends found by memchr: `split_inclusive` searched char by char.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
    for end in ends.chain([text.len()]) {
        if end <= start {
            // The text's end, right after its last line feed.
            continue;
        }
        let line = &text[start..end];
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.len() > MAX_LINE + ELLIPSIS.len() {
            let cut = Cut {
                cut: start + floor_boundary(body, MAX_LINE),
                end: start + body.len(),
                shift,
            };
            shift += cut.removed();
            cuts.push(cut);
        }
        start = end;
    }
    cuts
}

/// `text` with each of `cuts` replaced by an ellipsis. Never longer than
/// `text` (a cut removes more than the ellipsis adds), so sized once.
fn cut(text: &str, cuts: &[Cut]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for c in cuts {
        out.push_str(&text[from..c.cut]);
        out.push_str(ELLIPSIS);
        from = c.end;
    }
    out.push_str(&text[from..]);
    out
}

/// [`cut`] in `text`'s own buffer: each kept part moves left over what the
/// cuts before it removed.
fn cut_in_place(text: String, cuts: &[Cut]) -> String {
    let mut bytes = text.into_bytes();
    let (mut to, mut from) = (0, 0);
    for c in cuts {
        bytes.copy_within(from..c.cut, to);
        to += c.cut - from;
        bytes[to..to + ELLIPSIS.len()].copy_from_slice(ELLIPSIS.as_bytes());
        to += ELLIPSIS.len();
        from = c.end;
    }
    let len = bytes.len();
    bytes.copy_within(from..len, to);
    bytes.truncate(to + len - from);
    // Cuts are at character boundaries and line ends, so this holds.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_untouched() {
        let s = Snippet::new(Masked::test("a = 1\nb = 2\n"));
        assert_eq!(&*s.text, "a = 1\nb = 2\n");
        assert_eq!(s.map(7), 7);
    }

    #[test]
    fn long_lines_are_cut_and_offsets_follow() {
        let long = format!("v = \"{}\"", "*".repeat(1000));
        let text = format!("x = 1\n{long}\ny = 2\n");
        let s = Snippet::new(Masked::test(&text));
        let lines: Vec<&str> = s.text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].ends_with(ELLIPSIS) && lines[1].len() == MAX_LINE + ELLIPSIS.len());
        // `y` keeps pointing at `y`, the value start at the value start.
        let y = text.find("y =").expect("y");
        assert_eq!(&s.text[s.map(y)..s.map(y) + 1], "y");
        assert_eq!(s.map(10), 10);
        // An offset deep inside the cut part lands on the ellipsis.
        let deep = s.map(6 + 900);
        assert_eq!(&s.text[deep - 3..deep], ELLIPSIS);
    }

    #[test]
    fn cutting_in_place_gives_the_cut_copy() {
        let long = format!("v = \"{}\"", "é*".repeat(200));
        let text = format!("a\n{long}\r\n{long}\nshort\n{}", "x".repeat(500));
        let cuts = cuts(&text);
        assert_eq!(cuts.len(), 3);
        let copied = cut(&text, &cuts);
        assert_eq!(cut_in_place(text.clone(), &cuts), copied);
        // A masked text held elsewhere is copied, not cut under its holder.
        let masked = Masked::test(&text);
        let held = masked.clone();
        assert_eq!(*Snippet::new(masked).text, copied);
        assert_eq!(held.as_str(), text);
        assert_eq!(*Snippet::new(held).text, copied);
    }

    /// Breaks before any offset are those a scan from the start counts,
    /// with `\r\n` split across a block's end and a final `\r`.
    #[test]
    fn breaks_are_counted_as_a_scan_from_the_start() {
        let mut text = String::new();
        for n in 0..6000 {
            text.push_str(["a\n", "\r\n", "b\rc", "\n\n", "dd"][n % 5]);
        }
        text.insert_str(BLOCK - 1, "\r\n");
        text.insert_str(2 * BLOCK - 1, "\r\r");
        text.push('\r');
        breaks_match_a_scan(&text);
    }

    /// The same where most blocks have line feeds alone (counted without
    /// looking at each) and one block a lone `\r`.
    #[test]
    fn breaks_without_carriage_returns_are_counted_alike() {
        let mut text = String::new();
        for n in 0..6000 {
            text.push_str(["a\n", "\n\n", "dd"][n % 3]);
        }
        text.insert(2 * BLOCK + 7, '\r');
        breaks_match_a_scan(&text);
    }

    fn breaks_match_a_scan(text: &str) {
        let s = Snippet::new(Masked::test(text));
        assert_eq!(*s.text, text, "no line is cut");
        let bytes = text.as_bytes();
        for at in 0..=bytes.len() + 1 {
            let scan = (0..at.min(bytes.len()))
                .filter(|&i| {
                    bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                })
                .count();
            assert_eq!(s.breaks_before(at), scan, "at {at}");
        }
    }

    #[test]
    fn multibyte_lines_are_cut_on_a_char_boundary() {
        let text = "€".repeat(100);
        let s = Snippet::new(Masked::test(&text));
        assert!(s.text.ends_with(ELLIPSIS));
    }
}
