//! The two endpoints over loopback: success shapes, every code of API.md's table with
//! its status, several mobiles, flows from TOML.

mod common;

use std::collections::BTreeMap;

use common::{code, Harness};
use serde_json::{json, Value};
use verify_core::CODES;
use verify_emulator::{EmulatorConfig, Fault, DEFAULT_FLOW_ID};

#[test]
fn generate_then_validate_once() {
    let h = Harness::new();
    let (status, body) =
        h.generate_body(json!({"to": {"mobile": "+12025550123", "email": "user@example.com"}}));
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["to"]["mobile"], "12025550123");
    assert_eq!(data["to"]["email"], "user@example.com");
    assert_eq!(data["flow_id"], DEFAULT_FLOW_ID);
    let id = data["verify_id"].as_str().unwrap();
    let code_sent = h.emu.last_code(id).unwrap();
    assert_eq!(code_sent.len(), 6);
    assert!(code_sent.bytes().all(|b| b.is_ascii_digit()));
    let (status, body) = h.validate(id, &code_sent);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"verify_id": id, "message": "OTP verified successfully."}})
    );
    let (status, body) = h.validate(id, &code_sent);
    assert_eq!((status, code(&body)), (400, "E910"));
}

#[test]
fn several_mobiles_each_get_the_code() {
    let h = Harness::new();
    let (status, body) =
        h.generate_body(json!({"to": {"mobile": "+12025550123, +919876543210,4470000000"}}));
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["to"]["mobile"],
        "12025550123,919876543210,4470000000"
    );
    let id = body["data"]["verify_id"].as_str().unwrap();
    let out = h.get_json(&format!("/_emulator/outbox?verify_id={id}"));
    let recipients: Vec<&str> = out["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["channel"], "sms");
            d["recipient"].as_str().unwrap()
        })
        .collect();
    assert_eq!(recipients, ["12025550123", "919876543210", "4470000000"]);
    let codes: Vec<&Value> = out["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(codes.windows(2).all(|w| w[0] == w[1]));
}

/// A configuration with an alphanumeric flow, an unapproved one and no default.
fn flows_config() -> EmulatorConfig {
    EmulatorConfig::from_toml_str(
        r#"
        [[accounts]]
        sid = "HXTEST"
        api_key = "test-key"
        [[flows]]
        id = "aaaaaaaa-0000-4000-8000-000000000001"
        otp_length = 8
        alphanumeric = true
        max_attempts = 2
        channels = [{ channel = "whatsapp" }, { channel = "voice", after_seconds = 30 }]
        [[flows]]
        id = "aaaaaaaa-0000-4000-8000-000000000002"
        approved = false
        channels = [{ channel = "sms" }]
        "#,
    )
    .unwrap()
}

#[test]
fn flows_from_toml() {
    let h = Harness::with(flows_config());
    assert_eq!(h.emu.sid(), "HXTEST");
    let alnum = "aaaaaaaa-0000-4000-8000-000000000001";
    let (s, b) = h.generate_body(json!({"flow_id": alnum, "to": {"mobile": "123"}}));
    assert_eq!(s, 200, "{b}");
    let id = b["data"]["verify_id"].as_str().unwrap().to_owned();
    let sent = h.emu.last_code(&id).unwrap();
    assert_eq!(sent.len(), 8);
    assert_eq!(h.emu.outbox()[0].channel.as_str(), "whatsapp");
    // A caller-supplied alphanumeric code is accepted by this flow.
    let (s, b) =
        h.generate_body(json!({"flow_id": alnum, "to": {"mobile": "123"}, "otp": "AB12CD34"}));
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        h.emu
            .last_code(b["data"]["verify_id"].as_str().unwrap())
            .unwrap(),
        "AB12CD34"
    );
    // Two attempts only.
    assert_eq!(code(&h.validate(&id, "00000000").1), "E912");
    assert_eq!(code(&h.validate(&id, "00000000").1), "E912");
    assert_eq!(code(&h.validate(&id, &sent).1), "E911");
    // Unapproved, unknown, and no default flow: E905.
    for body in [
        json!({"flow_id": "aaaaaaaa-0000-4000-8000-000000000002", "to": {"mobile": "123"}}),
        json!({"flow_id": "nope", "to": {"mobile": "123"}}),
        json!({"to": {"mobile": "123"}}),
    ] {
        let (s, b) = h.generate_body(body);
        assert_eq!((s, code(&b)), (400, "E905"));
    }
}

