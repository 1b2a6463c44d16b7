//! The asyncio `AsyncClient`. A call creates a future on the running loop and spawns the
//! request on the core's shared runtime; when it ends, the Rust task queues the result in
//! the loop's batch and wakes the loop through a pipe, without the GIL (see `Batch`).
//! Cancelling the awaiting task cancels the future, whose done-callback aborts the Rust
//! task (and so the request).

use std::future::Future;

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::intern;
use pyo3::types::{PyTuple, PyType};
use tokio::task::AbortHandle;

use crate::client::Slot;
use crate::config::Options;
use crate::error::to_py;
use crate::generate::{request, Generated};
use crate::logging;
use crate::surface::{runtime, ClientOptions, Error};
use crate::validate::{outcome, Validated};

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// Each loop's `Drain`, for loops that take no attribute (held weakly: gone with the loop).
static DRAINS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
const DRAIN_ATTR: &str = "_kaleyra_verify_drain";

/// Turns a finished call's result into (failed, value) on the loop's thread.
type Settle = Box<dyn FnOnce(Python<'_>) -> (bool, Py<PyAny>) + Send>;

/// One finished call waiting to be settled on its loop: the future, and the conversion
/// of its result (run there, with the GIL the loop thread holds).
struct Done {
    fut: Py<PyAny>,
    settle: Settle,
}

/// The finished calls of one event loop, and the pipe that wakes it. The runtime's thread
/// pushes a call and writes one byte only when no wake-up is pending; the loop reads the
/// pipe (`add_reader`) and settles every call that finished meanwhile. The runtime's
/// threads never take the GIL: no contention with the loop, and nothing left to block on
/// Python's finalization when the program exits.
struct Batch {
    queue: Mutex<Vec<Done>>,
    scheduled: AtomicBool,
    pipe: Pipe,
}

impl Batch {
    fn push(&self, done: Done) {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(done);
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            self.pipe.wake();
        }
    }
}

/// A non-blocking pipe: the runtime writes, the loop reads.
struct Pipe {
    read: libc::c_int,
    write: libc::c_int,
}

impl Pipe {
    fn new() -> std::io::Result<Pipe> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: fds has room for the two descriptors pipe(2) writes.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        for fd in fds {
            // SAFETY: fd was just returned by pipe(2) and is owned here.
            unsafe {
                libc::fcntl(
                    fd,
                    libc::F_SETFL,
                    libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK,
                );
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
        }
        Ok(Pipe {
            read: fds[0],
            write: fds[1],
        })
    }

    fn wake(&self) {
        // A full pipe (EAGAIN) already holds a wake-up; nothing else can fail here.
        // SAFETY: writes one byte from a live buffer to a descriptor this pipe owns.
        unsafe { libc::write(self.write, [1u8].as_ptr().cast(), 1) };
    }

    fn clear(&self) {
        let mut buf = [0u8; 256];
        // SAFETY: reads into a live buffer of the given length from an owned descriptor.
        while unsafe { libc::read(self.read, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // SAFETY: both descriptors are owned by this pipe and closed once.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// The loop's reader callback: settles every finished call, skipping futures cancelled
/// meanwhile, then forwards the log records the calls produced.
#[pyclass(frozen)]
struct Drain(Arc<Batch>);

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        self.0.pipe.clear();
        // Clear the flag before taking the queue: a push after this wakes the loop again.
        self.0.scheduled.store(false, Ordering::Release);
        let items = std::mem::take(&mut *self.0.queue.lock().unwrap_or_else(|e| e.into_inner()));
        logging::flush(py);
        for Done { fut, settle } in items {
            // One future's failure must not strand the others: report it and go on.
            if let Err(e) = settle_one(py, fut.bind(py), settle) {
                e.write_unraisable(py, Some(fut.bind(py)));
            }
        }
        Ok(())
    }
}

fn settle_one(py: Python<'_>, fut: &Bound<'_, PyAny>, settle: Settle) -> PyResult<()> {
    if fut.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(()); // cancelled meanwhile
    }
    let (failed, value) = settle(py);
    let method = if failed {
        intern!(py, "set_exception")
    } else {
        intern!(py, "set_result")
    };
    fut.call_method1(method, (value,))?;
    Ok(())
}

/// The running loop's batch, made (and its pipe registered with `add_reader`) on first use.
fn batch_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Batch>> {
    let attr = intern!(py, DRAIN_ATTR);
    let weak = DRAINS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("weakref")?
            .call_method0("WeakKeyDictionary")?
            .unbind())
    })?;
    let found = match event_loop.getattr(attr) {
        Ok(d) => Some(d),
        Err(_) => weak
            .bind(py)
            .call_method1("get", (event_loop,))?
            .extract::<Option<Bound<'_, PyAny>>>()?,
    };
    if let Some(found) = found {
        if let Ok(drain) = found.cast_into::<Drain>() {
            return Ok(drain.get().0.clone());
        }
    }
    let pipe =
        Pipe::new().map_err(|e| PyOSError::new_err(format!("could not make a pipe: {e}")))?;
    let read = pipe.read;
    let batch = Arc::new(Batch {
        queue: Mutex::new(Vec::new()),
        scheduled: AtomicBool::new(false),
        pipe,
    });
    let drain = Py::new(py, Drain(batch.clone()))?;
    event_loop.call_method1(intern!(py, "add_reader"), (read, drain.clone_ref(py)))?;
    if event_loop.setattr(attr, drain.clone_ref(py)).is_err() {
        weak.bind(py).set_item(event_loop, drain)?;
    }
    Ok(batch)
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

/// An asyncio future on the running loop, settled with the call's result turned into
/// Python by `convert` (run on the loop's thread, when the batch is drained).
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
    let event_loop = get_loop.bind(py).call0()?;
    let batch = batch_for(py, &event_loop)?;
    let py_fut = event_loop.call_method0(intern!(py, "create_future"))?;
    let fut_ref = py_fut.clone().unbind();
    let task = runtime::handle().spawn(async move {
        let result = make().await;
        let settle = Box::new(move |py: Python<'_>| match result {
            Ok(v) => match convert(py, v) {
                Ok(obj) => (false, obj),
                Err(e) => (true, e.into_value(py).into_any()),
            },
            Err(e) => (true, to_py(py, e).into_value(py).into_any()),
        });
        batch.push(Done {
            fut: fut_ref,
            settle,
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
