//! Loading layouts: TOML text → [`Layout`], with every problem as a
//! [`Finding`] (all of them, not only the first).
//!
//! Two loaders give the same result. The fast one ([`super::fast`]) builds
//! the model straight from toml_parser's events, without a DOM; it reads
//! the shapes layouts use and hands anything else over. The reference one
//! ([`Loaded::add_text_reference`]) parses a file with toml's recoverable
//! parser, converts it entry by entry and drops the DOM, and reports TOML
//! errors. Field-level conversion is in [`super::fields`]; reading files
//! and directories is in [`super::walk`].

use toml::de::DeTable;

use super::fields::{self, Ctx, Key, Val};
use super::syntax;
use super::{Layout, Name, Org, OwnerKind, Site};
use crate::finding::{Finding, rule_id};
use crate::source::{FileId, SourceKind, SourceText, Span, Text};

pub use super::walk::{LoadError, load_paths, map_paths, read_files};

/// Keys allowed at the top level of a layout file.
pub(super) const TOP_FIELDS: &[&str] = &["orgs", "sites"];
/// Keys allowed in `[orgs.ID]`.
const ORG_FIELDS: &[&str] = &["secrets"];
/// Keys allowed in `[sites.ID]`.
const SITE_FIELDS: &[&str] = &["owner", "supporting", "php", "environments", "secrets"];

/// A load: the layout plus every problem found (all of them, not only the
/// first).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The orgs and sites that could be read, with their files.
    pub layout: Layout,
    /// Syntax and schema problems, in file order.
    pub findings: Vec<Finding>,
}

/// A file's text to load, or a part of one: a large file the REPL edits is
/// held in parts cut between owners, each read as a file of its own (an
/// edit then moves the text and spans of its part only). Its findings
/// and model are the whole file's when the parts are independent, which
/// the REPL checks (see [`crate::repl::Workspace`]).
#[derive(Debug, Clone)]
pub struct Part {
    /// The file's name, as shown to users.
    pub name: String,
    /// The part's text.
    pub text: Text,
    /// Lines of the file before it.
    pub first_line: u32,
    /// It is not the file's first part.
    pub continues: bool,
}

/// Where to cut `text` into parts of about `bytes` each: at the start of
/// lines that open an owner (`[orgs.ID]`, `[sites.ID]` with a bare id).
/// Whether the parts can be read apart is for the caller to check.
pub fn part_ranges(text: &str, bytes: usize) -> Vec<std::ops::Range<usize>> {
    super::fast::pieces(text, text.len() / bytes.max(1))
}

/// Loads one in-memory file (tests, REPL).
pub fn load_str(name: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    loaded.add_file(name, text);
    loaded
}

impl Loaded {
    /// Parses one more file's text into the layout (`name` as shown to
    /// users).
    pub fn add_file(&mut self, name: &str, text: &str) {
        self.add_text(name, SourceText::shared(text));
    }

    /// Like [`Loaded::add_file`], without copying the text again. The fast
    /// loader reads the file; what it does not handle (any TOML error, an
    /// unusual shape) is read by the reference loader instead, so the
    /// result is the same either way.
    pub fn add_text(&mut self, name: &str, text: Text) {
        let file = self.register(name, &text);
        match super::fast::parse(file, &text) {
            Some(parsed) => {
                self.merge(file, &text, parsed);
            }
            None => {
                self.convert(file, &text, 0);
            }
        }
    }

    /// Like [`Loaded::add_text`] for each file in turn, the fast loader
    /// reading the files on several threads ([`crate::parallel`]). The
    /// files are merged in order, so the result is the same as one by one.
    pub fn add_texts(&mut self, files: Vec<(String, Text)>) {
        let parts = files.into_iter().map(|(name, text)| Part {
            name,
            text,
            first_line: 0,
            continues: false,
        });
        self.add_parts(parts.collect());
    }

    /// [`Loaded::add_texts`] for files some of which are in parts (see
    /// [`Part`]): each part is read as a file of its own.
    pub fn add_parts(&mut self, parts: Vec<Part>) {
        let first = self.layout.sources.iter().count() as FileId;
        let ids: Vec<usize> = (0..parts.len()).collect();
        let bytes = parts.iter().map(|p| p.text.len()).sum();
        // The threads take the files in order: the last few are read
        // while no other is left.
        let last = parts.len().saturating_sub(crate::parallel::threads());
        let parse = |&i: &usize| {
            super::fast::parse_among(first + i as FileId, &parts[i].text, bytes, i >= last)
        };
        // Each file is added as soon as it and those before it are read,
        // while the threads read the others.
        crate::parallel::map_work_then(&ids, bytes, parse, |i, parsed| {
            let part = &parts[i];
            let file = self.layout.sources.add_part(
                part.name.clone(),
                Text::clone(&part.text),
                SourceKind::Layout,
                part.first_line,
                part.continues,
            );
            match parsed {
                Some(parsed) => self.merge(file, &part.text, parsed).recycle(),
                None => {
                    self.convert(file, &part.text, 0);
                }
            }
        });
        super::fast::drop_spare_maps();
    }

