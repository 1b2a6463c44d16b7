//! The answers to validate and check. `Validated` is an immutable Python object;
//! `CheckOutcome` is a Python enum made at import from [`check_outcomes`] (the core's
//! `CheckOutcome::ALL`) and handed back through [`register_outcomes`], so that `check`
//! returns its members without a second list here.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::surface::{self, CheckOutcome};

/// The code was right: the verification is complete.
#[pyclass(module = "kaleyra_verify", frozen, get_all, eq, hash, str)]
#[derive(PartialEq, Eq, Hash)]
pub struct Validated {
    verify_id: String,
    message: String,
    after_lost_attempt: bool,
}

impl From<surface::Validated> for Validated {
    fn from(v: surface::Validated) -> Validated {
        Validated {
            verify_id: v.verify_id,
            message: v.message,
            after_lost_attempt: v.after_lost_attempt,
        }
    }
}

impl std::fmt::Display for Validated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Validated(verify_id={}, message={}, after_lost_attempt={})",
            repr_opt(Some(&self.verify_id)),
            repr_opt(Some(&self.message)),
            if self.after_lost_attempt {
                "True"
            } else {
                "False"
            },
        )
    }
}

#[pymethods]
impl Validated {
    #[new]
    #[pyo3(signature = (verify_id, message, after_lost_attempt=false))]
    fn new(verify_id: String, message: String, after_lost_attempt: bool) -> Validated {
        Validated {
            verify_id,
            message,
            after_lost_attempt,
        }
    }

    #[classattr]
    fn __match_args__() -> (&'static str, &'static str, &'static str) {
        ("verify_id", "message", "after_lost_attempt")
    }

    fn __repr__(&self) -> String {
        self.to_string()
    }
}

/// A Python-style repr of an optional string (single quotes, escapes as Rust's Debug).
pub fn repr_opt(s: Option<&str>) -> String {
    match s {
        None => "None".to_string(),
        Some(s) => {
            let dbg = format!("{s:?}");
            let inner = &dbg[1..dbg.len() - 1];
            format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
        }
    }
}

/// The enum's members, indexed by `CheckOutcome::number()`.
static MEMBERS: PyOnceLock<Vec<Option<Py<PyAny>>>> = PyOnceLock::new();

/// `(number, name, description, is_verified)` for every outcome, in the core's order.
#[pyfunction]
pub fn check_outcomes() -> Vec<(u32, &'static str, &'static str, bool)> {
    CheckOutcome::ALL
        .iter()
        .map(|o| (o.number(), o.as_str(), o.description(), o.is_verified()))
        .collect()
}

/// Takes `{name: member}` for every outcome; refuses a table that misses one.
#[pyfunction]
pub fn register_outcomes(py: Python<'_>, members: &Bound<'_, PyDict>) -> PyResult<()> {
    let size = CheckOutcome::ALL
        .iter()
        .map(|o| o.number())
        .max()
        .unwrap_or(0) as usize
        + 1;
    let mut table: Vec<Option<Py<PyAny>>> = (0..size).map(|_| None).collect();
    for o in CheckOutcome::ALL {
        let m = members.get_item(o.as_str())?.ok_or_else(|| {
            PyValueError::new_err(format!("no CheckOutcome member for {:?}", o.as_str()))
        })?;
        table[o.number() as usize] = Some(m.unbind());
    }
    MEMBERS
        .set(py, table)
        .map_err(|_| PyRuntimeError::new_err("the outcomes are already registered"))
}

/// The enum member for an outcome.
pub fn outcome(py: Python<'_>, o: CheckOutcome) -> PyResult<Py<PyAny>> {
    MEMBERS
        .get(py)
        .and_then(|t| t.get(o.number() as usize))
        .and_then(|m| m.as_ref())
        .map(|m| m.clone_ref(py))
        .ok_or_else(|| PyRuntimeError::new_err("kaleyra_verify.CheckOutcome is not registered"))
}
