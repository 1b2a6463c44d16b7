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
