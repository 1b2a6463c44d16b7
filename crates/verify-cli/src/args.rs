//! The command line, declared once with clap so that `--help` and parsing never drift.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  kaleyra-verify demo
      The whole product on a local emulator: no account, no network.
  kaleyra-verify codes
      What E911 and the other error codes mean.
  kaleyra-verify emulator --port 8080
      Run the emulator for your own tests (prints its base URL, SID and key).
  KALEYRA_SID=HX... KALEYRA_API_KEY=... kaleyra-verify send --to +12025550123
      Send a code through Kaleyra (region from KALEYRA_REGION, default sg).
  kaleyra-verify --base-url http://127.0.0.1:8080 --sid HXEMULATOR01 \\
      --api-key emulator-api-key check --verify-id ID --otp 123456

Exit codes:
  0   success (for `check`: the code was verified)
  1   `check`: the code was not verified (wrong, expired, used, out of attempts, unknown)
  2   bad command line
  10+ an error: 10 + its kind's number, e.g. 22 outcome_unknown (an OTP may have been
      sent); `kaleyra-verify codes` lists every kind with its exit code";

/// Send and check one-time passwords with Kaleyra Verify, or try it all locally.
#[derive(Debug, Parser)]
#[command(name = "kaleyra-verify", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub conn: Connection,

    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Where `send` and `check` go, and as whom.
#[derive(Debug, Args)]
pub struct Connection {
    /// Account SID (for `emulator`: the SID it accepts).
    #[arg(long, env = "KALEYRA_SID", global = true)]
    pub sid: Option<String>,

    /// API key, never printed (for `emulator`: the key it accepts).
    #[arg(long, env = "KALEYRA_API_KEY", hide_env_values = true, global = true)]
    pub api_key: Option<String>,

    /// Region: sg (default), in, eu, na or ap.
    #[arg(long, env = "KALEYRA_REGION", global = true)]
    pub region: Option<String>,

    /// Any base URL instead of a region (https, or http to loopback), e.g. an emulator's.
    #[arg(long, env = "KALEYRA_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Extra root certificate (PEM file) to trust, e.g. the emulator's with --tls.
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate an OTP and send it.
    Send {
        /// Mobile number(s) in E.164 form, comma-separated for several.
        #[arg(long, value_name = "NUMBERS")]
        to: String,
        /// Email address, for flows with an email channel.
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Flow (verification configuration) id; optional with a default flow.
        #[arg(long, value_name = "F")]
        flow_id: Option<String>,
        /// Send this code instead of a generated one.
        #[arg(long, value_name = "CODE")]
        otp: Option<String>,
    },
    /// Check the code a user entered.
    Check {
        /// The id that `send` printed.
        #[arg(long, value_name = "ID")]
        verify_id: String,
        /// The code the user entered.
        #[arg(long, value_name = "CODE")]
        otp: String,
    },
    /// Run the local emulator until interrupted (its account: --sid and --api-key, else
    /// the flows file's, else HXEMULATOR01 / emulator-api-key).
    Emulator(EmulatorOptions),
    /// Send, receive and validate an OTP on an embedded emulator: no account needed.
    Demo,
    /// List the service's error codes and the SDK's error kinds (with their exit codes).
    Codes,
}

/// The emulator's own settings. Each flag given wins over the flows file, which wins
/// over the defaults.
#[derive(Debug, Args)]
pub struct EmulatorOptions {
    /// Port to listen on, 0 for any free one [default: the file's, else 8080].
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on [default: the file's, else 127.0.0.1].
    #[arg(long)]
    pub host: Option<std::net::IpAddr>,
    /// Flows file (TOML): flows, and optionally accounts, bind, tls and workers.
    #[arg(long, value_name = "FILE")]
    pub flows: Option<PathBuf>,
    /// Serve HTTPS with a generated certificate (its CA is printed) [default: the file's].
    #[arg(long)]
    pub tls: bool,
    /// Runtime worker threads [default: the file's, else 2].
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
}
