//! Where a value sits in a layout: the context that findings carry and
//! that messages name.

use std::ops::Range;

use super::OwnerKind;
use super::load::plural;
use crate::finding::{Finding, Severity};
use crate::source::{FileId, Span};

/// Where in the layout a value sits: for spans, messages and the context
/// fields of findings.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a> {
    file: FileId,
    text: &'a str,
    /// Where `text` starts in the file: spans are shifted by it.
    offset: usize,
    /// The masked text, when the file has syntax errors: toml's recovery
    /// can sweep a value into a neighbouring field (an unclosed
    /// `supporting = [` takes the strings of the lines below).
    masked: Option<&'a str>,
    owner: Option<(OwnerKind, &'a str)>,
    secret: Option<&'a str>,
    env: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// The top level of `file`, whose text is `text`; `masked` is the text
    /// with values masked, given when the file has syntax errors.
    pub(super) fn new(file: FileId, text: &'a str, masked: Option<&'a str>) -> Self {
        Ctx {
            file,
            text,
            offset: 0,
            masked,
            owner: None,
            secret: None,
            env: None,
        }
    }

    /// For a `text` that starts at byte `offset` of the file.
    pub(super) fn shifted(self, offset: usize) -> Self {
        Ctx { offset, ..self }
    }

    /// Inside org or site `id`.
    pub(super) fn owner(self, kind: OwnerKind, id: &'a str) -> Self {
        Ctx {
            owner: Some((kind, id)),
            ..self
        }
    }

    /// Inside secret `name`.
    pub(super) fn secret(self, name: &'a str) -> Self {
        Ctx {
            secret: Some(name),
            ..self
        }
    }

    /// At the override for `env`.
    pub(super) fn env(self, env: &'a str) -> Self {
        Ctx {
            env: Some(env),
            ..self
        }
    }

    /// The text of `range` in this file.
    pub(super) fn source(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or_default()
    }

    /// Whether the masker hides part of `range`: a string there is (part
    /// of) a secret value, whatever field the parser put it in, and must not
    /// be read as a name that messages would quote.
    pub(super) fn is_value(&self, range: Range<usize>) -> bool {
        self.masked
            .is_some_and(|m| m.get(range.clone()) != self.text.get(range))
    }

    /// Whether the file has syntax errors and the masker shows all of
    /// `range`: then nothing there may be read as a secret value.
    pub(super) fn is_shown(&self, range: Range<usize>) -> bool {
        self.masked.is_some() && !self.is_value(range)
    }

    /// The text written at `range` of `text` (empty if out of range).
    pub(super) fn written(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or("")
    }

    /// A span in this file, from a range in `text`.
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        Span::new(
            self.file,
            range.start + self.offset..range.end + self.offset,
        )
    }

    /// `secret `X``, `site `a``, `org `a`` or `the layout`.
    pub(super) fn place(&self) -> String {
        match (self.secret, self.owner) {
            (Some(name), _) => format!("secret `{}`", show(name)),
            (None, Some((kind, id))) => format!("{} `{}`", kind.as_str(), show(id)),
            (None, None) => "the layout".to_owned(),
        }
    }

    /// `a secret`, `a site`, `an org` or `a layout`, for help texts.
    pub(super) fn noun(&self) -> &'static str {
        match (self.secret, self.owner) {
            (Some(_), _) => "a secret",
            (None, Some((OwnerKind::Site, _))) => "a site",
            (None, Some((OwnerKind::Org, _))) => "an org",
            (None, None) => "a layout",
        }
    }

    /// The TOML header that declares the current table, e.g.
    /// `[sites.a.secrets.X]`.
    pub(super) fn header(&self) -> String {
        let mut path = String::new();
        if let Some((kind, id)) = self.owner {
            path = format!("{}.{}", plural(kind), toml_key(id));
        }
        if let Some(name) = self.secret {
            path = format!("{path}.secrets.{}", toml_key(name));
        }
        format!("[{path}]")
    }

    /// An error finding at `range` (of the text being converted), with
    /// this context filled in.
    pub(super) fn error(
        &self,
        rule: &str,
        message: String,
        range: Range<usize>,
        label: &str,
    ) -> Finding {
        self.error_at(rule, message, self.span(range), label)
    }

    /// Like [`Ctx::error`], at a span already made with [`Ctx::span`].
    pub(super) fn error_at(&self, rule: &str, message: String, span: Span, label: &str) -> Finding {
        let mut finding = Finding::new(rule, Severity::Error, message, span).with_label(label);
        match self.owner {
            Some((OwnerKind::Org, id)) => finding.org = Some(id.into()),
            Some((OwnerKind::Site, id)) => finding.site = Some(id.into()),
            None => {}
        }
        finding.secret = self.secret.map(crate::layout::Name::from);
        finding.env = self.env.map(crate::layout::Name::from);
        finding
    }
}

/// A key, id or name as shown in a message: control characters escaped and
/// long ones cut, so a message stays on one line.
pub(crate) fn show(name: &str) -> String {
    const MAX: usize = 64;
    // Most names are short printable ASCII, shown as they are: the
    // character-by-character copy below was ~0.5% of a check at 1M (90k
    // findings, a name or two each).
    if name.len() <= MAX && name.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return name.to_owned();
    }
    let mut shown = String::new();
    for c in name.chars().take(MAX) {
        match c.is_control() {
            true => shown.extend(c.escape_default()),
            false => shown.push(c),
        }
    }
    if name.chars().nth(MAX).is_some() {
        shown.push('…');
    }
    shown
}

/// A key as written in a TOML header: bare if it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match bare {
        true => key.to_owned(),
        false => format!("{:?}", show(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::show;

    /// Printable names are shown as they are, control characters escaped
    /// (C0, DEL and C1), and names past 64 characters cut, on either path.
    #[test]
    fn names_are_shown_on_one_line() {
        assert_eq!(show("API_KEY ~ #1"), "API_KEY ~ #1");
        assert_eq!(show("clé"), "clé");
        assert_eq!(show("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(show("a\u{7f}b"), "a\\u{7f}b");
        assert_eq!(show("a\u{85}b"), "a\\u{85}b");
        let long = "x".repeat(64);
        assert_eq!(show(&long), long);
        assert_eq!(show(&format!("{long}y")), format!("{long}…"));
        let wide = "é".repeat(64);
        assert_eq!(show(&wide), wide);
        assert_eq!(show(&format!("{wide}é")), format!("{wide}…"));
    }
}
