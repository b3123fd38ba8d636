//! Re-checking after an edit of one owner's section of a file, instead of
//! the whole layout: what a what-if edit on a million-secret layout needs
//! to answer at once.
//!
//! An edit of an org's or site's secrets changes the lines that declare
//! that owner, its section (see [`crate::layout::Section`]), and nothing
//! else. So the section is read again on its own and replaced in the
//! layout; the spans after it in its file move by its change in length;
//! and only the findings the edit can change are computed again — the
//! owner's own (loader, vocabulary and policy rules) and, for an org, the
//! policy-rule findings of the sites that inherit from it (a site's scopes
//! and defaults include its orgs'). They take their places in the sorted
//! list of findings, which is then what `ward check` gives for the edited
//! texts (`tests/repl_incremental.rs` compares them after random edits).
//!
//! [`Index`] holds what this needs beyond the layout: each file's header
//! lines, the sites inheriting from each org, and the order of findings
//! that share a span. When a section cannot be edited apart (an owner in
//! dotted or inline form, declared in several places or files, a file with
//! syntax errors, …) the REPL edits the whole file and checks everything.

mod headers;
mod update;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use headers::Headers;

use super::workspace::OwnerRef;
use crate::finding::{Finding, rule_id};
use crate::layout::{Layout, OwnerKind};
use crate::policy::Policy;
use crate::source::{FileId, Sources, Span};

/// Hashing for the index's maps: seeded, fast.
type Hasher = foldhash::fast::RandomState;

/// What re-checking one section needs beyond the layout and its findings.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Each file's header lines, by file id.
    files: Vec<Headers>,
    /// Per org id: the sites (indices in the layout) that inherit from it,
    /// in layout order.
    heirs: HashMap<String, Vec<u32>, Hasher>,
    /// Per file: its orgs and its sites (indices in the layout), in the
    /// order of their spans.
    owners: Vec<[Vec<u32>; 2]>,
    /// Rank of each policy rule's findings (see [`Index::rank`]).
    ranks: HashMap<String, u32, Hasher>,
    /// Owners declared more than once: a finding elsewhere points at them.
    doubled: HashSet<(OwnerKind, String), Hasher>,
    /// Files with syntax errors.
    broken: Vec<bool>,
    /// Some finding has related spans (which move too).
    related: bool,
}

/// The section of a file that declares one owner.
#[derive(Debug, Clone)]
pub(super) struct Run {
    /// The file.
    pub(super) file: FileId,
    /// The section's bytes.
    pub(super) range: Range<usize>,
    /// Its headers' indices in the file's [`Headers`].
    headers: Range<usize>,
    /// The line it starts on.
    line: u32,
    kind: OwnerKind,
    id: String,
}

impl Index {
    /// The index of a checked layout; `None` when a policy rule has the id
    /// of a loader or vocabulary finding (or two rules share one): then the
    /// order of findings with the same span cannot be told from their rule,
    /// and every edit is checked whole.
    pub(super) fn build(layout: &Layout, findings: &[Finding], policy: &Policy) -> Option<Index> {
        let ranks = ranks(policy)?;
        let texts: Vec<&str> = layout.sources.iter().map(|(_, f)| &**f.text).collect();
        let bytes = texts.iter().map(|t| t.len()).sum();
        let files = crate::parallel::map_work(&texts, bytes, |t| Headers::of(t));
        let mut index = Index {
            owners: vec![[Vec::new(), Vec::new()]; files.len()],
            broken: vec![false; files.len()],
            files,
            ranks,
            ..Index::default()
        };
        index.add_owners(layout, policy);
        for f in findings {
            index.related |= !f.related.is_empty();
            match &*f.rule {
                rule_id::TOML_SYNTAX => {
                    if let Some(b) = index.broken.get_mut(f.span.file as usize) {
                        *b = true;
                    }
                }
                rule_id::DUPLICATE => {
                    let owner = match (&f.org, &f.site) {
                        (Some(id), _) => (OwnerKind::Org, id.to_string()),
                        (None, Some(id)) => (OwnerKind::Site, id.to_string()),
                        (None, None) => continue,
                    };
                    index.doubled.insert(owner);
                }
                _ => {}
            }
        }
        Some(index)
    }

    /// Each file's owners, and each org's heirs.
    fn add_owners(&mut self, layout: &Layout, policy: &Policy) {
        let spans = [
            layout.orgs.values().map(|o| o.span).collect::<Vec<_>>(),
            layout.sites.values().map(|s| s.span).collect(),
        ];
        for (kind, spans) in spans.iter().enumerate() {
            for (i, span) in spans.iter().enumerate() {
                if let Some(owners) = self.owners.get_mut(span.file as usize) {
                    owners[kind].push(i as u32);
                }
            }
            for owners in &mut self.owners {
                owners[kind].sort_by_key(|&i| spans[i as usize].start);
            }
        }
        for (i, site) in layout.sites.values().enumerate() {
            for org in crate::resolve::inherited_orgs(layout, policy, site) {
                match self.heirs.get_mut(org.id.as_str()) {
                    Some(heirs) => heirs.push(i as u32),
                    None => {
                        self.heirs.insert(org.id.to_string(), vec![i as u32]);
                    }
                }
            }
        }
    }

