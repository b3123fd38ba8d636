//! One owner's section of a file — the run of lines from its first
//! `[orgs.ID]`/`[sites.ID]` header to the next header of another owner —
//! read on its own, as if it were a whole file. A run of one owner's tables
//! is a TOML document of its own, and reads as it does in its file: what a
//! REPL edit re-reads instead of the whole layout.

use super::{ById, Org, Site, load_str};
use crate::finding::Finding;
use crate::source::{FileId, Span};

/// What a section declares, with spans into the file it is part of.
#[derive(Debug, Default)]
pub struct Section {
    /// The orgs it declares (one, for an org's section).
    pub orgs: ById<Org>,
    /// The sites it declares (one, for a site's section).
    pub sites: ById<Site>,
    /// The loader's findings on it, in the order a load of the file gives
    /// them.
    pub findings: Vec<Finding>,
}

/// Reads `text`, a section of file `file` (named `name`) that starts at
/// byte `offset` of it, with the loaders (fast, else reference), and moves
/// every span to where the section sits in the file. `None` if the file
/// would be too large for spans.
pub fn load_section(file: FileId, name: &str, text: &str, offset: usize) -> Option<Section> {
    let offset = u32::try_from(offset).ok()?;
    u32::try_from(offset as usize + text.len()).ok()?;
    let loaded = load_str(name, text);
    let mut moved = |span: &mut Span| {
        span.file = file;
        span.start += offset;
        span.end += offset;
    };
    let mut layout = loaded.layout;
    layout
        .orgs
        .values_mut()
        .for_each(|o| o.spans_mut(&mut moved));
    layout
        .sites
        .values_mut()
        .for_each(|s| s.spans_mut(&mut moved));
    let mut findings = loaded.findings;
    for f in &mut findings {
        moved(&mut f.span);
        f.related.iter_mut().for_each(|(span, _)| moved(span));
    }
    // The section's own copy of its text goes with `layout.sources`: values
    // read in place now point into the file's text.
    Some(Section {
        orgs: std::mem::take(&mut layout.orgs),
        sites: std::mem::take(&mut layout.sites),
        findings,
    })
}
