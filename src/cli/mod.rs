//! The command line: argument types and one function per command. Commands
//! write to the given streams and return the exit status, so tests call them
//! directly.

mod args;
mod panic;
mod repl;

pub use args::{Cli, ColorChoice, Command, Common, QueryArgs, ReplArgs, Target};
pub use panic::{WITHHELD, install_panic_hook, panic_report};

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::finding::{Finding, Severity, Summary};
use crate::layout::{Layout, Loaded, load_paths, map_paths};
use crate::policy::{self, Policy};
use crate::report::{self, Format, SourceView, Style};
use crate::resolve::{self, Query};
use crate::rules;

/// Exit status: no error findings.
pub const OK: u8 = 0;
/// Exit status: the layout has error findings or is malformed.
pub const FINDINGS: u8 = 1;
/// Exit status: ward could not run.
pub const FAILURE: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match cli.command {
        Command::Check(a) => check(&a.paths, &a.common, a.deny_warnings, out, err),
        Command::Resolve(a) => resolve_cmd(&a, out, err),
        Command::Explain(a) => match a.split() {
            Some((query, name)) => explain_cmd(&query, &name, out, err),
            None => Err(Box::new(CliError::ExplainArgs) as Failure),
        },
        Command::Repl(a) => repl::repl_cmd(&a, out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = write!(
                err,
                "{}",
                report::render_diagnostic(e.as_ref(), Style::default())
            );
            FAILURE
        }
    }
}

type Failure = Box<dyn Diagnostic + Send + Sync>;

/// `ward check`: lints layouts against the policy.
pub fn check(
    paths: &[PathBuf],
    common: &Common,
    deny_warnings: bool,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    let policy = load_policy(common)?;
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    // Human output masks each file's text in place, which a mapped file's
    // read-only pages cannot be: it reads them.
    let loaded = match common.format {
        Format::Human => load_paths(paths),
        _ => map_paths(paths),
    };
    let Loaded {
        mut layout,
        findings: loader_findings,
    } = loaded.map_err(|e| Box::new(e) as Failure)?;
    // What every site sees in each environment and scope: no rule needs
    // it, but a check that passes says every view resolves (and how much
    // they hold). Only the formats that print it pay for it. Resolved
    // beside the lint, which starts on one thread for its facts and one for
    // its vocabulary.
    let shows_views = common.format.shows_views();
    let (parts, views) = crate::parallel::join(
        shows_views && layout.is_big(),
        || lint_parts(&layout, loader_findings, &policy),
        || shows_views.then(|| resolve::every_view(&layout, &policy)),
    );
    let findings = in_file_order(&parts);
    let s = Summary::of(findings.iter().copied());
    let failed = s.errors > 0 || (deny_warnings && s.warnings > 0);
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    // Nothing reads the layout's texts after its report.
    let written = report::findings_last(
        &mut buffered,
        &mut layout,
        &findings,
        views,
        common.format,
        style(common),
    )
    .and_then(|()| buffered.flush());
    // The status still says what the layout holds when the reader stopped
    // early: `set -o pipefail; ward check | head` fails on error findings,
    // not on the closed pipe.
    unless_closed(written)?;
    layout.release();
    // Findings hold no values (messages never print one): not freed either.
    std::mem::forget(parts);
    Ok(if failed { FINDINGS } else { OK })
}

/// `ward resolve`: what a site sees in one environment and scope.
pub fn resolve_cmd(a: &QueryArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Failure> {
    only_human_or_json(a.common.format)?;
    let policy = load_policy(&a.common)?;
    let Some(layout) = load_clean(&a.paths, &a.common, err)? else {
        return Ok(FINDINGS);
    };
    let q = query(a);
    let secrets = resolve::resolve(&layout, &policy, q).map_err(|e| Box::new(e) as Failure)?;
    let view = SourceView::new(&layout.sources);
    unless_closed(report::resolution(
        out,
        &view,
        &policy,
        q,
        &secrets,
        output(&a.common),
    ))?;
    Ok(OK)
}

/// `ward explain`: the chain for one secret.
pub fn explain_cmd(
    a: &QueryArgs,
    name: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    only_human_or_json(a.common.format)?;
    let policy = load_policy(&a.common)?;
    let Some(layout) = load_clean(&a.paths, &a.common, err)? else {
        return Ok(FINDINGS);
    };
    let q = query(a);
    let explained =
        resolve::explain(&layout, &policy, q, name).map_err(|e| Box::new(e) as Failure)?;
    let view = SourceView::new(&layout.sources);
    unless_closed(report::explain(
        out,
        &view,
        &policy,
        q,
        name,
        &explained,
        output(&a.common),
    ))?;
    Ok(OK)
}

fn output(common: &Common) -> report::Output {
    report::Output {
        format: common.format,
        reveal: common.reveal,
    }
}

fn query(a: &QueryArgs) -> Query<'_> {
    Query {
        site: &a.target.site,
        env: &a.target.env,
        scope: &a.target.scope,
        ty: a.target.ty.as_deref(),
    }
}

