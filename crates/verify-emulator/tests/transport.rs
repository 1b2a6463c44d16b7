//! What needs the real transport: connection reuse in the counters, TLS with the
//! emulator's CA as the only root, the dashboard in headless Chromium, the seed's curl
//! command, and starting from inside a tokio runtime.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Harness;
use serde_json::{json, Value};
use verify_emulator::{Emulator, EmulatorConfig, DEFAULT_FLOW_ID};

#[test]
fn keep_alive_reuses_one_connection() {
    let h = Harness::new();
    for _ in 0..5 {
        h.generate("+12025550123");
    }
    let stats = h.emu.stats();
    assert_eq!(stats.connections_accepted, 1);
    assert_eq!(stats.otps_generated, 5);
    assert_eq!(stats.requests["generate"][&200], 5);
    // A second client opens a second connection.
    let other = reqwest::blocking::Client::new();
    let s: Value = other
        .get(h.url("/_emulator/stats"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(s["connections_accepted"], 2);
    assert_eq!(s["requests"]["generate"]["200"], 5);
}

#[test]
fn tls_with_the_emulator_ca_as_only_root() {
    let emu = Emulator::start(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .unwrap();
    assert!(emu.base_url().starts_with("https://localhost:"));
    let pem = emu.ca_cert_pem().expect("a CA with TLS");
    let client = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let r = client
        .post(format!("{}/v1/{}/verify", emu.base_url(), emu.sid()))
        .header("api-key", emu.api_key())
        .json(&json!({"to": {"mobile": "+12025550123"}}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let served = client
        .get(format!("{}/_emulator/cert.pem", emu.base_url()))
        .send()
        .unwrap();
    assert_eq!(served.text().unwrap(), pem);
    // 127.0.0.1 is in the certificate too.
    let ip = format!("https://127.0.0.1:{}/_emulator/stats", emu.addr().port());
    assert_eq!(client.get(ip).send().unwrap().status(), 200);
    // Without the CA, the handshake fails.
    let untrusting = reqwest::blocking::Client::builder()
        .tls_built_in_root_certs(false)
        .build()
        .unwrap();
    assert!(untrusting.get(emu.base_url()).send().is_err());
    assert!(Emulator::start(EmulatorConfig::default())
        .unwrap()
        .ca_cert_pem()
        .is_none());
}

/// Runs a command, killing it after `limit`; returns (success, stdout).
fn run_with_timeout(cmd: &mut Command, limit: Duration) -> (bool, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.success(), reader.join().unwrap())
}

#[test]
fn dashboard_in_headless_chromium() {
    let chromium = "/usr/bin/chromium";
    assert!(
        std::path::Path::new(chromium).exists(),
        "chromium is missing: install the Debian package `chromium` (scripts/install-deps.sh)"
    );
    let h = Harness::new();
    let pending = h.generate("+12025550123");
    let verified = h.generate("+12025550123");
    assert_eq!(
        h.validate(&verified, &h.emu.last_code(&verified).unwrap())
            .0,
        200
    );
    // The loose email rule lets markup through: the page must escape it, not run it.
    let (s, _) = h.generate_body(json!({"to": {"mobile": "123", "email": "<b>x</b>@e.co"}}));
    assert_eq!(s, 200);
    let profile = std::env::temp_dir().join(format!("emu-chromium-{}", std::process::id()));
    let (ok, dom) = run_with_timeout(
        Command::new(chromium).args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &h.url("/"),
        ]),
        Duration::from_secs(45),
    );
    let _ = std::fs::remove_dir_all(&profile);
    assert!(ok, "chromium failed; output: {dom}");
    for (id, status) in [(&pending, "pending"), (&verified, "verified")] {
        let start = dom
            .find(&format!("<tr data-verify-id=\"{id}\" class=\"{status}\">"))
            .unwrap_or_else(|| panic!("no {status} row for {id} in the DOM:\n{dom}"));
        let row = &dom[start..start + dom[start..].find("</tr>").unwrap()];
        let code = h.emu.last_code(id).unwrap();
        for cell in [
            format!("<span class=\"badge {status}\">{status}</span>"),
            format!("<td class=\"code mono\">{code}</td>"),
            "+12025550123".to_owned(),
        ] {
            assert!(row.contains(&cell), "{cell} not in the row of {id}: {row}");
        }
    }
    assert!(dom.contains("&lt;b&gt;x&lt;/b&gt;@e.co"), "{dom}");
    assert!(!dom.contains("<b>x</b>"), "{dom}");
    assert_eq!(h.emu.stats().requests["dashboard"][&200], 1);
}

/// The command of Kaleyra's "Generate OTPs" page (shared/seed/000_4f7cc6423bff3f85.txt),
/// verbatim; only the placeholders and the host are filled in.
const SEED_CURL: &str = r#"curl -X POST "https://api.kaleyra.io/v1/<SID>/verify" \
-H "Content-Type: <CONTENT_TYPE>" \
-H "api-key: <API_KEY>" \
-d '{
  "flow_id":"<FLOW_ID>",
       "to" : {
                 "mobile" : "<TO_NUMBER>",
                 "email" : "<Email_ID>"
    }
}'"#;

#[test]
fn the_seed_curl_command_works() {
    let h = Harness::new();
    let cmd = SEED_CURL
        .replace("https://api.kaleyra.io", h.emu.base_url())
        .replace("<SID>", h.emu.sid())
        .replace("<CONTENT_TYPE>", "application/json")
        .replace("<API_KEY>", h.emu.api_key())
        .replace("<FLOW_ID>", DEFAULT_FLOW_ID)
        .replace("<TO_NUMBER>", "+12025550123")
        .replace("<Email_ID>", "user@example.com");
    let (ok, out) = run_with_timeout(
        Command::new("bash").args(["-c", &cmd]),
        Duration::from_secs(20),
    );
    assert!(ok, "curl failed: {out}");
    let body: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let data = &body["data"];
    assert_eq!(
        data["to"],
        json!({"mobile": "12025550123", "email": "user@example.com"})
    );
    assert_eq!(data["flow_id"], DEFAULT_FLOW_ID);
    let id = data["verify_id"].as_str().unwrap();
    assert_eq!(h.emu.outbox()[0].verify_id, id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_and_stops_inside_a_tokio_runtime() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/v1/{}/verify", emu.base_url(), emu.sid()))
        .header("api-key", emu.api_key())
        .json(&json!({"to": {"mobile": "+12025550123"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let addr = emu.addr();
    emu.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[tokio::test]
async fn starts_inside_a_current_thread_runtime() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let r = reqwest::get(format!("{}/_emulator/clock", emu.base_url()))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    drop(emu);
}

#[test]
fn emulator_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Emulator>();
}
