//! The emulator inside the Python process, for users' tests (`kaleyra_verify.testing`):
//! verify-emulator's `Emulator`, with lists and faults passed as JSON, which the Python
//! module turns into typed objects.

use std::time::Duration;

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::sync::Mutex;

use verify_emulator::{Emulator as Inner, EmulatorConfig, Fault};

/// A running emulator on 127.0.0.1 (any free port), stopped by `close()`.
#[pyclass(module = "kaleyra_verify._native", frozen)]
pub struct Emulator {
    inner: Mutex<Option<Inner>>,
    base_url: String,
    sid: String,
    api_key: String,
    ca_cert_pem: Option<String>,
}

impl Emulator {
    fn with<T>(&self, f: impl FnOnce(&Inner) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(inner) => Ok(f(inner)),
            None => Err(PyRuntimeError::new_err("the emulator is closed")),
        }
    }
}

#[pymethods]
impl Emulator {
    #[new]
    #[pyo3(signature = (*, tls=false))]
    fn new(py: Python<'_>, tls: bool) -> PyResult<Emulator> {
        let config = EmulatorConfig {
            tls,
            ..EmulatorConfig::default()
        };
        let inner = py
            .detach(|| Inner::start(config))
            .map_err(|e| PyOSError::new_err(format!("the emulator could not start: {e}")))?;
        Ok(Emulator {
            base_url: inner.base_url().to_string(),
            sid: inner.sid().to_string(),
            api_key: inner.api_key().to_string(),
            ca_cert_pem: inner.ca_cert_pem(),
            inner: Mutex::new(Some(inner)),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn sid(&self) -> &str {
        &self.sid
    }

    #[getter]
    fn api_key(&self) -> &str {
        &self.api_key
    }

    #[getter]
    fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_cert_pem.as_deref()
    }

    fn last_code(&self, verify_id: &str) -> PyResult<Option<String>> {
        self.with(|e| e.last_code(verify_id))
    }

    /// The deliveries, oldest first, as a JSON array.
    fn outbox_json(&self) -> PyResult<String> {
        let outbox = self.with(|e| e.outbox())?;
        serde_json::to_string(&outbox).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// The counters, as a JSON object.
    fn stats_json(&self) -> PyResult<String> {
        let stats = self.with(|e| e.stats())?;
        serde_json::to_string(&stats).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    fn advance_clock(&self, seconds: f64) -> PyResult<()> {
        let by = Duration::try_from_secs_f64(seconds)
            .map_err(|e| PyValueError::new_err(format!("seconds: {e}")))?;
        self.with(|e| e.advance_clock(by))
    }

    /// Queues a fault given as the JSON the `/_emulator/faults` route takes.
    fn inject_json(&self, fault: &str) -> PyResult<()> {
        let fault: Fault = serde_json::from_str(fault)
            .map_err(|e| PyValueError::new_err(format!("not a fault: {e}")))?;
        self.with(|e| e.inject(fault))
    }

    fn clear_faults(&self) -> PyResult<()> {
        self.with(|e| e.clear_faults())
    }

    /// Stops the server. Idempotent.
    fn close(&self, py: Python<'_>) {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(inner) = inner {
            py.detach(|| inner.shutdown());
        }
    }

    fn __repr__(&self) -> String {
        format!("<kaleyra_verify.testing.Emulator {}>", self.base_url)
    }
}
