//! Tests of layout loading and masking.

mod load;
mod mask;
mod walk;

/// A million secrets sit in memory at once: each byte of a secret is a
/// megabyte of peak memory. These sizes are what the layout was made to
/// take; a change that grows one should be a choice, not an accident.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_secret_stays_small() {
    use super::{Override, Scopes, Secret, SecretValue, Spanned};
    use std::mem::size_of;
    assert_eq!(size_of::<Option<SecretValue>>(), 16);
    assert_eq!(size_of::<super::Overrides>(), 8);
    assert_eq!(size_of::<Option<Spanned<Scopes, crate::source::Loc>>>(), 32);
    assert_eq!(size_of::<Override>(), 32);
    assert_eq!(size_of::<Secret>(), 112);
}
