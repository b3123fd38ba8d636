//! Re-checking one edited section in two steps: everything that can fail
//! runs first, on the section's new text before the file changes
//! ([`Checked::prepare`]); then the layout and its findings are brought
//! up to date, which cannot fail ([`Checked::apply`]).

use std::ops::Range;

use super::headers::{self, Header, Line};
use super::{Index, Run, extent};
use crate::finding::Finding;
use crate::layout::{Name, Org, OwnerKind, Secrets, Site, load_section};
use crate::policy::Policy;
use crate::repl::state::{Change, Checked, Shown};
use crate::rules::{Facts, Partial, secrets_vocab};
use crate::source::{FileId, Span};

/// An edited section, read and checked before the file changes.
pub(in crate::repl) struct Recheck {
    run: Run,
    /// The section's new length.
    len: usize,
    /// The owner as the section now declares it.
    owner: Owner,
    /// Its loader and vocabulary findings.
    base: Vec<Finding>,
    /// The section's headers, where they will be in the file.
    headers: Vec<Header>,
    /// Newlines in the section before and after the edit.
    newlines: (u32, u32),
    /// The section's findings before the edit, located.
    old: Vec<Shown>,
    /// For an org: the sites that inherit from it.
    heirs: Vec<Heir>,
}

/// The org or site a section declares.
enum Owner {
    Org(Org),
    Site(Site),
}

/// A site that inherits from an edited org.
struct Heir {
    /// Its index in the layout.
    index: usize,
    /// Its policy-rule findings before the edit, located.
    old: Vec<Shown>,
}

impl Checked {
    /// The section of a file that declares `owner`, if an edit of it can be
    /// re-checked on its own.
    pub(in crate::repl) fn section(&self, owner: &crate::repl::workspace::OwnerRef) -> Option<Run> {
        self.index.as_ref()?.section(&self.layout, owner)
    }

    /// The environments of org `id`: the always-present ones and those of
    /// every site inheriting from it (from the sites the index lists, not
    /// from every site of the layout).
    pub(in crate::repl) fn org_envs<'a>(&'a self, policy: &'a Policy, id: &str) -> Vec<&'a str> {
        let heirs = self.index.as_ref().map(|index| {
            let heirs = index.heirs.get(id).map_or(&[][..], Vec::as_slice);
            let sites = heirs
                .iter()
                .filter_map(|&i| self.layout.sites.get_index(i as usize));
            sites.map(|(_, site)| site).collect::<Vec<_>>()
        });
        let facts = match &heirs {
            Some(sites) => Facts::partial(&self.layout, policy, &[id], sites),
            None => Facts::new(&self.layout, policy),
        };
        match facts.org_envs(id) {
            Some(envs) => envs.iter().copied().collect(),
            None => policy.always_envs.iter().map(String::as_str).collect(),
        }
    }

    /// Reads `text`, the new text of section `run`, and gathers what the
    /// re-check needs; `None` when the section cannot be re-checked on its
    /// own after all (then everything is).
    pub(in crate::repl) fn prepare(
        &self,
        policy: &Policy,
        run: Run,
        text: &str,
    ) -> Option<Recheck> {
        let index = self.index.as_ref()?;
        let file = self.layout.sources.get(run.file)?;
        let section = load_section(run.file, &file.name, text, run.range.start)?;
        let alone = section
            .findings
            .iter()
            .all(|f| f.related.is_empty() && about(f, &run));
        let owner = only_owner(section.orgs, section.sites, &run).filter(|_| alone)?;
        let before = slice(&self.findings, run.file, run.range.clone());
        let mut base = section.findings;
        match &owner {
            Owner::Org(org) => base.extend(secrets_vocab(
                policy,
                run.kind,
                &run.id,
                org.secrets.values(),
            )),
            Owner::Site(site) => {
                let old = self.layout.sites.get(run.id.as_str())?;
                // An edit changes only secrets: other sites' findings
                // depend on these.
                if !old.same_fields(site) {
                    return None;
                }
                for f in &self.findings[before.clone()] {
                    if index.rank(f) == 1 && f.secret.is_none() {
                        base.push(moved(f, old, site)?);
                    }
                }
                base.extend(secrets_vocab(
                    policy,
                    run.kind,
                    &run.id,
                    site.secrets.values(),
                ))
            }
        }
        let (headers, new_lines) = new_headers(&run, text)?;
        let old_text = file.text.get(run.range.clone())?;
        let newlines = (newlines(old_text), new_lines);
        let shown = |f: &Finding| Shown::new(f.clone(), index.locate(&self.layout.sources, f.span));
        let old = self.findings[before].iter().map(shown).collect();
        let heirs = match run.kind {
            OwnerKind::Org => self.heirs(index, &run)?,
            OwnerKind::Site => Vec::new(),
        };
        Some(Recheck {
            len: text.len(),
            run,
            owner,
            base,
            headers,
            newlines,
            old,
            heirs,
        })
    }

