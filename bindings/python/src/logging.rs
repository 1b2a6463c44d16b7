//! The client's tracing events, forwarded to Python's `logging` under the
//! `kaleyra_verify` logger. The Python logger's effective level is read at each call
//! (one cached lookup), so a disabled logger costs the request nothing but an atomic
//! load per event site; an enabled one gets one record per event, with the fields of the
//! request's span. Events happen on the runtime's threads, which never take the GIL: they
//! are queued and handed to `logging` by the Python thread that receives the call's
//! result (`flush`). The core never puts the API key in an event; nor does this layer.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// The Python logger's effective level; nothing passes until `logging` is imported.
static LEVEL: AtomicU32 = AtomicU32::new(u32::MAX);
static SYS_MODULES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// Records waiting for a Python thread: (Python level, line).
static RECORDS: Mutex<Vec<(u32, String)>> = Mutex::new(Vec::new());
static PENDING: AtomicBool = AtomicBool::new(false);

fn python_level(level: &Level) -> u32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// The `kaleyra_verify` logger, once the program has imported `logging`. Until then no
/// handler can be configured, so nothing is recorded, and importing this package does not
/// import `logging` (a third of the cold start).
fn logger(py: Python<'_>) -> PyResult<Option<&Py<PyAny>>> {
    if let Some(logger) = LOGGER.get(py) {
        return Ok(Some(logger));
    }
    let modules = SYS_MODULES.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("sys")?.getattr("modules")?.unbind())
    })?;
    let Some(logging) = modules
        .bind(py)
        .call_method1(intern!(py, "get"), (intern!(py, "logging"),))?
        .extract::<Option<Bound<'_, PyAny>>>()?
    else {
        return Ok(None);
    };
    let logger = logging
        .call_method1("getLogger", ("kaleyra_verify",))?
        .unbind();
    Ok(Some(LOGGER.get_or_init(py, || logger)))
}

/// Hands the queued records to the Python logger (on the calling Python thread).
pub fn flush(py: Python<'_>) {
    if !PENDING.swap(false, Ordering::AcqRel) {
        return;
    }
    let records = std::mem::take(&mut *RECORDS.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(logger) = LOGGER.get(py) {
        for (level, line) in records {
            // A failing handler must not fail the request; logging reports it itself.
            let _ = logger
                .bind(py)
                .call_method1(intern!(py, "log"), (level, line));
        }
    }
}

/// Reads the logger's effective level again (called at the start of every request), and
/// forwards any record still queued.
pub fn refresh(py: Python<'_>) {
    flush(py);
    let Ok(Some(logger)) = logger(py) else {
        LEVEL.store(u32::MAX, Ordering::Relaxed);
        return;
    };
    {
        if let Ok(level) = logger
            .bind(py)
            .call_method0(intern!(py, "getEffectiveLevel"))
            .and_then(|l| l.extract::<u32>())
        {
            LEVEL.store(level, Ordering::Relaxed);
        }
    }
}

/// `_native.refresh_log_level()`: the same, for Python code that changed the level.
#[pyfunction]
pub fn refresh_log_level(py: Python<'_>) {
    refresh(py);
}

/// Installs the forwarding layer as the process's tracing subscriber. Another Rust
/// extension may have installed one first; then its subscriber wins and this is a no-op.
pub fn install(py: Python<'_>) -> PyResult<()> {
    refresh(py);
    let _ = tracing_subscriber::registry().with(PyLogLayer).try_init();
    Ok(())
}

struct PyLogLayer;

/// A span's fields, formatted once and kept in its extensions.
struct SpanFields(String);

#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={:?}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={:?}", field.name(), value);
        }
    }
}

fn ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("verify_")
}

impl<S> Layer<S> for PyLogLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        if ours(meta) {
            tracing::subscriber::Interest::sometimes()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        ours(meta) && python_level(meta.level()) >= LEVEL.load(Ordering::Relaxed)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields.rest));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            if let Some(f) = span.extensions_mut().get_mut::<SpanFields>() {
                f.0.push_str(&fields.rest);
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = String::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                let _ = write!(line, "{}{{", span.name());
                if let Some(f) = span.extensions().get::<SpanFields>() {
                    line.push_str(f.0.trim_start());
                }
                line.push_str("}: ");
            }
        }
        line.push_str(&fields.message);
        line.push_str(&fields.rest);
        let level = python_level(event.metadata().level());
        RECORDS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((level, line));
        PENDING.store(true, Ordering::Release);
    }
}
