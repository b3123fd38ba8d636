//! The `ward` binary: parse arguments, run the command, exit with its status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ward::cli::install_panic_hook();
    let cli = ward::cli::Cli::parse();
    let code = ward::cli::run(
        cli,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
