//! Issue 7's client gaps, met over real HTTP from a small fake server that answers what
//! the emulator never would: a success without an id or about another verification, a
//! Retry-After given as an HTTP date, a body behind a UTF-8 byte-order mark. Before the
//! fix, the first two were reported as successes, the date was ignored and the BOM made
//! the body unreadable; each test says what it answered before.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use common::{call, client_at, error_view};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One canned answer: status, extra header lines, body bytes.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<String>,
    body: Vec<u8>,
}

fn answer(status: u16, body: impl Into<Vec<u8>>) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        body: body.into(),
    }
}

/// A loopback HTTP/1.1 server that gives the i-th request the i-th answer (the last one
/// again once they run out) and counts the requests.
struct Fake {
    base_url: String,
    requests: Arc<AtomicUsize>,
}

impl Fake {
    async fn start(answers: Vec<Answer>) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let (count, answers) = (requests.clone(), Arc::new(answers));
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, answers.clone(), count.clone()));
            }
        });
        Fake { base_url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn client(&self, options: Value) -> verify_http::Client {
        client_at(&self.base_url, "fake-sid", "fake-key", &options)
    }
}

async fn serve(mut conn: TcpStream, answers: Arc<Vec<Answer>>, count: Arc<AtomicUsize>) {
    let mut buf = Vec::new();
    loop {
        // Read one request: the head, then Content-Length bytes of body.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + length);
        let i = count.fetch_add(1, Ordering::SeqCst);
        let a = &answers[i.min(answers.len() - 1)];
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            a.status,
            a.body.len()
        );
        for h in &a.headers {
            out.push_str(h);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&a.body);
        if conn.write_all(&bytes).await.is_err() {
            return;
        }
    }
}

fn fast() -> Value {
    json!({"timeout_ms": 10000, "max_attempts": 3, "initial_backoff_ms": 20, "max_backoff_ms": 100})
}

const ID: &str = "4d3d0959-80aa-43bb-be11-5815ce0795a1";

fn ask(id: &str) -> Value {
    json!({"verify_id": id, "otp": "123456"})
}

// Before: Ok with verify_id "" (an OTP "sent" that could never be checked).
#[tokio::test]
async fn a_generate_success_with_an_empty_id_is_outcome_unknown() {
    let fake = Fake::start(vec![answer(
        200,
        r#"{"data":{"verify_id":"","to":{"mobile":"12025550123"}}}"#,
    )])
    .await;
    let err = call(
        &fake.client(fast()),
        "generate",
        &json!({"mobile": "+12025550123"}),
    )
    .await
    .unwrap_err();
    let view = error_view(&err);
    assert_eq!(view["kind"], "outcome_unknown", "{err}");
    assert_eq!(view["cause_kind"], "decode", "{err}");
    assert_eq!(view["status"], 200);
    assert_eq!(fake.requests(), 1, "a generate is never sent twice");
}

