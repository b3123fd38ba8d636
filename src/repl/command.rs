//! A command line as a [`Command`] (parsed with `FromStr`, see
//! [`super::parse`]), every word keeping its place in the line.

use std::ops::Range;

pub use super::parse::arg_name;
pub use super::scan::masked;

use crate::secret::SecretString;

/// A word of the command line and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The word, unquoted.
    pub text: String,
    /// Its bytes in the line.
    pub span: Range<usize>,
}

/// A secret value from the command line. Its `Debug` never shows it, and
/// it is zeroed when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct ValueArg {
    /// The value, unquoted.
    pub text: SecretString,
    /// Its bytes in the line.
    pub span: Range<usize>,
}

impl std::fmt::Debug for ValueArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ValueArg([REDACTED] {} bytes)", self.text.len())
    }
}

/// `SITE.ENV` and the `--scope`/`--type` of `resolve` and `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The site.
    pub site: Arg,
    /// The environment.
    pub env: Arg,
    /// `--scope`.
    pub scope: Option<Arg>,
    /// `--type`.
    pub ty: Option<Arg>,
}

/// Whose secret a `secret:*` command is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    /// `secret:site:*`.
    Site,
    /// `secret:org:*`.
    Org,
}

/// `SITE[.ENV]` or `ORG [--env=E]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Site or org.
    pub kind: OwnerKind,
    /// Its id.
    pub id: Arg,
    /// The environment of an override.
    pub env: Option<Arg>,
}

/// `secret:site:set` and `secret:org:set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCmd {
    /// Whose secret, and which override.
    pub owner: Owner,
    /// The secret's name.
    pub name: Arg,
    /// The new value.
    pub value: ValueArg,
    /// `--type`.
    pub ty: Option<Arg>,
    /// `--scope=a,b`.
    pub scope: Option<Arg>,
}

/// A REPL command. See [`super::commands::COMMANDS`] for the syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `resolve SITE.ENV [--scope=S] [--type=T]`
    Resolve(Query),
    /// `explain SITE.ENV NAME [--scope=S] [--type=T]`
    Explain(Query, Arg),
    /// `check`
    Check,
    /// `orgs`
    Orgs,
    /// `sites`
    Sites,
    /// `envs SITE`
    Envs(Arg),
    /// `policy`
    Policy,
    /// `secret:site:set`, `secret:org:set`
    Set(SetCmd),
    /// `secret:site:delete SITE[.ENV] NAME`, `secret:org:delete ORG NAME [--env=E]`
    Delete(Owner, Arg),
    /// `secret:site:list SITE`, `secret:org:list ORG`
    List(OwnerKind, Arg),
    /// `diff`
    Diff,
    /// `undo`
    Undo,
    /// `save [PATH]`
    Save(Option<Arg>),
    /// `load PATH`
    Load(Arg),
    /// `reload`
    Reload,
    /// `reveal on|off`
    Reveal(bool),
    /// `help [COMMAND]`
    Help(Option<Arg>),
    /// `quit`
    Quit,
}

impl Default for Arg {
    fn default() -> Self {
        Arg {
            text: String::new(),
            span: 0..0,
        }
    }
}
