//! The one place source text reaches a renderer: layout files are masked
//! (every secret value replaced byte for byte by `*`) before anything shows
//! them, so diagnostics can print context lines without leaking values.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::masked::Masked;
use super::snippet::Snippet;
use crate::source::{FileId, SourceKind, Sources, Span, Text};

/// Masked, shareable views of the sources of a run.
pub struct SourceView<'s> {
    sources: &'s Sources,
    masked: Mutex<HashMap<FileId, Arc<Snippet>>>,
    /// How many lines end before each [`BLOCK`] of a file: locating a span
    /// then counts newlines in at most one block, not from the start of
    /// the file (10,000 findings in a 1 MB layout took seconds). Not a
    /// table of every line start, which is 36 MB for a 200 MB layout.
    /// `u32`: files are under 4 GiB (the loader refuses larger ones).
    lines: Mutex<HashMap<FileId, Arc<[u32]>>>,
    /// Layout texts taken from `sources` to be masked where they are
    /// ([`SourceView::taking`]); dropped (and zeroed) unmasked if no
    /// finding shows them.
    taken: Mutex<HashMap<FileId, Text>>,
    /// The files taken: their snippets are kept.
    kept: std::collections::HashSet<FileId>,
}

/// The cache behind `m`: the caches are shared by the threads rendering
/// diagnostics, and a panic in one leaves them consistent (entries are
/// whole), so a poisoned lock is used as is.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A span located for humans: file name, 1-based line and column of both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File name as given.
    pub file: String,
    /// Start line.
    pub line: usize,
    /// Start column (characters).
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (characters, exclusive).
    pub end_column: usize,
}

impl<'s> SourceView<'s> {
    /// The files viewed.
    pub fn sources(&self) -> &'s Sources {
        self.sources
    }

    /// A view over `sources`; masking happens lazily, once per file.
    pub fn new(sources: &'s Sources) -> Self {
        SourceView {
            sources,
            masked: Mutex::new(HashMap::new()),
            lines: Mutex::new(HashMap::new()),
            taken: Mutex::new(HashMap::new()),
            kept: std::collections::HashSet::new(),
        }
    }

    /// A view that takes the layout texts of `sources` and masks each in
    /// its own buffer when first shown, instead of masking a copy: a
    /// one-file layout was held twice while its findings printed. For a run
    /// that reads no layout text after its report: `sources` keep their
    /// names but not their texts, and [`SourceView::locate`] cannot place
    /// a span in a taken file (human output does not ask).
    pub fn taking(sources: &'s mut Sources) -> Self {
        let taken: HashMap<FileId, Text> = sources.take_layout_texts().into_iter().collect();
        SourceView {
            kept: taken.keys().copied().collect(),
            taken: Mutex::new(taken),
            ..SourceView::new(sources)
        }
    }

    /// The file's name.
    pub fn name(&self, file: FileId) -> &str {
        self.sources
            .get(file)
            .map_or("<unknown>", |f| f.name.as_str())
    }

    /// `span` in its whole file: a span in a later part of a file the
    /// REPL holds in parts (see [`crate::source::SourceFile::continues`])
    /// moved to the file's first part, past the bytes of the parts before
    /// it. [`SourceView::snippet`] of a first part is the whole file's.
    pub fn whole(&self, span: Span) -> Span {
        let mut out = span;
        while out.file > 0 && self.sources.get(out.file).is_some_and(|f| f.continues) {
            out.file -= 1;
            let before = self
                .sources
                .get(out.file)
                .map_or(0, |f| f.text.len() as u32);
            out.start += before;
            out.end += before;
        }
        out
    }

    /// The text of a file the REPL holds in parts (`file` its first),
    /// joined; `None` for a file held whole.
    fn joined(&self, file: FileId) -> Option<Text> {
        let first = self.sources.get(file)?;
        let later = self.sources.iter().skip(file as usize + 1);
        let later = later
            .take_while(|(_, f)| f.continues)
            .map(|(_, f)| &**f.text);
        let parts: Vec<&str> = std::iter::once(&**first.text).chain(later).collect();
        (parts.len() > 1).then(|| Arc::new(crate::source::SourceText::joined(&parts)))
    }

    /// The file as diagnostics print it: secret values masked, long lines
    /// cut. For the first part of a file in parts, the whole file (see
    /// [`SourceView::whole`]).
    pub fn snippet(&self, file: FileId) -> Arc<Snippet> {
        if let Some(t) = lock(&self.masked).get(&file) {
            return t.clone();
        }
        // Held while the snippet is made: a taken text is gone from the
        // sources once removed here, so a second thread asking for the
        // same file must wait for this one's snippet, not read "".
        let mut taken = lock(&self.taken);
        if let Some(t) = lock(&self.masked).get(&file) {
            return t.clone();
        }
        let taken_text = taken.remove(&file);
        let snippet = Arc::new(match self.sources.get(file) {
            _ if let Some(text) = taken_text => Snippet::new(Masked::layout_taken(text)),
            // Masked in its own buffer, which is zeroed as it drops.
            _ if let Some(text) = self.joined(file) => Snippet::new(Masked::layout_taken(text)),
            Some(src) if src.kind == SourceKind::Policy => Snippet::new(Masked::policy(&src.text)),
            Some(src) => Snippet::new(Masked::layout(&src.text)),
            None => Snippet::new(Masked::layout("")),
        });
        lock(&self.masked).insert(file, snippet.clone());
        drop(taken);
        snippet
    }

    /// Drops what was kept of `file` (its masked copy, its newline
    /// counts); it is made again if asked for. A taken file's snippet is
    /// kept: it is the file's only text now (a finding in a later file
    /// may point into it), and no copy.
    pub fn forget(&self, file: FileId) {
        if !self.kept.contains(&file) {
            lock(&self.masked).remove(&file);
        }
        lock(&self.lines).remove(&file);
    }

    /// Where a span is, for JSON, SARIF and annotations.
    pub fn locate(&self, span: Span) -> Option<Location> {
        self.locator().locate(span).map(|l| Location {
            file: l.file.to_owned(),
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        })
    }

    /// Locates span after span: what [`SourceView::locate`] does, without
    /// taking the lock for each (the threads writing a report took it
    /// for every finding) or copying the file's name.
    pub fn locator(&self) -> Locator<'_, 's> {
        Locator {
            view: self,
            last: None,
            at: None,
        }
    }
}

