//! The boundary guard: a panic must never unwind into C (it would abort the process, or
//! worse), so every entry point runs inside one of these and turns a panic into
//! `KV_STATUS_INTERNAL` or a harmless default.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{kv_error, set_error, KvError};
use crate::generated::kv_status;

/// Runs a fallible entry point: its error goes to `error_out`, a panic becomes
/// `KV_STATUS_INTERNAL`.
pub(crate) fn guard<F>(error_out: *mut *mut kv_error, f: F) -> kv_status
where
    F: FnOnce() -> Result<(), KvError>,
{
    if !error_out.is_null() {
        // SAFETY: non-NULL, and the header requires it to point to a writable pointer.
        unsafe { *error_out = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(KvError::panicked()));
    match outcome {
        Ok(()) => kv_status::Ok,
        Err(e) => {
            let status = e.kind();
            set_error(error_out, e);
            status
        }
    }
}

/// Runs an infallible entry point (an accessor, a `_free`): a panic gives `default`.
pub(crate) fn guard_or<T, F: FnOnce() -> T>(default: T, f: F) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}