// Before and after: a decode error (the vectors now say so); here over HTTP.
#[tokio::test]
async fn a_generate_success_with_null_data_is_outcome_unknown() {
    let fake = Fake::start(vec![answer(200, r#"{"data":null}"#)]).await;
    let err = call(
        &fake.client(fast()),
        "generate",
        &json!({"mobile": "+12025550123"}),
    )
    .await
    .unwrap_err();
    assert_eq!(error_view(&err)["cause_kind"], "decode", "{err}");
    assert_eq!(fake.requests(), 1);
}

// Before: Ok, verified, with verify_id "".
#[tokio::test]
async fn a_validate_success_with_an_empty_id_is_a_decode_error() {
    let fake = Fake::start(vec![answer(
        200,
        r#"{"data":{"verify_id":"","message":"OTP verified successfully."}}"#,
    )])
    .await;
    let client = fake.client(fast());
    let err = call(&client, "validate", &ask(ID)).await.unwrap_err();
    assert_eq!(error_view(&err)["kind"], "decode", "{err}");
    // Unreadable answers to validate are retried (safe to repeat); all three were.
    assert_eq!(fake.requests(), 3);
    let err = call(&client, "check", &ask(ID)).await.unwrap_err();
    assert_eq!(error_view(&err)["kind"], "decode", "never verified: {err}");
}

// Before: Ok, verified (validate) and CheckOutcome::Verified (check): a wrong answer
// turned into a verified login.
#[tokio::test]
async fn a_validate_success_about_another_verification_is_never_verified() {
    let other = r#"{"data":{"verify_id":"someone-else","message":"OTP verified successfully."}}"#;
    let fake = Fake::start(vec![answer(200, other)]).await;
    let client = fake.client(fast());
    let err = call(&client, "validate", &ask(ID)).await.unwrap_err();
    assert_eq!(error_view(&err)["kind"], "decode", "{err}");
    assert!(err.to_string().contains("someone-else"), "{err}");
    assert_eq!(fake.requests(), 1, "not retried into an E910 'success'");
    let err = call(&client, "check", &ask(ID)).await.unwrap_err();
    assert_eq!(error_view(&err)["kind"], "decode", "{err}");
    // The same answer about the id asked about is a success.
    let same = format!(r#"{{"data":{{"verify_id":"{ID}","message":"OK"}}}}"#);
    let fake = Fake::start(vec![answer(200, same)]).await;
    let ok = call(&fake.client(fast()), "validate", &ask(ID))
        .await
        .unwrap();
    assert_eq!(ok["verify_id"], ID);
}

fn rate_limited_until(at: SystemTime) -> Answer {
    Answer {
        status: 429,
        headers: vec![format!("retry-after: {}", httpdate::fmt_http_date(at))],
        body: br#"{"error":{"code":"E429","type":"RATE_LIMIT_ERROR","parameter":"","message":"Too many requests."}}"#.to_vec(),
    }
}

fn verified() -> Answer {
    answer(
        200,
        format!(r#"{{"data":{{"verify_id":"{ID}","message":"OTP verified successfully."}}}}"#),
    )
}

// Before: the date was ignored; the client retried after its own backoff (18 ms in one run).
#[tokio::test]
async fn a_retry_after_date_is_waited_for() {
    let at = SystemTime::now() + Duration::from_secs(2);
    let fake = Fake::start(vec![rate_limited_until(at), verified()]).await;
    let started = Instant::now();
    let ok = call(&fake.client(fast()), "validate", &ask(ID))
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(ok["verify_id"], ID);
    assert_eq!(fake.requests(), 2);
    // The date has whole seconds, so the wait is between 1 and 2 s.
    assert!(took >= Duration::from_millis(900), "took {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

// Before: ignored, so retried after the client's backoff, and the next answer (here a
// success) came back: the service's "wait 30 s" was not respected.
#[tokio::test]
async fn a_retry_after_date_beyond_the_cap_is_returned_not_waited() {
    let at = SystemTime::now() + Duration::from_secs(30);
    let fake = Fake::start(vec![rate_limited_until(at), verified()]).await;
    let mut options = fast();
    options["max_retry_after_ms"] = json!(2000);
    let started = Instant::now();
    let err = call(&fake.client(options), "validate", &ask(ID))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let view = error_view(&err);
    assert_eq!(view["kind"], "rate_limited", "{err}");
    let ms = view["retry_after_ms"].as_u64().expect("retry_after kept");
    assert!((28_000..=30_000).contains(&ms), "{ms}");
    assert_eq!(fake.requests(), 1);
}

// Before: ignored, so the generate was sent again after the backoff (and succeeded).
#[tokio::test]
async fn a_retry_after_date_beyond_the_total_timeout_is_returned_not_waited() {
    let at = SystemTime::now() + Duration::from_secs(5);
    let fake = Fake::start(vec![rate_limited_until(at), verified()]).await;
    let mut options = fast();
    options["timeout_ms"] = json!(1000);
    let started = Instant::now();
    let err = call(
        &fake.client(options),
        "generate",
        &json!({"mobile": "+12025550123"}),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(error_view(&err)["kind"], "rate_limited", "{err}");
    assert_eq!(fake.requests(), 1);
}

// Before: the success was outcome unknown (decode: "the body is not JSON").
#[tokio::test]
async fn a_utf8_bom_before_the_body_is_skipped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(
        br#"{"data":{"verify_id":"v-2","to":{"mobile":"12025550123"},"flow_id":"f-2"}}"#,
    );
    let fake = Fake::start(vec![answer(200, body)]).await;
    let sent = call(
        &fake.client(fast()),
        "generate",
        &json!({"mobile": "+12025550123"}),
    )
    .await
    .unwrap();
    assert_eq!(sent["verify_id"], "v-2");
    assert_eq!(sent["flow_id"], "f-2");

    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(br#"{"error":{"code":"E912","type":"VALIDATION_ERROR","parameter":"otp","message":"Invalid OTP."}}"#);
    let fake = Fake::start(vec![answer(400, body)]).await;
    let client = fake.client(fast());
    let err = call(&client, "validate", &ask(ID)).await.unwrap_err();
    assert_eq!(error_view(&err)["code"], "E912", "{err}");
    let wrong = call(&client, "check", &ask(ID)).await.unwrap();
    assert_eq!(wrong["outcome"], "wrong_code");
}
