//! Tests of layout loading and masking.

mod load;
mod mask;
mod walk;
