//! The client's options as a JS object (camelCase, numbers as they are), translated field
//! by field into verify-http's `ClientOptions`, which validates every value in one place.

use napi_derive::napi;

/// The core's options (verify-http), which check every value.
pub type CoreOptions = verify_http::ClientOptions;

/// How to reach the service. Every field is optional; numbers are milliseconds.
#[napi(object, js_name = "ClientOptions")]
#[derive(Default)]
pub struct JsClientOptions {
    /// Your account's SID (`KALEYRA_SID` for `fromEnv`).
    pub sid: Option<String>,
    /// Your API key (`KALEYRA_API_KEY`); never printed or logged.
    pub api_key: Option<String>,
    /// Kaleyra's region: `sg`, `in`, `eu`, `na` or `ap` (any case).
    pub region: Option<String>,
    /// Any other base URL (wins over `region`); https except for loopback.
    pub base_url: Option<String>,
    /// The total time a call may take, retries included (default 30000).
    pub timeout_ms: Option<f64>,
    /// The time a connection may take (default 5000).
    pub connect_timeout_ms: Option<f64>,
    /// Attempts per call, a whole number >= 1 (default 3); 1 never retries.
    pub max_attempts: Option<f64>,
    /// The first backoff between attempts.
    pub initial_backoff_ms: Option<f64>,
    /// The longest backoff between attempts.
    pub max_backoff_ms: Option<f64>,
    /// The longest `Retry-After` the client waits for before giving up.
    pub max_retry_after_ms: Option<f64>,
    /// A proxy URL.
    pub proxy: Option<String>,
    /// Extra root certificate(s), PEM text.
    pub ca_cert_pem: Option<String>,
    /// Appended to the User-Agent header.
    pub user_agent_suffix: Option<String>,
}

/// Field by field (the core's struct is `#[non_exhaustive]`, so it starts from `default`).
pub fn to_core(o: JsClientOptions) -> CoreOptions {
    let mut c = CoreOptions::default();
    c.sid = o.sid;
    c.api_key = o.api_key;
    c.region = o.region;
    c.base_url = o.base_url;
    c.timeout_ms = o.timeout_ms;
    c.connect_timeout_ms = o.connect_timeout_ms;
    c.max_attempts = o.max_attempts;
    c.initial_backoff_ms = o.initial_backoff_ms;
    c.max_backoff_ms = o.max_backoff_ms;
    c.max_retry_after_ms = o.max_retry_after_ms;
    c.proxy = o.proxy;
    c.ca_cert_pem = o.ca_cert_pem;
    c.user_agent_suffix = o.user_agent_suffix;
    c
}

/// Refuses option names the core does not know: each JS key, turned into the core's
/// snake_case name mechanically, is read as a core option; the error names the key as the
/// caller spelt it.
pub fn check_keys(keys: Vec<String>) -> Result<(), verify_http::Error> {
    for key in keys {
        let json = serde_json::json!({ snake_case(&key): null }).to_string();
        if CoreOptions::from_json(&json).is_err() {
            return Err(verify_http::Error::InvalidConfig(format!(
                "unknown option `{key}`"
            )));
        }
    }
    Ok(())
}

fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
