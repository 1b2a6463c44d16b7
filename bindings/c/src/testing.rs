//! For users' tests: the local emulator (verify-emulator) started and stopped from C, with
//! its base URL, SID, key and the code it "sent", faults to inject and a clock to advance,
//! so that a C program can test its OTP flow, errors included, without the real service.

use std::ffi::{c_char, CString};
use std::time::Duration;

use verify_emulator::{Emulator, EmulatorConfig, Fault};

use crate::error::{kv_error, KvError};
use crate::ffi::{arg_str, c_string, free_box, handle, opt_str, require_out, write_out};
use crate::generated::kv_status;
use crate::panic::{guard, guard_or};

/// How to start an emulator. Zero-initialise it; NULL options are the defaults.
#[repr(C)]
pub struct kv_emulator_options {
    /// Serve HTTPS with a fresh certificate authority (`kv_emulator_ca_cert_pem`).
    pub tls: bool,
}

/// A running emulator on a free loopback port. Thread-safe: any thread may use it while
/// clients call it. `kv_emulator_free` stops it.
pub struct kv_emulator {
    inner: Emulator,
    base_url: CString,
    sid: CString,
    api_key: CString,
    ca_cert_pem: Option<CString>,
}

/// Starts an emulator (`options` may be NULL) and stores it in `*emulator_out`, owned by
/// the caller, to be stopped and freed with `kv_emulator_free`. Returns once it listens.
#[no_mangle]
pub extern "C" fn kv_emulator_start(
    options: *const kv_emulator_options,
    emulator_out: *mut *mut kv_emulator,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(emulator_out, "emulator_out")?;
        write_out(emulator_out, "emulator_out", std::ptr::null_mut())?;
        let mut config = EmulatorConfig::default();
        // SAFETY: non-NULL options point to the struct, per the header.
        if let Some(o) = unsafe { options.as_ref() } {
            config.tls = o.tls;
        }
        let inner = Emulator::start(config)
            .map_err(|e| KvError::internal(&format!("the emulator could not start: {e}")))?;
        let emulator = kv_emulator {
            base_url: c_string(inner.base_url()),
            sid: c_string(inner.sid()),
            api_key: c_string(inner.api_key()),
            ca_cert_pem: inner.ca_cert_pem().as_deref().map(c_string),
            inner,
        };
        write_out(
            emulator_out,
            "emulator_out",
            Box::into_raw(Box::new(emulator)),
        )
    })
}

fn with(e: *const kv_emulator, f: impl FnOnce(&kv_emulator) -> *const c_char) -> *const c_char {
    // SAFETY: non-NULL emulators come from `kv_emulator_start`, per the header.
    guard_or(std::ptr::null(), || {
        unsafe { e.as_ref() }.map_or(std::ptr::null(), f)
    })
}

/// Its base URL ("http://127.0.0.1:PORT", or "https://localhost:PORT" with TLS), for
/// `kv_client_options.base_url`. Borrowed: valid until `kv_emulator_free(emulator)`.
#[no_mangle]
pub extern "C" fn kv_emulator_base_url(emulator: *const kv_emulator) -> *const c_char {
    with(emulator, |e| e.base_url.as_ptr())
}

/// The SID it accepts. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_emulator_sid(emulator: *const kv_emulator) -> *const c_char {
    with(emulator, |e| e.sid.as_ptr())
}

/// The API key it accepts. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_emulator_api_key(emulator: *const kv_emulator) -> *const c_char {
    with(emulator, |e| e.api_key.as_ptr())
}

