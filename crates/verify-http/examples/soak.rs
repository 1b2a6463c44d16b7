//! The soak client (bench/soak/run.sh): REQUESTS requests from one async `Client` at
//! CONCURRENCY in flight, as rounds of generate (with a caller-supplied code) then check
//! of that code, against an emulator given by KALEYRA_SID / KALEYRA_API_KEY /
//! KALEYRA_BASE_URL. Prints one progress line per 10% and a JSON summary: requests,
//! errors (a failed call, or a right code not `verified`) by kind, and its own resident
//! memory after the client was built, at its peak (VmHWM) and at the end.
//!
//! `cargo run --release --example soak -- [REQUESTS] [CONCURRENCY]`

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use verify_http::{CheckOutcome, Client, GenerateRequest};

/// A field of /proc/self/status in kB (VmRSS, VmHWM).
fn status_kb(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let requests: u64 = args
        .next()
        .map_or(1_000_000, |a| a.parse().expect("REQUESTS"));
    let concurrency: u64 = args.next().map_or(256, |a| a.parse().expect("CONCURRENCY"));
    let rounds = requests / 2;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let client = Client::from_env().expect("KALEYRA_* name the emulator");
    let rss_start = status_kb("VmRSS");
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let errors: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (client, next, done, errors) =
                (client.clone(), next.clone(), done.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                let error = |what: String| *errors.lock().unwrap().entry(what).or_default() += 1;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= rounds {
                        break;
                    }
                    let mobile = format!("+1{:010}", 2_000_000_000 + i);
                    let otp = format!("{:06}", i % 1_000_000);
                    match client
                        .generate(GenerateRequest::new(mobile).otp(&otp))
                        .await
                    {
                        Ok(sent) => match client.check(sent.verify_id, otp).await {
                            Ok(CheckOutcome::Verified) => {}
                            Ok(other) => error(format!("check: {}", other.as_str())),
                            Err(e) => error(format!("check: {}", e.kind())),
                        },
                        Err(e) => error(format!("generate: {}", e.kind())),
                    }
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if d % (rounds / 10).max(1) == 0 {
                        eprintln!(
                            "soak: {} requests, {:.0} s, client VmRSS {} kB",
                            d * 2,
                            started.elapsed().as_secs_f64(),
                            status_kb("VmRSS")
                        );
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("a soak task");
        }
    });
    let secs = started.elapsed().as_secs_f64();
    let errors = errors.lock().unwrap().clone();
    let summary = serde_json::json!({
        "requests": rounds * 2,
        "concurrency": concurrency,
        "seconds": secs,
        "requests_per_sec": (rounds * 2) as f64 / secs,
        "errors": errors.values().sum::<u64>(),
        "errors_by_kind": errors,
        "client_rss_kb": {"start": rss_start, "peak": status_kb("VmHWM"), "end": status_kb("VmRSS")},
    });
    println!("{summary}");
}
