//! The `ward` binary: parse arguments, run the command, exit with its status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    return_freed_memory();
    report_mapped_file_faults();
    ward::cli::install_panic_hook();
    let cli = ward::cli::Cli::parse();
    let code = ward::cli::run(
        cli,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}

/// glibc's malloc raises the size above which blocks get their own mapping
/// each time such a block is freed, up to 32 MiB; the loader's and the
/// rules' large temporary lists then stay in the heap after they are freed,
/// and the process holds ~10 MB more at its peak on a million secrets.
/// Fixed thresholds give freed large blocks back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory() {
    const LARGE: libc::c_int = 128 * 1024;
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread exists. A rejected value leaves glibc's default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE);
        libc::mallopt(libc::M_TRIM_THRESHOLD, LARGE);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory() {}

/// Reading a mapped layout file (see `ward::source::SourceText::map`)
/// faults with SIGBUS if another process truncates the file meanwhile:
/// say so and exit with status 2 (ward could not run), rather than die
/// with the bare "Bus error" of the default action.
#[cfg(unix)]
fn report_mapped_file_faults() {
    extern "C" fn on_fault(_: libc::c_int) {
        const MESSAGE: &[u8] = b"ward: a layout file changed while ward was reading it \
            (it was cut short by another program)\n  help: run ward again once the file \
            is written; WARD_MMAP=0 makes ward read files instead of mapping them\n";
        // SAFETY: write and _exit are async-signal-safe; nothing else runs.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(2);
        }
    }
    // SAFETY: installs a handler that only calls async-signal-safe
    // functions; called before any other thread exists.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_fault as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
fn report_mapped_file_faults() {}
