//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

/// ward: lint, resolve and explain secret layouts against a policy.
#[derive(Debug, Parser)]
#[command(name = "ward", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// ward's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint layouts against the policy (exit 1 on error findings).
    Check(CheckArgs),
    /// Print what a site sees in one environment and scope.
    Resolve(QueryArgs),
    /// Explain one secret: the winning layer and every layer it shadows.
    #[command(
        override_usage = "ward explain [OPTIONS] --site <SITE> --env <ENV> <PATHS>... <NAME>"
    )]
    Explain(ExplainArgs),
    /// A what-if workbench: resolve, explain, check and edit in Terminus's
    /// syntax (scripted when standard input is not a terminal).
    Repl(ReplArgs),
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Policy file to use instead of the embedded Pantheon policy.
    #[arg(long, value_name = "FILE", global = true)]
    pub policy: Option<PathBuf>,
    /// Output format (`sarif` and `github` are for `check`).
    #[arg(long, value_enum, default_value = "human", global = true)]
    pub format: Format,
    /// Show secret values (otherwise only values of revealing scopes such as `user`).
    #[arg(long, global = true)]
    pub reveal: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `ward check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Layout files or directories of `*.toml` (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Common flags.
    #[command(flatten)]
    pub common: Common,
}

/// Which site, environment, scope and type a query is about.
#[derive(Debug, Args, Clone)]
pub struct Target {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Environment (`dev`, `test`, `live` or a multidev).
    #[arg(long)]
    pub env: String,
    /// Scope to read with: `web` is what the application sees, `ic` what an
    /// Integrated Composer build gets.
    #[arg(long, default_value = "web")]
    pub scope: String,
    /// Only secrets of this type.
    #[arg(long = "type", value_name = "TYPE")]
    pub ty: Option<String>,
}

/// `ward resolve`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Layout files or directories of `*.toml`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The query.
    #[command(flatten)]
    pub target: Target,
    /// Common flags.
    #[command(flatten)]
    pub common: Common,
}

/// `ward explain`: the query's flags, then layout paths followed by the
/// secret name (`ward explain layouts/ --site s --env live API_KEY`).
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Layout files or directories of `*.toml`, then the secret name.
    #[arg(value_name = "PATHS... NAME", num_args = 1.., action = clap::ArgAction::Append, required = true)]
    pub args: Vec<String>,
    /// The query.
    #[command(flatten)]
    pub target: Target,
    /// Common flags.
    #[command(flatten)]
    pub common: Common,
}

impl ExplainArgs {
    /// Splits the positional arguments into the query and the secret name;
    /// `None` when there is no path before the name.
    pub fn split(self) -> Option<(QueryArgs, String)> {
        let mut args = self.args;
        let name = args.pop()?;
        if args.is_empty() {
            return None;
        }
        let query = QueryArgs {
            paths: args.into_iter().map(PathBuf::from).collect(),
            target: self.target,
            common: self.common,
        };
        Some((query, name))
    }
}

/// `ward repl`: its own flags (no `--format`: the REPL prints for humans).
#[derive(Debug, Args)]
pub struct ReplArgs {
    /// Layout files or directories of `*.toml` (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Run these commands, separated by `;`, instead of reading standard input.
    #[arg(long, value_name = "COMMANDS")]
    pub exec: Option<String>,
    /// Print each command as `ward> COMMAND` before its output (values masked).
    #[arg(long)]
    pub echo: bool,
    /// Policy file to use instead of the embedded Pantheon policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Show secret values from the start (`reveal off` hides them again).
    #[arg(long)]
    pub reveal: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}
