//! `verify-emulator`: runs the emulator until interrupted and prints how to reach it.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Parser;
use verify_emulator::{Emulator, EmulatorConfig, DEFAULT_FLOW_ID, DEFAULT_WORKERS};

/// A local Kaleyra Verify service for demos and tests.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// A TOML file of flows (and optionally accounts).
    #[arg(long)]
    flows: Option<PathBuf>,
    /// Serve HTTPS with a generated certificate (its CA is printed).
    #[arg(long)]
    tls: bool,
    /// Runtime worker threads.
    #[arg(long, default_value_t = DEFAULT_WORKERS)]
    workers: usize,
}

fn main() {
    let args = Args::parse();
    let mut config = EmulatorConfig {
        bind: SocketAddr::new(args.host, args.port),
        tls: args.tls,
        ..EmulatorConfig::default()
    };
    if let Some(path) = &args.flows {
        config = match config.with_flows_file(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("verify-emulator: {e}");
                std::process::exit(2);
            }
        };
    }
    let default_flow = config
        .flows
        .iter()
        .find(|f| f.default)
        .map_or(DEFAULT_FLOW_ID.to_owned(), |f| f.id.clone());
    let emu = match Emulator::start_with_workers(config, args.workers) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("verify-emulator: cannot start: {e}");
            std::process::exit(1);
        }
    };
    println!("base_url: {}", emu.base_url());
    println!("sid: {}", emu.sid());
    println!("api_key: {}", emu.api_key());
    println!("default_flow_id: {default_flow}");
    if let Some(pem) = emu.ca_cert_pem() {
        println!("ca_cert:\n{pem}");
    }
    println!("dashboard: {}/", emu.base_url());
    loop {
        std::thread::park();
    }
}
