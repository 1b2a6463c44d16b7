//! A running emulator that any code can start and stop synchronously: it owns a thread
//! with its own tokio runtime, so it works from plain threads and from inside another
//! runtime (a `#[tokio::test]`) alike.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;
use crate::config::{ConfigError, EmulatorConfig};
use crate::faults::Fault;
use crate::state::Delivery;
use crate::stats::Stats;

/// Why an emulator did not start, so that a front-end can say what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The configuration is inconsistent (no account, a bad flow, zero workers...).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address could not be bound (in use, not local, not permitted).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The TLS certificate could not be generated.
    #[error("cannot generate the TLS certificate: {0}")]
    Tls(std::io::Error),
    /// The runtime or its thread could not be started.
    #[error("cannot start the emulator's runtime: {0}")]
    Runtime(std::io::Error),
}

/// A running emulator. Dropping it stops it and joins its thread. Its `Debug` shows the
/// address and SID, never the API key.
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    app: Arc<App>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .field("sid", &self.sid())
            .field("api_key", &"<redacted>")
            .field("default_flow_id", &self.default_flow_id())
            .finish()
    }
}

impl Emulator {
    /// Checks the configuration, binds, starts serving on a thread of its own with
    /// [`EmulatorConfig::workers`] runtime threads, and returns once listening.
    pub fn start(config: EmulatorConfig) -> Result<Emulator, StartError> {
        config.check()?;
        let bind = |source| StartError::Bind {
            addr: config.bind,
            source,
        };
        let listener = std::net::TcpListener::bind(config.bind).map_err(bind)?;
        listener.set_nonblocking(true).map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let tls = if config.tls {
            Some(crate::tls::generate().map_err(StartError::Tls)?)
        } else {
            None
        };
        let app = Arc::new(App::new(&config, tls.as_ref().map(|t| t.ca_pem.clone())));
        // Built here so that errors surface now; it is dropped on its own thread, since a
        // runtime must not be dropped inside another runtime's context.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.workers.max(1))
            .thread_name("verify-emulator-worker")
            .enable_all()
            .build()
            .map_err(StartError::Runtime)?;
        let (stop, stopped) = watch::channel(false);
        let served = app.clone();
        let thread = std::thread::Builder::new()
            .name("verify-emulator".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => {
                            crate::server::serve(l, served, tls.map(|t| t.acceptor), stopped).await
                        }
                        Err(e) => tracing::error!("verify-emulator cannot listen: {e}"),
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .map_err(StartError::Runtime)?;
        Ok(Emulator {
            addr,
            base_url: base_url(addr, config.tls),
            app,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first account's SID.
    pub fn sid(&self) -> &str {
        &self.app.accounts[0].sid
    }

    /// The first account's API key.
    pub fn api_key(&self) -> &str {
        &self.app.accounts[0].api_key
    }

    /// The CA certificate (PEM) to trust, when serving TLS.
    pub fn ca_cert_pem(&self) -> Option<String> {
        self.app.ca_pem.clone()
    }

    /// The id of the flow used when a request names none (the configuration's default
    /// flow), if there is one.
    pub fn default_flow_id(&self) -> Option<&str> {
        self.app.default_flow_id()
    }

    /// Every delivery still in the outbox, oldest first.
    pub fn outbox(&self) -> Vec<Delivery> {
        self.app.outbox(None)
    }

    /// The deliveries of one verification, oldest first (`GET /_emulator/outbox?verify_id=`).
    pub fn outbox_for(&self, verify_id: &str) -> Vec<Delivery> {
        self.app.outbox(Some(verify_id))
    }

    /// The code of a verification (the one that was sent).
    pub fn last_code(&self, verify_id: &str) -> Option<String> {
        self.app.store.code_of(verify_id).or_else(|| {
            let list = self.app.store.outbox.list(Some(verify_id));
            list.last().map(|d| d.code.clone())
        })
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.app.counters.snapshot(self.app.store.live())
    }

    /// Moves the emulator's clock forward, delivering any delayed channel now due. In
    /// all the clock moves at most [`crate::clock::MAX_OFFSET_MS`] (a thousand years) and
    /// stops there; it never goes backwards.
    pub fn advance_clock(&self, by: Duration) {
        self.app.advance_clock(by);
    }

    /// Queues a fault for the next API requests.
    pub fn inject(&self, fault: Fault) {
        self.app.faults.push(fault);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.app.faults.clear();
    }

    /// Stops serving (open connections get a moment to finish) and joins the thread.
    pub fn shutdown(self) {
        drop(self);
    }
}

/// The URL clients use: loopback for an unspecified address, `localhost` with TLS (the
/// name the certificate carries).
fn base_url(addr: SocketAddr, tls: bool) -> String {
    let port = addr.port();
    match (tls, addr.ip()) {
        (true, _) => format!("https://localhost:{port}"),
        (false, ip) if ip.is_unspecified() => format!("http://127.0.0.1:{port}"),
        (false, std::net::IpAddr::V6(ip)) => format!("http://[{ip}]:{port}"),
        (false, ip) => format!("http://{ip}:{port}"),
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
