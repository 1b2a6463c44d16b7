//! The client benchmark's load generator (bench/client/run.sh drives it): the SDK's
//! async client against a bare reqwest call written by hand, the same request to the
//! same server, on one thread. It prints requests per second and the process's own CPU
//! time per request (getrusage, user + system), so the SDK's overhead over the floor of
//! any reqwest-based client is measured, not guessed.
//!
//! Usage: client --mode sdk|reqwest --url BASE --sid SID --key KEY --verify-id ID
//!        --otp CODE --concurrency N --seconds S

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use verify_http::{Client, RetryPolicy};

struct Args {
    mode: String,
    url: String,
    sid: String,
    key: String,
    verify_id: String,
    otp: String,
    concurrency: usize,
    seconds: f64,
}

fn args() -> Args {
    let mut a = Args {
        mode: "sdk".into(),
        url: "http://127.0.0.1:8080".into(),
        sid: "HXAP00000000000000".into(),
        key: "A0000000000000000000000000000000".into(),
        verify_id: "00000000-0000-4000-8000-000000000000".into(),
        otp: "123456".into(),
        concurrency: 1,
        seconds: 5.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--bench" {
            continue; // added by `cargo bench`
        }
        let v = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--mode" => a.mode = v,
            "--url" => a.url = v,
            "--sid" => a.sid = v,
            "--key" => a.key = v,
            "--verify-id" => a.verify_id = v,
            "--otp" => a.otp = v,
            "--concurrency" => a.concurrency = v.parse().expect("--concurrency N"),
            "--seconds" => a.seconds = v.parse().expect("--seconds S"),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// One request by hand: what any reqwest-based client must do at least.
async fn bare(http: &reqwest::Client, url: &str, key: &str, body: &[u8]) -> bool {
    let resp = match http
        .post(url)
        .header("api-key", key)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
    {
        Ok(r) => r,
        Err(_) => return false,
    };
    let status = resp.status();
    let Ok(bytes) = resp.bytes().await else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok() && status.as_u16() < 600
}

fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(a));
}

async fn run(a: Args) {
    let sdk = Client::builder()
        .sid(&a.sid)
        .api_key(&a.key)
        .base_url(&a.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!(
        "{}/v1/{}/verify/validate",
        a.url.trim_end_matches('/'),
        a.sid
    );
    let body =
        serde_json::to_vec(&serde_json::json!({"verify_id": a.verify_id, "otp": a.otp})).unwrap();
    let sdk_mode = match a.mode.as_str() {
        "sdk" => true,
        "reqwest" => false,
        m => panic!("unknown mode {m}"),
    };

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let one = {
        let (sdk, http, url, body, key) = (sdk, http, url, body, a.key.clone());
        let (id, otp) = (a.verify_id.clone(), a.otp.clone());
        move || {
            let (sdk, http, url, body, key, id, otp) = (
                sdk.clone(),
                http.clone(),
                url.clone(),
                body.clone(),
                key.clone(),
                id.clone(),
                otp.clone(),
            );
            async move {
                if sdk_mode {
                    // An API error (E909, E912...) is a full answer, read and decoded.
                    match sdk.validate(&id, &otp).await {
                        Ok(_) => true,
                        Err(e) => e.status().is_some(),
                    }
                } else {
                    bare(&http, &url, &key, &body).await
                }
            }
        }
    };

    // Warm up: open the connections, fill the caches.
    let warm = Instant::now() + Duration::from_millis(500);
    let mut tasks = Vec::new();
    for _ in 0..a.concurrency {
        let one = one.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < warm {
                one().await;
            }
        }));
    }
    for t in tasks.drain(..) {
        t.await.unwrap();
    }

    let cpu0 = cpu_time();
    let t0 = Instant::now();
    for _ in 0..a.concurrency {
        let (one, stop, done, failed) = (one.clone(), stop.clone(), done.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if one().await {
                    done.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs_f64(a.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = (cpu_time() - cpu0).as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    let rps = n as f64 / wall;
    let cpu_us = if n > 0 { cpu * 1e6 / n as f64 } else { 0.0 };
    println!(
        "mode={} concurrency={} requests={} failed={} seconds={:.2} rps={:.0} cpu_us_per_req={:.1}",
        a.mode,
        a.concurrency,
        n,
        failed.load(Ordering::Relaxed),
        wall,
        rps,
        cpu_us
    );
}
