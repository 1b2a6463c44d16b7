//! verify-core's errors as Python exceptions. The classes are made in Python at import
//! from [`error_kinds`] (one per `ErrorKind::ALL` entry, named by `class_name()`) and
//! handed back through [`register_errors`]; this module only fills their attributes
//! from the core's `ErrorView`. No kind or code is spelled here.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::surface::{Error, ErrorKind, CODES};

/// The exception class of each kind, indexed by `ErrorKind::number()`.
static CLASSES: PyOnceLock<Vec<Option<Py<PyType>>>> = PyOnceLock::new();

/// `(number, kind, class name, description)` for every kind, in the core's order.
#[pyfunction]
pub fn error_kinds() -> Vec<(u32, &'static str, &'static str, &'static str)> {
    ErrorKind::ALL
        .iter()
        .map(|k| (k.number(), k.as_str(), k.class_name(), k.description()))
        .collect()
}

/// `(code, meaning, category, parameter or None, HTTP status)` for every code of the table.
#[pyfunction]
pub fn codes() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    u16,
)> {
    CODES
        .iter()
        .map(|c| {
            let parameter = (!c.parameter.is_empty()).then_some(c.parameter);
            (
                c.code,
                c.meaning,
                c.category.as_str(),
                parameter,
                c.http_status,
            )
        })
        .collect()
}

/// Takes `{kind: class}` for every kind; refuses a table that misses one, so a kind added
/// to the core without its class fails at import rather than at the first such error.
#[pyfunction]
pub fn register_errors(py: Python<'_>, classes: &Bound<'_, PyDict>) -> PyResult<()> {
    let size = ErrorKind::ALL.iter().map(|k| k.number()).max().unwrap_or(0) as usize + 1;
    let mut table: Vec<Option<Py<PyType>>> = (0..size).map(|_| None).collect();
    for kind in ErrorKind::ALL {
        let class = classes.get_item(kind.as_str())?.ok_or_else(|| {
            PyValueError::new_err(format!("no exception class for kind {:?}", kind.as_str()))
        })?;
        table[kind.number() as usize] = Some(class.cast_into::<PyType>()?.unbind());
    }
    CLASSES
        .set(py, table)
        .map_err(|_| PyRuntimeError::new_err("the error classes are already registered"))
}

/// The Python exception for a core error, with every field of its view.
pub fn to_py(py: Python<'_>, err: Error) -> PyErr {
    match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let v = err.view();
    let class = CLASSES
        .get(py)
        .and_then(|t| t.get(v.kind.number() as usize))
        .and_then(|c| c.as_ref())
        .ok_or_else(|| PyRuntimeError::new_err(v.message.clone()))?;
    let kw = PyDict::new(py);
    kw.set_item("kind", v.kind.as_str())?;
    kw.set_item("code", v.code)?;
    kw.set_item("parameter", v.parameter)?;
    kw.set_item("status", v.status)?;
    kw.set_item("retry_after", v.retry_after_ms.map(|ms| ms as f64 / 1000.0))?;
    kw.set_item("reference", v.reference)?;
    kw.set_item("error_type", v.error_type)?;
    kw.set_item("service_message", v.service_message)?;
    kw.set_item("body_snippet", v.body_snippet)?;
    kw.set_item("cause_kind", v.cause_kind.map(|k| k.as_str()))?;
    let exc = class.bind(py).call((v.message,), Some(&kw))?;
    Ok(PyErr::from_value(exc))
}

/// A core `invalid_config` error, for the binding's own refusals (a closed client).
pub fn invalid_config(message: &str) -> Error {
    Error::InvalidConfig(message.to_string())
}
