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
        Some(verify_emulator::MAX_OFFSET_MS)
    );
    // Zero is a valid advance.
    assert_eq!(advance(&h, r#"{"seconds": 0}"#).0, 200);
}

/// Sends a raw request with the given Host and Content-Type; returns (status, body).
fn control(
    h: &Harness,
    method: &str,
    path: &str,
    host: &str,
    ctype: Option<&str>,
    body: &str,
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(h.emu.addr()).unwrap();
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let ctype = ctype.map_or(String::new(), |c| format!("Content-Type: {c}\r\n"));
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{ctype}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    conn.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

#[test]
fn control_routes_refuse_cross_site_posts() {
    let h = Harness::new();
    let port = h.emu.addr().port();
    let host = format!("127.0.0.1:{port}");
    let fault = r#"{"mode": "status", "status": 503}"#;
    for ctype in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let (status, b) = control(&h, "POST", "/_emulator/faults", &host, ctype, fault);
        assert_eq!(status, 415, "{ctype:?}: {b}");
        assert!(b.contains(r#""code":"E415""#), "{b}");
        let (status, _) = control(
            &h,
            "POST",
            "/_emulator/clock/advance",
            &host,
            ctype,
            r#"{"seconds": 60}"#,
        );
        assert_eq!(status, 415, "{ctype:?}");
    }
    assert!(h.get_json("/_emulator/faults")["faults"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(h.get_json("/_emulator/clock")["offset_ms"], 0);
    // The same requests as JSON are served.
    let json = Some("application/json; charset=utf-8");
    assert_eq!(
        control(&h, "POST", "/_emulator/faults", &host, json, fault).0,
        200
    );
    assert_eq!(
        h.get_json("/_emulator/faults")["faults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn control_routes_refuse_foreign_hosts() {
    let h = Harness::new();
    let port = h.emu.addr().port();
    let json = Some("application/json");
    for host in [
        format!("evil.example:{port}"),
        "evil.example".into(),
        format!("localhost.evil.example:{port}"),
    ] {
        for (method, path, ctype, body) in [
            ("GET", "/_emulator/info", None, ""),
            ("GET", "/_emulator/outbox", None, ""),
            ("GET", "/", None, ""),
            (
                "POST",
                "/_emulator/clock/advance",
                json,
                r#"{"seconds": 60}"#,
            ),
            ("DELETE", "/_emulator/faults", None, ""),
        ] {
            let (status, b) = control(&h, method, path, &host, ctype, body);
            assert_eq!(status, 403, "{method} {path} Host {host}: {b}");
            assert!(b.contains(r#""code":"E403""#), "{b}");
            assert!(!b.contains(h.emu.api_key()), "{b}");
        }
    }
    assert_eq!(h.get_json("/_emulator/clock")["offset_ms"], 0);
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".into(),
        format!("[::1]:{port}"),
        format!("app.localhost:{port}"),
        format!("192.0.2.7:{port}"),
    ] {
        let (status, b) = control(&h, "GET", "/_emulator/info", &host, None, "");
        assert_eq!(status, 200, "Host {host}: {b}");
    }
    // The API itself is reached by name, as the real service is.
    let body = r#"{"to": {"mobile": "+12025550123"}}"#;
    let path = format!("/v1/{}/verify", h.emu.sid());
    let mut conn_body = String::new();
    {
        use std::io::{Read, Write};
        let mut conn = std::net::TcpStream::connect(h.emu.addr()).unwrap();
        write!(conn, "POST {path} HTTP/1.1\r\nHost: api.kaleyra.io\r\napi-key: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", h.emu.api_key(), body.len()).unwrap();
        conn.read_to_string(&mut conn_body).unwrap();
    }
    assert!(conn_body.starts_with("HTTP/1.1 200"), "{conn_body}");
}
