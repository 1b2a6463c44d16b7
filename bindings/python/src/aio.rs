//! The asyncio `AsyncClient`. A call creates a future on the running loop and spawns the
//! request on the core's shared runtime; when it ends, the Rust task hands the result to
//! the loop with `call_soon_threadsafe`. Cancelling the awaiting task cancels the future,
//! whose done-callback aborts the Rust task (and so the request).

use std::future::Future;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyTuple, PyType};
use pyo3::{intern, wrap_pyfunction};
use tokio::task::AbortHandle;

use crate::client::Slot;
use crate::config::Options;
use crate::error::to_py;
use crate::generate::{request, Generated};
use crate::logging;
use crate::surface::{runtime, ClientOptions, Error};
use crate::validate::{outcome, Validated};

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static COMPLETE: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();

/// Runs on the loop: settles the future unless it was cancelled meanwhile.
#[pyfunction]
fn complete(fut: &Bound<'_, PyAny>, failed: bool, value: Bound<'_, PyAny>) -> PyResult<()> {
    let py = fut.py();
    if fut.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    if failed {
        fut.call_method1(intern!(py, "set_exception"), (value,))?;
    } else {
        fut.call_method1(intern!(py, "set_result"), (value,))?;
    }
    Ok(())
}

/// The future's done-callback: aborts the Rust task when the future was cancelled.
#[pyclass(frozen)]
struct Abort(AbortHandle);

#[pymethods]
impl Abort {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut
            .call_method0(intern!(fut.py(), "cancelled"))?
            .is_truthy()?
        {
            self.0.abort();
        }
        Ok(())
    }
}

/// An asyncio future on the running loop, settled with `fut`'s result turned into Python
/// by `convert` (run with the GIL, on the runtime's thread).
fn spawn<'py, T, M, F, C>(py: Python<'py>, make: M, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    M: FnOnce() -> F + Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    logging::refresh(py);
    let get_loop = GET_RUNNING_LOOP.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
    })?;
    let complete_fn = COMPLETE.get_or_try_init(py, || -> PyResult<Py<PyCFunction>> {
        let m = py.import("kaleyra_verify._native")?;
        Ok(wrap_pyfunction!(complete, &m)?.unbind())
    })?;
    let event_loop = get_loop.bind(py).call0()?;
    let py_fut = event_loop.call_method0(intern!(py, "create_future"))?;
    let (loop_ref, fut_ref, complete_ref) = (
        event_loop.unbind(),
        py_fut.clone().unbind(),
        complete_fn.clone_ref(py),
    );
    let task = runtime::handle().spawn(async move {
        let result = make().await;
        // try_attach: the interpreter may be finalizing; then nobody awaits this future.
        Python::try_attach(move |py| {
            let (failed, value) = match result {
                Ok(v) => match convert(py, v) {
                    Ok(obj) => (false, obj),
                    Err(e) => (true, e.into_value(py).into_any()),
                },
                Err(e) => (true, to_py(py, e).into_value(py).into_any()),
            };
            let args = (complete_ref, fut_ref, failed, value);
            // Fails only when the loop is closed; nobody is waiting then.
            let _ = loop_ref
                .bind(py)
                .call_method1(intern!(py, "call_soon_threadsafe"), args);
        });
    });
    py_fut.call_method1(
        intern!(py, "add_done_callback"),
        (Abort(task.abort_handle()),),
    )?;
    Ok(py_fut)
}

/// The asyncio Kaleyra Verify client: every call returns an awaitable on the running loop.
#[pyclass(module = "kaleyra_verify", frozen)]
pub struct AsyncClient {
    slot: Slot,
}

#[pymethods]
impl AsyncClient {
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
    ) -> PyResult<AsyncClient> {
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
        Ok(AsyncClient { slot })
    }

    /// A client from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION, KALEYRA_BASE_URL.
    #[classmethod]
    fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>) -> PyResult<AsyncClient> {
        let slot = Slot::new(ClientOptions::default().or_env()).map_err(|e| to_py(py, e))?;
        Ok(AsyncClient { slot })
    }

    #[pyo3(signature = (mobile=None, *, email=None, flow_id=None, otp=None))]
    fn generate<'py>(
        &self,
        py: Python<'py>,
        mobile: Option<String>,
        email: Option<String>,
        flow_id: Option<String>,
        otp: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        let request = request(mobile, email, flow_id, otp);
        spawn(
            py,
            move || client.generate(request),
            |py, g| Ok(Py::new(py, Generated::from(g))?.into_any()),
        )
    }

    fn validate<'py>(
        &self,
        py: Python<'py>,
        verify_id: String,
        otp: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        spawn(
            py,
            move || client.validate(verify_id, otp),
            |py, v| Ok(Py::new(py, Validated::from(v))?.into_any()),
        )
    }

    fn check<'py>(
        &self,
        py: Python<'py>,
        verify_id: String,
        otp: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.slot.get().map_err(|e| to_py(py, e))?;
        spawn(py, move || client.check(verify_id, otp), outcome)
    }

    /// Releases the connection pool; later calls raise InvalidConfigError. Idempotent.
    fn close(&self) {
        self.slot.close();
    }

    /// `await client.aclose()`: the same as `close()`, for `contextlib.aclosing`.
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.slot.close();
        ready(py)
    }

    #[getter]
    fn closed(&self) -> bool {
        self.slot.is_closed()
    }

    fn __aenter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
        let py = slf.py();
        let get_loop = py.import("asyncio")?.getattr("get_running_loop")?;
        let fut = get_loop.call0()?.call_method0("create_future")?;
        fut.call_method1("set_result", (slf,))?;
        Ok(fut)
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _args: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.slot.close();
        ready(py)
    }

    fn __repr__(&self) -> &'static str {
        if self.slot.is_closed() {
            "<kaleyra_verify.AsyncClient closed>"
        } else {
            "<kaleyra_verify.AsyncClient open>"
        }
    }
}

/// An already-settled future on the running loop (result None).
fn ready(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let get_loop = py.import("asyncio")?.getattr("get_running_loop")?;
    let fut = get_loop.call0()?.call_method0("create_future")?;
    fut.call_method1("set_result", (py.None(),))?;
    Ok(fut)
}