    /// The sites inheriting from the org of `run`, with their policy-rule
    /// findings; `None` if one of them has spans in the section (a site
    /// split around the org's section).
    fn heirs(&self, index: &Index, run: &Run) -> Option<Vec<Heir>> {
        let Some(heirs) = index.heirs.get(&run.id) else {
            return Some(Vec::new());
        };
        let mut out = Vec::with_capacity(heirs.len());
        for &i in heirs {
            let (_, site) = self.layout.sites.get_index(i as usize)?;
            let (file, ext) = extent(|f| site.spans(&mut |s| f(s)))?;
            if file == run.file && ext.start < run.range.end && run.range.start < ext.end {
                return None;
            }
            let old = slice(&self.findings, file, ext.start..ext.end + 1);
            let old = self.findings[old]
                .iter()
                .filter(|f| rule_of(index, f, &site.id))
                .map(|f| Shown::new(f.clone(), index.locate(&self.layout.sources, f.span)))
                .collect();
            out.push(Heir {
                index: i as usize,
                old,
            });
        }
        Some(out)
    }

    /// Brings the layout and its findings up to date with `recheck`, whose
    /// section's new text is now in the file; returns what changed in the
    /// findings.
    pub(in crate::repl) fn apply(&mut self, policy: &Policy, recheck: Recheck) -> Change {
        let Some(mut index) = self.index.take() else {
            return Change::default();
        };
        let Recheck {
            run,
            len,
            owner,
            base,
            headers,
            newlines,
            old,
            heirs,
        } = recheck;
        let delta = len as i64 - run.range.len() as i64;
        let moved = Move {
            file: run.file,
            from: run.range.end,
            delta,
        };
        let before = slice(&self.findings, run.file, run.range.clone());
        self.replace_owner(&index, &run, owner, moved);
        let lines = i64::from(newlines.1) - i64::from(newlines.0);
        index.files[run.file as usize].replace(run.headers.clone(), headers, delta, lines);
        // The later parts of a file held in parts start lower or higher.
        self.layout.sources.shift_later_parts(run.file, lines);
        moved.findings(&mut self.findings, before.end, index.related);
        let mut refind = Refind {
            layout: &self.layout,
            findings: &mut self.findings,
            index: &index,
            added: Vec::new(),
            removed: old,
        };
        refind.run(policy, &run, before, base, heirs, moved);
        let Refind { added, removed, .. } = refind;
        self.index = Some(index);
        Change::between_lists(added, removed)
    }

    /// Puts the section's owner in place of the old one and moves the spans
    /// of the owners after the section in its file.
    fn replace_owner(&mut self, index: &Index, run: &Run, owner: Owner, moved: Move) {
        let layout = &mut self.layout;
        let own = match owner {
            Owner::Org(org) => (0, layout.orgs.insert_full(Name::from(&*run.id), org).0),
            Owner::Site(site) => (1, layout.sites.insert_full(Name::from(&*run.id), site).0),
        };
        let owners = &index.owners[run.file as usize];
        let blocky = index.files[run.file as usize].blocky();
        let mut shift = |span: &mut Span| moved.span(span);
        // Per owner in the file, but the edited one (whose spans are new):
        // whether it may come after the section, and so move.
        let mut in_file = [
            vec![None; layout.orgs.len()],
            vec![None; layout.sites.len()],
        ];
        for (kind, list) in owners.iter().enumerate() {
            // Owners in blocks: those after the section are the last ones.
            let first = match blocky {
                true => list.partition_point(|&i| start_of(layout, kind, i) < moved.from),
                false => 0,
            };
            for (at, &i) in list.iter().enumerate() {
                let i = i as usize;
                if (kind, i) == own {
                    continue;
                }
                let after = at >= first;
                in_file[kind][i] = Some(after);
                match kind {
                    _ if !after => {}
                    0 => shift(&mut layout.orgs[i].span),
                    _ => layout.sites[i].own_spans_mut(&mut shift),
                }
            }
        }
        // Their secrets: every owner of the file is passed, so that the list
        // they share is held by them alone and moved in place.
        let orgs = layout.orgs.values_mut().map(|o| &mut o.secrets);
        let sites = layout.sites.values_mut().map(|s| &mut s.secrets);
        let secrets = (orgs.enumerate().map(|(i, s)| (in_file[0][i], s)))
            .chain(sites.enumerate().map(|(i, s)| (in_file[1][i], s)))
            .filter_map(|(after, s)| Some((s, after?)));
        Secrets::each_mut(secrets, |s| s.spans_mut(&mut shift));
    }
}