/// The PEM certificate to trust (`kv_client_options.ca_cert_pem`) when it serves TLS;
/// NULL otherwise. Borrowed, as above.
#[no_mangle]
pub extern "C" fn kv_emulator_ca_cert_pem(emulator: *const kv_emulator) -> *const c_char {
    with(emulator, |e| {
        e.ca_cert_pem
            .as_ref()
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The code it sent for `verify_id`, stored in `*code_out` as a new string owned by the
/// caller, to be freed with `kv_string_free`. `KV_STATUS_NOT_FOUND` when it sent none.
#[no_mangle]
pub extern "C" fn kv_emulator_last_code(
    emulator: *const kv_emulator,
    verify_id: *const c_char,
    code_out: *mut *mut c_char,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(code_out, "code_out")?;
        write_out(code_out, "code_out", std::ptr::null_mut())?;
        let emulator = handle(emulator, "emulator")?;
        let code = emulator
            .inner
            .last_code(arg_str(verify_id, "verify_id")?)
            .ok_or_else(|| KvError::not_found("the emulator sent no code for this verify_id"))?;
        write_out(code_out, "code_out", c_string(&code).into_raw())
    })
}

/// Queues a fault for its next API requests, as the JSON its `/_emulator/faults` route
/// takes: `{"mode": "status", "status": 503, "count": 2}`, `{"mode": "latency", "ms":
/// 300}`, `{"mode": "close_after"}`, `{"mode": "rate_limit", "retry_after": 2}`...
/// JSON it cannot read gives `KV_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn kv_emulator_inject(
    emulator: *const kv_emulator,
    fault_json: *const c_char,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        let emulator = handle(emulator, "emulator")?;
        let fault: Fault = serde_json::from_str(arg_str(fault_json, "fault_json")?)
            .map_err(|e| KvError::invalid_argument(format!("`fault_json`: {e}")))?;
        emulator.inner.inject(fault);
        Ok(())
    })
}

/// Moves its clock forward by `ms` milliseconds (codes expire, delayed channels fire).
#[no_mangle]
pub extern "C" fn kv_emulator_advance_clock(
    emulator: *const kv_emulator,
    ms: u64,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        handle(emulator, "emulator")?
            .inner
            .advance_clock(Duration::from_millis(ms));
        Ok(())
    })
}

/// Its counters as JSON (`connections_accepted`, `otps_generated`, `deliveries`,
/// `verifications_live`, `requests` by route then HTTP status), stored in `*json_out` as a
/// new string owned by the caller, to be freed with `kv_string_free`.
#[no_mangle]
pub extern "C" fn kv_emulator_stats_json(
    emulator: *const kv_emulator,
    json_out: *mut *mut c_char,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(json_out, "json_out")?;
        write_out(json_out, "json_out", std::ptr::null_mut())?;
        let stats = handle(emulator, "emulator")?.inner.stats();
        let json =
            serde_json::to_string(&stats).map_err(|e| KvError::internal(&format!("stats: {e}")))?;
        write_out(json_out, "json_out", c_string(&json).into_raw())
    })
}

/// The deliveries it made, oldest first, as a JSON array of `{"verify_id", "channel",
/// "recipient", "code", "at"}`: all of them, or those of `verify_id` when it is not NULL.
/// Stored in `*json_out` as a new string owned by the caller (`kv_string_free`).
#[no_mangle]
pub extern "C" fn kv_emulator_outbox_json(
    emulator: *const kv_emulator,
    verify_id: *const c_char,
    json_out: *mut *mut c_char,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(json_out, "json_out")?;
        write_out(json_out, "json_out", std::ptr::null_mut())?;
        let emulator = handle(emulator, "emulator")?;
        let only = opt_str(verify_id, "verify_id")?;
        let mut deliveries = emulator.inner.outbox();
        deliveries.retain(|d| only.is_none_or(|id| d.verify_id == id));
        let json = serde_json::to_string(&deliveries)
            .map_err(|e| KvError::internal(&format!("outbox: {e}")))?;
        write_out(json_out, "json_out", c_string(&json).into_raw())
    })
}

/// Stops the emulator (its thread is joined) and frees it. NULL does nothing. Clients
/// pointed at it then fail with `KV_STATUS_CONNECT`.
#[no_mangle]
pub extern "C" fn kv_emulator_free(emulator: *mut kv_emulator) {
    guard_or((), || free_box(emulator))
}

/// Frees a string this library returned as owned (`kv_emulator_last_code`, `_json`). NULL does
/// nothing.
#[no_mangle]
pub extern "C" fn kv_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: it came from `CString::into_raw` in this library and is freed once.
        guard_or((), || drop(unsafe { CString::from_raw(s) }))
    }
}

/// Panics inside the library, to show that the boundary guard stops it: returns
/// `KV_STATUS_INTERNAL` with an error, and the process goes on. (For the library's own
/// tests and for users who want to see it; the panic message goes to stderr.)
#[no_mangle]
pub extern "C" fn kv_testing_panic(error_out: *mut *mut kv_error) -> kv_status {
    guard(error_out, || panic!("kv_testing_panic: a deliberate panic"))
}
