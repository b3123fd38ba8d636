//! The REPL: a what-if workbench over a loaded layout. A backend that knows
//! nothing of terminals (commands parsed with `FromStr`, a [`Session`] that
//! executes them over a [`Workspace`] of editable TOML texts) and a small
//! rustyline frontend. Scripted mode (stdin, `--exec`) uses the same backend.

pub mod command;
pub mod commands;
pub mod complete;
mod describe;
mod diff;
mod edit;
pub mod error;
mod files;
pub mod frontend;
mod help;
mod incremental;
mod lex;
mod list;
mod lookup;
mod parse;
mod query;
mod recheck;
mod render;
mod scan;
pub mod script;
pub mod session;
mod state;
pub mod workspace;

#[cfg(test)]
mod tests;

pub use command::Command;
pub use error::InputError;
pub use session::{Options, Outcome, Session};
pub use workspace::{Edit, OwnerRef, Workspace};
