//! The client benchmark's load generator (bench/client/run.sh drives it): the SDK's
//! async client against a bare reqwest call written by hand, the same request to the
//! same server, on one thread. It prints requests per second and the process's own CPU
//! time per request (getrusage, user + system), so the SDK's overhead over the floor of
//! any reqwest-based client is measured, not guessed.
//!
//! A third mode, `hyper`, sends the same request with hyper's own pooled client: the
//! floor beneath reqwest, to tell what reqwest itself costs.
//!
//! Usage: client --mode sdk|reqwest|hyper --url BASE --sid SID --key KEY --verify-id ID
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

type Hyper = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<hyper::body::Bytes>,
>;

/// The same request with hyper's pooled client, no reqwest.
async fn raw_hyper(http: &Hyper, uri: &hyper::Uri, key: &str, body: &[u8]) -> bool {
    use http_body_util::BodyExt;
    let req = hyper::Request::post(uri.clone())
        .header("api-key", key)
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(
            hyper::body::Bytes::copy_from_slice(body),
        ));
    let Ok(req) = req else { return false };
    let Ok(resp) = http.request(req).await else {
        return false;
    };
    let status = resp.status();
    let Ok(collected) = resp.into_body().collect().await else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&collected.to_bytes()).is_ok()
        && status.as_u16() < 600
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

/// `--mode blocking`: `BlockingClient::validate` from `concurrency` plain threads, as a C
/// program or synchronous Python calls it.
fn blocking(a: &Args) {
    let client = verify_http::BlockingClient::builder()
        .sid(&a.sid)
        .api_key(&a.key)
        .base_url(&a.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let stop = AtomicBool::new(false);
    let (done, failed) = (AtomicU64::new(0), AtomicU64::new(0));
    let one = || match client.validate(&a.verify_id, &a.otp) {
        Ok(_) => true,
        Err(e) => e.status().is_some(),
    };
    let warm = Instant::now() + Duration::from_millis(500);
    std::thread::scope(|s| {
        for _ in 0..a.concurrency {
            s.spawn(|| {
                while Instant::now() < warm {
                    one();
                }
            });
        }
    });
    let cpu0 = cpu_time();
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..a.concurrency {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let counter = if one() { &done } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(Duration::from_secs_f64(a.seconds));
        stop.store(true, Ordering::Relaxed);
    });
    report(a, &done, &failed, t0, cpu0);
}

fn report(a: &Args, done: &AtomicU64, failed: &AtomicU64, t0: Instant, cpu0: Duration) {
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
    let mode = match a.mode.as_str() {
        "sdk" => 0,
        "reqwest" => 1,
        "hyper" => 2,
        "blocking" => return blocking(&a),
        m => panic!("unknown mode {m}"),
    };
    let hyper_client: Hyper =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    let uri: hyper::Uri = url.parse().expect("a valid URL");

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    /// What every request reads, shared (one reference count per request, whatever the mode).
    struct Shared {
        sdk: Client,
        http: reqwest::Client,
        hyper: Hyper,
        url: String,
        uri: hyper::Uri,
        body: Vec<u8>,
        key: String,
        id: String,
        otp: String,
    }
    let shared = Arc::new(Shared {
        sdk,
        http,
        hyper: hyper_client,
        url,
        uri,
        body,
        key: a.key.clone(),
        id: a.verify_id.clone(),
        otp: a.otp.clone(),
    });
    let one = move || {
        let s = shared.clone();
        async move {
            match mode {
                // An API error (E909, E912...) is a full answer, read and decoded.
                0 => match s.sdk.validate(&s.id, &s.otp).await {
                    Ok(_) => true,
                    Err(e) => e.status().is_some(),
                },
                1 => bare(&s.http, &s.url, &s.key, &s.body).await,
                _ => raw_hyper(&s.hyper, &s.uri, &s.key, &s.body).await,
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
    report(&a, &done, &failed, t0, cpu0);
}