/// The findings of an edited section's owner and of the sites inheriting
/// from it, computed again and put in their places in the list.
struct Refind<'a> {
    layout: &'a crate::layout::Layout,
    findings: &'a mut Vec<Finding>,
    index: &'a Index,
    /// Findings put in, located.
    added: Vec<Shown>,
    /// Findings taken out, located where they were.
    removed: Vec<Shown>,
}

impl Refind<'_> {
    /// The owner of `run` gets `base` (its loader and vocabulary findings)
    /// and its policy-rule findings in place of the findings at `before`;
    /// each heir whose policy-rule findings changed gets the new ones.
    fn run(
        &mut self,
        policy: &Policy,
        run: &Run,
        before: Range<usize>,
        base: Vec<Finding>,
        heirs: Vec<Heir>,
        moved: Move,
    ) {
        let layout = self.layout;
        let sites: Vec<&Site> = heirs
            .iter()
            .filter_map(|h| layout.sites.get_index(h.index).map(|(_, s)| s))
            .collect();
        let (own, check) = match run.kind {
            OwnerKind::Org => {
                let check = Partial::new(layout, policy, &[run.id.as_str()], &sites);
                (
                    layout.orgs.get(run.id.as_str()).map(|o| check.org(o)),
                    check,
                )
            }
            OwnerKind::Site => {
                let site = layout.sites.get(run.id.as_str());
                let check = Partial::new(layout, policy, &[], site.as_slice());
                (site.map(|s| check.site(s)), check)
            }
        };
        let mut new = base;
        new.extend(own.unwrap_or_default());
        new.sort_by_key(|f| self.index.order(f));
        self.put(before, new.clone(), new);
        for (heir, site) in heirs.into_iter().zip(sites) {
            self.heir(heir, site, check.site(site), moved);
        }
        let index = self.index;
        self.added.sort_by_key(|s| index.order(&s.finding));
        self.removed.sort_by_key(|s| index.order(&s.finding));
    }

    /// An heir's policy-rule findings `now`, in place of those it had.
    fn heir(&mut self, heir: Heir, site: &Site, mut now: Vec<Finding>, moved: Move) {
        now.sort_by_key(|f| self.index.order(f));
        let was: Vec<Finding> = heir.old.iter().map(|s| moved.finding(&s.finding)).collect();
        if was == now {
            return;
        }
        // Where the site is now (the edit may have moved it): only needed
        // when its findings change, which most heirs' do not.
        let Some((file, ext)) = extent(|f| site.spans(&mut |s| f(s))) else {
            return;
        };
        self.removed.extend(heir.old);
        // Its loader and vocabulary findings stay, among the new ones.
        let range = slice(self.findings, file, ext.start..ext.end + 1);
        let index = self.index;
        let kept = self.findings[range.clone()]
            .iter()
            .filter(|f| !rule_of(index, f, &site.id))
            .cloned();
        let mut merged: Vec<Finding> = kept.chain(now.iter().cloned()).collect();
        merged.sort_by_key(|f| index.order(f));
        self.put(range, merged, now);
    }

    /// Puts `list` in place of the findings at `range`; `new` are those of
    /// them that are new.
    fn put(&mut self, range: Range<usize>, list: Vec<Finding>, new: Vec<Finding>) {
        let (index, sources) = (self.index, &self.layout.sources);
        let shown = |f: Finding| {
            let at = index.locate(sources, f.span);
            Shown::new(f, at)
        };
        self.added.extend(new.into_iter().map(shown));
        replace(self.findings, range, list);
    }
}

/// The move of everything after an edited section in its file.
#[derive(Clone, Copy)]
struct Move {
    file: FileId,
    /// Where the section ended before the edit.
    from: usize,
    /// Its change in length.
    delta: i64,
}