    /// Like [`Loaded::add_text`] with the reference loader only: toml's
    /// DOM, converted entry by entry. Slower and hungrier than the fast
    /// loader, which must agree with it (tests and benchmarks compare them).
    pub fn add_text_reference(&mut self, name: &str, text: Text) {
        let file = self.register(name, &text);
        self.convert(file, &text, 0);
    }

    /// Like [`Loaded::add_text`] with the fast loader only; returns false,
    /// adding nothing, for a file it leaves to the reference loader.
    pub fn try_add_text_fast(&mut self, name: &str, text: Text) -> bool {
        let file = self.layout.sources.iter().count() as FileId;
        let Some(parsed) = super::fast::parse(file, &text) else {
            return false;
        };
        let file = self.register(name, &text);
        self.merge(file, &text, parsed);
        true
    }

    /// Like [`Loaded::try_add_text_fast`] with the file cut into at most
    /// `pieces` pieces parsed apart, whatever its size (a large file is cut
    /// on its own, see `fast::parse`). Returns how many pieces were read
    /// apart (1: whole), `None` if the file was left to the reference
    /// loader (and nothing added). For tests.
    #[doc(hidden)]
    pub fn try_add_text_in_pieces(
        &mut self,
        name: &str,
        text: Text,
        pieces: usize,
    ) -> Option<usize> {
        let file = self.layout.sources.iter().count() as FileId;
        let (parsed, used) = super::fast::parse_in_pieces(file, &text, pieces)?;
        let file = self.register(name, &text);
        self.merge(file, &text, parsed);
        Some(used)
    }

    fn register(&mut self, name: &str, text: &Text) -> FileId {
        self.layout
            .sources
            .add(name, Text::clone(text), SourceKind::Layout)
    }

    /// The reference loader: parses `text` with toml's recoverable parser
    /// and converts the DOM. `text` starts at byte `offset` of file `file`
    /// (the fast loader hands over single sections). Returns whether the
    /// text was free of TOML errors.
    pub(super) fn convert(&mut self, file: FileId, text: &str, offset: usize) -> bool {
        let (doc, errors) = DeTable::parse_recoverable(text);
        // `toml::de::Error` holds a copy of the input: keep only message and
        // span, and free it before converting.
        self.findings.extend(syntax::findings(file, text, &errors));
        let clean = errors.is_empty();
        let masked = (!clean).then(|| super::mask::mask_layout(text));
        drop(errors);
        let cx = Ctx::new(file, text, masked.as_deref()).shifted(offset);
        let mut doc = doc.into_inner();
        if masked.is_some() {
            drop_swept_keys(cx, &mut doc, 0);
        }
        for (key, value) in doc {
            match key.get_ref().as_ref() {
                "orgs" => self.owners(cx, OwnerKind::Org, value),
                "sites" => self.owners(cx, OwnerKind::Site, value),
                _ => self.findings.push(fields::unknown(cx, &key, TOP_FIELDS)),
            }
        }
        clean
    }

    /// Converts the `orgs` or `sites` table.
    fn owners(&mut self, cx: Ctx<'_>, kind: OwnerKind, value: Val<'_>) {
        let name = plural(kind);
        let describe = || {
            let help = format!("declare each entry as a table: `[{name}.ID]`");
            (format!("`{name}`"), help)
        };
        let Some(table) = fields::table(cx, value, &mut self.findings, describe) else {
            return;
        };
        for (id, value) in table {
            match kind {
                OwnerKind::Org => self.org(cx, id, value),
                OwnerKind::Site => self.site(cx, id, value),
            }
        }
    }

