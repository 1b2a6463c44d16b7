//! The Rust half of bench/c: `BlockingClient::check` from N threads sharing one client,
//! the same loop bench.c runs through the C ABI, so that run.sh can compare the two.
//! Prints one line: `mode=rust threads=N calls=.. rps=.. cpu_us_per_call=..`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use verify_http::{BlockingClient, ClientOptions};

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        let i = args
            .iter()
            .position(|a| a == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        args[i + 1].clone()
    };
    let threads: usize = arg("--threads").parse().expect("--threads N");
    let seconds: f64 = arg("--seconds").parse().expect("--seconds S");
    let (verify_id, otp) = (arg("--verify-id"), arg("--otp"));
    let mut options = ClientOptions::default();
    options.sid = Some(arg("--sid"));
    options.api_key = Some(arg("--key"));
    options.base_url = Some(arg("--url"));
    let client = BlockingClient::new(options).expect("client");
    // One warm-up call per thread's connection.
    client.check(&verify_id, &otp).expect("warm-up check");

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let (cpu0, t0) = (cpu_seconds(), Instant::now());
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (client, stop, calls) = (client.clone(), stop.clone(), calls.clone());
            let (id, otp) = (verify_id.clone(), otp.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    client.check(&id, &otp).expect("check");
                    calls.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
    let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    let n = calls.load(Ordering::Relaxed);
    println!(
        "mode=rust threads={threads} calls={n} rps={:.0} cpu_us_per_call={:.1}",
        n as f64 / wall,
        cpu * 1e6 / n as f64
    );
}
