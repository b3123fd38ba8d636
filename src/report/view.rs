//! The one place source text reaches a renderer: layout files are masked
//! (every secret value replaced byte for byte by `*`) before anything shows
//! them, so diagnostics can print context lines without leaking values.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::snippet::Snippet;
use crate::layout::mask::mask_layout;
use crate::source::{FileId, SourceKind, Sources, Span};

/// Masked, shareable views of the sources of a run.
pub struct SourceView<'s> {
    sources: &'s Sources,
    masked: RefCell<HashMap<FileId, Arc<Snippet>>>,
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
    /// A view over `sources`; masking happens lazily, once per file.
    pub fn new(sources: &'s Sources) -> Self {
        SourceView {
            sources,
            masked: RefCell::new(HashMap::new()),
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
            Some(src) if src.kind == SourceKind::Layout => Snippet::new(&mask_layout(&src.text)),
            Some(src) => Snippet::new(&src.text),
            None => Snippet::new(""),
        });
        self.masked.borrow_mut().insert(file, snippet.clone());
        snippet
    }

    /// Where a span is, for JSON, SARIF and annotations.
    pub fn locate(&self, span: Span) -> Option<Location> {
        let src = self.sources.get(span.file)?;
        let (line, column) = src.line_col(span.start as usize);
        let (end_line, end_column) = src.line_col(span.end as usize);
        Some(Location {
            file: src.name.clone(),
            line,
            column,
            end_line,
            end_column,
        })
    }
}
