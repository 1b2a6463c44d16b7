//! The promises of the public surface the bindings project: plain options checked in
//! one place, one shared runtime that survives `fork()` and serves any caller's runtime,
//! and errors that say what happened without echoing a secret.

mod common;

use std::time::{Duration, Instant};

use common::*;
use verify_http::{
    BlockingClient, CheckOutcome, Client, ClientOptions, Error, ErrorKind, GenerateRequest,
};

fn options(em: &verify_emulator::Emulator) -> ClientOptions {
    let mut o = ClientOptions::new();
    o.sid = Some(em.sid().to_owned());
    o.api_key = Some(em.api_key().to_owned());
    o.base_url = Some(em.base_url().to_string());
    o
}

#[test]
fn a_client_made_before_fork_works_in_the_child() {
    let em = emulator();
    let client = BlockingClient::new(options(&em)).unwrap();
    // The parent uses it first, so a pooled connection and the runtime exist.
    let sent = client.generate(GenerateRequest::new(MOBILE)).unwrap();
    let code = em.last_code(&sent.verify_id).unwrap();
    // SAFETY: the child only runs the client (which re-creates what fork lost) and then
    // leaves with `_exit`, never returning into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok = client.check(&sent.verify_id, &code).ok() == Some(CheckOutcome::Verified);
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status), "the child crashed: {status}");
    assert_eq!(libc::WEXITSTATUS(status), 0, "the child's call failed");
    // The child opened its own connection; the parent's pool still works.
    assert!(em.stats().connections_accepted >= 2);
    assert_eq!(
        client.check(&sent.verify_id, &code).unwrap(),
        CheckOutcome::AlreadyVerified
    );
}

#[test]
fn a_client_serves_a_second_runtime_while_the_first_is_idle() {
    let em = emulator();
    let client = Client::new(options(&em)).unwrap();
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sent = first
        .block_on(client.generate(GenerateRequest::new(MOBILE)))
        .unwrap();
    let code = em.last_code(&sent.verify_id).unwrap();
    // `first` now sits idle, never polled again; a second runtime uses the same client.
    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let outcome = second
        .block_on(client.check(&sent.verify_id, &code))
        .unwrap();
    assert_eq!(outcome, CheckOutcome::Verified);
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    // And with no runtime at all: the future is driven by a plain executor.
    let sent = futures_lite_block_on(client.generate(GenerateRequest::new(MOBILE))).unwrap();
    assert!(!sent.verify_id.is_empty());
    drop(first);
}

/// Polls a future on this thread with no tokio runtime (a thread-parking waker).
fn futures_lite_block_on<F: std::future::Future>(fut: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

#[test]
fn dropping_a_call_cancels_its_request() {
    use std::io::Read;
    // A peer that reads the request, never answers, and reports when the client hangs up.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 4096];
        let started = Instant::now();
        while let Ok(n) = conn.read(&mut buf) {
            if n == 0 {
                let _ = tx.send(started.elapsed());
                return;
            }
        }
    });
    let mut o = ClientOptions::new();
    o.sid = Some("HX1".into());
    o.api_key = Some("KEY".into());
    o.base_url = Some(format!("http://{addr}"));
    let client = Client::new(o).unwrap();
    // The application's runtime keeps running after the caller gave up on the call.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let call = client.validate("some-id", "123456");
        let timed = tokio::time::timeout(Duration::from_millis(200), call).await;
        assert!(timed.is_err(), "the peer never answers");
    });
    let closed_after = rx
        .recv_timeout(Duration::from_secs(3))
        .expect("the connection was closed when the call was dropped");
    assert!(closed_after < Duration::from_secs(3), "{closed_after:?}");
}

#[test]
fn bad_option_values_are_refused_not_clamped() {
    let em = emulator();
    for (set, field) in [
        (
            (|o: &mut ClientOptions| o.timeout_ms = Some(-1.0)) as fn(&mut ClientOptions),
            "timeout_ms",
        ),
        (
            |o| o.connect_timeout_ms = Some(f64::NAN),
            "connect_timeout_ms",
        ),
        (|o| o.max_attempts = Some(0.0), "max_attempts"),
    ] {
        let mut o = options(&em);
        set(&mut o);
        let err = Client::new(o).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidConfig);
        assert!(err.to_string().contains(field), "{err}");
    }
    let err = Client::builder()
        .sid(em.sid())
        .api_key(em.api_key())
        .base_url(em.base_url())
        .retry_policy(verify_http::RetryPolicy::new().max_attempts(0))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_attempts"), "{err}");
}

#[test]
fn a_base_url_with_secrets_is_refused_without_echoing_them() {
    for url in [
        "http://user:SECRET@127.0.0.1:9",
        "https://api.kaleyra.io/?api_key=SECRET",
        "https://api.kaleyra.io/#SECRET",
        "http://example.com/SECRETPATH?x=SECRET",
    ] {
        let mut o = ClientOptions::new();
        o.sid = Some("HX1".into());
        o.api_key = Some("KEY".into());
        o.base_url = Some(url.into());
        let err = Client::new(o).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{url}");
        let text = format!("{err} {err:?}");
        assert!(
            !text.contains("SECRET@") && !text.contains("=SECRET") && !text.contains("#SECRET"),
            "{text}"
        );
    }
    let mut o = ClientOptions::new();
    o.sid = Some("HX1".into());
    o.api_key = Some("KEY".into());
    o.proxy = Some("not a url with SECRET".into());
    let err = Client::new(o).unwrap_err();
    assert!(err.to_string().contains("proxy URL is not valid"), "{err}");
    assert!(!err.to_string().contains("SECRET"), "{err}");
}

#[test]
fn the_error_view_is_flat_and_chains_its_cause() {
    let em = emulator();
    em.inject(verify_emulator::Fault::status(503));
    let client = BlockingClient::new(options(&em)).unwrap();
    let err = client.generate(GenerateRequest::new(MOBILE)).unwrap_err();
    assert!(err.is_outcome_unknown());
    assert!(
        !err.is_retryable(),
        "a second generate may text a second code"
    );
    let view = err.view();
    assert_eq!(view.kind, ErrorKind::OutcomeUnknown);
    assert_eq!(view.cause_kind, Some(ErrorKind::Server));
    assert_eq!(view.status, Some(503));
    let cause = std::error::Error::source(&err).expect("a source");
    assert!(cause.to_string().contains("503"), "{cause}");
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["kind"], "outcome_unknown");
    assert_eq!(json["cause_kind"], "server");
    assert!(matches!(err, Error::OutcomeUnknown(_)));
}
