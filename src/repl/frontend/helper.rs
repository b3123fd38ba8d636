//! The rustyline [`Helper`]: completion and hints from [`crate::repl::complete`],
//! a greyed hint, and a validator that waits for unbalanced quotes.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper, Result};

use crate::layout::{Layout, Org, Override, Secret, SecretValue, Secrets, Site};
use crate::policy::Policy;
use crate::repl::Session;
use crate::repl::complete::{self, Completion};

/// Completion, hints and validation for the REPL's line editor. Holds the
/// names of the session's layout (never its values) and its policy.
pub struct WardHelper {
    layout: Layout,
    policy: Policy,
    color: bool,
    files: FilenameCompleter,
    /// Set while asking a yes/no question: no completion, no hints.
    pub asking: bool,
}

impl WardHelper {
    /// A helper for `session`'s current layout and policy.
    pub fn new(session: &Session, color: bool) -> Self {
        WardHelper {
            layout: names_only(session.layout()),
            policy: session.policy().clone(),
            color,
            files: FilenameCompleter::new(),
            asking: false,
        }
    }

    /// Catches up with the session after a command (edits, `load`, `reload`).
    pub fn refresh(&mut self, session: &Session) {
        self.layout = names_only(session.layout());
        self.policy = session.policy().clone();
    }
}

impl Completer for WardHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Result<(usize, Vec<Pair>)> {
        if self.asking {
            return Ok((pos, Vec::new()));
        }
        let (start, items, closes) =
            match complete::completion(&self.layout, &self.policy, line, pos) {
                Completion::Path => return self.files.complete(line, pos, ctx),
                Completion::Words {
                    start,
                    items,
                    closes,
                } => (start, items, closes),
            };
        // A single word that ends the argument gets its space.
        let space = closes
            && items.len() == 1
            && !line.get(pos..).is_some_and(|rest| rest.starts_with(' '));
        let pairs = items.into_iter().map(|display| Pair {
            replacement: if space {
                format!("{display} ")
            } else {
                display.clone()
            },
            display,
        });
        Ok((start, pairs.collect()))
    }
}

/// A usage hint: shown, never inserted (it names arguments, not values).
pub struct UsageHint(String);

impl Hint for UsageHint {
    fn display(&self) -> &str {
        &self.0
    }

    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Hinter for WardHelper {
    type Hint = UsageHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<UsageHint> {
        if self.asking {
            return None;
        }
        complete::hint(line, pos).map(UsageHint)
    }
}

impl Highlighter for WardHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        match self.color {
            true => Cow::Owned(format!("\x1b[90m{hint}\x1b[0m")),
            false => Cow::Borrowed(hint),
        }
    }
}

impl Validator for WardHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> Result<ValidationResult> {
        Ok(match complete::open_quote(ctx.input()) {
            true => ValidationResult::Incomplete,
            false => ValidationResult::Valid(None),
        })
    }
}

impl Helper for WardHelper {}

/// A copy of `layout` with every value emptied: completion needs names only,
/// and the values stay in the session alone.
fn names_only(layout: &Layout) -> Layout {
    let orgs = layout.orgs.iter().map(|(id, org)| {
        let org = Org {
            id: org.id.clone(),
            span: org.span,
            secrets: secrets(&org.secrets),
        };
        (id.clone(), org)
    });
    let sites = layout.sites.iter().map(|(id, site)| {
        let site = Site {
            id: site.id.clone(),
            span: site.span,
            owner: site.owner.clone(),
            supporting: site.supporting.clone(),
            php: site.php.clone(),
            environments: site.environments.clone(),
            secrets: secrets(&site.secrets),
        };
        (id.clone(), site)
    });
    Layout {
        sources: Default::default(),
        orgs: orgs.collect(),
        sites: sites.collect(),
    }
}

fn secrets(secrets: &Secrets) -> Secrets {
    let strip = |s: &Secret| Secret {
        name: s.name.clone(),
        span: s.span,
        ty: s.ty,
        scope: s.scope.clone(),
        value: None,
        overrides: s
            .overrides
            .values()
            .map(|o| Override {
                env: o.env,
                env_span: o.env_span,
                value: SecretValue::new("", o.value.loc()),
            })
            .collect(),
    };
    secrets.values().map(strip).collect()
}
