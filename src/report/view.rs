//! The one place source text reaches a renderer: layout files are masked
//! (every secret value replaced byte for byte by `*`) before anything shows
//! them, so diagnostics can print context lines without leaking values.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::masked::Masked;
use super::snippet::Snippet;
use crate::source::{FileId, SourceKind, Sources, Span};

/// Masked, shareable views of the sources of a run.
pub struct SourceView<'s> {
    sources: &'s Sources,
    masked: RefCell<HashMap<FileId, Arc<Snippet>>>,
    /// Where each line starts, per file: locating a span is then a binary
    /// search, not a scan from the start of the file (10,000 findings in a
    /// 1 MB layout took seconds). `u32`: files are under 4 GiB (the loader
    /// refuses larger ones), and a 200 MB layout has millions of lines.
    lines: RefCell<HashMap<FileId, Arc<[u32]>>>,
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
            masked: RefCell::new(HashMap::new()),
            lines: RefCell::new(HashMap::new()),
        }
    }

    /// The file's name.
    pub fn name(&self, file: FileId) -> &str {
        self.sources
            .get(file)
            .map_or("<unknown>", |f| f.name.as_str())
    }

    /// The file as diagnostics print it: secret values masked, long lines cut.
    pub fn snippet(&self, file: FileId) -> Arc<Snippet> {
        if let Some(t) = self.masked.borrow().get(&file) {
            return t.clone();
        }
        let snippet = Arc::new(match self.sources.get(file) {
            Some(src) if src.kind == SourceKind::Policy => Snippet::new(&Masked::policy(&src.text)),
            Some(src) => Snippet::new(&Masked::layout(&src.text)),
            None => Snippet::new(&Masked::layout("")),
        });
        self.masked.borrow_mut().insert(file, snippet.clone());
        snippet
    }

    /// Where a span is, for JSON, SARIF and annotations.
    pub fn locate(&self, span: Span) -> Option<Location> {
        let src = self.sources.get(span.file)?;
        let starts = self.line_starts(span.file, &src.text);
        let (line, column) = line_col(&src.text, &starts, span.start as usize);
        let (end_line, end_column) = line_col(&src.text, &starts, span.end as usize);
        Some(Location {
            file: src.name.clone(),
            line,
            column,
            end_line,
            end_column,
        })
    }
}

impl SourceView<'_> {
    /// The byte offsets at which the lines of `file` start.
    fn line_starts(&self, file: FileId, text: &str) -> Arc<[u32]> {
        if let Some(s) = self.lines.borrow().get(&file) {
            return s.clone();
        }
        let starts: Arc<[u32]> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1))
            .collect();
        self.lines.borrow_mut().insert(file, starts.clone());
        starts
    }
}

/// 1-based line and column (in characters) of byte `offset`, as
/// [`crate::source::line_col`], with the line found in `starts`.
fn line_col(text: &str, starts: &[u32], offset: usize) -> (usize, usize) {
    let line = starts.partition_point(|&s| s as usize <= offset).max(1);
    let start = starts.get(line - 1).map_or(0, |&s| s as usize);
    (
        line,
        crate::source::line_col(text.get(start..).unwrap_or(""), offset - start).1,
    )
}
