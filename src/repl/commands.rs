//! The REPL's command table: names, aliases, usage, flags and argument kinds.
//! The parser, `help` and tab completion all read it, so they cannot drift.

/// What a positional argument holds, for parsing and completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `SITE`.
    Site,
    /// `SITE.ENV` (the `.ENV` part required).
    SiteEnv,
    /// `SITE[.ENV]` (the `.ENV` part optional).
    SiteMaybeEnv,
    /// `ORG`.
    Org,
    /// A secret name of the site or org named before it.
    Secret,
    /// A secret value (never completed, never echoed).
    Value,
    /// A file path.
    Path,
    /// `on` or `off`.
    OnOff,
    /// A command name.
    Command,
}

/// One REPL command.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// Its name.
    pub name: &'static str,
    /// Other names it answers to.
    pub aliases: &'static [&'static str],
    /// Usage line.
    pub usage: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Positional arguments in order (optional ones marked in `usage`).
    pub args: &'static [ArgKind],
    /// How many positional arguments are required.
    pub required: usize,
    /// Flags it takes (`--type=`, `--scope=` ...).
    pub flags: &'static [&'static str],
}

use ArgKind::*;

/// Every command, in the order `help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "resolve",
        aliases: &["r"],
        usage: "resolve SITE.ENV [--scope=S] [--type=T]",
        summary: "what a site sees in one environment",
        args: &[SiteEnv],
        required: 1,
        flags: &["--scope=", "--type="],
    },
    CommandInfo {
        name: "explain",
        aliases: &["x"],
        usage: "explain SITE.ENV NAME [--scope=S] [--type=T]",
        summary: "the winning layer of one secret and what it shadows",
        args: &[SiteEnv, Secret],
        required: 2,
        flags: &["--scope=", "--type="],
    },
    CommandInfo {
        name: "check",
        aliases: &["c"],
        usage: "check",
        summary: "lint the layout as it is now",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "orgs",
        aliases: &[],
        usage: "orgs",
        summary: "list organizations",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "sites",
        aliases: &[],
        usage: "sites",
        summary: "list sites with owner and supporting orgs",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "envs",
        aliases: &[],
        usage: "envs SITE",
        summary: "list a site's environments",
        args: &[Site],
        required: 1,
        flags: &[],
    },
    CommandInfo {
        name: "policy",
        aliases: &[],
        usage: "policy",
        summary: "show the loaded policy's vocabularies and rules",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "secret:site:set",
        aliases: &[],
        usage: "secret:site:set SITE[.ENV] NAME VALUE [--type=T] [--scope=a,b]",
        summary: "what if a site secret (or override) were set",
        args: &[SiteMaybeEnv, Secret, Value],
        required: 3,
        flags: &["--type=", "--scope="],
    },
    CommandInfo {
        name: "secret:org:set",
        aliases: &[],
        usage: "secret:org:set ORG NAME VALUE [--env=E] [--type=T] [--scope=a,b]",
        summary: "what if an org secret (or override) were set",
        args: &[Org, Secret, Value],
        required: 3,
        flags: &["--env=", "--type=", "--scope="],
    },
    CommandInfo {
        name: "secret:site:delete",
        aliases: &[],
        usage: "secret:site:delete SITE[.ENV] NAME",
        summary: "what if a site secret (or override) were deleted",
        args: &[SiteMaybeEnv, Secret],
        required: 2,
        flags: &[],
    },
    CommandInfo {
        name: "secret:org:delete",
        aliases: &[],
        usage: "secret:org:delete ORG NAME [--env=E]",
        summary: "what if an org secret (or override) were deleted",
        args: &[Org, Secret],
        required: 2,
        flags: &["--env="],
    },
    CommandInfo {
        name: "secret:site:list",
        aliases: &[],
        usage: "secret:site:list SITE",
        summary: "a site's own secrets, as Terminus lists them",
        args: &[Site],
        required: 1,
        flags: &[],
    },
    CommandInfo {
        name: "secret:org:list",
        aliases: &[],
        usage: "secret:org:list ORG",
        summary: "an org's secrets, as Terminus lists them",
        args: &[Org],
        required: 1,
        flags: &[],
    },
    CommandInfo {
        name: "diff",
        aliases: &[],
        usage: "diff",
        summary: "edits since load and what each touched site now sees differently",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "undo",
        aliases: &[],
        usage: "undo",
        summary: "take back the last edit",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "save",
        aliases: &[],
        usage: "save [PATH]",
        summary: "write the edits into their TOML files (format kept, atomic)",
        args: &[Path],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "load",
        aliases: &[],
        usage: "load PATH",
        summary: "add layout files or a directory",
        args: &[Path],
        required: 1,
        flags: &[],
    },
    CommandInfo {
        name: "reload",
        aliases: &[],
        usage: "reload",
        summary: "re-read the files and the policy from disk (drops unsaved edits)",
        args: &[],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "reveal",
        aliases: &[],
        usage: "reveal on|off",
        summary: "show secret values for the rest of the session",
        args: &[OnOff],
        required: 1,
        flags: &[],
    },
    CommandInfo {
        name: "help",
        aliases: &["?"],
        usage: "help [COMMAND]",
        summary: "list commands, or explain one",
        args: &[Command],
        required: 0,
        flags: &[],
    },
    CommandInfo {
        name: "quit",
        aliases: &["exit", "q"],
        usage: "quit",
        summary: "leave (asks first if edits are unsaved)",
        args: &[],
        required: 0,
        flags: &[],
    },
];

/// Looks a command up by name or alias.
pub fn find(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}
