//! The client's settings as a C struct, field for field verify-http's `ClientOptions`.
//! NULL means "unset" for every field, numbers included (hence `const double *`), so that
//! the core alone supplies defaults and refuses bad values (NaN, negative, absurd), with
//! `KV_STATUS_INVALID_CONFIG` naming the field.

use std::ffi::c_char;

use verify_http::ClientOptions;

use crate::error::KvError;
use crate::ffi::{opt_f64, opt_string};

/// The settings of a client. Zero-initialise it (`kv_client_options o = {0};`) and set
/// what you need; every NULL field keeps the library's default. The struct and its
/// strings are only read during `kv_client_new`, which copies what it keeps: the caller
/// owns them and may free them as soon as it returns.
///
/// Numbers are milliseconds (or a count) behind a pointer, e.g. in C99
/// `o.timeout_ms = &(double){2000};`.
#[repr(C)]
pub struct kv_client_options {
    /// The account's SID (required).
    pub sid: *const c_char,
    /// The API key (required). Sent only in the `api-key` header; never in any message.
    pub api_key: *const c_char,
    /// "sg", "in", "eu", "na" or "ap" (any case).
    pub region: *const c_char,
    /// A base URL instead of the region's host; https, except for loopback hosts.
    pub base_url: *const c_char,
    /// The longest one call may take, retries included (default 30000).
    pub timeout_ms: *const f64,
    /// The longest a connection may take (default 5000).
    pub connect_timeout_ms: *const f64,
    /// Attempts per call, a whole number >= 1 (default 3); 1 never retries.
    pub max_attempts: *const f64,
    /// The first wait between attempts.
    pub initial_backoff_ms: *const f64,
    /// The longest wait between attempts.
    pub max_backoff_ms: *const f64,
    /// The longest `Retry-After` the client waits for before giving up.
    pub max_retry_after_ms: *const f64,
    /// A proxy URL for every request.
    pub proxy: *const c_char,
    /// Extra root certificate(s) to trust, as PEM text.
    pub ca_cert_pem: *const c_char,
    /// Text appended to the User-Agent.
    pub user_agent_suffix: *const c_char,
}

/// The core's options from the C struct; only string checks happen here.
// Field by field on a default: `ClientOptions` may gain fields (`#[non_exhaustive]`).
#[allow(clippy::field_reassign_with_default)]
pub(crate) fn options_from_c(o: &kv_client_options) -> Result<ClientOptions, KvError> {
    let mut options = ClientOptions::default();
    options.sid = opt_string(o.sid, "options->sid")?;
    options.api_key = opt_string(o.api_key, "options->api_key")?;
    options.region = opt_string(o.region, "options->region")?;
    options.base_url = opt_string(o.base_url, "options->base_url")?;
    options.timeout_ms = opt_f64(o.timeout_ms);
    options.connect_timeout_ms = opt_f64(o.connect_timeout_ms);
    options.max_attempts = opt_f64(o.max_attempts);
    options.initial_backoff_ms = opt_f64(o.initial_backoff_ms);
    options.max_backoff_ms = opt_f64(o.max_backoff_ms);
    options.max_retry_after_ms = opt_f64(o.max_retry_after_ms);
    options.proxy = opt_string(o.proxy, "options->proxy")?;
    options.ca_cert_pem = opt_string(o.ca_cert_pem, "options->ca_cert_pem")?;
    options.user_agent_suffix = opt_string(o.user_agent_suffix, "options->user_agent_suffix")?;
    Ok(options)
}