/// Sends a raw request to the generate route; returns (status, body).
fn raw(h: &Harness, sid: &str, key: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let r = h
        .client
        .post(h.url(&format!("/v1/{sid}/verify")))
        .header("api-key", key)
        .header("content-type", content_type)
        .body(body)
        .send()
        .unwrap();
    (r.status().as_u16(), r.json().unwrap())
}

/// Every row of API.md's code table, each produced over HTTP and checked against the
/// table's status; the test fails if a row of the table was not produced.
#[test]
fn every_code_of_the_table() {
    let h = Harness::new();
    let mut seen: BTreeMap<String, u16> = BTreeMap::new();
    let mut record = |(status, body): (u16, Value), expected: &str| {
        assert_eq!(code(&body), expected, "{body}");
        let row = CODES.iter().find(|c| c.code == expected).unwrap();
        // The row's words, verbatim: what a client meets from the real service.
        let e = &body["error"];
        assert_eq!(e["type"], row.service_type, "{body}");
        assert_eq!(e["message"], row.message, "{body}");
        assert_eq!(e["parameter"], row.parameter, "{body}");
        assert_eq!(e["reference"], "", "{body}");
        assert!(!row.message.is_empty());
        seen.insert(expected.to_owned(), status);
    };
    let gen = |b: Value| h.generate_body(b);
    record(gen(json!({"flow_id": DEFAULT_FLOW_ID})), "E600");
    record(gen(json!({"to": {"email": "a@b.co"}})), "E804");
    record(gen(json!({"to": {"mobile": "+12"}})), "E805");
    record(
        gen(json!({"to": {"mobile": "+123", "email": "nope"}})),
        "E802",
    );
    record(
        gen(json!({"to": {"mobile": "+123"}, "otp": "12-456"})),
        "E803",
    );
    record(
        gen(json!({"to": {"mobile": "+123"}, "otp": "1234"})),
        "E903",
    );
    record(
        gen(json!({"to": {"mobile": "+123"}, "otp": "ABC123"})),
        "E914",
    );
    record(
        gen(json!({"flow_id": "00000000-0000-4000-8000-000000000000", "to": {"mobile": "+123"}})),
        "E905",
    );
    record(h.validate("", "123456"), "E800");
    record(h.validate("x", ""), "E801");
    record(
        h.validate("00000000-0000-4000-8000-000000000000", "123456"),
        "E909",
    );

    let id = h.generate("+12025550123");
    let right = h.emu.last_code(&id).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..3 {
        record(h.validate(&id, wrong), "E912");
    }
    record(h.validate(&id, &right), "E911");

    let id = h.generate("+12025550123");
    let right = h.emu.last_code(&id).unwrap();
    assert_eq!(h.validate(&id, &right).0, 200);
    record(h.validate(&id, &right), "E910");

    let id = h.generate("+12025550123");
    h.emu.advance_clock(std::time::Duration::from_secs(600));
    record(h.validate(&id, &h.emu.last_code(&id).unwrap()), "E913");

    let good = br#"{"to":{"mobile":"+123"}}"#.to_vec();
    let sid = h.emu.sid().to_owned();
    record(
        raw(&h, &sid, "wrong-key", "application/json", good.clone()),
        "E401",
    );
    record(
        raw(
            &h,
            "HXOTHER",
            h.emu.api_key(),
            "application/json",
            good.clone(),
        ),
        "E401",
    );
    record(
        raw(
            &h,
            &sid,
            h.emu.api_key(),
            "application/json",
            b"{not json".to_vec(),
        ),
        "E400",
    );
    record(
        raw(&h, &sid, h.emu.api_key(), "text/plain", good.clone()),
        "E400",
    );
    let mut big = br#"{"to":{"mobile":"+123"},"pad":""#.to_vec();
    big.extend(std::iter::repeat_n(b'x', 70 * 1024));
    big.extend(br#""}"#);
    record(
        raw(&h, &sid, h.emu.api_key(), "application/json", big),
        "E413",
    );
    h.emu.inject(Fault::rate_limit(3));
    record(gen(json!({"to": {"mobile": "+123"}})), "E429");
    h.emu.inject(Fault::status(500));
    record(gen(json!({"to": {"mobile": "+123"}})), "E500");

    let get = |path: &str| {
        let r = h.client.get(h.url(path)).send().unwrap();
        (r.status().as_u16(), r.json::<Value>().unwrap())
    };
    let foreign = h
        .client
        .get(h.url("/_emulator/info"))
        .header("host", "evil.example")
        .send()
        .unwrap();
    record((foreign.status().as_u16(), foreign.json().unwrap()), "E403");
    let plain = h
        .client
        .post(h.url("/_emulator/faults"))
        .header("content-type", "text/plain")
        .body(r#"{"mode": "status", "status": 503}"#)
        .send()
        .unwrap();
    record((plain.status().as_u16(), plain.json().unwrap()), "E415");
    record(get("/nope"), "E404");
    record(get(&format!("/v1/{sid}/verify")), "E405");

    for info in CODES {
        assert_eq!(
            seen.get(info.code),
            Some(&info.http_status),
            "code {} not produced with its status",
            info.code
        );
    }
    assert_eq!(seen.len(), CODES.len());
}

#[test]
fn unknown_routes_and_methods_answer_the_envelope() {
    let h = Harness::new();
    let r = h.client.get(h.url("/nope")).send().unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.json::<Value>().unwrap()["error"]["code"].is_string());
    let r = h
        .client
        .get(h.url(&format!("/v1/{}/verify", h.emu.sid())))
        .send()
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.json::<Value>().unwrap()["error"]["code"].is_string());
    // A chunked body over the limit, with no Content-Length to refuse it early.
    let body = reqwest::blocking::Body::new(std::io::Cursor::new(vec![b' '; 80 * 1024]));
    let r = h
        .client
        .post(h.url(&format!("/v1/{}/verify", h.emu.sid())))
        .header("api-key", h.emu.api_key())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[test]
fn openapi_describes_both_endpoints() {
    let h = Harness::new();
    let doc = h.get_json("/_emulator/openapi.json");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/v1/{SID}/verify"]["post"].is_object());
    assert!(doc["paths"]["/v1/{SID}/verify/validate"]["post"].is_object());
    let info = h.get_json("/_emulator/info");
    assert_eq!(info["accounts"][0]["sid"], verify_emulator::DEFAULT_SID);
    assert_eq!(info["default_flow_id"], DEFAULT_FLOW_ID);
}

/// API.md's table of the seed's exact words (code, `type`, `parameter`, `message`),
/// copied here so that the repository alone can run it; compared with API.md itself
/// whenever `../shared/API.md` is beside the repository.
const SEED_WORDS: &[[&str; 4]] = &[
    ["E600", "VALIDATION_ERROR", "to", "to field is mandatory"],
    [
        "E802",
        "VALIDATION_ERROR",
        "email",
        "Please enter a valid email",
    ],
    [
        "E803",
        "VALIDATION_ERROR",
        "OTP",
        "OTP can contain only alphanumeric values.",
    ],
    [
        "E804",
        "VALIDATION_ERROR",
        "mobile",
        "Mobile number is mandatory.",
    ],
    [
        "E805",
        "VALIDATION_ERROR",
        "mobile",
        "Please enter a valid mobile number.",
    ],
    [
        "E903",
        "validation_error",
        "OTP",
        "Given OTP length does not match the given Flow ID OTP Length",
    ],
    [
        "E905",
        "validation_error",
        "flow_id",
        "Flow Id not approved or not found",
    ],
    [
        "E914",
        "VALIDATION_ERROR",
        "",
        "Flow does not support alphanumeric OTP.",
    ],
];

/// The rows of API.md's "exact words" table: `| E600 | `VALIDATION_ERROR` | `to` | `to field is mandatory` |`.
fn api_md_seed_words(text: &str) -> Vec<[String; 4]> {
    let start = text
        .find("| code | `type` | `parameter` | `message` |")
        .expect("API.md has the table of the seed's exact words");
    text[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| {
                    let c = c.trim();
                    if c == "(empty)" {
                        String::new()
                    } else {
                        c.trim_matches('`').to_owned()
                    }
                })
                .collect();
            [
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ]
        })
        .collect()
}

#[test]
fn the_code_table_says_the_seeds_words() {
    for [code, ty, param, message] in SEED_WORDS {
        let row = CODES.iter().find(|c| c.code == *code).unwrap();
        assert_eq!(
            (row.service_type, row.parameter, row.message),
            (*ty, *param, *message),
            "{code}"
        );
    }
    let api_md = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/API.md");
    match std::fs::read_to_string(api_md) {
        Ok(text) => {
            let rows = api_md_seed_words(&text);
            let ours: Vec<[String; 4]> = SEED_WORDS.iter().map(|r| r.map(str::to_owned)).collect();
            assert_eq!(rows, ours, "API.md's table of exact words changed");
        }
        Err(_) => eprintln!("{api_md} not found: compared with the copy only"),
    }
}