impl Move {
    fn span(&self, span: &mut Span) {
        if span.file == self.file && span.start as usize >= self.from {
            span.start = (i64::from(span.start) + self.delta) as u32;
            span.end = (i64::from(span.end) + self.delta) as u32;
        }
    }

    fn finding(&self, f: &Finding) -> Finding {
        let mut f = f.clone();
        self.span(&mut f.span);
        f
    }

    /// Moves the findings of the file from index `at` on (those after the
    /// section), and every related span after the section if any finding
    /// has some.
    fn findings(&self, findings: &mut [Finding], at: usize, related: bool) {
        let end = at + findings[at..].partition_point(|f| f.span.file == self.file);
        for f in &mut findings[at..end] {
            self.span(&mut f.span);
        }
        if related {
            for f in findings.iter_mut() {
                f.related.iter_mut().for_each(|(s, _)| self.span(s));
            }
        }
    }
}

/// The indices of the findings that start in `range` of `file` (the list
/// is sorted by file and start).
fn slice(findings: &[Finding], file: FileId, range: Range<usize>) -> Range<usize> {
    let at = |offset: usize| {
        findings.partition_point(|f| (f.span.file, f.span.start as usize) < (file, offset))
    };
    at(range.start)..at(range.end)
}

/// Replaces `findings[range]` by `new`, in place when they are as many.
fn replace(findings: &mut Vec<Finding>, range: Range<usize>, new: Vec<Finding>) {
    if range.len() == new.len() {
        for (slot, f) in findings[range].iter_mut().zip(new) {
            *slot = f;
        }
    } else {
        findings.splice(range, new);
    }
}

/// Whether `f` is a policy rule's finding on site `id`.
fn rule_of(index: &Index, f: &Finding, id: &str) -> bool {
    f.org.is_none() && f.site.as_deref() == Some(id) && index.rank(f) >= 2
}

/// Whether a loader finding of a section is about its owner.
fn about(f: &Finding, run: &Run) -> bool {
    let id = Some(run.id.as_str());
    match run.kind {
        OwnerKind::Org => f.org.as_deref() == id && f.site.is_none(),
        OwnerKind::Site => f.site.as_deref() == id && f.org.is_none(),
    }
}

/// The owner of `run`, if the section declares it and nothing else.
fn only_owner(
    mut orgs: crate::layout::ById<Org>,
    mut sites: crate::layout::ById<Site>,
    run: &Run,
) -> Option<Owner> {
    match (run.kind, orgs.len(), sites.len()) {
        (OwnerKind::Org, 1, 0) => orgs.shift_remove(run.id.as_str()).map(Owner::Org),
        (OwnerKind::Site, 0, 1) => sites.shift_remove(run.id.as_str()).map(Owner::Site),
        _ => None,
    }
}

/// A finding on a site's own field (an environment, an org it names),
/// moved to where that field now is.
fn moved(f: &Finding, old: &Site, new: &Site) -> Option<Finding> {
    let at = old.field_spans().iter().position(|s| *s == f.span)?;
    let mut f = f.clone();
    f.span = *new.field_spans().get(at)?;
    Some(f)
}

/// The headers of a section's new `text`, where they will be in the file,
/// and how many newlines the text has; `None` unless the headers all name
/// the owner and the first is spelled plainly.
fn new_headers(run: &Run, text: &str) -> Option<(Vec<Header>, u32)> {
    let scan = headers::scan(text, 0..text.len(), run.line);
    let key = headers::key(run.kind, &run.id);
    let slot = headers::slot(run.kind);
    let names = |h: &Header| {
        let line = text.get(h.start as usize..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        h.key == key && headers::read_header(line) == Line::Owner(run.kind, &run.id)
    };
    let ok = !scan.unreadable
        && !scan.root_keys
        && scan.plain[slot] == Some(true)
        && scan.headers.iter().all(names);
    let start = u32::try_from(run.range.start).ok()?;
    let moved = scan.headers.into_iter().map(|h| Header {
        start: h.start + start,
        ..h
    });
    ok.then(|| (moved.collect(), scan.newlines))
}

fn newlines(text: &str) -> u32 {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() as u32
}

/// Where the span of owner `i` (0: an org, 1: a site) starts.
fn start_of(layout: &crate::layout::Layout, kind: usize, i: u32) -> usize {
    let span = match kind {
        0 => layout.orgs.get_index(i as usize).map(|(_, o)| o.span),
        _ => layout.sites.get_index(i as usize).map(|(_, s)| s.span),
    };
    span.map_or(0, |s| s.start as usize)
}