/// A span located, the file's name borrowed: see [`SourceView::locator`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located<'s> {
    /// File name as given.
    pub file: &'s str,
    /// Start line.
    pub line: usize,
    /// Start column (characters).
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (characters, exclusive).
    pub end_column: usize,
}

/// Locates spans with the newline counts of the last file it located in
/// at hand.
pub struct Locator<'v, 's> {
    view: &'v SourceView<'s>,
    last: Option<(FileId, Arc<[u32]>)>,
    /// The start of the last span located, in the last file.
    at: Option<Place>,
}

impl<'s> Locator<'_, 's> {
    /// Where `span` is; `None` for a file the view does not have.
    pub fn locate(&mut self, span: Span) -> Option<Located<'s>> {
        let src = self.view.sources.get(span.file)?;
        let counts = match &self.last {
            Some((file, counts)) if *file == span.file => counts,
            _ => {
                self.at = None;
                let counts = self.view.newline_counts(span.file, &src.text);
                &self.last.insert((span.file, counts)).1
            }
        };
        // Spans come in file order, often several on a line: from the last
        // one's start when it is nearer than the start of the block.
        let offset = span.start as usize;
        let start = match self.at {
            Some(at) if offset >= at.offset && offset - at.offset < offset % BLOCK => {
                at.to(&src.text, offset)
            }
            _ => place(&src.text, counts, offset),
        };
        self.at = Some(start);
        // The end from the start: a span is short, its start's block not.
        let end = match span.end >= span.start {
            true => start.to(&src.text, span.end as usize),
            false => place(&src.text, counts, span.end as usize),
        };
        let ((line, column), (end_line, end_column)) =
            (start.line_col(&src.text), end.line_col(&src.text));
        // A part of a file starts at a line start: only its lines shift.
        let before = src.first_line as usize;
        Some(Located {
            file: &src.name,
            line: line + before,
            column,
            end_line: end_line + before,
            end_column,
        })
    }
}

impl SourceView<'_> {
    /// How many newlines `file` has before each of its blocks.
    fn newline_counts(&self, file: FileId, text: &str) -> Arc<[u32]> {
        // Counted under the lock: the threads writing a report take
        // findings of the same file at once, and each counted it whole.
        let mut lines = lock(&self.lines);
        if let Some(s) = lines.get(&file) {
            return s.clone();
        }
        let mut before = 0;
        let counts: Arc<[u32]> = std::iter::once(0)
            .chain(text.as_bytes().chunks(BLOCK).map(|block| {
                before += memchr::memchr_iter(b'\n', block).count() as u32;
                before
            }))
            .collect();
        lines.insert(file, counts.clone());
        counts
    }
}

/// Bytes per entry of [`SourceView::lines`].
const BLOCK: usize = 1024;

/// A byte of a text, with its line.
#[derive(Clone, Copy)]
struct Place {
    /// The byte, on a character boundary.
    offset: usize,
    /// Its 1-based line.
    line: usize,
    /// Where that line starts.
    line_start: usize,
}

/// The place of byte `offset` (moved back to a character boundary), as
/// [`crate::source::line_col`] has it, with the newlines before its block
/// read from `counts`.
fn place(text: &str, counts: &[u32], offset: usize) -> Place {
    let offset = boundary(text, offset);
    let block = offset / BLOCK;
    let before = counts.get(block).map_or(0, |&n| n as usize);
    let bytes = &text.as_bytes()[..offset];
    Place {
        offset,
        line: before + memchr::memchr_iter(b'\n', &bytes[block * BLOCK..]).count() + 1,
        line_start: memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1),
    }
}

