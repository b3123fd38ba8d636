//! [`Masked`]: text with every secret value masked, the only text a
//! renderer can print as source.
//!
//! A [`super::Snippet`] (what miette reads source lines from, for layout
//! files and for REPL command lines alike) is built from a `Masked` only, and
//! a `Masked` comes only from a masker: [`Masked::layout`] for layout text,
//! [`Masked::command_line`] for a REPL command. So a renderer cannot show
//! unmasked source, even by mistake: there is no way to build what it prints
//! from raw text. (`tests/leaks.rs` checks that nothing hands miette a source
//! of its own.)

use std::fmt;
use std::sync::Arc;

use crate::layout::mask::mask_layout;

/// Text whose secret values are masked (`*` for every byte, so every span
/// into the original still points at the same place).
/// Held as an `Arc<String>`, not `Arc<str>`: the masker's string moves in
/// without a copy (a 14 MB file was copied twice more on its way to miette).
#[derive(Clone, PartialEq, Eq)]
pub struct Masked(Arc<String>);

impl Masked {
    /// A layout file's text, masked by [`mask_layout`].
    pub fn layout(text: &str) -> Masked {
        Masked(Arc::new(mask_layout(text)))
    }

    /// A layout file's text masked in its own buffer when nothing else
    /// holds it (else a masked copy).
    pub fn layout_taken(text: crate::source::Text) -> Masked {
        match std::sync::Arc::try_unwrap(text) {
            Ok(own) => Masked(Arc::new(own.into_masked())),
            Err(shared) => Masked::layout(&shared),
        }
    }

    /// A REPL command line with the words that may hold a value masked
    /// (see [`crate::repl::command::masked`]).
    pub fn command_line(line: &str) -> Masked {
        Masked(Arc::new(crate::repl::command::masked(line)))
    }

    /// A policy file: the policy language holds no secret values.
    pub(crate) fn policy(text: &str) -> Masked {
        Masked(Arc::new(text.to_owned()))
    }

    /// Text taken as masked, for tests of what reads it.
    #[cfg(test)]
    pub(crate) fn test(text: &str) -> Masked {
        Masked(Arc::new(text.to_owned()))
    }

    /// The same text with a space appended (room for a label just past the
    /// end of a command line).
    pub fn padded(&self) -> Masked {
        Masked(Arc::new(format!("{} ", self.0)))
    }

    /// The masked text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The masked text itself when nothing else holds it, else shared.
    pub(crate) fn into_string(self) -> Result<String, Arc<String>> {
        Arc::try_unwrap(self.0)
    }

    /// The masked text, shared.
    pub(crate) fn shared(&self) -> Arc<String> {
        Arc::clone(&self.0)
    }
}

// Masked text is safe to print: `Debug` shows it, to make test failures
// readable.
impl fmt::Debug for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Masked").field(&&*self.0).finish()
    }
}

impl fmt::Display for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