    /// Converts `[orgs.ID]` and the tables under it.
    fn org(&mut self, cx: Ctx<'_>, key: Key<'_>, value: Val<'_>) {
        let id = Name::from(key.get_ref().as_ref());
        let span = cx.span(key.span());
        let cx = cx.owner(OwnerKind::Org, &id);
        if let Some(first) = self.layout.orgs.get(&id).map(|o| o.span) {
            return self.duplicate(cx, span, first);
        }
        let Some(table) = self.owner_table(cx, value) else {
            return;
        };
        let mut secrets = super::Secrets::default();
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "secrets" => secrets = fields::secrets(cx, value, &mut self.findings),
                _ => self.findings.push(fields::unknown(cx, &key, ORG_FIELDS)),
            }
        }
        let org = Org { id, span, secrets };
        self.layout.orgs.insert(org.id.clone(), org);
    }

    /// Converts `[sites.ID]` and the tables under it.
    fn site(&mut self, cx: Ctx<'_>, key: Key<'_>, value: Val<'_>) {
        let id = Name::from(key.get_ref().as_ref());
        let span = cx.span(key.span());
        let cx = cx.owner(OwnerKind::Site, &id);
        if let Some(first) = self.layout.sites.get(&id).map(|s| s.span) {
            return self.duplicate(cx, span, first);
        }
        let Some(table) = self.owner_table(cx, value) else {
            return;
        };
        let mut site = SiteFields::default();
        for (key, value) in table {
            site.field(cx, key, value, &mut self.findings);
        }
        let site = site.into_site(id, span);
        self.layout.sites.insert(site.id.clone(), site);
    }

    /// The table of an org or site, or a finding if it is something else.
    fn owner_table<'i>(&mut self, cx: Ctx<'_>, value: Val<'i>) -> Option<DeTable<'i>> {
        fields::table(cx, value, &mut self.findings, || {
            let help = format!("declare it as a table: `{}`", cx.header());
            (cx.place(), help)
        })
    }

    /// Reports an org or site declared again in a later file. Its second
    /// declaration is ignored, not merged: each org and site lives in one
    /// file, so a reader finds all of it in one place.
    pub(super) fn duplicate(&mut self, cx: Ctx<'_>, span: Span, first: Span) {
        let file = self.layout.sources.get(first.file);
        let file = file.map_or("", |f| f.name.as_str());
        let place = cx.place();
        let message = format!("{place} is declared twice");
        let help = format!(
            "an org or site is declared in one file only: move all of {place} into `{file}`, \
             or rename one (this declaration is ignored)"
        );
        let finding = cx.error_at(rule_id::DUPLICATE, message, span, "declared again here");
        let mut finding = finding.with_help(help);
        finding
            .related
            .push((first, "first declared here".to_owned()));
        self.findings.push(finding);
    }
}

/// Drops keys that the masker hides (see [`Ctx::is_value`]): after a
/// syntax error, toml's recovery can read part of a value as a key, and
/// keys are quoted in messages. A valid key is never masked. Only the
/// depth the loader reads (`sites.ID.secrets.NAME.overrides.ENV`) is
/// visited.
fn drop_swept_keys(cx: Ctx<'_>, table: &mut DeTable<'_>, depth: usize) {
    let all = std::mem::take(table);
    *table = all
        .into_iter()
        .filter(|(key, _)| !cx.is_value(key.span()))
        .collect();
    if depth >= 5 {
        return;
    }
    for (_, value) in table.iter_mut() {
        if let toml::de::DeValue::Table(t) = value.get_mut() {
            drop_swept_keys(cx, t, depth + 1);
        }
    }
}

/// `orgs` or `sites`.
pub(super) fn plural(kind: OwnerKind) -> &'static str {
    match kind {
        OwnerKind::Org => "orgs",
        OwnerKind::Site => "sites",
    }
}

/// A site's fields while its table is read.
#[derive(Default)]
struct SiteFields {
    owner: Option<super::Spanned<Name>>,
    supporting: Vec<super::Spanned<Name>>,
    php: Option<super::Spanned<Name>>,
    environments: Vec<super::Spanned<Name>>,
    secrets: super::Secrets,
}

impl SiteFields {
    /// Reads one `key = value` of a site table.
    fn field(&mut self, cx: Ctx<'_>, key: Key<'_>, value: Val<'_>, out: &mut Vec<Finding>) {
        match key.get_ref().as_ref() {
            "owner" => self.owner = fields::string(cx, "owner", value, out),
            "supporting" => self.supporting = fields::list(cx, "supporting", value, out),
            "php" => self.php = fields::php(cx, value, out),
            "environments" => self.environments = fields::list(cx, "environments", value, out),
            "secrets" => self.secrets = fields::secrets(cx, value, out),
            _ => out.push(fields::unknown(cx, &key, SITE_FIELDS)),
        }
    }

    fn into_site(self, id: Name, span: Span) -> Site {
        Site {
            id,
            span,
            owner: self.owner,
            supporting: self.supporting,
            php: self.php,
            environments: self.environments,
            secrets: self.secrets,
        }
    }
}
