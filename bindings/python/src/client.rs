//! The synchronous `Client`. Each call runs on the core's shared runtime while this
//! thread waits with the GIL released, waking every few milliseconds to let Python run
//! its signal handlers, so that Ctrl-C interrupts a slow call (and cancels the request)
//! instead of waiting for the timeout.

use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::RwLock;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::config::Options;
use crate::error::{invalid_config, to_py};
use crate::generate::{request, Generated};
use crate::logging;
use crate::surface::{self, runtime, ClientOptions, Error};
use crate::validate::{outcome, Validated};

/// How often a waiting call lets Python check for signals.
const SIGNAL_POLL: Duration = Duration::from_millis(20);

/// The core client, or nothing once closed. Shared by `Client` and `AsyncClient`.
pub struct Slot(RwLock<Option<surface::Client>>);

impl Slot {
    pub fn new(options: ClientOptions) -> Result<Slot, Error> {
        Ok(Slot(RwLock::new(Some(surface::Client::new(options)?))))
    }

    /// A handle to the client (clones share the pool), or the error for a closed one.
    pub fn get(&self) -> Result<surface::Client, Error> {
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        guard
            .clone()
            .ok_or_else(|| invalid_config("the client is closed"))
    }

    pub fn close(&self) {
        self.0.write().unwrap_or_else(|e| e.into_inner()).take();
    }

    pub fn is_closed(&self) -> bool {
        self.0.read().unwrap_or_else(|e| e.into_inner()).is_none()
    }
}

/// Runs the call `make` starts on the shared runtime (started there, the core polls it in
/// place: one task per call) and waits for it without the GIL; a pending signal
/// (KeyboardInterrupt) aborts the request and is raised.
pub fn wait<T, M, F>(py: Python<'_>, make: M) -> PyResult<T>
where
    T: Send + 'static,
    M: FnOnce() -> F + Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    logging::refresh(py);
    let (tx, rx) = sync_channel(1);
    let task = runtime::handle().spawn(async move {
        let _ = tx.send(make().await);
    });
    let mut rx = rx;
    loop {
        let (back, received) = py.detach(move || {
            let r = rx.recv_timeout(SIGNAL_POLL);
            (rx, r)
        });
        rx = back;
        match received {
            Ok(result) => {
                logging::flush(py);
                return result.map_err(|e| to_py(py, e));
            }
            Err(RecvTimeoutError::Timeout) => {
                logging::flush(py);
                if let Err(interrupt) = py.check_signals() {
                    task.abort();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                let lost = Error::Internal("the call's task ended without an answer".into());
                return Err(to_py(py, lost));
            }
        }
    }
}

/// The synchronous Kaleyra Verify client. Safe to share between threads.
#[pyclass(module = "kaleyra_verify", frozen)]
pub struct Client {
    slot: Slot,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        sid=None, api_key=None, *, region=None, base_url=None, timeout=None,
        connect_timeout=None, max_attempts=None, initial_backoff=None, max_backoff=None,
        max_retry_after=None, proxy=None, ca_cert=None, user_agent_suffix=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        sid: Option<String>,
        api_key: Option<String>,
        region: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_attempts: Option<f64>,
        initial_backoff: Option<f64>,
        max_backoff: Option<f64>,
        max_retry_after: Option<f64>,
        proxy: Option<String>,
        ca_cert: Option<String>,
        user_agent_suffix: Option<String>,
    ) -> PyResult<Client> {
        let options = Options {
            sid,
            api_key,
            region,
            base_url,
            timeout,
            connect_timeout,
            max_attempts,
            initial_backoff,
            max_backoff,
            max_retry_after,
            proxy,
            ca_cert,
            user_agent_suffix,
        };
        let slot = Slot::new(options.into_core()).map_err(|e| to_py(py, e))?;
        Ok(Client { slot })
    }

    /// A client from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION, KALEYRA_BASE_URL.
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<Client> {
        let slot = Slot::new(ClientOptions::default().or_env()).map_err(|e| to_py(py, e))?;
        Ok(Client { slot })
    }

    #[pyo3(signature = (mobile=None, *, email=None, flow_id=None, otp=None))]
    fn generate(
        &self,
        py: Python<'_>,
        mobile: Option<String>,
        email: Option<String>,
        flow_id: Option<String>,
        otp: Option<String>,
    ) -> PyResult<Generated> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        let request = request(mobile, email, flow_id, otp);
        wait(py, move || client.generate(request)).map(Generated::from)
    }

    fn validate(&self, py: Python<'_>, verify_id: String, otp: String) -> PyResult<Validated> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        wait(py, move || client.validate(verify_id, otp)).map(Validated::from)
    }

    fn check(&self, py: Python<'_>, verify_id: String, otp: String) -> PyResult<Py<PyAny>> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        let o = wait(py, move || client.check(verify_id, otp))?;
        outcome(py, o)
    }

    /// Releases the connection pool; later calls raise InvalidConfigError. Idempotent.
    fn close(&self) {
        self.slot.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.slot.is_closed()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) {
        self.slot.close();
    }

    fn __repr__(&self) -> &'static str {
        if self.slot.is_closed() {
            "<kaleyra_verify.Client closed>"
        } else {
            "<kaleyra_verify.Client open>"
        }
    }
}
