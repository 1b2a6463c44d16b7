//! The transport over real sockets: connect failures and their retries, TLS with the
//! emulator's certificate as an extra root, a proxy that is really traversed, and
//! cancellation by dropping a call.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use verify_emulator::{Emulator, EmulatorConfig, Fault};
use verify_http::{Client, Error, ErrorKind, GenerateRequest, RetryPolicy, TransportKind};

/// A loopback port with nothing listening on it.
fn closed_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

fn client_for(url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .sid("HXEMULATOR01")
        .api_key("emulator-api-key")
        .base_url(url)
        .retry_policy(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error_after_the_retries() {
    let url = format!("http://{}", closed_port());
    let retry = RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100));
    let started = Instant::now();
    let err = client_for(&url, retry)
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap_err();
    // Two backoffs of 50..100 ms each: the connect failure was retried.
    assert!(started.elapsed() >= Duration::from_millis(100));
    // Nothing was sent: a plain connect error, not "outcome unknown".
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportKind::Connect));

    let err = client_for(&url, RetryPolicy::none())
        .validate("id", "123456")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect);
}

#[tokio::test]
async fn a_connect_failure_is_retried_until_the_service_comes_up() {
    let addr = closed_port();
    let (tx, rx) = std::sync::mpsc::channel();
    let starter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(250));
        let em = Emulator::start(EmulatorConfig {
            bind: addr,
            ..EmulatorConfig::default()
        })
        .unwrap();
        tx.send(em).unwrap();
    });
    let retry = RetryPolicy::new()
        .max_attempts(20)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(100));
    let sent = client_for(&format!("http://{addr}"), retry)
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap();
    starter.join().unwrap();
    let em = rx.recv().unwrap();
    assert_eq!(em.stats().otps_generated, 1);
    assert!(em.last_code(&sent.verify_id).is_some());
}

#[tokio::test]
async fn tls_with_the_emulator_certificate_as_an_extra_root() {
    let em = Emulator::start(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .unwrap();
    assert!(em.base_url().starts_with("https://localhost:"));
    let pem = em.ca_cert_pem().expect("a CA certificate");
    let client = builder(&em).add_root_certificate_pem(pem).build().unwrap();
    let (sent, code) = sent(&em, &client).await;
    assert!(client.validate(&sent.verify_id, &code).await.is_ok());

    // Without it the certificate is refused during the handshake: nothing was sent.
    let untrusting = builder(&em).build().unwrap();
    let err = untrusting
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap_err();
    // Its own kind, not `connect`: not retried (one handshake), and the message says why.
    assert_eq!(err.kind(), ErrorKind::Certificate, "{err}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("ca_cert_pem"), "{err}");
    assert_eq!(em.stats().otps_generated, 1);
    let before = em.stats().connections_accepted;
    let err = untrusting.validate("some-id", "123456").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Certificate, "{err}");
    assert_eq!(
        em.stats().connections_accepted,
        before + 1,
        "one handshake, no retry"
    );
}

/// A tiny forward proxy: CONNECT tunnels to the named host, and absolute-form requests
/// to `upstream`. It counts the connections it accepts and the request lines it reads.
async fn start_proxy(
    upstream: SocketAddr,
) -> (SocketAddr, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let conns = Arc::new(AtomicUsize::new(0));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (c, l) = (conns.clone(), lines.clone());
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let lines = l.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if inbound.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).to_string();
                let first = text.lines().next().unwrap_or("").to_owned();
                lines.lock().unwrap().push(first.clone());
                let mut outbound = if let Some(target) = first.strip_prefix("CONNECT ") {
                    let target = target.split(' ').next().unwrap();
                    let out = TcpStream::connect(target).await.unwrap();
                    inbound
                        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                        .await
                        .unwrap();
                    out
                } else {
                    let mut out = TcpStream::connect(upstream).await.unwrap();
                    out.write_all(&head).await.unwrap();
                    out
                };
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (addr, conns, lines)
}

#[tokio::test]
async fn an_http_proxy_is_traversed() {
    let em = emulator();
    let (proxy, conns, lines) = start_proxy(em.addr()).await;
    let client = builder(&em)
        .proxy(format!("http://{proxy}"))
        .build()
        .unwrap();
    let (sent, code) = sent(&em, &client).await;
    assert!(client.validate(&sent.verify_id, &code).await.is_ok());
    assert_eq!(
        conns.load(Ordering::SeqCst),
        1,
        "one pooled connection, via the proxy"
    );
    assert_eq!(em.stats().connections_accepted, 1);
    let first = lines.lock().unwrap()[0].clone();
    assert!(
        first.starts_with(&format!("POST {}/v1/", em.base_url())),
        "absolute-form through the proxy: {first}"
    );
}

#[tokio::test]
async fn an_https_base_url_is_tunnelled_through_the_proxy() {
    let em = Emulator::start(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let (proxy, conns, lines) = start_proxy(em.addr()).await;
    let client = builder(&em)
        .add_root_certificate_pem(em.ca_cert_pem().unwrap())
        .proxy(format!("http://{proxy}"))
        .build()
        .unwrap();
    let sent = client.generate(GenerateRequest::new(MOBILE)).await.unwrap();
    assert!(!sent.verify_id.is_empty());
    assert_eq!(conns.load(Ordering::SeqCst), 1);
    let first = lines.lock().unwrap()[0].clone();
    assert_eq!(
        first,
        format!("CONNECT localhost:{} HTTP/1.1", em.addr().port()),
        "the proxy saw a tunnel, not the request (nor the key)"
    );
}

#[tokio::test]
async fn dropping_a_call_cancels_it_and_the_client_goes_on() {
    let em = emulator();
    let client = client(&em);
    em.inject(Fault::latency(Duration::from_secs(2)));
    let call = client.validate("some-id", "123456");
    assert!(tokio::time::timeout(Duration::from_millis(200), call)
        .await
        .is_err());
    // The cancelled call's connection was closed, not returned to the pool: the next
    // call opens a second one and is answered at once.
    let started = Instant::now();
    let err = client.validate("some-id", "123456").await.unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("E909"));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(em.stats().connections_accepted, 2);
}
