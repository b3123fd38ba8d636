//! Fuzz target `repl_command`: see `harness::repl_command`.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::repl_command(data));