/// `offset` moved back to a character boundary of `text`.
fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl Place {
    /// The place of byte `offset`, at or after this one: only the bytes
    /// between them are read.
    fn to(self, text: &str, offset: usize) -> Place {
        let offset = boundary(text, offset).max(self.offset);
        let between = &text.as_bytes()[self.offset..offset];
        Place {
            offset,
            line: self.line + memchr::memchr_iter(b'\n', between).count(),
            line_start: memchr::memrchr(b'\n', between)
                .map_or(self.line_start, |i| self.offset + i + 1),
        }
    }

    /// 1-based line and column (in characters).
    fn line_col(self, text: &str) -> (usize, usize) {
        (
            self.line,
            text[self.line_start..self.offset].chars().count() + 1,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceText, Sources};

    /// A view that takes the layout texts shows what a view over them
    /// shows; a text something else holds is masked as a copy, left as
    /// it is for its holder; the policy's text is not taken.
    #[test]
    fn a_taking_view_shows_what_a_view_shows() {
        let layout =
            "[orgs.o.secrets.K]\ntype = \"env\"\nvalue = \"CANARY-1\" # value = \"CANARY-2\"\n";
        let mut sources = Sources::default();
        let own = sources.add("a.toml", SourceText::shared(layout), SourceKind::Layout);
        let held = SourceText::shared(layout);
        let shared = sources.add("b.toml", held.clone(), SourceKind::Layout);
        let policy = sources.add("p.policy", SourceText::shared("x"), SourceKind::Policy);
        let expected = SourceView::new(&sources).snippet(own).text.clone();
        assert!(!expected.contains("CANARY") && expected.contains("type = \"env\""));
        let view = SourceView::taking(&mut sources);
        assert_eq!(view.sources().text(Span::new(own, 0..5)), "", "taken");
        assert_eq!(view.sources().text(Span::new(policy, 0..1)), "x");
        assert_eq!(view.snippet(own).text, expected);
        assert_eq!(view.snippet(shared).text, expected);
        assert_eq!(view.snippet(policy).text.as_str(), "x");
        // A taken file forgotten (its findings printed) still shows when a
        // later finding points into it.
        view.forget(own);
        assert_eq!(view.snippet(own).text, expected);
        assert!(held.contains("CANARY-1"), "the holder's text is its own");
    }

    /// Spans are located as `source::line_col` locates them, at every
    /// offset of a text of several blocks with multi-byte characters,
    /// blank lines, a line longer than a block and no final newline.
    #[test]
    fn locates_as_a_scan_from_the_start() {
        let mut text = String::new();
        for n in 0..3000 {
            text.push_str(match n % 5 {
                0 => "[sites.é]\n",
                1 => "\n",
                2 => "value = \"ünïcödé ✓\"\r\n",
                3 => "x",
                _ => "abc\n",
            });
        }
        text.push_str(&"long ".repeat(2000));
        assert!(text.len() > 5 * BLOCK);
        let mut sources = Sources::default();
        let file = sources.add(
            "l.toml",
            SourceText::shared(text.as_str()),
            SourceKind::Layout,
        );
        let view = SourceView::new(&sources);
        for offset in (0..=text.len() + 2)
            .step_by(61)
            .chain([BLOCK, BLOCK + 1, 2 * BLOCK - 1])
        {
            for len in [0, 1, 7, 40, BLOCK + 3] {
                let span = Span::new(file, offset..offset + len);
                let at = view.locate(span).expect("a file of the run");
                let expected = crate::source::line_col(&text, offset);
                assert_eq!((at.line, at.column), expected, "offset {offset}");
                let end = crate::source::line_col(&text, offset + len);
                assert_eq!((at.end_line, at.end_column), end, "{offset}..+{len}");
            }
        }
        // One locator for spans in file order, close together or not, then
        // going back, and into another file and back: as each alone.
        let other = sources.add("m.toml", SourceText::shared("a\nb\n"), SourceKind::Layout);
        let view = SourceView::new(&sources);
        let mut locator = view.locator();
        let mut offsets: Vec<usize> = (0..text.len()).step_by(13).collect();
        offsets.extend([3 * BLOCK + 5, BLOCK - 1, 7, text.len() - 1]);
        for (i, offset) in offsets.into_iter().enumerate() {
            let span = Span::new(file, offset..offset + 3);
            assert_eq!(
                locator.locate(span),
                view.locator().locate(span),
                "{offset}"
            );
            if i % 50 == 0 {
                let there = Span::new(other, 2..3);
                assert_eq!(locator.locate(there).map(|l| l.line), Some(2));
            }
        }
    }
}
