//! The policy language: vocabularies, precedence, inheritance and rules, as
//! data. `parse` turns a policy file into a [`Policy`]; pest types never leave
//! this module.

mod ast;
mod block;
mod check;
mod error;
mod parse;
mod rule;
mod statements;
mod syntax;
mod template;
#[cfg(test)]
mod tests;

pub use ast::*;
pub use error::{PolicyDiagnostic, PolicyError, ProblemKind};
pub use parse::parse;

/// The Pantheon policy, embedded in the binary as the default.
pub const PANTHEON: &str = include_str!("../../policies/pantheon.policy");

/// Parses the embedded Pantheon policy.
pub fn pantheon() -> Result<Policy, PolicyError> {
    parse("<embedded>/pantheon.policy", PANTHEON)
}
