//! Checking a code from C, as a result or an error: `kv_client_validate` and the opaque
//! `kv_validated`. (`check.rs` has the login handler's form.)

use std::ffi::{c_char, CString};

use verify_core::Validated;

use crate::client::kv_client;
use crate::error::{kv_error, KvError};
use crate::ffi::{arg_str, c_string, free_box, handle, require_out, write_out};
use crate::generated::kv_status;
use crate::panic::{guard, guard_or};

/// An accepted code. Immutable: may be read from several threads at once. Freed once
/// with `kv_validated_free`.
pub struct kv_validated {
    verify_id: CString,
    message: CString,
    after_lost_attempt: bool,
}

/// Checks `otp` against `verify_id`; a wrong, expired or used code is an error
/// (`KV_STATUS_OTP_REJECTED`, code E912/E913/E910/E911), an unknown verification
/// `KV_STATUS_NOT_FOUND`. Blocks the calling thread until the answer.
///
/// On success stores a new `kv_validated` in `*validated_out`, owned by the caller, to be
/// freed with `kv_validated_free`; on failure stores NULL there and the error in
/// `*error_out` (when not NULL). The strings are borrowed for the call.
#[no_mangle]
pub extern "C" fn kv_client_validate(
    client: *const kv_client,
    verify_id: *const c_char,
    otp: *const c_char,
    validated_out: *mut *mut kv_validated,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(validated_out, "validated_out")?;
        write_out(validated_out, "validated_out", std::ptr::null_mut())?;
        let client = handle(client, "client")?;
        let (id, otp) = (arg_str(verify_id, "verify_id")?, arg_str(otp, "otp")?);
        let v: Validated = client.inner.validate(id, otp).map_err(KvError::from)?;
        let boxed = Box::into_raw(Box::new(kv_validated {
            verify_id: c_string(&v.verify_id),
            message: c_string(&v.message),
            after_lost_attempt: v.after_lost_attempt,
        }));
        write_out(validated_out, "validated_out", boxed)
    })
}

/// The verification that is now complete. Borrowed: valid until
/// `kv_validated_free(validated)`. NULL only when `validated` is NULL.
#[no_mangle]
pub extern "C" fn kv_validated_verify_id(validated: *const kv_validated) -> *const c_char {
    // SAFETY: non-NULL results come from this library, per the header.
    guard_or(std::ptr::null(), || {
        unsafe { validated.as_ref() }.map_or(std::ptr::null(), |v| v.verify_id.as_ptr())
    })
}

/// The service's message ("OTP verified successfully."). Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_validated_message(validated: *const kv_validated) -> *const c_char {
    // SAFETY: as above.
    guard_or(std::ptr::null(), || {
        unsafe { validated.as_ref() }.map_or(std::ptr::null(), |v| v.message.as_ptr())
    })
}

/// True when an earlier attempt's answer was lost and the retry found the code already
/// verified (E910): verified, possibly by that lost attempt.
#[no_mangle]
pub extern "C" fn kv_validated_after_lost_attempt(validated: *const kv_validated) -> bool {
    // SAFETY: as above.
    guard_or(false, || {
        unsafe { validated.as_ref() }.is_some_and(|v| v.after_lost_attempt)
    })
}

/// Frees a result of `kv_client_validate`. NULL does nothing.
#[no_mangle]
pub extern "C" fn kv_validated_free(validated: *mut kv_validated) {
    guard_or((), || free_box(validated))
}
