//! Crossing the boundary: C strings in (NULL, length and UTF-8 checked), C strings out
//! (kept inside the objects that return them), and the out-parameters.

use std::ffi::{c_char, CString};

use crate::error::KvError;

/// The longest string accepted from C, in bytes: far above any real SID, key, number or
/// certificate bundle, so that a missing terminator or a garbage pointer is refused
/// instead of read for gigabytes.
pub const KV_MAX_STRING_LEN: usize = 1 << 20;

/// A required string argument.
pub(crate) fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, KvError> {
    opt_str(p, name)?.ok_or_else(|| KvError::invalid_argument(format!("`{name}` is NULL")))
}

/// An optional string (NULL = unset).
pub(crate) fn opt_str<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, KvError> {
    if p.is_null() {
        return Ok(None);
    }
    let mut len = 0usize;
    // SAFETY: the caller passes a NUL-terminated string; the scan stops at the limit.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
        if len > KV_MAX_STRING_LEN {
            return Err(KvError::invalid_argument(format!(
                "`{name}` is longer than KV_MAX_STRING_LEN ({KV_MAX_STRING_LEN} bytes) or not NUL-terminated"
            )));
        }
    }
    // SAFETY: `len` bytes were just read from `p`.
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        KvError::invalid_argument(format!(
            "`{name}` is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })
}

/// An optional owned string, as the core's option and request structs take them.
pub(crate) fn opt_string(p: *const c_char, name: &str) -> Result<Option<String>, KvError> {
    Ok(opt_str(p, name)?.map(str::to_owned))
}

/// An optional number behind a pointer (NULL = unset).
pub(crate) fn opt_f64(p: *const f64) -> Option<f64> {
    // SAFETY: non-NULL pointers point to a double, per the header.
    (!p.is_null()).then(|| unsafe { *p })
}

/// A string for C. A NUL inside (which C cannot represent) becomes U+FFFD.
pub(crate) fn c_string(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).expect("no NUL is left"))
}

/// The pointer to hand out for an optional string: NULL when absent.
pub(crate) fn c_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Stores `value` through a required out-parameter.
pub(crate) fn write_out<T>(out: *mut T, name: &str, value: T) -> Result<(), KvError> {
    if out.is_null() {
        return Err(KvError::invalid_argument(format!("`{name}` is NULL")));
    }
    // SAFETY: non-NULL, and the header requires it to be writable.
    unsafe { out.write(value) };
    Ok(())
}

/// Fails early when a required out-parameter is NULL, before any work is done.
pub(crate) fn require_out<T>(out: *mut T, name: &str) -> Result<(), KvError> {
    if out.is_null() {
        return Err(KvError::invalid_argument(format!("`{name}` is NULL")));
    }
    Ok(())
}

/// Borrows the object behind a handle.
pub(crate) fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T, KvError> {
    // SAFETY: non-NULL handles come from this library's `_new` functions, per the header.
    unsafe { p.as_ref() }.ok_or_else(|| KvError::invalid_argument(format!("`{name}` is NULL")))
}

/// Frees a boxed handle (NULL does nothing).
pub(crate) fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: it came from `Box::into_raw` in this library and is freed once.
        drop(unsafe { Box::from_raw(p) });
    }
}
