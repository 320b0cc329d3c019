//! The `clearsim` binary: parse, run, print the error chain, exit.

use std::process::ExitCode;

use clap::Parser;
use clearsim::cli::{self, Cli, InputError};
use clearsim::experiment::Diverged;

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse(); // usage errors exit with code 2, help with 0
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(input) = e.downcast_ref::<InputError>() {
                eprintln!("{}", input.0);
                return ExitCode::from(2);
            }
            // A diverging model is a problem with the input, not a failure.
            if let Some(diverged) = e.downcast_ref::<Diverged>() {
                eprintln!("error: {diverged}");
                return ExitCode::from(2);
            }
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

/// `clearsim demo | head` should stop quietly when `head` has read enough,
/// as any Unix filter does; Rust ignores SIGPIPE by default, which turns
/// the closed pipe into a panic in `println!`.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; it
    // only resets one signal's disposition to the system default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
