//! Each fault mode over real connections, through the Rust API and the HTTP endpoint.

mod common;

use std::time::{Duration, Instant};

use common::{code, Harness};
use serde_json::{json, Value};
use verify_emulator::Fault;

fn gen_body() -> Value {
    json!({"to": {"mobile": "+12025550123"}})
}

fn send(h: &Harness) -> reqwest::Result<reqwest::blocking::Response> {
    h.client
        .post(h.url(&format!("/v1/{}/verify", h.emu.sid())))
        .header("api-key", h.emu.api_key())
        .json(&gen_body())
        .send()
}

#[test]
fn latency() {
    let h = Harness::new();
    h.emu.inject(Fault::latency(Duration::from_millis(300)));
    let t = Instant::now();
    assert_eq!(send(&h).unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    assert_eq!(send(&h).unwrap().status(), 200);
    assert!(t.elapsed() < Duration::from_millis(300));
}

#[test]
fn next_n_requests_get_a_status() {
    let h = Harness::new();
    // Through the HTTP endpoint.
    let r: Value = h
        .client
        .post(h.url("/_emulator/faults"))
        .json(&json!({"mode": "status", "status": 503, "count": 2}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["faults"][0]["count"], 2);
    // Control routes are not affected.
    assert_eq!(
        h.client
            .get(h.url("/_emulator/stats"))
            .send()
            .unwrap()
            .status(),
        200
    );
    for _ in 0..2 {
        let r = send(&h).unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(code(&r.json().unwrap()), "E500");
    }
    assert_eq!(send(&h).unwrap().status(), 200);
    assert_eq!(h.emu.stats().otps_generated, 1);
}

#[test]
fn clearing_faults() {
    let h = Harness::new();
    h.emu.inject(Fault::status(500).times(5));
    let r: Value = h
        .client
        .delete(h.url("/_emulator/faults"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r, json!({"faults": []}));
    assert_eq!(send(&h).unwrap().status(), 200);
    h.emu.inject(Fault::status(500).times(5));
    h.emu.clear_faults();
    assert_eq!(send(&h).unwrap().status(), 200);
}

#[test]
fn rate_limit_with_retry_after() {
    let h = Harness::new();
    h.emu.inject(Fault::rate_limit(7));
    let r = send(&h).unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    assert_eq!(code(&r.json().unwrap()), "E429");
    assert_eq!(h.emu.stats().otps_generated, 0);
}

#[test]
fn close_before_changes_nothing() {
    let h = Harness::new();
    h.emu.inject(Fault::close_before());
    let err = send(&h).unwrap_err();
    assert!(!err.is_status(), "{err}");
    let stats = h.emu.stats();
    assert_eq!(stats.otps_generated, 0);
    assert!(h.emu.outbox().is_empty());
    assert_eq!(stats.requests["generate"][&0], 1);
    // The next request is served normally (on a new connection).
    assert_eq!(send(&h).unwrap().status(), 200);
}

#[test]
fn close_after_changes_state() {
    let h = Harness::new();
    h.client
        .post(h.url("/_emulator/faults"))
        .json(&json!({"mode": "close_after"}))
        .send()
        .unwrap();
    assert!(send(&h).is_err());
    assert_eq!(h.emu.stats().otps_generated, 1);
    assert_eq!(h.emu.outbox().len(), 1);
}

#[test]
fn malformed_body() {
    let h = Harness::new();
    h.emu.inject(Fault::malformed());
    let r = send(&h).unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(h.emu.stats().otps_generated, 1);
}

#[test]
fn truncated_body() {
    let h = Harness::new();
    h.emu.inject(Fault::truncated());
    let r = send(&h).unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().unwrap();
    assert!(text.starts_with(r#"{"data":"#), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}
