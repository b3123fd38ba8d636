//! Parsing a command line into a [`Command`] against the table in
//! [`super::commands`]: the scan's words checked for count and shape.

use std::ops::Range;
use std::str::FromStr;

use super::command::{Arg, Command, Owner, OwnerKind, Query, SetCmd, ValueArg};
use super::commands::{ArgKind, CommandInfo};
use super::error::{InputError, to_span};
use super::lex::Token;
use super::scan::{Scan, scan};

impl FromStr for Command {
    type Err = InputError;

    /// Parses one command line (not blank, not a comment).
    fn from_str(line: &str) -> Result<Self, InputError> {
        let Some(mut s) = scan(line) else {
            return Err(InputError::UnknownCommand {
                name: String::new(),
                help: "`help` lists every command".to_string(),
                span: to_span(&(0..0)),
            });
        };
        if !s.problems.is_empty() {
            return Err(s.problems.remove(0));
        }
        let Some(info) = s.info else {
            return Err(super::scan::unknown_command(&s.head));
        };
        check_count(&s, info)?;
        build(info, s)
    }
}

/// Refuses missing and extra positional arguments.
fn check_count(s: &Scan, info: &'static CommandInfo) -> Result<(), InputError> {
    if let Some(extra) = s.positionals.get(info.args.len()) {
        return Err(InputError::ExtraArgument {
            command: info.name,
            usage: info.usage,
            span: to_span(&extra.span),
        });
    }
    match info.args.get(s.positionals.len()) {
        Some(kind) if s.positionals.len() < info.required => Err(InputError::MissingArgument {
            arg: arg_name(*kind),
            command: info.name,
            usage: info.usage,
            span: to_span(&(s.end..s.end + 1)),
        }),
        _ => Ok(()),
    }
}

/// The name of an argument in usage lines.
pub fn arg_name(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::Site => "SITE",
        ArgKind::SiteEnv => "SITE.ENV",
        ArgKind::SiteMaybeEnv => "SITE[.ENV]",
        ArgKind::Org => "ORG",
        ArgKind::Secret => "NAME",
        ArgKind::Value => "VALUE",
        ArgKind::Path => "PATH",
        ArgKind::OnOff => "on|off",
        ArgKind::Command => "COMMAND",
    }
}

/// Builds the command from a clean scan with the right argument count.
fn build(info: &'static CommandInfo, s: Scan) -> Result<Command, InputError> {
    let flag = |name: &str| {
        s.flags
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.clone())
            .map(|(text, span)| Arg { text, span })
    };
    let (scope, ty, env) = (flag("--scope"), flag("--type"), flag("--env"));
    let mut args = s.positionals.into_iter();
    let mut next = || args.next().map(arg);
    let cmd = match info.name {
        "resolve" | "explain" => {
            let (site, env) = place(next(), true)?;
            let env = env.unwrap_or_else(|| site.clone());
            let q = Query {
                site,
                env,
                scope,
                ty,
            };
            match next() {
                Some(name) => Command::Explain(q, name),
                None => Command::Resolve(q),
            }
        }
        "secret:site:set" | "secret:org:set" | "secret:site:delete" | "secret:org:delete" => {
            let owner = if info.name.starts_with("secret:site") {
                let (id, env) = place(next(), false)?;
                Owner {
                    kind: OwnerKind::Site,
                    id,
                    env,
                }
            } else {
                Owner {
                    kind: OwnerKind::Org,
                    id: next().unwrap_or_default(),
                    env,
                }
            };
            let name = next().unwrap_or_default();
            match next() {
                Some(v) => Command::Set(SetCmd {
                    owner,
                    name,
                    value: ValueArg {
                        text: v.text.into(),
                        span: v.span,
                    },
                    ty,
                    scope,
                }),
                None => Command::Delete(owner, name),
            }
        }
        "secret:site:list" => Command::List(OwnerKind::Site, next().unwrap_or_default()),
        "secret:org:list" => Command::List(OwnerKind::Org, next().unwrap_or_default()),
        "envs" => Command::Envs(next().unwrap_or_default()),
        "save" => Command::Save(next()),
        "load" => Command::Load(next().unwrap_or_default()),
        "reveal" => on_off(next().unwrap_or_default())?,
        "help" => Command::Help(next()),
        other => simple(other),
    };
    Ok(cmd)
}

fn simple(name: &str) -> Command {
    match name {
        "check" => Command::Check,
        "orgs" => Command::Orgs,
        "sites" => Command::Sites,
        "policy" => Command::Policy,
        "diff" => Command::Diff,
        "undo" => Command::Undo,
        "reload" => Command::Reload,
        _ => Command::Quit,
    }
}

/// A word as an argument. Its text is moved, not copied: a value goes on
/// into a [`ValueArg`], which zeroes it.
fn arg(mut t: Token) -> Arg {
    Arg {
        text: std::mem::take(&mut *t.text),
        span: t.span,
    }
}

fn on_off(a: Arg) -> Result<Command, InputError> {
    match a.text.as_str() {
        "on" => Ok(Command::Reveal(true)),
        "off" => Ok(Command::Reveal(false)),
        _ => Err(InputError::OnOff {
            found: a.text,
            span: to_span(&a.span),
        }),
    }
}

/// Splits `SITE.ENV` (the `.ENV` required when `need_env`). Each part keeps
/// its own span when the word was written unquoted.
fn place(a: Option<Arg>, need_env: bool) -> Result<(Arg, Option<Arg>), InputError> {
    let a = a.unwrap_or_default();
    let split = a.text.rsplit_once('.');
    let bad = match split {
        Some((site, env)) => site.is_empty() || env.is_empty(),
        None => need_env,
    };
    if bad {
        let site = split.map_or(a.text.as_str(), |(s, _)| s);
        return Err(InputError::SiteEnv {
            example: format!("{}.dev", if site.is_empty() { "SITE" } else { site }),
            found: a.text,
            span: to_span(&a.span),
        });
    }
    let Some((site, env)) = split else {
        return Ok((a, None));
    };
    let exact = a.span.len() == a.text.len();
    let cut = a.span.start + site.len();
    let part = |text: &str, span: Range<usize>| Arg {
        text: text.to_string(),
        span: if exact { span } else { a.span.clone() },
    };
    Ok((
        part(site, a.span.start..cut),
        Some(part(env, cut + 1..a.span.end)),
    ))
}
