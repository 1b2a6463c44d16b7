//! The one translation of verify-core's `Error` into C: an opaque `kv_error` holding the
//! core's `ErrorView` as C strings, with an accessor per field. The message is the core's
//! `Display`, which never contains the API key; the binding adds only its own two cases
//! (an invalid argument, a caught panic), which name arguments, never their values.

use std::ffi::{c_char, CString};

use verify_core::Error;

use crate::codes::code_id;
use crate::ffi::{c_ptr, c_string, free_box};
use crate::generated::{kv_code, kv_status};
use crate::panic::guard_or;

/// An error: its kind, the sentence to show, and what the service said.
///
/// Immutable: it may be read from several threads at once, and is freed once with
/// `kv_error_free`.
pub struct kv_error {
    inner: KvError,
}

/// An error on its way to C: boxed, since it travels in every `Result` of the binding.
pub(crate) struct KvError(Box<Fields>);

/// The error's fields, ready for C.
pub(crate) struct Fields {
    pub(crate) kind: kv_status,
    message: CString,
    code: Option<CString>,
    code_id: kv_code,
    error_type: Option<CString>,
    parameter: Option<CString>,
    service_message: Option<CString>,
    reference: Option<CString>,
    body_snippet: Option<CString>,
    status: Option<u16>,
    retry_after_ms: Option<u64>,
    cause_kind: Option<kv_status>,
    retryable: bool,
}

impl KvError {
    /// Its status.
    pub(crate) fn kind(&self) -> kv_status {
        self.0.kind
    }

    fn bare(kind: kv_status, message: &str) -> KvError {
        KvError(Box::new(Fields {
            kind,
            message: c_string(message),
            code: None,
            code_id: kv_code::Other,
            error_type: None,
            parameter: None,
            service_message: None,
            reference: None,
            body_snippet: None,
            status: None,
            retry_after_ms: None,
            cause_kind: None,
            retryable: false,
        }))
    }

    /// The C caller broke the calling convention (a NULL, bad UTF-8, a string too long).
    pub(crate) fn invalid_argument(message: String) -> KvError {
        KvError::bare(kv_status::InvalidArgument, &message)
    }

    /// A panic stopped at the boundary. The payload is not copied: it could hold anything.
    pub(crate) fn panicked() -> KvError {
        KvError::bare(
            kv_status::Internal,
            "internal error: a panic was stopped at the C boundary (details on stderr)",
        )
    }

    /// A value newer than this library's generated tables (the drift test catches it first).
    pub(crate) fn internal(message: &str) -> KvError {
        KvError::bare(kv_status::Internal, message)
    }

    /// Not-found for the binding's own lookups (the emulator's last code).
    pub(crate) fn not_found(message: &str) -> KvError {
        KvError::bare(kv_status::NotFound, message)
    }
}

impl From<Error> for KvError {
    fn from(err: Error) -> KvError {
        let retryable = err.is_retryable();
        let v = err.view();
        let opt = |s: Option<String>| s.as_deref().map(c_string);
        KvError(Box::new(Fields {
            kind: kv_status::of_kind(v.kind.number()),
            message: c_string(&v.message),
            code_id: v.code.as_deref().map_or(kv_code::Other, code_id),
            code: opt(v.code),
            error_type: opt(v.error_type),
            parameter: opt(v.parameter),
            service_message: opt(v.service_message),
            reference: opt(v.reference),
            body_snippet: opt(v.body_snippet),
            status: v.status,
            retry_after_ms: v.retry_after_ms,
            cause_kind: v.cause_kind.map(|k| kv_status::of_kind(k.number())),
            retryable,
        }))
    }
}

impl kv_status {
    /// The status of a core kind; a kind newer than the generated header reads as internal
    /// (the drift test fails first).
    pub(crate) fn of_kind(number: u32) -> kv_status {
        kv_status::from_number(number).unwrap_or(kv_status::Internal)
    }
}

