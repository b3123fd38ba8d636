//! Source files and spans: every layout entry, policy node and finding points
//! back into the text it came from through a [`Span`].

use std::sync::Arc;

use zeroize::Zeroize;

/// A file's text, shared by the layout, diagnostics and the REPL's editor.
/// A layout file holds every value it declares, and the model reads values
/// in place (by span), so this is where values live in memory: `Debug`
/// shows only the length, and a text read into memory is zeroed when the
/// last reference is dropped. Built from a `String` without a copy, or
/// mapped from its file ([`SourceText::map`]).
#[derive(Default)]
pub struct SourceText(Repr);

enum Repr {
    /// Read into memory (or made): zeroed when dropped.
    Owned(String),
    /// A file mapped into memory, checked to be UTF-8 when mapped. Its
    /// pages are the system's cache of the file, not a copy ward made:
    /// nothing to zero, only to unmap.
    Mapped(memmap2::Mmap),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Owned(String::new())
    }
}

/// A shared file text.
pub type Text = Arc<SourceText>;

impl SourceText {
    /// A shared text, taking `text` as it is.
    pub fn shared(text: impl Into<SourceText>) -> Text {
        Arc::new(text.into())
    }

    /// The text with every secret value masked in its own buffer (see
    /// [`crate::layout::mask::mask_layout_in_place`]): a text read is not
    /// copied, and its values are overwritten rather than left to be
    /// zeroed; a mapped one is masked in a copy.
    pub(crate) fn into_masked(mut self) -> String {
        let text = match &mut self.0 {
            Repr::Owned(text) => std::mem::take(text),
            // The file's pages are read-only: masked in a copy.
            Repr::Mapped(_) => self.to_string(),
        };
        crate::layout::mask::mask_layout_in_place(text)
    }

    /// Whether the text is a mapped file's ([`SourceText::map`]).
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Repr::Mapped(_))
    }

    /// The text of `file`, mapped into memory rather than read: no copy
    /// of it in ward's memory, nor pages to zero before it is copied in.
    /// The inner error says where the bytes stop being UTF-8.
    ///
    /// The text is the file's as long as it is mapped: a file rewritten
    /// or truncated while ward runs changes under it, or makes reading it
    /// fault (see `main`'s handler). Only runs that end as soon as they
    /// have read their files (`ward check`, `resolve`, `explain`) map them.
    pub fn map(file: &std::fs::File) -> std::io::Result<Result<SourceText, NotUtf8>> {
        // SAFETY: the map is read-only and private to ward; see above for
        // a file changed by another process while mapped.
        let map = unsafe { memmap2::Mmap::map(file) }?;
        Ok(match std::str::from_utf8(&map) {
            Ok(_) => Ok(SourceText(Repr::Mapped(map))),
            Err(e) => Err(NotUtf8::of(&map, e)),
        })
    }

    /// `text` with the bytes of `range` replaced by `with`, with room to
    /// grow: a text the REPL edits again and again is then edited in place
    /// ([`SourceText::replace_range`]) rather than copied each time. `None`
    /// if `range` is not a range of `text` on character boundaries.
    pub fn spliced(text: &str, range: std::ops::Range<usize>, with: &str) -> Option<SourceText> {
        let (head, tail) = (text.get(..range.start)?, text.get(range.end..)?);
        let len = head.len() + with.len() + tail.len();
        let mut out = String::with_capacity(len + room(len));
        out.push_str(head);
        out.push_str(with);
        out.push_str(tail);
        Some(SourceText(Repr::Owned(out)))
    }

    /// The texts `parts` one after another (a file held in parts, whole
    /// again), in a buffer sized once: one grown step by step would leave
    /// copies of the values it held behind, unzeroed.
    pub fn joined(parts: &[&str]) -> SourceText {
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            text.push_str(part);
        }
        SourceText(Repr::Owned(text))
    }

    /// Replaces the bytes of `range` by `with`, in place when the text has
    /// room for them (else in a new buffer, the old one zeroed). Returns
    /// false, changing nothing, if `range` is not a range of the text on
    /// character boundaries.
    pub fn replace_range(&mut self, range: std::ops::Range<usize>, with: &str) -> bool {
        let text: &str = self;
        if range.start > range.end || text.get(range.clone()).is_none() {
            return false;
        }
        let len = text.len() - range.len() + with.len();
        if let Repr::Owned(own) = &mut self.0
            && len <= own.capacity()
        {
            // No reallocation: no copy of the text is left behind unzeroed.
            own.replace_range(range, with);
            return true;
        }
        match SourceText::spliced(self, range, with) {
            Some(new) => {
                // The old buffer is zeroed as the replaced value drops.
                drop(std::mem::replace(self, new));
                true
            }
            None => false,
        }
    }
}

/// A file's bytes that are not UTF-8: where the first invalid byte is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    /// Byte offset of the first invalid byte.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
}

impl NotUtf8 {
    /// Where `error`, met decoding `bytes`, is.
    pub fn of(bytes: &[u8], error: std::str::Utf8Error) -> Self {
        let offset = error.valid_up_to();
        let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
        NotUtf8 { offset, line }
    }
}

/// Spare capacity for an edited text: enough for many small edits.
fn room(len: usize) -> usize {
    (len / 256).clamp(4096, 1 << 20)
}

