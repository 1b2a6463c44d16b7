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
