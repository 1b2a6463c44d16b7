//! Python's keyword arguments to the core's `ClientOptions`. Python speaks seconds as
//! floats, the contract milliseconds as f64: the one conversion is here. Range checks
//! are the core's (NaN, negative, absurd values are refused there, naming the field).

use crate::surface::ClientOptions;

/// Every keyword `Client(...)` and `AsyncClient(...)` take, as Python passes them.
#[derive(Default)]
pub struct Options {
    pub sid: Option<String>,
    pub api_key: Option<String>,
    pub region: Option<String>,
    pub base_url: Option<String>,
    pub timeout: Option<f64>,
    pub connect_timeout: Option<f64>,
    pub max_attempts: Option<f64>,
    pub initial_backoff: Option<f64>,
    pub max_backoff: Option<f64>,
    pub max_retry_after: Option<f64>,
    pub proxy: Option<String>,
    pub ca_cert: Option<String>,
    pub user_agent_suffix: Option<String>,
}

fn ms(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| s * 1000.0)
}

impl Options {
    pub fn into_core(self) -> ClientOptions {
        ClientOptions {
            sid: self.sid,
            api_key: self.api_key,
            region: self.region,
            base_url: self.base_url,
            timeout_ms: ms(self.timeout),
            connect_timeout_ms: ms(self.connect_timeout),
            max_attempts: self.max_attempts,
            initial_backoff_ms: ms(self.initial_backoff),
            max_backoff_ms: ms(self.max_backoff),
            max_retry_after_ms: ms(self.max_retry_after),
            proxy: self.proxy,
            ca_cert_pem: self.ca_cert,
            user_agent_suffix: self.user_agent_suffix,
        }
    }
}