/// Every finding of a loaded layout (loader's and policy's), in file order.
pub fn lint(loaded: Loaded, policy: &Policy) -> (Layout, Vec<Finding>) {
    let findings = lint_findings(&loaded.layout, loaded.findings, policy);
    (loaded.layout, findings)
}

/// The loader's findings of `layout`, then the policy's in the parts
/// [`rules::check_parts`] gives: [`in_file_order`] reads them in the order
/// [`lint`] puts them in.
fn lint_parts(layout: &Layout, loader: Vec<Finding>, policy: &Policy) -> Vec<Vec<Finding>> {
    let mut parts = rules::check_parts(layout, policy);
    parts.insert(0, loader);
    parts
}

/// The findings of `parts`, read in turn, in file order as [`sort`] puts
/// them: the same order as [`lint`]'s, without moving them into one list.
fn in_file_order(parts: &[Vec<Finding>]) -> Vec<&Finding> {
    let all: Vec<&Finding> = parts.iter().flatten().collect();
    file_order(all.iter().copied())
        .into_iter()
        .map(|i| all[i])
        .collect()
}

/// The loader's findings of `layout` with the policy's, in file order: the
/// parts [`lint_parts`] gives, joined and sorted (the sort keeps the order
/// of findings at one place, the loader's first).
fn lint_findings(layout: &Layout, loader: Vec<Finding>, policy: &Policy) -> Vec<Finding> {
    let mut findings = rules::joined(lint_parts(layout, loader, policy));
    sort(&mut findings);
    findings
}

/// The policy named by `--policy`, else the embedded Pantheon policy.
pub fn load_policy(common: &Common) -> Result<Policy, Failure> {
    read_policy(common.policy.as_deref())
}

/// The policy at `path`, else the embedded Pantheon policy.
pub fn read_policy(path: Option<&Path>) -> Result<Policy, Failure> {
    let Some(path) = path else {
        return policy::pantheon().map_err(|e| Box::new(e) as Failure);
    };
    let failure = |reason: String| {
        Box::new(CliError::ReadPolicy {
            path: path.display().to_string(),
            reason,
        }) as Failure
    };
    let bytes = std::fs::read(path).map_err(|e| failure(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        failure(format!(
            "not UTF-8 text: invalid byte at offset {offset} (line {line})"
        ))
    })?;
    policy::parse(&path.display().to_string(), &text).map_err(|e| Box::new(e) as Failure)
}

/// Loads the layout for resolve/explain; a malformed layout gets its
/// diagnostics on stderr and `None`, since answers from it would be wrong.
fn load_clean(
    paths: &[PathBuf],
    common: &Common,
    err: &mut dyn Write,
) -> Result<Option<Layout>, Failure> {
    let loaded = map_paths(paths).map_err(|e| Box::new(e) as Failure)?;
    let errors: Vec<&Finding> = loaded
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return Ok(Some(loaded.layout));
    }
    report::findings(
        err,
        &loaded.layout,
        &errors,
        None,
        Format::Human,
        style(common),
    )
    .map_err(io_failure)?;
    Ok(None)
}

fn only_human_or_json(format: Format) -> Result<(), Failure> {
    match format {
        Format::Human | Format::Json => Ok(()),
        other => Err(Box::new(CliError::FormatNotForCommand {
            format: format!("{other:?}").to_lowercase(),
        })),
    }
}

/// Orders findings by file and position, so output follows the files,
/// keeping the order of those at one place. Sorts their keys and then
/// moves each finding once: a stable sort of the findings themselves takes
/// a scratch copy of half of them (9 MB at 1M secrets).
fn sort(findings: &mut [Finding]) {
    let mut order = file_order(findings.iter());
    permute(findings, &mut order);
}

/// The places of `findings` in file order: by file and position, those at
/// one place in the order given.
fn file_order<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<usize> {
    let mut keys: Vec<_> = findings
        .enumerate()
        .map(|(i, f)| (f.span.file, f.span.start, f.span.end, i))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|k| k.3).collect()
}

/// Puts `items[order[i]]` at `i` for every `i`, by cycles of swaps;
/// `order` is left as the identity.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

fn style(common: &Common) -> Style {
    style_for(common.color)
}

/// Output style for a `--color` choice.
fn style_for(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    Style {
        color,
        ..Style::default()
    }
}

/// A report's write, where a reader that closed ward's output early
/// (`ward check | head`) has read what it wanted: no failure, and nothing
/// to say about it, as ripgrep does. Any other error is one.
fn unless_closed(written: std::io::Result<()>) -> Result<(), Failure> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(io_failure(e)),
        _ => Ok(()),
    }
}

fn io_failure(e: std::io::Error) -> Failure {
    Box::new(CliError::Write {
        reason: e.to_string(),
    })
}

