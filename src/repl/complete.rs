//! Tab completion for the REPL, without a terminal: given the layout, the
//! policy and a line with a cursor, what could the word under the cursor be.
//! Commands come from [`COMMANDS`], argument kinds from each command's
//! `args`, names from the layout. Secret values are never completed.

mod hint;
#[cfg(test)]
mod tests;
mod words;

pub use hint::hint;
pub(crate) use words::{Role, Word, known_flag, open_quote, roles, split};

use crate::layout::Layout;
use crate::policy::Policy;
use crate::repl::commands::{self, ArgKind, COMMANDS, CommandInfo};
use crate::resolve::{inherited_orgs, site_envs};

/// What the word under the cursor completes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// Replace `line[start..pos]` with one of `items`.
    Words {
        /// Where the replaced text starts.
        start: usize,
        /// Candidates, best order first.
        items: Vec<String>,
        /// Whether a single candidate ends the word (a space may follow).
        closes: bool,
    },
    /// A file path: the caller completes it from the file system.
    Path,
}

impl Completion {
    fn none(pos: usize) -> Self {
        Completion::Words {
            start: pos,
            items: Vec::new(),
            closes: false,
        }
    }
}

/// Candidates for the word that ends at `pos`: where it starts and what could
/// replace it. Paths are left to the caller (see [`completion`]).
pub fn complete(layout: &Layout, policy: &Policy, line: &str, pos: usize) -> (usize, Vec<String>) {
    match completion(layout, policy, line, pos) {
        Completion::Words { start, items, .. } => (start, items),
        Completion::Path => (pos, Vec::new()),
    }
}

/// The full answer for the word that ends at `pos`.
pub fn completion(layout: &Layout, policy: &Policy, line: &str, pos: usize) -> Completion {
    let Some(head) = line.get(..pos) else {
        return Completion::none(pos);
    };
    let (words, open) = split(head);
    if open {
        return Completion::none(pos);
    }
    // The cursor is in the last word if that word reaches it.
    let (before, current) = match words.split_last() {
        Some((last, rest)) if last.end == pos => (rest, last.clone()),
        _ => (&words[..], Word::empty(pos)),
    };
    let Some(first) = before.first() else {
        return words_of(current.start, command_names(current.raw, true), true);
    };
    let Some(cmd) = commands::find(&first.text) else {
        return Completion::none(pos);
    };
    let ctx = Ctx {
        layout,
        policy,
        cmd,
        before: &before[1..],
    };
    ctx.complete(&current)
}

/// What is known about the line before the word being completed.
struct Ctx<'a> {
    layout: &'a Layout,
    policy: &'a Policy,
    cmd: &'static CommandInfo,
    /// The words between the command name and the current word.
    before: &'a [Word<'a>],
}