impl std::ops::Deref for SourceText {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Owned(text) => text,
            // SAFETY: checked to be UTF-8 when mapped (`SourceText::map`).
            Repr::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
        }
    }
}

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SourceText {}

impl From<String> for SourceText {
    fn from(text: String) -> Self {
        SourceText(Repr::Owned(text))
    }
}

impl From<&str> for SourceText {
    fn from(text: &str) -> Self {
        SourceText(Repr::Owned(text.to_owned()))
    }
}

impl Drop for SourceText {
    fn drop(&mut self) {
        if let Repr::Owned(text) = &mut self.0 {
            text.zeroize();
        }
    }
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceText({} bytes)", self.len())
    }
}

/// Index of a file in [`Sources`].
pub type FileId = u32;

/// A byte range in one source file. Compact (12 bytes) because a million-secret
/// layout carries several per secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from a byte range in `file`.
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// The byte range as `usize`s.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The range without its file.
    pub fn loc(self) -> Loc {
        Loc {
            start: self.start,
            end: self.end,
        }
    }
}

/// A byte range in a file the holder knows: the fields of a secret are all
/// in its file, whose id its own [`Span`] gives. 8 bytes, not 12: a
/// million secrets carry five each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Loc {
    /// The range in `file`.
    pub fn at(self, file: FileId) -> Span {
        Span {
            file,
            start: self.start,
            end: self.end,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the range covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// What kind of text a source holds: it decides how secret values are masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A TOML layout file: values are masked before any renderer sees it.
    Layout,
    /// A policy file: holds no secret values.
    Policy,
}

/// One loaded file.
pub struct SourceFile {
    /// The path as the user gave it (or `<embedded>/…` for the built-in policy).
    pub name: String,
    /// The full text.
    pub text: Text,
    /// Layout or policy.
    pub kind: SourceKind,
    /// Lines of its file before this text: a large layout file the REPL
    /// edits is held in parts, each a source of its own (see
    /// [`crate::repl::Workspace`]); 0 for a whole file.
    pub first_line: u32,
    /// This text continues the previous source's file (a part after the
    /// first).
    pub continues: bool,
}

impl std::fmt::Debug for SourceFile {
    // Never print the text: a layout holds secret values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("bytes", &self.text.len())
            .field("kind", &self.kind)
            .field("first_line", &self.first_line)
            .field("continues", &self.continues)
            .finish()
    }
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset, in the
    /// whole file (a part starts at a line start: only its lines shift).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, column) = line_col(&self.text, offset);
        (line + self.first_line as usize, column)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file a run has read, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Drops the texts, about half of their bytes on another thread when
    /// `big`: unmapping a million secrets' files (or zeroing read ones)
    /// took 11–16 ms on one thread at the end of a check.
    pub fn free(mut self, big: bool) {
        let total: usize = self.files.iter().map(|f| f.text.len()).sum();
        let mut before = 0;
        let cut = self
            .files
            .iter()
            .take_while(|f| {
                before += f.text.len();
                before * 2 <= total
            })
            .count();
        let second = self.files.split_off(cut);
        crate::parallel::join(big, || drop(self), || drop(second));
    }

    /// Registers a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: Text, kind: SourceKind) -> FileId {
        self.add_part(name, text, kind, 0, false)
    }

    /// Registers part of a file: its text starts after `first_line` lines
    /// of the file, and `continues` says it is not the file's first part.
    pub fn add_part(
        &mut self,
        name: impl Into<String>,
        text: Text,
        kind: SourceKind,
        first_line: u32,
        continues: bool,
    ) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text,
            kind,
            first_line,
            continues,
        });
        (self.files.len() - 1) as FileId
    }

    /// How many files the sources hold, a file in parts counted once.
    pub fn file_count(&self) -> usize {
        self.files.iter().filter(|f| !f.continues).count()
    }

    /// Moves the first line of each later part of file `id`'s file by
    /// `lines` (the part `id` gained or lost that many).
    pub fn shift_later_parts(&mut self, id: FileId, lines: i64) {
        let later = self.files.iter_mut().skip(id as usize + 1);
        for file in later.take_while(|f| f.continues) {
            file.first_line = (i64::from(file.first_line) + lines) as u32;
        }
    }

    /// The file with that id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    /// All files in load order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (i as FileId, f))
    }

    /// Replaces the text of file `id` (an edited file), returning the one
    /// it had. Spans into the file keep their offsets: the caller moves
    /// them.
    pub fn replace_text(&mut self, id: FileId, text: Text) -> Option<Text> {
        let file = self.files.get_mut(id as usize)?;
        Some(std::mem::replace(&mut file.text, text))
    }

    /// Takes the text of every layout file, leaving each empty: for a run
    /// that reads no text after this but what it masks
    /// ([`crate::report::SourceView::taking`]).
    pub(crate) fn take_layout_texts(&mut self) -> Vec<(FileId, Text)> {
        let layouts = self.files.iter_mut().enumerate();
        let layouts = layouts.filter(|(_, f)| f.kind == SourceKind::Layout);
        layouts
            .map(|(id, f)| (id as FileId, std::mem::take(&mut f.text)))
            .collect()
    }

    /// The text a span covers (empty if out of range).
    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("")
    }
}