/// Errors of the command line itself.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CliError {
    /// `--policy` names a file that cannot be read.
    #[error("cannot read policy `{path}`: {reason}")]
    #[diagnostic(
        code(ward::cli::read_policy),
        help("check the path given to `--policy`, or omit it to use the embedded Pantheon policy")
    )]
    ReadPolicy {
        /// The path.
        path: String,
        /// The OS error.
        reason: String,
    },
    /// `--format sarif|github` on a command that only prints human or JSON.
    #[error("`--format {format}` is only for `ward check`")]
    #[diagnostic(
        code(ward::cli::format),
        help("use `--format human` or `--format json`")
    )]
    FormatNotForCommand {
        /// The format given.
        format: String,
    },
    /// `explain` got only one positional argument.
    #[error("`ward explain` needs layout paths and a secret name")]
    #[diagnostic(
        code(ward::cli::explain_args),
        help("e.g. `ward explain layouts/ --site my-site --env live API_KEY`")
    )]
    ExplainArgs,
    /// Writing output failed (a full disk, say; a reader that closed the
    /// output early is not a failure).
    #[error("cannot write output: {reason}")]
    #[diagnostic(code(ward::cli::write))]
    Write {
        /// The OS error.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    /// `sort` orders as a stable sort by place does, ties included.
    #[test]
    fn sort_is_a_stable_sort_by_place() {
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let findings: Vec<Finding> = (0..len)
                .map(|i| {
                    let (file, start) = (next(3) as u32, next(5) as usize);
                    let span = Span::new(file, start..start + next(2) as usize);
                    Finding::new("r", Severity::Error, format!("{i}"), span)
                })
                .collect();
            let unsorted = findings.clone();
            let mut expected = findings.clone();
            expected.sort_by_key(|f| (f.span.file, f.span.start, f.span.end));
            let mut sorted = findings;
            sort(&mut sorted);
            let messages = |v: &[Finding]| v.iter().map(|f| f.message.clone()).collect::<Vec<_>>();
            assert_eq!(messages(&sorted), messages(&expected), "{len} findings");
            // Cut into parts anywhere, read in place: the same order.
            let mut parts = vec![Vec::new()];
            for f in unsorted {
                if next(4) == 0 {
                    parts.push(Vec::new());
                }
                parts.last_mut().expect("one part at least").push(f);
            }
            let mut whole = parts.concat();
            sort(&mut whole);
            let read: Vec<Finding> = in_file_order(&parts).into_iter().cloned().collect();
            assert_eq!(messages(&read), messages(&whole), "{len} findings in parts");
        }
    }

    /// `ward check` reads its findings where the rules left them; the
    /// REPL and the library join them into one list: the same findings in
    /// the same order, over enough owners for the rules to run in parts,
    /// with two rules finding at one place.
    #[test]
    fn check_reads_the_findings_in_lints_order() {
        // Two rules at one place: a value too large that is no token.
        let big = format!(
            "[sites.s{{i}}.secrets.\"github-oauth.github.com\"]\ntype = \"composer\"\n\
             scope = [\"ic\"]\nvalue = \"{}\"\n",
            "a b ".repeat(4097)
        );
        let site = |i: usize| {
            let rare = if i % 500 == 7 {
                big.replace("{i}", &i.to_string())
            } else {
                String::new()
            };
            rare + &format!(
                "[sites.s{i}.secrets.A]\ntype = \"runtime\"\nscope = []\nvalue = \"a\"\n\
                 [sites.s{i}.secrets.B]\ntype = \"runtime\"\nscope = [\"wbe\", \"ic\"]\nvalue = 5\n\
                 overrides = {{ live = \"b\", test = 7 }}\n\
                 [sites.s{i}.secrets.C]\noverrides = {{ dev = \"c\" }}\n\
                 [sites.s{i}.secrets.\"bad name\"]\ntype = \"nope\"\nscope = \"web\"\nvalue = \"d\"\n\
                 [sites.s{i}.secrets.token]\ntype = \"composer\"\nscope = [\"web\"]\nvalue = \"t\"\n"
            )
        };
        let text: String = (0..1500).map(site).collect();
        let policy = crate::policy::pantheon().expect("the embedded policy parses");
        let load = || crate::layout::load_str("layout.toml", &text);
        let (_, joined) = lint(load(), &policy);
        let loaded = load();
        let parts = lint_parts(&loaded.layout, loaded.findings, &policy);
        assert!(parts.len() > 4, "{} parts", parts.len());
        let read = in_file_order(&parts);
        let key = |f: &Finding| (f.rule.to_string(), f.span, f.message.clone());
        assert!(joined.len() > 6000, "{} findings", joined.len());
        assert_eq!(read.len(), joined.len());
        for (at, (read, joined)) in read.iter().zip(&joined).enumerate() {
            assert_eq!(key(read), key(joined), "finding {at}");
        }
    }
}