impl Ctx<'_> {
    fn complete(&self, current: &Word<'_>) -> Completion {
        let roles = roles(self.cmd, self.before);
        if let Some(Role::FlagValue(flag)) = next_role(&roles, self.before, self.cmd) {
            return self.flag_value(flag, current.start, current.raw);
        }
        if current.is_flag() {
            return self.flag(current);
        }
        let index = roles
            .iter()
            .filter(|r| matches!(r, Role::Positional(_)))
            .count();
        match self.cmd.args.get(index) {
            Some(kind) => self.positional(*kind, current),
            None => Completion::none(current.end),
        }
    }

    fn flag(&self, current: &Word<'_>) -> Completion {
        match current.raw.split_once('=') {
            Some((name, value)) => match known_flag(self.cmd, name) {
                Some(flag) => self.flag_value(flag, current.start + name.len() + 1, value),
                None => Completion::none(current.end),
            },
            None => {
                let items = self.cmd.flags.iter().map(|f| f.to_string());
                words_of(current.start, filter(items, current.raw), false)
            }
        }
    }

    /// Completes `typed`, the value of `flag` starting at `start`.
    fn flag_value(&self, flag: &str, start: usize, typed: &str) -> Completion {
        // A scope list: complete the item after the last comma.
        let (start, typed, taken) = match typed.rsplit_once(',') {
            Some((done, last)) => (start + done.len() + 1, last, done.split(',').collect()),
            None => (start, typed, Vec::new()),
        };
        let pool: Vec<String> = match flag {
            "--scope=" => self.policy.scopes.clone(),
            "--type=" => self.policy.types.clone(),
            "--env=" => self.org_envs(),
            _ => Vec::new(),
        };
        let pool = pool.into_iter().filter(|s| !taken.contains(&s.as_str()));
        words_of(start, filter(pool, typed), true)
    }

    fn positional(&self, kind: ArgKind, current: &Word<'_>) -> Completion {
        let (start, typed) = (current.start, current.raw);
        match kind {
            ArgKind::Site => words_of(start, self.sites(typed, ""), true),
            ArgKind::SiteMaybeEnv | ArgKind::SiteEnv => self.site_env(kind, current),
            ArgKind::Org => words_of(
                start,
                filter(self.layout.orgs.keys().map(|k| k.to_string()), typed),
                true,
            ),
            ArgKind::Secret => words_of(start, filter(self.secret_names(), typed), true),
            ArgKind::OnOff => words_of(start, filter(["on", "off"].map(String::from), typed), true),
            ArgKind::Command => words_of(start, command_names(typed, false), true),
            ArgKind::Path => Completion::Path,
            ArgKind::Value => Completion::none(current.end),
        }
    }

    /// `SITE` then, after `SITE.`, that site's environments.
    fn site_env(&self, kind: ArgKind, current: &Word<'_>) -> Completion {
        let typed = current.raw;
        if let Some((site, env)) = typed.rsplit_once('.')
            && let Some(site) = self.layout.sites.get(site)
        {
            let envs = site_envs(self.policy, site).into_iter().map(String::from);
            let start = current.start + typed.len() - env.len();
            return words_of(start, filter(envs, env), true);
        }
        let dot = if kind == ArgKind::SiteEnv { "." } else { "" };
        words_of(current.start, self.sites(typed, dot), false)
    }

    fn sites(&self, typed: &str, suffix: &str) -> Vec<String> {
        let ids = self.layout.sites.keys().map(|id| format!("{id}{suffix}"));
        filter(ids, typed)
    }

    /// The site or org named by the first positional argument, if any.
    fn owner_word(&self) -> Option<String> {
        let roles = roles(self.cmd, self.before);
        let at = roles.iter().position(|r| *r == Role::Positional(0))?;
        Some(self.before[at].text.clone())
    }

    /// Secret names of the site (own and inherited) or org named earlier.
    fn secret_names(&self) -> Vec<String> {
        let Some(owner) = self.owner_word() else {
            return Vec::new();
        };
        if self.cmd.args.first() == Some(&ArgKind::Org) {
            return self
                .layout
                .orgs
                .get(owner.as_str())
                .map_or_else(Vec::new, |o| {
                    o.secrets.keys().map(|k| k.to_string()).collect()
                });
        }
        let site_id = match self.layout.sites.contains_key(owner.as_str()) {
            true => owner.as_str(),
            false => owner.rsplit_once('.').map_or(owner.as_str(), |(s, _)| s),
        };
        let Some(site) = self.layout.sites.get(site_id) else {
            return Vec::new();
        };
        let mut names: Vec<String> = site.secrets.keys().map(|k| k.to_string()).collect();
        for org in inherited_orgs(self.layout, self.policy, site) {
            push_new(&mut names, org.secrets.keys().map(|k| k.to_string()));
        }
        names
    }

    /// Environments an org's override can name: the policy's always-present
    /// ones, those of the sites that inherit from it, those it already uses.
    fn org_envs(&self) -> Vec<String> {
        let mut envs = self.policy.always_envs.clone();
        let Some(org) = self
            .owner_word()
            .filter(|_| self.cmd.args.first() == Some(&ArgKind::Org))
        else {
            return envs;
        };
        for site in self.layout.sites.values() {
            let orgs = inherited_orgs(self.layout, self.policy, site);
            if orgs.iter().any(|o| o.id == org) {
                push_new(
                    &mut envs,
                    site.environments.iter().map(|e| e.value.to_string()),
                );
            }
        }
        if let Some(org) = self.layout.orgs.get(org.as_str()) {
            let used = org
                .secrets
                .values()
                .flat_map(|s| s.overrides.keys().map(|k| k.to_string()));
            push_new(&mut envs, used);
        }
        envs
    }
}

/// The role the word after `before` would have (a bare known flag makes the
/// next word its value).
fn next_role(roles: &[Role], before: &[Word<'_>], cmd: &CommandInfo) -> Option<Role> {
    let last = before.last()?;
    match roles.last()? {
        Role::Flag if !last.raw.contains('=') => known_flag(cmd, last.raw).map(Role::FlagValue),
        _ => None,
    }
}

fn command_names(typed: &str, aliases: bool) -> Vec<String> {
    let names = COMMANDS.iter().flat_map(|c| {
        let aliases = if aliases { c.aliases } else { &[] };
        std::iter::once(c.name).chain(aliases.iter().copied())
    });
    filter(names.map(String::from), typed)
}

fn filter(items: impl IntoIterator<Item = String>, typed: &str) -> Vec<String> {
    let mut out = Vec::new();
    push_new(&mut out, items.into_iter().filter(|i| i.starts_with(typed)));
    out
}

fn push_new(out: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
}

fn words_of(start: usize, items: Vec<String>, closes: bool) -> Completion {
    Completion::Words {
        start,
        items,
        closes,
    }
}
