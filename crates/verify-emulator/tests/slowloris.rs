//! Hostile clients do not stop the emulator from serving others (issue 12, part 4):
//! hundreds of slow-loris connections (headers, or a body, trickled a line at a time),
//! oversized headers (one huge value, thousands of small ones) and an oversized body,
//! all at once, while an ordinary client sends and checks codes. Each ordinary call must
//! succeed within a generous bound, and each oversized request must be refused or cut
//! off, never left hanging.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::Harness;
use serde_json::json;

const SLOW_HEADERS: usize = 200;
const SLOW_BODIES: usize = 50;
const ROUNDS: usize = 20;

/// Opens `n` connections that each start a request and then trickle one more line (or
/// body byte) every 200 ms, until `stop`.
fn trickle(addr: SocketAddr, sid: &str, n: usize, body: bool, stop: Arc<AtomicBool>) {
    let mut socks: Vec<TcpStream> = (0..n)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    let head = if body {
        format!(
            "POST /v1/{sid}/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{"
        )
    } else {
        format!("POST /v1/{sid}/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    };
    for s in &mut socks {
        let _ = s.write_all(head.as_bytes());
    }
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        thread::sleep(Duration::from_millis(200));
        let piece = if body {
            " ".to_owned()
        } else {
            format!("X-Slow-{i}: x\r\n")
        };
        // A write error means the server closed the connection: fine.
        socks.retain_mut(|s| s.write_all(piece.as_bytes()).is_ok());
        i += 1;
    }
}

/// Sends one oversized request and returns the status line, or how it ended.
fn oversized(addr: SocketAddr, sid: &str, key: &str, kind: usize) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return "connect failed".to_owned();
    };
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let request = match kind {
        0 => format!(
            "POST /v1/{sid}/verify HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: {key}\r\nX-Big: {}\r\n\r\n",
            "a".repeat(1 << 20)
        ),
        1 => format!(
            "POST /v1/{sid}/verify HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: {key}\r\n{}\r\n",
            (0..5000).map(|i| format!("X-H{i}: v\r\n")).collect::<String>()
        ),
        _ => format!(
            "POST /v1/{sid}/verify HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"pad\":\"{}\"}}",
            (16 << 20) + 10,
            "a".repeat(16 << 20)
        ),
    };
    // The server may stop reading and answer (or close) midway: a write error is fine.
    let _ = s.write_all(request.as_bytes());
    let mut answer = Vec::new();
    let started = Instant::now();
    match s.read_to_end(&mut answer) {
        Ok(_) | Err(_) if !answer.is_empty() => String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned(),
        Ok(_) => "closed without an answer".to_owned(),
        Err(e) => format!("read failed after {:?}: {e}", started.elapsed()),
    }
}

#[test]
fn slow_and_oversized_clients_do_not_stop_others_from_being_served() {
    let h = Harness::new();
    let addr = h.emu.addr();
    let sid = h.emu.sid().to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let mut hostile = Vec::new();
    for body in [false, true] {
        let (sid, stop) = (sid.clone(), stop.clone());
        let n = if body { SLOW_BODIES } else { SLOW_HEADERS };
        hostile.push(thread::spawn(move || trickle(addr, &sid, n, body, stop)));
    }
    let oversize: Vec<_> = (0..9)
        .map(|i| {
            let (sid, key) = (sid.clone(), h.emu.api_key().to_owned());
            thread::spawn(move || (i % 3, oversized(addr, &sid, &key, i % 3)))
        })
        .collect();
    thread::sleep(Duration::from_millis(500));

    let mut slowest = Duration::ZERO;
    for i in 0..ROUNDS {
        let started = Instant::now();
        let mobile = format!("+1202555{i:04}");
        let r = h.post(
            "verify",
            &json!({"to": {"mobile": mobile}, "otp": "123456"}),
        );
        assert_eq!(r.status(), 200, "round {i}: generate");
        let id = r.json::<serde_json::Value>().unwrap()["data"]["verify_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = h.post(
            "verify/validate",
            &json!({"verify_id": id, "otp": "123456"}),
        );
        assert_eq!(r.status(), 200, "round {i}: validate");
        slowest = slowest.max(started.elapsed());
    }
    let outcomes: Vec<(usize, String)> = oversize.into_iter().map(|t| t.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    for t in hostile {
        t.join().unwrap();
    }
    eprintln!(
        "slowloris: {SLOW_HEADERS} slow-header and {SLOW_BODIES} slow-body connections; \
         {ROUNDS} rounds served, slowest {slowest:?}; oversized: {outcomes:?}"
    );
    assert!(slowest < Duration::from_secs(5), "a round took {slowest:?}");
    for (kind, outcome) in &outcomes {
        // Refused with a 4xx, or cut off: never accepted, never left hanging.
        let refused = outcome.starts_with("HTTP/1.1 4") || outcome == "closed without an answer";
        let cut = outcome.starts_with("read failed")
            && !outcome.contains("WouldBlock")
            && !outcome.contains("timed out");
        assert!(refused || cut, "oversized request {kind}: {outcome}");
    }
    let stats = h.emu.stats();
    assert_eq!(stats.otps_generated, ROUNDS as u64, "{stats:?}");
}
