//! `send`, `check` and `emulator`: thin shells around verify-http and verify-emulator.

use std::path::Path;

use verify_core::{Error, GenerateRequest};
use verify_emulator::{Emulator, EmulatorConfig};
use verify_http::{Client, ClientOptions};

use crate::args::Connection;
use crate::output::{Out, EXIT_NOT_VERIFIED};

/// Builds the client from flags and environment (clap has already merged the two);
/// every value is checked by verify-http's `ClientOptions`, as in every language.
pub fn client(conn: &Connection) -> Result<Client, Error> {
    let mut options = ClientOptions::new();
    options.sid = conn.sid.clone();
    options.api_key = conn.api_key.clone();
    options.region = conn.region.clone();
    options.base_url = conn.base_url.clone();
    if let Some(path) = &conn.ca_cert {
        let pem = std::fs::read_to_string(path).map_err(|e| {
            Error::InvalidConfig(format!("--ca-cert: cannot read {}: {e}", path.display()))
        })?;
        options.ca_cert_pem = Some(pem);
    }
    Client::new(options)
}

pub async fn send(conn: &Connection, out: Out, req: GenerateRequest) -> Result<u8, Error> {
    let generated = client(conn)?.generate(req).await?;
    out.generated(&generated);
    Ok(0)
}

pub async fn check(conn: &Connection, out: Out, verify_id: &str, otp: &str) -> Result<u8, Error> {
    let outcome = client(conn)?.check(verify_id, otp).await?;
    out.outcome(verify_id, outcome);
    Ok(if outcome.is_verified() {
        0
    } else {
        EXIT_NOT_VERIFIED
    })
}

pub fn emulator(
    out: Out,
    host: std::net::IpAddr,
    port: u16,
    flows: Option<&Path>,
    tls: bool,
) -> Result<u8, Error> {
    let mut config = match flows {
        Some(path) => EmulatorConfig::default()
            .with_flows_file(path)
            .map_err(|e| Error::InvalidConfig(format!("flows file {}: {e}", path.display())))?,
        None => EmulatorConfig::default(),
    };
    config.bind = std::net::SocketAddr::new(host, port);
    config.tls = tls;
    let em = Emulator::start(config)
        .map_err(|e| Error::InvalidConfig(format!("cannot start the emulator: {e}")))?;
    if out.json {
        println!(
            "{}",
            serde_json::json!({"base_url": em.base_url(), "sid": em.sid(), "api_key": em.api_key(),
                               "flow_id": verify_emulator::DEFAULT_FLOW_ID})
        );
    } else {
        println!("Kaleyra Verify emulator listening on {}", em.base_url());
        println!("  SID      {}", em.sid());
        println!(
            "  api-key  {}   (an emulator key, not a secret)",
            em.api_key()
        );
        println!("  dashboard {}/", em.base_url());
        println!(
            "Try: kaleyra-verify --base-url {} --sid {} --api-key {} send --to +12025550123",
            em.base_url(),
            em.sid(),
            em.api_key()
        );
        println!("Press Ctrl-C to stop.");
    }
    // Serve until the process is interrupted; the emulator runs on its own thread.
    loop {
        std::thread::park();
    }
}
