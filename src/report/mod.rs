//! Reporting: findings and resolutions rendered as human text, JSON, SARIF or
//! GitHub workflow annotations. Every renderer that shows source text gets it
//! from [`SourceView`], which masks secret values.

mod github;
mod human;
mod json;
mod masked;
mod resolution;
mod sarif;
mod snippet;
mod view;
mod window;

pub use human::{Style, render_diagnostic};
pub use masked::Masked;
pub use resolution::{Output, Shown, explain, resolution, source_text, table};
pub use snippet::Snippet;
pub use view::SourceView;
pub(crate) use window::Window;

use std::io::{self, Write};

use crate::finding::Finding;
use crate::layout::Layout;
use crate::resolve::ViewTotals;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette diagnostics and aligned tables.
    Human,
    /// Stable JSON for scripts (fields are added, never renamed).
    Json,
    /// SARIF 2.1.0 (check only).
    Sarif,
    /// GitHub Actions workflow commands (check only).
    Github,
}

impl Format {
    /// Whether a check's report in this format shows the totals of its
    /// views (SARIF and annotations have no place for them).
    pub fn shows_views(self) -> bool {
        matches!(self, Format::Human | Format::Json)
    }
}

/// [`findings`] for a run that reads nothing of `layout` after its report
/// (`ward check`): the secrets are freed while it is written, on another
/// thread (the report reads its findings, never a secret), and human output masks each layout file's
/// text where it is, taking the texts from `layout`, rather than masking
/// copies (a one-file layout was held twice while its findings printed).
pub fn findings_last(
    out: &mut dyn Write,
    layout: &mut Layout,
    findings: &[&Finding],
    views: Option<ViewTotals>,
    format: Format,
    style: Style,
) -> io::Result<()> {
    let summary = (format == Format::Human).then(|| human::summary_line(layout, findings, views));
    // No report reads a secret but through its findings: they are freed
    // (decoded values zeroed) beside the report, not on its way.
    let released = layout.take_secrets();
    let big = layout.is_big();
    let (written, ()) = crate::parallel::join(
        big,
        || match summary {
            Some(summary) => {
                let view = SourceView::taking(&mut layout.sources);
                human::findings_then(out, &view, findings, &summary, style)
            }
            None => self::findings(out, layout, findings, views, format, style),
        },
        || released.free(),
    );
    written
}

/// Writes the findings of a check in `format`, with the totals of its
/// views when it resolved every view (`ward check` does).
pub fn findings(
    out: &mut dyn Write,
    layout: &Layout,
    findings: &[&Finding],
    views: Option<ViewTotals>,
    format: Format,
    style: Style,
) -> io::Result<()> {
    let view = SourceView::new(&layout.sources);
    match format {
        Format::Human => human::findings(out, &view, layout, findings, views, style),
        Format::Json => json::findings(out, &view, findings, views),
        Format::Sarif => sarif::findings(out, &view, findings),
        Format::Github => github::findings(out, &view, findings),
    }
}
