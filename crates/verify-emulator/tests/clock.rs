//! The emulator's clock: expiry, channel fallback, no fallback once verified, and
//! eviction keeping memory bounded, all without sleeping.

mod common;

use std::time::Duration;

use common::{code, Harness};
use serde_json::{json, Value};
use verify_emulator::{GRACE_MS, OUTBOX_CAP};

fn channels(h: &Harness, id: &str) -> Vec<String> {
    let out = h.get_json(&format!("/_emulator/outbox?verify_id={id}"));
    out["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["channel"].as_str().unwrap(),
                d["recipient"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn expiry_after_ten_minutes() {
    let h = Harness::new();
    let id = h.generate("+12025550123");
    let right = h.emu.last_code(&id).unwrap();
    h.emu.advance_clock(Duration::from_secs(599));
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(code(&h.validate(&id, wrong).1), "E912");
    h.emu.advance_clock(Duration::from_secs(1));
    let (status, body) = h.validate(&id, &right);
    assert_eq!((status, code(&body)), (400, "E913"));
}

#[test]
fn email_follows_sms_after_sixty_seconds() {
    let h = Harness::new();
    let (_, b) =
        h.generate_body(json!({"to": {"mobile": "+12025550123", "email": "u@example.com"}}));
    let id = b["data"]["verify_id"].as_str().unwrap().to_owned();
    assert_eq!(channels(&h, &id), ["sms:12025550123"]);
    // Through the HTTP clock this time.
    let clock: Value = h
        .client
        .post(h.url("/_emulator/clock/advance"))
        .json(&json!({"seconds": 59}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(clock["offset_ms"], 59_000);
    assert_eq!(channels(&h, &id), ["sms:12025550123"]);
    h.emu.advance_clock(Duration::from_secs(1));
    assert_eq!(
        channels(&h, &id),
        ["sms:12025550123", "email:u@example.com"]
    );
    let out = h.emu.outbox();
    assert_eq!(out[1].at - out[0].at, 60_000);
    assert_eq!(out[0].code, out[1].code);
    let now = h.get_json("/_emulator/clock")["now_ms"].as_u64().unwrap();
    assert!(now >= out[1].at);
    assert_eq!(h.emu.stats().deliveries, 2);
}

#[test]
fn no_fallback_once_verified() {
    let h = Harness::new();
    let (_, b) =
        h.generate_body(json!({"to": {"mobile": "+12025550123", "email": "u@example.com"}}));
    let id = b["data"]["verify_id"].as_str().unwrap().to_owned();
    h.emu.advance_clock(Duration::from_secs(30));
    assert_eq!(h.validate(&id, &h.emu.last_code(&id).unwrap()).0, 200);
    h.emu.advance_clock(Duration::from_secs(120));
    assert_eq!(channels(&h, &id), ["sms:12025550123"]);
}

#[test]
fn no_fallback_once_locked() {
    let h = Harness::new();
    let (_, b) =
        h.generate_body(json!({"to": {"mobile": "+12025550123", "email": "u@example.com"}}));
    let id = b["data"]["verify_id"].as_str().unwrap().to_owned();
    let right = h.emu.last_code(&id).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..3 {
        assert_eq!(code(&h.validate(&id, wrong).1), "E912");
    }
    assert_eq!(code(&h.validate(&id, &right).1), "E911");
    h.emu.advance_clock(Duration::from_secs(120));
    assert_eq!(channels(&h, &id), ["sms:12025550123"]);
    assert_eq!(h.emu.stats().deliveries, 1);
}

#[test]
fn no_fallback_once_expired() {
    let mut flow = verify_emulator::Flow::default_flow();
    flow.expiry_seconds = 30; // before the email's 60 s
    let h = Harness::with(verify_emulator::EmulatorConfig {
        flows: vec![flow],
        ..Default::default()
    });
    let (_, b) =
        h.generate_body(json!({"to": {"mobile": "+12025550123", "email": "u@example.com"}}));
    let id = b["data"]["verify_id"].as_str().unwrap().to_owned();
    h.emu.advance_clock(Duration::from_secs(120));
    assert_eq!(
        code(&h.validate(&id, &h.emu.last_code(&id).unwrap()).1),
        "E913"
    );
    assert_eq!(channels(&h, &id), ["sms:12025550123"]);
}

#[test]
fn eviction_keeps_memory_bounded() {
    let h = Harness::new();
    let ids: Vec<String> = (0..50).map(|_| h.generate("+12025550123")).collect();
    assert_eq!(h.emu.stats().verifications_live, 50);
    // Still held (E913) within the grace period after expiry.
    h.emu
        .advance_clock(Duration::from_secs(600) + Duration::from_millis(GRACE_MS - 1000));
    h.generate("+12025550123");
    assert_eq!(code(&h.validate(&ids[0], "123456").1), "E913");
    h.emu.advance_clock(Duration::from_secs(2));
    h.generate("+12025550123");
    assert_eq!(h.emu.stats().verifications_live, 2);
    assert_eq!(code(&h.validate(&ids[0], "123456").1), "E909");
}

#[test]
fn outbox_is_capped() {
    let h = Harness::new();
    let mobiles: Vec<String> = (0..1000).map(|i| format!("+1202555{i:04}")).collect();
    let list = mobiles.join(",");
    for _ in 0..11 {
        let (s, _) = h.generate_body(json!({"to": {"mobile": list}}));
        assert_eq!(s, 200);
    }
    assert_eq!(h.emu.stats().deliveries, 11_000);
    assert_eq!(h.emu.outbox().len(), OUTBOX_CAP);
}
