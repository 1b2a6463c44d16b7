//! The Rust handle as a binding or a test uses it: a `Debug` without keys, the default
//! flow the configuration really has, the outbox of one verification, typed start errors,
//! faults as the JSON the control route takes, and a file that keeps `bind` and `tls`.

mod common;

use common::Harness;
use serde_json::json;
use verify_emulator::{
    Emulator, EmulatorConfig, Fault, Flow, Overrides, StartError, DEFAULT_FLOW_ID,
};

const KEY: &str = "a-private-key-4c1d";

fn custom() -> EmulatorConfig {
    let mut flow = Flow::default_flow();
    flow.id = "0f6c3c3e-1111-4b00-ac18-51c000002344".into();
    EmulatorConfig {
        flows: vec![flow],
        ..EmulatorConfig::default()
    }
    .with_overrides(Overrides {
        sid: Some("HXMINE".into()),
        api_key: Some(KEY.into()),
        ..Overrides::default()
    })
    .unwrap()
}

#[test]
fn debug_never_shows_a_key() {
    let config = custom();
    assert!(!format!("{config:?}").contains(KEY), "{config:?}");
    let h = Harness::with(config);
    let shown = format!("{:?}", h.emu);
    assert!(!shown.contains(KEY), "{shown}");
    assert!(
        shown.contains("HXMINE") && shown.contains(h.emu.base_url()),
        "{shown}"
    );
}

#[test]
fn the_default_flow_is_the_configurations() {
    let h = Harness::with(custom());
    let id = "0f6c3c3e-1111-4b00-ac18-51c000002344";
    assert_eq!(h.emu.default_flow_id(), Some(id));
    let info = h.get_json("/_emulator/info");
    assert_eq!(info["default_flow_id"], id);
    // A request without flow_id is served by that flow.
    let (status, b) = h.generate_body(json!({"to": {"mobile": "+12025550123"}}));
    assert_eq!((status, b["data"]["flow_id"].as_str()), (200, Some(id)));
    // Counted as its own route, not "other".
    let stats = h.emu.stats();
    assert_eq!(stats.requests["info"][&200], 1, "{stats:?}");
    assert!(!stats.requests.contains_key("other"), "{stats:?}");

    let h = Harness::new();
    assert_eq!(
        h.get_json("/_emulator/info")["default_flow_id"],
        DEFAULT_FLOW_ID
    );
    let mut flow = Flow::default_flow();
    flow.default = false;
    let h = Harness::with(EmulatorConfig {
        flows: vec![flow],
        ..EmulatorConfig::default()
    });
    assert_eq!(h.emu.default_flow_id(), None);
    assert!(h.get_json("/_emulator/info")["default_flow_id"].is_null());
}

#[test]
fn outbox_of_one_verification() {
    let h = Harness::new();
    let a = h.generate("+12025550123");
    let b = h.generate("+12025550124");
    let only_a = h.emu.outbox_for(&a);
    assert_eq!(only_a.len(), 1);
    assert_eq!(only_a[0].verify_id, a);
    assert_eq!(h.emu.outbox_for(&b)[0].recipient, "12025550124");
    assert!(h.emu.outbox_for("nope").is_empty());
    let over_http = h.get_json(&format!("/_emulator/outbox?verify_id={a}"));
    assert_eq!(over_http["deliveries"][0]["code"], only_a[0].code.as_str());
    let base: &str = h.emu.base_url();
    assert!(base.starts_with("http://127.0.0.1:"));
}

#[test]
fn start_errors_are_typed() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let err = Emulator::start(EmulatorConfig {
        bind: addr,
        ..EmulatorConfig::default()
    })
    .unwrap_err();
    assert!(
        matches!(err, StartError::Bind { addr: a, .. } if a == addr),
        "{err:?}"
    );
    let err = Emulator::start(EmulatorConfig {
        workers: 0,
        ..EmulatorConfig::default()
    })
    .unwrap_err();
    assert!(matches!(err, StartError::Config(_)), "{err:?}");
    let err = Emulator::start(EmulatorConfig {
        accounts: vec![],
        ..EmulatorConfig::default()
    })
    .unwrap_err();
    assert!(err.to_string().contains("no accounts"), "{err}");
}

#[test]
fn faults_are_the_json_the_route_takes() {
    let h = Harness::new();
    let faults = vec![
        Fault::status(503).times(2),
        Fault::rate_limit(7),
        Fault::latency(std::time::Duration::from_millis(5)),
        Fault::close_before(),
        Fault::close_after(),
        Fault::malformed(),
        Fault::truncated(),
    ];
    let r = h
        .client
        .post(h.url("/_emulator/faults"))
        .json(&faults)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let listed: serde_json::Value = r.json().unwrap();
    let back: Vec<Fault> = serde_json::from_value(listed["faults"].clone()).unwrap();
    assert_eq!(back, faults);
    let one: Fault = serde_json::from_value(json!({"mode": "status", "status": 502})).unwrap();
    assert_eq!(serde_json::to_value(&one).unwrap()["mode"], "status");
}

#[test]
fn a_file_keeps_bind_and_tls() {
    let dir = std::env::temp_dir().join(format!("emu-handle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flows.toml");
    std::fs::write(
        &path,
        "[[flows]]\nid = 'f2'\ndefault = true\nchannels = [{ channel = 'sms' }]\n",
    )
    .unwrap();
    let config = EmulatorConfig {
        tls: true,
        workers: 1,
        ..EmulatorConfig::default()
    }
    .with_flows_file(&path)
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let emu = Emulator::start(config).unwrap();
    assert!(
        emu.base_url().starts_with("https://localhost:"),
        "{}",
        emu.base_url()
    );
    assert_eq!(emu.default_flow_id(), Some("f2"));
    let ca = reqwest::Certificate::from_pem(emu.ca_cert_pem().unwrap().as_bytes()).unwrap();
    let client = reqwest::blocking::Client::builder()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let info: serde_json::Value = client
        .get(format!("{}/_emulator/info", emu.base_url()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        (info["tls"].as_bool(), info["default_flow_id"].as_str()),
        (Some(true), Some("f2"))
    );
}
