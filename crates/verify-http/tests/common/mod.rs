//! What every test file shares: an emulator on loopback, a client pointed at it, and
//! the emulator's counters read as the proof of what crossed the wire.
#![allow(dead_code)]

use std::time::Duration;

use verify_emulator::{Emulator, EmulatorConfig};
use verify_http::{Client, ClientBuilder, RetryPolicy};

pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

/// A builder for the emulator, with short backoffs so that retries are quick.
pub fn builder(em: &Emulator) -> ClientBuilder {
    Client::builder()
        .sid(em.sid())
        .api_key(em.api_key())
        .base_url(em.base_url())
        .timeout(Duration::from_secs(10))
        .retry_policy(fast_retries())
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(100))
}

pub fn client(em: &Emulator) -> Client {
    builder(em).build().expect("client builds")
}

/// Requests the emulator counted on an API route ("generate" or "validate"), any status.
pub fn requests(em: &Emulator, route: &str) -> u64 {
    em.stats()
        .requests
        .get(route)
        .map(|by_status| by_status.values().sum())
        .unwrap_or(0)
}

/// Requests on a route answered with `status` (0: connection dropped on purpose).
pub fn answered(em: &Emulator, route: &str, status: u16) -> u64 {
    em.stats()
        .requests
        .get(route)
        .and_then(|by_status| by_status.get(&status).copied())
        .unwrap_or(0)
}

pub const MOBILE: &str = "+12025550123";

/// Generates to [`MOBILE`] and reads the code the emulator delivered, as a phone would.
pub async fn sent(em: &Emulator, client: &Client) -> (verify_http::Generated, String) {
    let sent = client
        .generate(verify_http::GenerateRequest::new(MOBILE))
        .await
        .expect("generate succeeds");
    let code = em.last_code(&sent.verify_id).expect("a code was delivered");
    (sent, code)
}

/// A code of the default flow's shape that is not `code`.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

// The conformance runner (tests/conformance/) and tests/fidelity.rs reach the client only
// through the functions below, with JSON in and JSON out, so that a change of the client's surface
// changes this one place.

/// A client for `em`, configured from a `ClientOptions`-shaped JSON object (numbers in
/// milliseconds; `sid` and `api_key` override the emulator's). Unknown keys panic, so a
/// case never silently runs with a default it did not ask for.
pub fn client_from_options(em: &Emulator, options: &serde_json::Value) -> Client {
    client_at(em.base_url(), em.sid(), em.api_key(), options)
}

/// [`client_from_options`] for any server (a local fake, in the fidelity tests). The
/// case's options go through `ClientOptions` exactly as a binding's would.
pub fn client_at(base_url: &str, sid: &str, api_key: &str, options: &serde_json::Value) -> Client {
    let mut options = verify_http::ClientOptions::from_json(&options.to_string())
        .expect("the case's client options are valid");
    options.sid.get_or_insert_with(|| sid.to_owned());
    options.api_key.get_or_insert_with(|| api_key.to_owned());
    options.base_url = Some(base_url.to_owned());
    Client::new(options).expect("client builds")
}

/// One operation: `"generate"` with `{"mobile", "email", "flow_id", "otp"}` (absent or
/// null = not given), `"validate"` or `"check"` with `{"verify_id", "otp"}`. The success
/// as JSON: generate `{"verify_id", "mobile", "email", "flow_id"}`, validate
/// `{"verify_id", "message", "after_lost_attempt"}`, check `{"outcome"}`.
pub async fn call(
    client: &Client,
    operation: &str,
    input: &serde_json::Value,
) -> Result<serde_json::Value, verify_http::Error> {
    use serde_json::json;
    let text = |key: &str| input.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let (id, otp) = (
        text("verify_id").unwrap_or_default(),
        text("otp").unwrap_or_default(),
    );
    match operation {
        "generate" => {
            let request = verify_http::GenerateRequest::from_parts(
                text("flow_id"),
                text("mobile"),
                text("email"),
                text("otp"),
            );
            let g = client.generate(request).await?;
            Ok(json!(g))
        }
        "validate" => {
            let v = client.validate(id, otp).await?;
            Ok(json!(v))
        }
        "check" => {
            let outcome = client.check(id, otp).await?;
            Ok(json!({ "outcome": outcome.as_str() }))
        }
        other => panic!("unknown operation {other:?}"),
    }
}

/// An error as the plain data every language exposes: verify-core's `ErrorView`.
pub fn error_view(err: &verify_http::Error) -> serde_json::Value {
    serde_json::to_value(err.view()).expect("an ErrorView serialises")
}
