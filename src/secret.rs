//! Secret text in memory: [`SecretString`] holds a value so that it cannot be
//! printed by accident and does not outlive its owner in freed memory.
//!
//! `Debug` and `Display` show only `[REDACTED]` and the length, so a stray
//! `{:?}`, a log line or a panic message built from one prints no value; the
//! text itself is reached through [`SecretString::expose`], whose callers
//! decide whether it may be shown (the report layer's `Shown`). On drop its
//! bytes are overwritten with zeros (`zeroize`, which the compiler may not
//! optimise away).
//!
//! # What is not zeroized
//!
//! Zeroizing is best effort: it clears the copies ward owns, not every copy
//! that ever existed. These are not cleared:
//!
//! - the kernel's page cache of the **layout files**, and any copy of a
//!   file text made before ward took it (the texts themselves, from which
//!   most values are read in place, are zeroed when their last reference
//!   goes: [`crate::source::SourceText`]);
//! - the **parsers' buffers**: toml's DOM and `toml_parser`'s events (the
//!   decoded strings of values that are not kept, such as a value of the
//!   wrong type), toml_edit's documents in the REPL (the edited document,
//!   and the parse that checks a spliced text) and serde_json's scratch
//!   buffer while a rule reads `value is json` or `value.json.keys`;
//! - **standard input's buffer** and **the line editor's** (rustyline keeps
//!   the line being typed; its history gets `***` instead of values), and
//!   `--exec` scripts, which are process arguments that other users of the
//!   machine may see: type values in the REPL rather than pass them in
//!   `--exec`;
//! - **output buffers** of revealed values (`--reveal`, `reveal on`, or a
//!   scope the policy reveals such as `user`);
//! - **interned words**: a secret's type, scopes and override environments
//!   are interned (`layout::Word`) and live until the process exits. They
//!   are names, never values, but a value typed into `type = "..."` by
//!   mistake would stay there;
//! - memory the allocator moved when a buffer grew. ward avoids growing
//!   buffers that hold a value (command words are allocated at their final
//!   size), but the operating system may still swap pages to disk.
//!
//! Values on disk (the layout files themselves) are not ward's to protect.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret value (or text that may hold one): redacted in `Debug` and
/// `Display`, zeroed on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Box<str>);

impl SecretString {
    /// Wraps `text`, taking ownership without a copy left behind: a
    /// `String` with spare capacity is copied to an exact-size buffer and
    /// the original zeroed, since shrinking it in place would let the
    /// allocator free the old bytes as they are.
    pub fn new(text: String) -> Self {
        SecretString::from(text)
    }

    /// The text itself: callers decide whether it may be shown.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(mut text: String) -> Self {
        if text.len() == text.capacity() {
            // `into_boxed_str` does not reallocate when there is no spare
            // capacity: the buffer itself moves into the box.
            return SecretString(text.into_boxed_str());
        }
        let boxed = Box::from(text.as_str());
        text.zeroize();
        SecretString(boxed)
    }
}

impl From<&str> for SecretString {
    fn from(text: &str) -> Self {
        SecretString(Box::from(text))
    }
}

impl From<std::borrow::Cow<'_, str>> for SecretString {
    fn from(text: std::borrow::Cow<'_, str>) -> Self {
        match text {
            std::borrow::Cow::Borrowed(s) => SecretString::from(s),
            std::borrow::Cow::Owned(s) => SecretString::from(s),
        }
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for SecretString {}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[REDACTED] ({} bytes)", self.0.len())
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[REDACTED] ({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = SecretString::from("CANARY-secret");
        assert_eq!(format!("{s:?}"), "[REDACTED] (13 bytes)");
        assert_eq!(format!("{s}"), "[REDACTED] (13 bytes)");
        assert_eq!(
            format!("{:#?}", Some(&s)),
            "Some(\n    [REDACTED] (13 bytes),\n)"
        );
        assert_eq!(s.expose(), "CANARY-secret");
    }

    #[test]
    fn a_string_with_spare_capacity_is_copied_and_zeroed() {
        let mut text = String::with_capacity(64);
        text.push_str("CANARY");
        let s = SecretString::from(text);
        assert_eq!(s.expose(), "CANARY");
        assert_eq!(s.len(), 6);
        let exact = String::from("CANARY");
        assert_eq!(SecretString::from(exact), s);
    }

    #[test]
    fn zeroize_clears_the_bytes() {
        // What `Drop` does, observed without reading freed memory.
        let mut s = SecretString::from("CANARY");
        s.0.zeroize();
        assert_eq!(s.expose().as_bytes(), [0; 6]);
    }
}
