//! ward: secret-management rules as data.
//!
//! The pipeline, one module per stage: [`layout`] (TOML → model with spans) →
//! [`policy`] (policy file → rules) → [`resolve`] (what a site sees) →
//! [`rules`] (findings) → [`report`] (human, JSON, SARIF, GitHub).
#![warn(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod cli;
pub mod finding;
mod huge;
pub mod layout;
pub mod parallel;
pub mod policy;
pub mod repl;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod secret;
pub mod source;
