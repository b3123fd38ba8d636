//! Fuzz target `layout`: see `harness::layout`.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(
    init: {
        // One thread: masking in pieces (`harness::check_pieces`) would
        // start threads for every input, and a thread's thread-local
        // cleanup can still be running when LeakSanitizer checks the
        // input, which it then reports as a 32-byte leak. The pieces'
        // logic is the same on one thread.
        // SAFETY: nothing else runs yet.
        unsafe { std::env::set_var("WARD_THREADS", "1") };
    },
    |data: &[u8]| harness::layout(data)
);
