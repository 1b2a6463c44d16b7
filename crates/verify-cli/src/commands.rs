//! `send`, `check` and `emulator`: thin shells around verify-http and verify-emulator.
//! Each failure of configuration carries the hint that fits its own cause.

use std::net::SocketAddr;

use verify_core::{Error, GenerateRequest};
use verify_emulator::{Emulator, EmulatorConfig, Overrides, StartError, DEFAULT_API_KEY};
use verify_http::{Client, ClientOptions};

use crate::args::{Connection, EmulatorOptions};
use crate::output::{Failure, Out, EXIT_NOT_VERIFIED};

const HINT_CREDENTIALS: &str =
    "set KALEYRA_SID and KALEYRA_API_KEY (or --sid/--api-key), or try `kaleyra-verify demo`";
const HINT_BASE_URL: &str = "--base-url must be https (or http to a loopback address); \
     --region one of sg, in, eu, na, ap";
const HINT_CA_CERT: &str =
    "--ca-cert must name a readable PEM file (an emulator's is at /_emulator/cert.pem)";
const HINT_PORT: &str =
    "is another program on that port? choose another with --port, or --port 0 for any free one";
const HINT_EMULATOR_CONFIG: &str =
    "check the flows file (see crates/verify-emulator/flows.example.toml) \
     and --workers, --sid and --api-key";

/// The emulator's own port unless the file or `--port` says otherwise.
const EMULATOR_PORT: u16 = 8080;

/// Builds the client from flags and environment (clap has already merged the two).
/// Every value is checked by verify-http's `ClientOptions`, as in every language; the
/// checks made here first only pick the hint that fits the cause.
pub fn client(conn: &Connection) -> Result<Client, Failure> {
    let missing = |what: &str| {
        Failure::from(Error::InvalidConfig(format!("{what} is not set"))).hint(HINT_CREDENTIALS)
    };
    let mut options = ClientOptions::new();
    options.sid = Some(
        conn.sid
            .clone()
            .ok_or_else(|| missing("the SID (--sid or KALEYRA_SID)"))?,
    );
    options.api_key = Some(
        conn.api_key
            .clone()
            .ok_or_else(|| missing("the API key (--api-key or KALEYRA_API_KEY)"))?,
    );
    verify_core::resolve_base_url(conn.region.as_deref(), conn.base_url.as_deref())
        .map_err(|e| Failure::from(e).hint(HINT_BASE_URL))?;
    options.region = conn.region.clone();
    options.base_url = conn.base_url.clone();
    if let Some(path) = &conn.ca_cert {
        let pem = std::fs::read_to_string(path).map_err(|e| {
            Failure::from(Error::InvalidConfig(format!(
                "--ca-cert: cannot read {}: {e}",
                path.display()
            )))
            .hint(HINT_CA_CERT)
        })?;
        options.ca_cert_pem = Some(pem);
    }
    Client::new(options).map_err(|e| {
        let hint = if e.to_string().contains("ca_cert_pem") {
            HINT_CA_CERT
        } else {
            HINT_CREDENTIALS
        };
        Failure::from(e).hint(hint)
    })
}

pub async fn send(conn: &Connection, out: Out, req: GenerateRequest) -> Result<u8, Failure> {
    let generated = client(conn)?.generate(req).await?;
    out.generated(&generated);
    Ok(0)
}

pub async fn check(conn: &Connection, out: Out, verify_id: &str, otp: &str) -> Result<u8, Failure> {
    let outcome = client(conn)?.check(verify_id, otp).await?;
    out.outcome(verify_id, outcome);
    Ok(if outcome.is_verified() {
        0
    } else {
        EXIT_NOT_VERIFIED
    })
}

/// A failure to start the emulator, with the hint for its cause.
pub fn start_failure(e: StartError) -> Failure {
    let hint = match &e {
        StartError::Bind { .. } => Some(HINT_PORT),
        StartError::Config(_) => Some(HINT_EMULATOR_CONFIG),
        _ => None,
    };
    let failure = Failure::from(Error::InvalidConfig(format!(
        "cannot start the emulator: {e}"
    )));
    match hint {
        Some(h) => failure.hint(h),
        None => failure,
    }
}

/// The one merge of the emulator's settings: the defaults (port 8080), then the file,
/// then the flags (and `KALEYRA_SID`/`KALEYRA_API_KEY`, which clap merged into them).
pub fn emulator_config(conn: &Connection, o: &EmulatorOptions) -> Result<EmulatorConfig, Failure> {
    let mut config = EmulatorConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], EMULATOR_PORT)),
        ..EmulatorConfig::default()
    };
    if let Some(path) = &o.flows {
        config = config
            .with_flows_file(path)
            .map_err(|e| start_failure(StartError::Config(e)))?;
    }
    config
        .with_overrides(Overrides {
            host: o.host,
            port: o.port,
            tls: o.tls.then_some(true),
            workers: o.workers,
            sid: conn.sid.clone(),
            api_key: conn.api_key.clone(),
        })
        .map_err(|e| start_failure(StartError::Config(e)))
}

pub fn emulator(conn: &Connection, out: Out, o: &EmulatorOptions) -> Result<u8, Failure> {
    let em = Emulator::start(emulator_config(conn, o)?).map_err(start_failure)?;
    // A key the user gave is theirs to know and is never printed; the built-in one is
    // public and printed so that the next command can be copied.
    let shown_key = (em.api_key() == DEFAULT_API_KEY).then_some(em.api_key());
    if out.json {
        println!(
            "{}",
            serde_json::json!({"base_url": em.base_url(), "sid": em.sid(), "api_key": shown_key,
                               "default_flow_id": em.default_flow_id(),
                               "ca_cert_pem": em.ca_cert_pem()})
        );
    } else {
        println!("Kaleyra Verify emulator listening on {}", em.base_url());
        println!("  SID       {}", em.sid());
        match shown_key {
            Some(key) => println!("  api-key   {key}   (an emulator key, not a secret)"),
            None => println!("  api-key   the one given (not shown)"),
        }
        if let Some(flow) = em.default_flow_id() {
            println!("  flow_id   {flow}   (the default flow)");
        }
        println!("  dashboard {}/", em.base_url());
        if let Some(pem) = em.ca_cert_pem() {
            println!("  CA certificate (trust it with --ca-cert FILE):\n{pem}");
        }
        println!(
            "Try: kaleyra-verify --base-url {} --sid {} --api-key {} send --to +12025550123",
            em.base_url(),
            em.sid(),
            shown_key.unwrap_or("KEY")
        );
        println!("Press Ctrl-C to stop.");
    }
    // Serve until the process is interrupted; the emulator runs on its own thread.
    loop {
        std::thread::park();
    }
}
