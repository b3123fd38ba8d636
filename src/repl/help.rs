//! `help [COMMAND]` (from the command table) and `policy` (the loaded
//! policy's vocabularies, precedence, inheritance and rules).

use super::command::{Arg, arg_name};
use super::commands::{self, COMMANDS};
use super::error::InputError;
use super::query::{cells, table};
use super::session::{Reply, Session, done};
use crate::policy::{Inherit, Slot, Subject};

impl Session {
    pub(super) fn help(&self, topic: Option<&Arg>) -> Reply {
        let Some(topic) = topic else {
            let mut text = String::new();
            for c in COMMANDS {
                text.push_str(&format!("{}\n    {}\n", c.usage, c.summary));
            }
            text.push_str(
                "\nQuote words holding spaces ('...' or \"...\"); lines starting with `#` are \
                 comments.\nEdits are what-ifs: nothing is written until `save`.\n",
            );
            return done(text);
        };
        let Some(info) = commands::find(&topic.text) else {
            let names = COMMANDS.iter().map(|c| c.name);
            let help = match crate::resolve::closest(&topic.text, names) {
                Some(s) => format!("did you mean `{s}`? `help` lists every command"),
                None => "`help` lists every command".to_string(),
            };
            let span = super::error::to_span(&topic.span);
            let name = topic.text.clone();
            return Err(InputError::UnknownCommand { name, help, span }.into());
        };
        let mut text = format!("usage: {}\n{}\n", info.usage, info.summary);
        if !info.aliases.is_empty() {
            text.push_str(&format!("aliases: {}\n", info.aliases.join(", ")));
        }
        if !info.args.is_empty() {
            let args: Vec<&str> = info.args.iter().map(|a| arg_name(*a)).collect();
            text.push_str(&format!(
                "arguments: {} ({} required)\n",
                args.join(" "),
                info.required
            ));
        }
        if !info.flags.is_empty() {
            let flags: Vec<String> = info.flags.iter().map(|f| format!("{f}…")).collect();
            text.push_str(&format!("flags: {}\n", flags.join(" ")));
        }
        done(text)
    }

    pub(super) fn show_policy(&self) -> Reply {
        let p = &self.policy;
        let source = self.opts.policy.as_ref().map_or_else(
            || "embedded".to_string(),
            |path| format!("from {}", path.display()),
        );
        let mut envs = p.always_envs.join(", ");
        if let Some(names) = &p.env_names {
            envs.push_str(&format!("; others match /{}/", names.pattern.as_str()));
            if !names.except.is_empty() {
                envs.push_str(&format!(" except {}", names.except.join(", ")));
            }
        }
        let precedence: Vec<String> = p
            .precedence
            .iter()
            .map(|l| {
                let slot = match l.slot {
                    Slot::Default => "default",
                    Slot::Override => "override",
                };
                format!("{}.{slot}", l.owner.as_str())
            })
            .collect();
        let mut rows = vec![
            cells(&["types", &p.types.join(", ")]),
            cells(&["scopes", &p.scopes.join(", ")]),
            cells(&["environments", &envs]),
            cells(&["precedence", &precedence.join(" < ")]),
            cells(&["inherit", inherit(p.inherit)]),
        ];
        if !p.reveal_scopes.is_empty() {
            rows.push(cells(&["reveal scope", &p.reveal_scopes.join(", ")]));
        }
        let mut text = format!("policy \"{}\" ({source})\n", p.name);
        text.push_str(&table(&rows)?.text);
        text.push_str(&format!("\n{} rules:\n", p.rules.len()));
        let mut rules = vec![cells(&["ID", "SEVERITY", "ON"])];
        for r in &p.rules {
            rules.push(cells(&[&r.id, r.severity.as_str(), subject(r.subject)]));
        }
        text.push_str(&table(&rules)?.text);
        done(text)
    }
}

fn inherit(i: Inherit) -> &'static str {
    match (i.owner, i.supporting) {
        (true, true) => "from owner and supporting",
        (true, false) => "from owner",
        (false, true) => "from supporting",
        (false, false) => "nothing",
    }
}

fn subject(s: Subject) -> &'static str {
    match s {
        Subject::Secret => "secret",
        Subject::Value => "value",
        Subject::Override => "override",
        Subject::Site => "site",
    }
}
