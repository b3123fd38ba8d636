//! Human output: each finding as a miette diagnostic over the masked source,
//! then a one-line summary.

use std::fmt;
use std::io::{self, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::finding::{Finding, Severity, Summary};
use crate::layout::Layout;
use crate::resolve::ViewTotals;
use crate::source::Span;

use super::view::SourceView;
use super::window::Window;

/// How human output looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Findings rendered at once, on every thread, before they are written:
/// bounded, so that a layout in one file does not hold all its diagnostics
/// as text (90k of them are ~70 MB).
const RENDER_BATCH: usize = 4096;

pub(super) fn findings(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    layout: &Layout,
    findings: &[&Finding],
    views: Option<ViewTotals>,
    style: Style,
) -> io::Result<()> {
    let summary = summary_line(layout, findings, views);
    findings_then(out, view, findings, &summary, style)
}

/// The findings, then `summary`.
pub(super) fn findings_then(
    out: &mut dyn Write,
    view: &SourceView<'_>,
    findings: &[&Finding],
    summary: &str,
    style: Style,
) -> io::Result<()> {
    // Findings come file by file: a file's masked copy is let go once its
    // findings are out (masked copies of every file of a 200 MB layout
    // doubled the memory a check takes).
    let file_of = |f: &&Finding| view.whole(f.span).file;
    for file in findings.chunk_by(|a, b| file_of(a) == file_of(b)) {
        let id = file_of(&file[0]);
        // Masked here, once, before threads ask for it.
        view.snippet(id);
        for batch in file.chunks(RENDER_BATCH) {
            let rendered = crate::parallel::map_chunks(batch, |run| {
                run.iter()
                    .map(|f| render_diagnostic(&FindingDiagnostic::new(view, f), style))
                    .collect::<String>()
            });
            for text in rendered {
                out.write_all(text.as_bytes())?;
            }
        }
        view.forget(id);
    }
    writeln!(out, "{summary}")
}

/// Renders any diagnostic the way ward prints it.
pub fn render_diagnostic(diag: &dyn Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    if wrapped_texts_are_ascii(diag) {
        handler = handler.with_word_separator(textwrap::WordSeparator::AsciiSpace);
    }
    let mut s = String::new();
    if handler.render_report(&mut s, diag).is_err() {
        s = format!("{diag}\n");
    }
    s
}

/// Whether every text miette wraps for `diag` (its message, help and
/// causes, and those of its related diagnostics) is ASCII, and none is a
/// whole inner report (a diagnostic's own diagnostic source, rendered with
/// its source lines and then wrapped). Such text is
/// then wrapped at its spaces: Unicode's line-breaking rules, which miette
/// uses by default, segment each text afresh (0.36 s of the 4.0 s of CPU
/// a human report takes at a million secrets), and they add break places
/// that plain words rarely need (after `/` or `?`, say). Text in other
/// scripts keeps them: a language written without spaces then breaks
/// where it may (never before a full stop, in Japanese), not wherever the
/// width falls.
fn wrapped_texts_are_ascii(diag: &dyn Diagnostic) -> bool {
    let mut causes = std::iter::successors(diag.source(), |e| e.source());
    diag.diagnostic_source().is_none()
        && diag.to_string().is_ascii()
        && diag.help().is_none_or(|h| h.to_string().is_ascii())
        && causes.all(|e| e.to_string().is_ascii())
        && diag
            .related()
            .is_none_or(|mut r| r.all(wrapped_texts_are_ascii))
}

pub(super) fn summary_line(
    layout: &Layout,
    findings: &[&Finding],
    views: Option<ViewTotals>,
) -> String {
    let s = Summary::of(findings.iter().copied());
    let secrets: usize = layout.orgs.values().map(|o| o.secrets.len()).sum::<usize>()
        + layout
            .sites
            .values()
            .map(|s| s.secrets.len())
            .sum::<usize>();
    let mut scope = format!(
        "{} {}, {} {}, {} {}, {} {}",
        layout.sources.file_count(),
        plural("file", layout.sources.file_count()),
        layout.orgs.len(),
        plural("org", layout.orgs.len()),
        layout.sites.len(),
        plural("site", layout.sites.len()),
        secrets,
        plural("secret", secrets),
    );
    if let Some(v) = views {
        scope += &format!(
            "; {} {} resolved, {} {} seen",
            v.views,
            plural("view", v.views as usize),
            v.secrets,
            plural("secret", v.secrets as usize),
        );
    }
    format!(
        "{} {}, {} {}, {} {} ({scope})",
        s.errors,
        plural("error", s.errors),
        s.warnings,
        plural("warning", s.warnings),
        s.infos,
        plural("info", s.infos),
    )
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// A finding as a miette diagnostic; related places in other files become
/// related diagnostics so each points into its own file.
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    src: Window,
    labels: Vec<LabeledSpan>,
    related: Vec<FindingDiagnostic>,
}

impl FindingDiagnostic {
    fn new(view: &SourceView<'_>, f: &Finding) -> Self {
        // Shown in their whole files: the REPL holds a large file in parts.
        let at = view.whole(f.span);
        let mut labels = vec![label(view, at, &f.label)];
        let mut related = Vec::new();
        for (span, text) in &f.related {
            let span = view.whole(*span);
            if span.file == at.file {
                labels.push(label(view, span, text));
            } else {
                related.push(FindingDiagnostic {
                    message: text.clone(),
                    code: String::new(),
                    severity: Severity::Info,
                    help: None,
                    src: named(view, span),
                    labels: vec![label(view, span, "here")],
                    related: Vec::new(),
                });
            }
        }
        FindingDiagnostic {
            message: f.message.clone(),
            code: f.rule.to_string(),
            severity: f.severity,
            help: f.help.as_deref().map(str::to_owned),
            src: named(view, at),
            labels,
            related,
        }
    }
}

fn named(view: &SourceView<'_>, span: Span) -> Window {
    Window::new(view.name(span.file), view.snippet(span.file))
}

/// A label on the printable text (long lines cut), from a span of the file.
fn label(view: &SourceView<'_>, span: Span, text: &str) -> LabeledSpan {
    let snippet = view.snippet(span.file);
    let start = snippet.map(span.start as usize);
    let end = snippet.map(span.end as usize);
    let text = (!text.is_empty()).then(|| text.to_string());
    LabeledSpan::new(text, start, end.saturating_sub(start))
}

// Hand-written so a stray `{:?}` prints no source text.
impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("code", &self.code)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A diagnostic of a message and a help, nothing else.
    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("{message}")]
    struct Plain {
        message: String,
        #[help]
        help: Option<String>,
    }

    fn render(message: &str, help: &str) -> String {
        let diag = Plain {
            message: message.to_owned(),
            help: Some(help.to_owned()),
        };
        render_diagnostic(&diag, Style::default())
    }

    /// Text in a script written without spaces keeps Unicode's break
    /// places: no line starts with a full stop, which may not begin one in
    /// Japanese (breaking such text at the width alone would put it there).
    #[test]
    fn text_without_spaces_keeps_unicode_breaks() {
        // 47 ideographs fill the first line's 94 columns; the stop is 48th.
        let message = format!("{}。{}", "秘".repeat(47), "密".repeat(30));
        let rendered = render(&message, "ok");
        assert!(rendered.lines().count() >= 3, "{rendered}");
        let starts: Vec<&str> = rendered
            .lines()
            .map(|l| l.trim_start_matches([' ', '│', '×']))
            .collect();
        assert!(starts.iter().all(|l| !l.starts_with('。')), "{rendered}");
    }

    /// ASCII prose, as rule messages and helps are, wraps at its spaces to
    /// exactly the lines miette gives it by Unicode's rules.
    #[test]
    fn ascii_prose_wraps_as_miette_wraps_it() {
        let help = "Composer reads a `composer` secret as an auth.json entry, so its name is \
            `KIND.HOST`: github-oauth.github.com, gitlab-oauth.gitlab.com, gitlab-token.HOST, \
            bitbucket-oauth.bitbucket.org, http-basic.HOST or bearer.HOST.";
        let message = "secret `API_KEY_6` has an override for environment `staging`, which \
            org `org-3` does not have (and neither does any site that inherits it)";
        let diag = Plain {
            message: message.to_owned(),
            help: Some(help.to_owned()),
        };
        let by_unicode =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
        let mut expected = String::new();
        by_unicode
            .render_report(&mut expected, &diag)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(wrapped_texts_are_ascii(&diag));
        assert_eq!(render(message, help), expected);
        assert!(expected.lines().count() >= 5, "{expected}");
    }
}
