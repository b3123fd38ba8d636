//! Read-only commands: `resolve`, `explain`, `check`, `orgs`, `sites`,
//! `envs`. Output is the CLI's own rendering.

use miette::Diagnostic;

use super::command::{Arg, Query};
use super::error::{InputError, to_span};
use super::session::{Problem, Reply, Session, done};
use crate::finding::Finding;
use crate::report::{self, Format, Output, SourceView};
use crate::resolve::{self, ResolveError, site_envs};

/// The scope `resolve` reads with when none is given: what the application
/// sees at runtime, as `ward resolve` does.
const DEFAULT_SCOPE: &str = "web";

/// A query's scope and type, checked against the policy.
struct Target {
    scope: String,
    ty: Option<String>,
}

impl Session {
    /// Validates a query's site, environment, scope and type, each error
    /// pointing at its word.
    fn check_query(&self, q: &Query) -> Result<Target, InputError> {
        let site = self.find_site(&q.site)?;
        self.site_env(site, &q.env)?;
        let scope = match &q.scope {
            Some(a) => {
                self.known_word(&a.text, &a.span, &self.policy.scopes, "scope")?;
                a.text.clone()
            }
            None => DEFAULT_SCOPE.to_string(),
        };
        let ty = q.ty.as_ref().map(|a| self.ty(a)).transpose()?;
        Ok(Target { scope, ty })
    }

    fn output(&self) -> Output {
        Output {
            format: Format::Human,
            reveal: self.reveal,
        }
    }

    pub(super) fn resolve(&self, q: &Query) -> Reply {
        let c = self.check_query(q)?;
        let query = resolve::Query {
            site: &q.site.text,
            env: &q.env.text,
            scope: &c.scope,
            ty: c.ty.as_deref(),
        };
        let layout = &self.now.layout;
        let secrets = resolve::resolve(layout, &self.policy, query).map_err(other)?;
        let view = SourceView::new(&layout.sources);
        let mut out = Vec::new();
        report::resolution(
            &mut out,
            &view,
            &self.policy,
            query,
            &secrets,
            self.output(),
        )
        .map_err(io)?;
        done(text(out))
    }

    pub(super) fn explain(&self, q: &Query, name: &Arg) -> Reply {
        let c = self.check_query(q)?;
        let query = resolve::Query {
            site: &q.site.text,
            env: &q.env.text,
            scope: &c.scope,
            ty: c.ty.as_deref(),
        };
        let layout = &self.now.layout;
        let explained = resolve::explain(layout, &self.policy, query, &name.text)
            .map_err(|e| at_name(e, q, name))?;
        let view = SourceView::new(&layout.sources);
        let mut out = Vec::new();
        let (p, o) = (&self.policy, self.output());
        report::explain(&mut out, &view, p, query, &name.text, &explained, o).map_err(io)?;
        done(text(out))
    }

    /// `check`: every finding, as `ward check` prints them; fails when the
    /// layout has errors.
    pub(super) fn check(&self) -> Reply {
        let mut out = Vec::new();
        let (layout, findings) = (&self.now.layout, &self.now.findings);
        // Every view, as `ward check` resolves them: the findings are kept
        // up to date edit by edit, the views are counted when asked for.
        let views = crate::resolve::every_view(layout, &self.policy);
        let findings: Vec<&Finding> = findings.iter().collect();
        report::findings(
            &mut out,
            layout,
            &findings,
            Some(views),
            Format::Human,
            self.opts.style,
        )
        .map_err(io)?;
        Ok(super::Outcome {
            text: text(out),
            ok: !self.now.has_errors(),
            quit: false,
        })
    }

    pub(super) fn orgs(&self) -> Reply {
        let layout = &self.now.layout;
        if layout.orgs.is_empty() {
            return done("no orgs\n".to_string());
        }
        let mut rows = vec![cells(&["ORG", "SECRETS", "OWNED SITES", "SUPPORTED SITES"])];
        for org in layout.orgs.values() {
            let owned = layout.sites.values();
            let owned = owned.filter(|s| s.owner.as_ref().is_some_and(|o| o.value == org.id));
            let supported = layout.sites.values();
            let supported = supported.filter(|s| s.supporting.iter().any(|o| o.value == org.id));
            rows.push(vec![
                org.id.to_string(),
                org.secrets.len().to_string(),
                owned.count().to_string(),
                supported.count().to_string(),
            ]);
        }
        table(&rows)
    }

    pub(super) fn sites(&self) -> Reply {
        let layout = &self.now.layout;
        if layout.sites.is_empty() {
            return done("no sites\n".to_string());
        }
        let mut rows = vec![cells(&["SITE", "OWNER", "SUPPORTING", "PHP", "SECRETS"])];
        for site in layout.sites.values() {
            let supporting: Vec<&str> = site.supporting.iter().map(|s| s.value.as_str()).collect();
            rows.push(vec![
                site.id.to_string(),
                site.owner
                    .as_ref()
                    .map_or("(personal)", |o| &o.value)
                    .to_string(),
                or_dash(supporting.join(",")),
                or_dash(
                    site.php
                        .as_ref()
                        .map(|p| p.value.to_string())
                        .unwrap_or_default(),
                ),
                site.secrets.len().to_string(),
            ]);
        }
        table(&rows)
    }

    pub(super) fn envs(&self, a: &Arg) -> Reply {
        let site = self.find_site(a)?;
        let mut rows = vec![cells(&["ENV", "FROM"])];
        for env in site_envs(&self.policy, site) {
            let from = if self.policy.always_envs.iter().any(|e| e == env) {
                "policy (every site)"
            } else {
                "site `environments`"
            };
            rows.push(cells(&[env, from]));
        }
        table(&rows)
    }
}

/// An aligned table, the way `ward resolve` prints one.
pub(super) fn table(rows: &[Vec<String>]) -> Reply {
    let mut out = Vec::new();
    report::table(&mut out, "", rows).map_err(io)?;
    done(text(out))
}

pub(super) fn cells(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn or_dash(s: String) -> String {
    if s.is_empty() { "-".to_string() } else { s }
}

pub(super) fn text(out: Vec<u8>) -> String {
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn io(e: std::io::Error) -> Problem {
    Problem::Other(Box::new(crate::cli::CliError::Write {
        reason: e.to_string(),
    }))
}

fn other(e: ResolveError) -> Problem {
    Problem::Other(Box::new(e))
}

/// `explain`'s "sees no secret" error, pointing at the name.
fn at_name(e: ResolveError, q: &Query, name: &Arg) -> Problem {
    let help = e.help().map(|h| h.to_string()).unwrap_or_default();
    let help = if help.starts_with("did you mean") {
        help
    } else {
        let scope = q.scope.as_ref().map(|s| format!(" --scope={}", s.text));
        let scope = scope.unwrap_or_default();
        format!(
            "`resolve {}.{}{scope}` lists what it sees",
            q.site.text, q.env.text
        )
    };
    Problem::Input(InputError::Unknown {
        message: e.to_string(),
        help,
        span: to_span(&name.span),
        label: "not visible here".to_string(),
    })
}
