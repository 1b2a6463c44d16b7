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
        // ClientOptions is non_exhaustive: start from the default and set every field.
        let mut o = ClientOptions::default();
        o.sid = self.sid;
        o.api_key = self.api_key;
        o.region = self.region;
        o.base_url = self.base_url;
        o.timeout_ms = ms(self.timeout);
        o.connect_timeout_ms = ms(self.connect_timeout);
        o.max_attempts = self.max_attempts;
        o.initial_backoff_ms = ms(self.initial_backoff);
        o.max_backoff_ms = ms(self.max_backoff);
        o.max_retry_after_ms = ms(self.max_retry_after);
        o.proxy = self.proxy;
        o.ca_cert_pem = self.ca_cert;
        o.user_agent_suffix = self.user_agent_suffix;
        o
    }
}