/// Hands an error to C through `error_out` (dropped when it is NULL).
pub(crate) fn set_error(error_out: *mut *mut kv_error, inner: KvError) {
    if !error_out.is_null() {
        // SAFETY: non-NULL, and the header requires it to be writable.
        unsafe { *error_out = Box::into_raw(Box::new(kv_error { inner })) };
    }
}

fn with<T: Copy>(error: *const kv_error, default: T, f: impl FnOnce(&Fields) -> T) -> T {
    guard_or(default, || {
        // SAFETY: non-NULL errors come from this library, per the header.
        match unsafe { error.as_ref() } {
            Some(e) => f(&e.inner.0),
            None => default,
        }
    })
}

/// The error's kind: a `KV_STATUS_*` value, the same the call returned.
/// `KV_STATUS_INVALID_ARGUMENT` when `error` is NULL.
#[no_mangle]
pub extern "C" fn kv_error_kind(error: *const kv_error) -> kv_status {
    with(error, kv_status::InvalidArgument, |e| e.kind)
}

/// The whole sentence to show or log (never contains the API key). Borrowed: valid until
/// `kv_error_free(error)`. Never NULL unless `error` is NULL.
#[no_mangle]
pub extern "C" fn kv_error_message(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| e.message.as_ptr())
}

/// The service's code (such as E912), an unknown code as sent, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_error_code(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.code))
}

/// The code as a `KV_CODE_*` value (E912 = `KV_CODE_E912` = 912), for a `switch`;
/// `KV_CODE_OTHER` (0) when there is no code or this version does not know it.
#[no_mangle]
pub extern "C" fn kv_error_code_id(error: *const kv_error) -> kv_code {
    with(error, kv_code::Other, |e| e.code_id)
}

/// The envelope's `type`, as sent, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_error_type(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.error_type))
}

/// The request parameter the error names ("mobile"), or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_error_parameter(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.parameter))
}

/// The envelope's `message`, as the service sent it, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_error_service_message(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.service_message))
}

/// The envelope's `reference`, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_error_reference(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.reference))
}

/// The first bytes of an answer that was not the service's envelope, or NULL. Borrowed.
#[no_mangle]
pub extern "C" fn kv_error_body_snippet(error: *const kv_error) -> *const c_char {
    with(error, std::ptr::null(), |e| c_ptr(&e.body_snippet))
}

/// The HTTP status of the answer, or 0 when no answer was read (or `error` is NULL).
#[no_mangle]
pub extern "C" fn kv_error_http_status(error: *const kv_error) -> u16 {
    with(error, 0, |e| e.status.unwrap_or(0))
}

/// True, with the service's `Retry-After` in milliseconds stored in `*ms_out` (when not
/// NULL), if the answer carried one; false otherwise.
#[no_mangle]
pub extern "C" fn kv_error_retry_after_ms(error: *const kv_error, ms_out: *mut u64) -> bool {
    with(error, false, |e| match e.retry_after_ms {
        Some(ms) => {
            if !ms_out.is_null() {
                // SAFETY: non-NULL, and the header requires it to be writable.
                unsafe { ms_out.write(ms) };
            }
            true
        }
        None => false,
    })
}

/// For `KV_STATUS_OUTCOME_UNKNOWN`: the kind of what happened (a timeout, a dropped
/// connection...). `KV_STATUS_OK` for every other error.
#[no_mangle]
pub extern "C" fn kv_error_cause_kind(error: *const kv_error) -> kv_status {
    with(error, kv_status::Ok, |e| {
        e.cause_kind.unwrap_or(kv_status::Ok)
    })
}

/// True when the same call may succeed if made again later (verify-core decides).
#[no_mangle]
pub extern "C" fn kv_error_is_retryable(error: *const kv_error) -> bool {
    with(error, false, |e| e.retryable)
}

/// Frees an error returned through an `error_out` parameter. NULL does nothing.
#[no_mangle]
pub extern "C" fn kv_error_free(error: *mut kv_error) {
    guard_or((), || free_box(error))
}
