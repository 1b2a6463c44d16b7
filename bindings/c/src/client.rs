//! The client handle: verify-http's `BlockingClient` behind an opaque pointer, made from
//! the options struct or from the environment.

use std::ffi::c_char;

use verify_http::{BlockingClient, ClientOptions};

use crate::config::{kv_client_options, options_from_c};
use crate::error::{kv_error, KvError};
use crate::ffi::{arg_str, free_box, handle, require_out, write_out};
use crate::generated::kv_status;
use crate::panic::{guard, guard_or};

/// A Kaleyra Verify client: a connection pool and the settings it was made with.
///
/// Thread-safe: one client may be shared by any number of threads, which may call
/// `kv_client_generate`, `kv_client_validate` and `kv_client_check` on it at the same time
/// (they share its pool). Free it once, with `kv_client_free`, after every call on it has
/// returned. Safe to use in a child after `fork()`.
pub struct kv_client {
    pub(crate) inner: BlockingClient,
}

/// Makes a client from `options` (read only during the call; the caller keeps ownership).
///
/// On success stores a new client in `*client_out`, owned by the caller, to be freed with
/// `kv_client_free`. On failure stores NULL there, and the error (e.g.
/// `KV_STATUS_INVALID_CONFIG` naming the field) in `*error_out` when it is not NULL.
#[no_mangle]
pub extern "C" fn kv_client_new(
    options: *const kv_client_options,
    client_out: *mut *mut kv_client,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(client_out, "client_out")?;
        write_out(client_out, "client_out", std::ptr::null_mut())?;
        let options = options_from_c(handle(options, "options")?)?;
        let inner = BlockingClient::new(options).map_err(KvError::from)?;
        write_out(
            client_out,
            "client_out",
            Box::into_raw(Box::new(kv_client { inner })),
        )
    })
}

/// Makes a client from verify-http's `ClientOptions` as JSON (the same keys as
/// `kv_client_options`, numbers in milliseconds; unknown keys are refused), e.g. read from
/// a configuration file. Ownership and errors as for `kv_client_new`.
#[no_mangle]
pub extern "C" fn kv_client_new_json(
    options_json: *const c_char,
    client_out: *mut *mut kv_client,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(client_out, "client_out")?;
        write_out(client_out, "client_out", std::ptr::null_mut())?;
        let json = arg_str(options_json, "options_json")?;
        let options = ClientOptions::from_json(json).map_err(KvError::from)?;
        let inner = BlockingClient::new(options).map_err(KvError::from)?;
        write_out(
            client_out,
            "client_out",
            Box::into_raw(Box::new(kv_client { inner })),
        )
    })
}

/// Makes a client from the environment: KALEYRA_SID, KALEYRA_API_KEY, and optionally
/// KALEYRA_REGION or KALEYRA_BASE_URL. Ownership and errors as for `kv_client_new`.
#[no_mangle]
pub extern "C" fn kv_client_new_from_env(
    client_out: *mut *mut kv_client,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(client_out, "client_out")?;
        write_out(client_out, "client_out", std::ptr::null_mut())?;
        let inner = BlockingClient::from_env().map_err(KvError::from)?;
        write_out(
            client_out,
            "client_out",
            Box::into_raw(Box::new(kv_client { inner })),
        )
    })
}

/// Frees a client made by `kv_client_new` or `kv_client_new_from_env`. NULL does nothing.
/// No call on it may be running, and it may not be used afterwards.
#[no_mangle]
pub extern "C" fn kv_client_free(client: *mut kv_client) {
    guard_or((), || free_box(client))
}
