//! Sending an OTP from C: the request struct, `kv_client_generate`, and the opaque
//! `kv_generated` with its accessors.

use std::ffi::{c_char, CString};

use verify_core::{GenerateRequest, Generated};

use crate::client::kv_client;
use crate::error::{kv_error, KvError};
use crate::ffi::{c_ptr, c_string, free_box, handle, opt_string, require_out, write_out};
use crate::generated::kv_status;
use crate::panic::{guard, guard_or};

/// What to send. NULL fields are absent; a missing `mobile` is refused by the library
/// with code E804, as the service would. Read only during the call; the caller owns it.
#[repr(C)]
pub struct kv_generate_request {
    /// One E.164 number, or several separated by commas (required).
    pub mobile: *const c_char,
    /// An address for the flow's email channel.
    pub email: *const c_char,
    /// The flow to use (the account's default when NULL).
    pub flow_id: *const c_char,
    /// A code of your own instead of a generated one.
    pub otp: *const c_char,
}

/// A sent OTP: the verification's id and where it went. Immutable: may be read from
/// several threads at once. Freed once with `kv_generated_free`.
pub struct kv_generated {
    verify_id: CString,
    mobile: Option<CString>,
    email: Option<CString>,
    flow_id: Option<CString>,
}

impl From<Generated> for kv_generated {
    fn from(g: Generated) -> kv_generated {
        let opt = |s: Option<String>| s.as_deref().map(c_string);
        kv_generated {
            verify_id: c_string(&g.verify_id),
            mobile: opt(g.mobile),
            email: opt(g.email),
            flow_id: opt(g.flow_id),
        }
    }
}

/// Sends an OTP. Blocks the calling thread only, until the answer (or the client's
/// timeout). A failure after the request may have reached the service is
/// `KV_STATUS_OUTCOME_UNKNOWN`: an OTP may have been sent, and it is never re-sent.
///
/// On success stores a new `kv_generated` in `*generated_out`, owned by the caller, to be
/// freed with `kv_generated_free`; on failure stores NULL there and the error in
/// `*error_out` (when not NULL). `client` and `request` are borrowed for the call.
#[no_mangle]
pub extern "C" fn kv_client_generate(
    client: *const kv_client,
    request: *const kv_generate_request,
    generated_out: *mut *mut kv_generated,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(generated_out, "generated_out")?;
        write_out(generated_out, "generated_out", std::ptr::null_mut())?;
        let client = handle(client, "client")?;
        let r = handle(request, "request")?;
        let request = GenerateRequest::from_parts(
            opt_string(r.flow_id, "request->flow_id")?,
            opt_string(r.mobile, "request->mobile")?,
            opt_string(r.email, "request->email")?,
            opt_string(r.otp, "request->otp")?,
        );
        let generated = client.inner.generate(request).map_err(KvError::from)?;
        let boxed = Box::into_raw(Box::new(kv_generated::from(generated)));
        write_out(generated_out, "generated_out", boxed)
    })
}

fn with(g: *const kv_generated, f: impl FnOnce(&kv_generated) -> *const c_char) -> *const c_char {
    // SAFETY: non-NULL results come from this library, per the header.
    guard_or(std::ptr::null(), || {
        unsafe { g.as_ref() }.map_or(std::ptr::null(), f)
    })
}

/// The verification's id, for `kv_client_validate`/`kv_client_check`. Borrowed: valid
/// until `kv_generated_free(generated)`. NULL only when `generated` is NULL.
#[no_mangle]
pub extern "C" fn kv_generated_verify_id(generated: *const kv_generated) -> *const c_char {
    with(generated, |g| g.verify_id.as_ptr())
}

/// The number(s) as the service echoed them, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_generated_mobile(generated: *const kv_generated) -> *const c_char {
    with(generated, |g| c_ptr(&g.mobile))
}

/// The email address, when one was given, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_generated_email(generated: *const kv_generated) -> *const c_char {
    with(generated, |g| c_ptr(&g.email))
}

/// The flow that was used, or NULL. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_generated_flow_id(generated: *const kv_generated) -> *const c_char {
    with(generated, |g| c_ptr(&g.flow_id))
}

/// Frees a result of `kv_client_generate`. NULL does nothing.
#[no_mangle]
pub extern "C" fn kv_generated_free(generated: *mut kv_generated) {
    guard_or((), || free_box(generated))
}
