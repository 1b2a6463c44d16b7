//! Requests a hostile or careless peer sends, over loopback: bodies that are not JSON
//! objects, out-of-range clock advances, cross-site and rebinding attempts on the control
//! routes. Each must get the envelope with the right code, never a panic or a dropped
//! connection, and must change nothing.

mod common;

use common::{code, Harness};
use serde_json::Value;

/// POSTs raw text as JSON to a route of the account; returns (status, body).
fn post_raw(h: &Harness, route: &str, body: &str) -> (u16, Value) {
    let r = h
        .client
        .post(h.url(&format!("/v1/{}/{route}", h.emu.sid())))
        .header("api-key", h.emu.api_key())
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .expect("answered");
    (r.status().as_u16(), r.json().expect("the envelope"))
}

#[test]
fn a_body_must_be_a_json_object() {
    let h = Harness::new();
    for (route, body) in [
        ("verify", r#"[null, {"mobile": "+12025550123"}]"#),
        ("verify", "[]"),
        ("verify", r#""+12025550123""#),
        ("verify", "12025550123"),
        ("verify", "null"),
        ("verify/validate", r#"["abc", "123456"]"#),
        ("verify/validate", r#""abc""#),
        ("verify/validate", "123456"),
        ("verify/validate", "true"),
    ] {
        let (status, b) = post_raw(&h, route, body);
        assert_eq!((status, code(&b)), (400, "E400"), "{route} {body}: {b}");
    }
    assert_eq!(h.emu.stats().otps_generated, 0);
    assert!(h.emu.outbox().is_empty());
    // An object with whitespace before it is still an object.
    let (status, b) = post_raw(
        &h,
        "verify",
        " \r\n\t{\"to\": {\"mobile\": \"+12025550123\"}}",
    );
    assert_eq!(status, 200, "{b}");
}

fn advance(h: &Harness, body: &str) -> (u16, Value) {
    let r = h
        .client
        .post(h.url("/_emulator/clock/advance"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .expect("answered, not dropped");
    (r.status().as_u16(), r.json().expect("JSON"))
}

#[test]
fn clock_advances_out_of_range_are_refused_and_time_never_goes_back() {
    let h = Harness::new();
    let before = h.get_json("/_emulator/clock");
    for body in [
        r#"{"seconds": 1e300}"#,
        r#"{"seconds": 1e17}"#,
        r#"{"seconds": 1e400}"#,
        r#"{"seconds": -1}"#,
        r#"{"seconds": -1e-9}"#,
        r#"{"seconds": "NaN"}"#,
        r#"{"seconds": NaN}"#,
        r#"{"seconds": Infinity}"#,
        r#"{"seconds": null}"#,
        r#"[5]"#,
        r#"{}"#,
    ] {
        let (status, b) = advance(&h, body);
        assert_eq!((status, code(&b)), (400, "E400"), "{body}: {b}");
    }
    let after = h.get_json("/_emulator/clock");
    assert_eq!(after["offset_ms"], 0, "a refused advance moved the clock");
    assert!(after["now_ms"].as_u64() >= before["now_ms"].as_u64());

    // Large advances that are allowed, one after another, up to the limit: each answer's
    // now_ms is later than the one before, and the step past the limit is refused.
    let year = 365.0 * 24.0 * 3600.0;
    let mut last = after["now_ms"].as_u64().unwrap();
    for _ in 0..10 {
        let (status, b) = advance(&h, &format!(r#"{{"seconds": {}}}"#, 100.0 * year));
        assert_eq!(status, 200, "{b}");
        let now = b["now_ms"].as_u64().unwrap();
        assert!(now > last, "time went backwards: {now} after {last}");
        last = now;
    }
    let (status, b) = advance(&h, &format!(r#"{{"seconds": {year}}}"#));
    assert_eq!((status, code(&b)), (400, "E400"), "{b}");
    // The Rust handle stops at the limit instead of wrapping.
    h.emu.advance_clock(std::time::Duration::MAX);
    let end = h.get_json("/_emulator/clock");
    assert!(end["now_ms"].as_u64().unwrap() >= last);
    assert_eq!(
        end["offset_ms"].as_u64(),
        Some(verify_emulator::clock::MAX_OFFSET_MS)
    );
    // Zero is a valid advance.
    assert_eq!(advance(&h, r#"{"seconds": 0}"#).0, 200);
}