    /// The section that declares `owner`, if an edit of it can be checked
    /// on its own: the owner's headers follow one another in a file without
    /// syntax errors whose headers are all readable, it is declared nowhere
    /// else, and everything the layout holds of it is in the section.
    pub(super) fn section(&self, layout: &Layout, owner: &OwnerRef) -> Option<Run> {
        let (kind, id) = match owner {
            OwnerRef::Org(id) => (OwnerKind::Org, id.as_str()),
            OwnerRef::Site(id) => (OwnerKind::Site, id.as_str()),
        };
        if self.doubled.contains(&(kind, id.to_owned())) {
            return None;
        }
        let (span, extent) = match kind {
            OwnerKind::Org => layout
                .orgs
                .get(id)
                .map(|o| (o.span, extent(|f| o.spans(&mut |s| f(s)))))?,
            OwnerKind::Site => layout
                .sites
                .get(id)
                .map(|x| (x.span, extent(|f| x.spans(&mut |s| f(s)))))?,
        };
        let file = span.file;
        let headers = self.files.get(file as usize)?;
        if self.broken[file as usize] || !headers.usable(kind) {
            return None;
        }
        let text = &layout.sources.get(file)?.text;
        let found = headers.section(text, kind, id, span.start as usize)?;
        let (ext_file, ext) = extent?;
        let range = found.range;
        let inside = ext_file == file && range.start <= ext.start && ext.end <= range.end;
        inside.then(|| Run {
            file,
            range,
            headers: found.headers,
            line: found.line,
            kind,
            id: id.to_owned(),
        })
    }

    /// Where findings with the same span go among themselves, as `ward
    /// check` orders them: loader findings, then vocabulary findings, then
    /// each policy rule's in the policy's order.
    pub(super) fn rank(&self, f: &Finding) -> u32 {
        match self.ranks.get(&*f.rule) {
            Some(&rank) => rank,
            None if rule_id::VOCABULARY.contains(&&*f.rule) => 1,
            None => 0,
        }
    }

    /// The order of findings in a checked layout.
    pub(super) fn order(&self, f: &Finding) -> (FileId, u32, u32, u32) {
        (f.span.file, f.span.start, f.span.end, self.rank(f))
    }

    /// ` at FILE:LINE:COLUMN` for the start of `span`, as a delta prints it.
    pub(super) fn locate(&self, sources: &Sources, span: Span) -> String {
        let (Some(file), Some(headers)) =
            (sources.get(span.file), self.files.get(span.file as usize))
        else {
            return String::new();
        };
        let offset = (span.start as usize).min(file.text.len());
        let (line, start) = headers.line_of(&file.text, offset);
        let column =
            crate::source::line_col(file.text.get(start..).unwrap_or(""), offset - start).1;
        let line = line + file.first_line as usize;
        format!(" at {}:{line}:{column}", file.name)
    }
}

/// Where to cut the file `text` into parts that each hold whole owner
/// sections and read as files of their own, near the places `at` (starts
/// of owner header lines); `None` if it cannot be cut (see
/// [`Headers::cuts`]). The caller still checks that the parts read
/// without syntax errors (a header line may be inside a multi-line
/// string).
pub(super) fn part_cuts(text: &str, at: &[usize]) -> Option<Vec<usize>> {
    Headers::of(text).cuts(text, at)
}

/// The file and the smallest range holding every span `spans` gives
/// (`None` for no span, or spans in several files).
fn extent(spans: impl FnOnce(&mut dyn FnMut(Span))) -> Option<(FileId, Range<usize>)> {
    let mut out: Option<(FileId, Range<usize>)> = None;
    let mut several = false;
    spans(&mut |s: Span| match &mut out {
        None => out = Some((s.file, s.range())),
        Some((file, _)) if *file != s.file => several = true,
        Some((_, r)) => {
            r.start = r.start.min(s.start as usize);
            r.end = r.end.max(s.end as usize);
        }
    });
    out.filter(|_| !several)
}

/// Each policy rule's rank: 2 and up, in policy order.
fn ranks(policy: &Policy) -> Option<HashMap<String, u32, Hasher>> {
    let mut ranks: HashMap<String, u32, Hasher> = HashMap::default();
    for (i, rule) in policy.rules.iter().enumerate() {
        let id = rule.id.as_str();
        if rule_id::LOADER.contains(&id) || rule_id::VOCABULARY.contains(&id) {
            return None;
        }
        if ranks.insert(rule.id.clone(), 2 + i as u32).is_some() {
            return None;
        }
    }
    Some(ranks)
}
