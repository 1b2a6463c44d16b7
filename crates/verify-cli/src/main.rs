//! The `kaleyra-verify` command: send and check OTPs with Kaleyra Verify, run the local
//! emulator, or see the whole flow with `demo`. Exit codes follow the error kinds of
//! verify-core (see `--help`), so scripts can tell a wrong code from an outage.

mod args;
mod commands;
mod demo;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use verify_core::GenerateRequest;

use args::{Cli, Command};
use output::Out;

fn main() -> ExitCode {
    // A reader that stops early (`kaleyra-verify codes | head`) ends the command quietly,
    // as with any Unix tool, instead of a panic on the closed pipe. Rust ignores SIGPIPE.
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    // Logs go to stderr and only when asked for (RUST_LOG); they never carry the API key.
    // Colours only on a terminal: escape codes in a log file are noise.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let out = Out { json: cli.json };

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo => demo::run(out).await,
            Command::Codes => {
                output::codes(out);
                Ok(0)
            }
            Command::Send {
                to,
                email,
                flow_id,
                otp,
            } => {
                let req = GenerateRequest::from_parts(flow_id, Some(to), email, otp);
                commands::send(&cli.conn, out, req).await
            }
            Command::Check { verify_id, otp } => {
                commands::check(&cli.conn, out, &verify_id, &otp).await
            }
            Command::Emulator(options) => commands::emulator(&cli.conn, out, &options),
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            out.error(&failure);
            ExitCode::from(output::exit_code(&failure.err))
        }
    }
}
