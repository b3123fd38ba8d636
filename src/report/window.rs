//! Source text for miette, read around the span only. miette's own
//! `SourceCode for str` scans from the start of the file for every
//! diagnostic, so 10,000 findings in a 1 MB layout took a minute; this
//! hands it the few lines around the span and shifts the line numbers.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::snippet::Snippet;

/// A named (masked, cut) file or command line that miette reads a window
/// of: the only source code ward hands miette for layouts and commands.
pub(crate) struct Window {
    name: String,
    snippet: Arc<Snippet>,
}

impl Window {
    pub(crate) fn new(name: &str, snippet: Arc<Snippet>) -> Self {
        Window {
            name: name.to_owned(),
            snippet,
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.snippet.text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        // Whole lines, with more context than asked for: miette picks its
        // lines from these exactly as it would from the whole file. (A span
        // past the end, which ward never makes, gets the whole file.)
        let (from, to) = match end <= text.len() {
            true => (back(text, start, before + 2), forward(text, end, after + 2)),
            false => (0, text.len()),
        };
        let window = &text[from..to];
        let inner = window.read_span(&(start - from, span.len()).into(), before, after)?;
        let lines = self.snippet.breaks_before(from);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + from, inner.span().len()).into(),
            inner.line() + lines,
            inner.column(),
            inner.line_count() + lines,
        )))
    }
}

/// The start of the line `lines` lines above the one holding `at`.
fn back(text: &[u8], at: usize, lines: usize) -> usize {
    let mut from = at;
    for _ in 0..=lines {
        match text[..from].iter().rposition(|&b| b == b'\n') {
            Some(i) if from > 0 => from = i,
            _ => return 0,
        }
    }
    from + 1
}

/// The end of the line `lines` lines below the one holding `at`.
fn forward(text: &[u8], at: usize, lines: usize) -> usize {
    let mut to = at;
    for _ in 0..=lines {
        match text[to..].iter().position(|&b| b == b'\n') {
            Some(i) => to += i + 1,
            None => return text.len(),
        }
    }
    to
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::masked::Masked;

    /// What miette reads around `span` from the whole text and from a
    /// window agree.
    fn same(text: &str, span: (usize, usize), before: usize, after: usize) {
        let window = Window::new("f", Arc::new(Snippet::new(Masked::test(text))));
        let whole = miette::NamedSource::new("f", text.to_owned());
        let span: SourceSpan = span.into();
        let a = whole.read_span(&span, before, after);
        let b = window.read_span(&span, before, after);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.data(), b.data(), "{text:?} {span:?}");
                assert_eq!(a.span(), b.span(), "{text:?} {span:?}");
                assert_eq!(
                    (a.line(), a.column(), a.line_count(), a.name()),
                    (b.line(), b.column(), b.line_count(), b.name()),
                    "{text:?} {span:?} {before} {after}"
                );
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{text:?} {span:?}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn reads_what_miette_reads_from_the_whole_text() {
        let texts = [
            "",
            "a",
            "a\nb\nc\nd\ne\nf\ng\nh\n",
            "x = 1\r\ny = 2\r\n\r\nz = 3\rw = 4\n\n\nlast",
            "[s]\n\n\n\nk = \"v\"\n\nk2 = 1\n",
            "é\nü = \"ö\"\n🔑\n",
        ];
        for text in texts {
            for start in 0..=text.len() {
                for len in 0..=(text.len() - start).min(12) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                        same(text, (start, len), before, after);
                    }
                }
            }
            same(text, (text.len() + 1, 0), 1, 1);
        }
    }
}
