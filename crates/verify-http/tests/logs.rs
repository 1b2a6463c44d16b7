//! The tracing spans carry route, attempt, status and latency, and neither the logs nor
//! any error's Display or Debug ever contain the API key.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use verify_emulator::{Account, Emulator, EmulatorConfig, Fault};
use verify_http::{Client, GenerateRequest};

const KEY: &str = "k3y-Th4t-Must-N3ver-Print";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_and_errors_never_contain_the_key() {
    let capture = Capture::default();
    let sink = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let em = Emulator::start(EmulatorConfig {
        accounts: vec![Account {
            sid: "HXLOGS01".to_owned(),
            api_key: KEY.to_owned(),
        }],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = builder(&em).build().unwrap();
    let mut errors = Vec::new();

    let (sent, code) = sent(&em, &client).await;
    em.inject(Fault::status(503));
    client.validate(&sent.verify_id, &code).await.unwrap();
    for fault in [
        Fault::close_after(),
        Fault::truncated(),
        Fault::status(500),
        Fault::rate_limit(60),
    ] {
        em.inject(fault);
        errors.push(
            client
                .generate(GenerateRequest::new(MOBILE))
                .await
                .unwrap_err(),
        );
    }
    em.inject(Fault::latency(Duration::from_secs(2)));
    let slow = builder(&em)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    errors.push(slow.validate("x", "123456").await.unwrap_err());
    let wrong = Client::builder()
        .sid(em.sid())
        .api_key(format!("{KEY}-wrong"))
        .base_url(em.base_url())
        .build()
        .unwrap();
    errors.push(wrong.validate("x", "123456").await.unwrap_err());
    errors.push(client.validate("", "1").await.unwrap_err());
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let dead = builder(&em)
        .base_url(format!("http://{closed}"))
        .build()
        .unwrap();
    errors.push(dead.validate("x", "123456").await.unwrap_err());

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("kaleyra_verify.request"), "{logs}");
    assert!(
        logs.contains("route=\"validate\"") || logs.contains("route=validate"),
        "{logs}"
    );
    assert!(
        logs.contains("attempt=2"),
        "the retried 503 is logged: {logs}"
    );
    assert!(
        logs.contains("status=503") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(logs.contains("latency_ms="), "{logs}");
    assert!(!logs.contains(KEY), "the key leaked into the logs");

    assert_eq!(errors.len(), 8);
    for err in &errors {
        let text = format!("{err} {err:?} {:?}", err.kind());
        assert!(!text.contains(KEY), "the key leaked into an error: {text}");
    }
}
