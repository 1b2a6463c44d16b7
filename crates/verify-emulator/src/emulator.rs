//! A running emulator that any code can start and stop synchronously: it owns a thread
//! with its own tokio runtime, so it works from plain threads and from inside another
//! runtime (a `#[tokio::test]`) alike.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;
use crate::config::EmulatorConfig;
use crate::faults::Fault;
use crate::state::Delivery;
use crate::stats::Stats;

/// Worker threads of the emulator's runtime unless told otherwise.
pub const DEFAULT_WORKERS: usize = 2;

/// A running emulator. Dropping it stops it and joins its thread.
pub struct Emulator {
    addr: SocketAddr,
    app: Arc<App>,
    tls: bool,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds, starts serving on a thread of its own, and returns once listening.
    pub fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        Emulator::start_with_workers(config, DEFAULT_WORKERS)
    }

    /// Like [`Emulator::start`], with `workers` runtime threads (at least 1).
    pub fn start_with_workers(config: EmulatorConfig, workers: usize) -> io::Result<Emulator> {
        config
            .check()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let listener = std::net::TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let tls = if config.tls {
            Some(crate::tls::generate()?)
        } else {
            None
        };
        let app = Arc::new(App::new(&config, tls.as_ref().map(|t| t.ca_pem.clone())));
        // Built here so that errors surface now; it is dropped on its own thread, since a
        // runtime must not be dropped inside another runtime's context.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .thread_name("verify-emulator-worker")
            .enable_all()
            .build()?;
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
            })?;
        Ok(Emulator {
            addr,
            app,
            tls: config.tls,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn base_url(&self) -> String {
        let port = self.addr.port();
        match (self.tls, self.addr.ip()) {
            (true, _) => format!("https://localhost:{port}"),
            (false, ip) if ip.is_unspecified() => format!("http://127.0.0.1:{port}"),
            (false, std::net::IpAddr::V6(ip)) => format!("http://[{ip}]:{port}"),
            (false, ip) => format!("http://{ip}:{port}"),
        }
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

    /// Every delivery still in the outbox, oldest first.
    pub fn outbox(&self) -> Vec<Delivery> {
        self.app.outbox(None)
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
