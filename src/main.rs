//! The `ward` binary: parse arguments, run the command, exit with its status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    return_freed_memory();
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
