//! Source text as diagnostics print it: masked, and with very long lines
//! (a 16 KB certificate on one line) cut short so a diagnostic stays
//! readable. Offsets into the original file are mapped onto the cut text.

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
    /// The text to hand to miette.
    pub text: Arc<str>,
    cuts: Vec<Cut>,
    /// Where `text` breaks lines as miette counts them: every `\n`, and
    /// every `\r` not followed by one.
    breaks: Vec<usize>,
}

impl Snippet {
    /// Cuts every line of `text` longer than [`MAX_LINE`] bytes.
    pub fn new(text: &Masked) -> Self {
        let text = text.as_str();
        let mut out = String::with_capacity(text.len().min(1 << 20));
        let mut cuts = Vec::new();
        let mut shift = 0;
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            if body.len() > MAX_LINE + ELLIPSIS.len() {
                let keep = floor_boundary(body, MAX_LINE);
                let cut = Cut {
                    cut: start + keep,
                    end: start + body.len(),
                    shift,
                };
                shift += cut.removed();
                cuts.push(cut);
                out.push_str(&body[..keep]);
                out.push_str(ELLIPSIS);
                out.push_str(&line[body.len()..]);
            } else {
                out.push_str(line);
            }
            start += line.len();
        }
        let bytes = out.as_bytes();
        let breaks = (0..bytes.len())
            .filter(|&i| bytes[i] == b'\n' || bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            .collect();
        Snippet {
            text: Arc::from(out),
            cuts,
            breaks,
        }
    }

    /// How many lines `text` breaks before byte `at`.
    pub fn breaks_before(&self, at: usize) -> usize {
        self.breaks.partition_point(|&b| b < at)
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
        let s = Snippet::new(&Masked::test("a = 1\nb = 2\n"));
        assert_eq!(&*s.text, "a = 1\nb = 2\n");
        assert_eq!(s.map(7), 7);
    }

    #[test]
    fn long_lines_are_cut_and_offsets_follow() {
        let long = format!("v = \"{}\"", "*".repeat(1000));
        let text = format!("x = 1\n{long}\ny = 2\n");
        let s = Snippet::new(&Masked::test(&text));
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
    fn multibyte_lines_are_cut_on_a_char_boundary() {
        let text = "€".repeat(100);
        let s = Snippet::new(&Masked::test(&text));
        assert!(s.text.ends_with(ELLIPSIS));
    }
}
