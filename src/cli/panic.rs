//! What ward prints when it panics: where, never what.
//!
//! A panic's message can quote data: slicing a `str` at a bad index panics
//! with up to 256 bytes of the string, which may be a layout file full of
//! secret values, and any `panic!("{x}")` formats whatever it is given. The
//! hook installed by the binary prints the location and only messages that
//! are fixed text in the source (`panic!("literal")`, an `expect("…")`
//! without formatting); every formatted message is withheld.

use std::panic::PanicHookInfo;

/// Shown instead of a formatted panic message.
pub const WITHHELD: &str = "(message withheld: it may quote input, such as a secret value)";

/// Replaces the default panic hook with one that prints [`panic_report`]
/// on standard error. (`RUST_BACKTRACE` still adds a backtrace: function
/// names and locations, no data.)
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("{}", panic_report(info));
    }));
}

/// The report of a panic: its location, and its message only when that is
/// a `&'static str`, text written in ward's source rather than formatted
/// at run time.
pub fn panic_report(info: &PanicHookInfo<'_>) -> String {
    let at = info
        .location()
        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    let message = info
        .payload()
        .downcast_ref::<&'static str>()
        .copied()
        .unwrap_or(WITHHELD);
    format!(
        "ward: internal error{at}: {message}\n\
         this is a bug in ward: please report it with the command that caused it \
         (not the layout's values)"
    )
}
