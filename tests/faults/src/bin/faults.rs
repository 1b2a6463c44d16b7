//! The fault run: for each fault, the emulator behind a fault proxy, a client driver
//! (any language: the command after `--`) fed a plan, and the promises checked:
//!
//! - no call outlives its total timeout by more than `--max-overshoot-ms` (the worst
//!   overshoot is reported);
//! - generate never produced a second OTP: the emulator's outbox holds at most one
//!   verification per number, and it is the one the client was told about;
//! - a wrong code is never `verified`, and every failure is a typed kind;
//! - with no fault, every call succeeds (the harness itself works).
//!
//! `faults [--long] [--seed N] [--report FILE] [--underlay TEXT] -- DRIVER [ARGS...]`;
//! exits 1 on any broken promise. tests/faults/run.sh picks the driver by language.
//! `--underlay` names a fault the kernel adds beneath every one of these (packet loss in
//! a network namespace): then the `none` row is that fault alone, and need not be clean.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use verify_emulator::{Channel, Emulator, EmulatorConfig};
use verify_faults::proxy::{Fault, Proxy};
use verify_faults::{Op, Plan, Report};

struct Args {
    long: bool,
    underlay: Option<String>,
    seed: u64,
    report: Option<String>,
    max_overshoot_ms: f64,
    driver: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        long: false,
        underlay: None,
        seed: 12,
        report: None,
        max_overshoot_ms: 1000.0,
        driver: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--long" => a.long = true,
            "--seed" => {
                a.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--report" => a.report = Some(value("--report")?),
            "--underlay" => a.underlay = Some(value("--underlay")?),
            "--max-overshoot-ms" => {
                a.max_overshoot_ms = value("--max-overshoot-ms")?
                    .parse()
                    .map_err(|e| format!("--max-overshoot-ms: {e}"))?
            }
            "--" => {
                a.driver = it.collect();
                break;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.driver.is_empty() {
        return Err(
            "usage: faults [--long] [--seed N] [--report FILE] [--max-overshoot-ms MS] \
             [--underlay TEXT] -- DRIVER [ARGS...]"
                .into(),
        );
    }
    Ok(a)
}

/// The faults of a run, with the number of generate calls (each followed by a check of
/// a wrong code and one of the right code) and the client's total timeout.
fn faults(long: bool) -> Vec<(Fault, usize)> {
    let n = if long { 40 } else { 3 };
    vec![
        (Fault::None, n),
        (
            Fault::Delay {
                ms: if long { 300 } else { 120 },
                jitter_ms: if long { 250 } else { 80 },
            },
            n,
        ),
        (
            Fault::Loss {
                percent: if long { 25.0 } else { 15.0 },
                rto_ms: 200,
            },
            n,
        ),
        (
            Fault::Bandwidth {
                bytes_per_sec: if long { 150 } else { 2000 },
            },
            n,
        ),
        (Fault::Blackhole, if long { 10 } else { 2 }),
        (
            Fault::Reset {
                after_bytes: 12,
                percent: if long { 30.0 } else { 40.0 },
            },
            n,
        ),
    ]
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("faults: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator = Emulator::start(EmulatorConfig::default()).expect("the emulator starts");
    let timeout_ms = if args.long { 3000.0 } else { 1500.0 };
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut broken = Vec::new();
    let mut rows = Vec::new();
    let mut language = String::from("?");
    for (index, (fault, n)) in faults(args.long).into_iter().enumerate() {
        let proxy = Proxy::start(emulator.addr(), fault, args.seed + index as u64)
            .expect("the proxy starts");
        let client = json!({
            "sid": emulator.sid(),
            "api_key": emulator.api_key(),
            "base_url": format!("http://{}", proxy.addr()),
            "timeout_ms": timeout_ms,
            "connect_timeout_ms": 1000.0,
            "max_attempts": 3.0,
            "initial_backoff_ms": 50.0,
            "max_backoff_ms": 200.0,
        });
        let mut ops = Vec::new();
        let mut mobiles = Vec::new();
        for i in 0..n {
            let mobile = format!("+1202{index:03}{i:04}");
            let code: u32 = rng.random_range(100_000..1_000_000);
            let wrong = if code == 999_999 { 100_000 } else { code + 1 };
            mobiles.push((ops.len(), mobile.clone()));
            ops.push(Op::Generate {
                mobile,
                otp: code.to_string(),
            });
            let of = ops.len() - 1;
            ops.push(Op::Check {
                of,
                otp: wrong.to_string(),
            });
            ops.push(Op::Check {
                of,
                otp: code.to_string(),
            });
        }
        let generated_before = emulator.stats().otps_generated;
        let plan = Plan { client, ops };
        let budget = Duration::from_secs_f64(
            plan.ops.len() as f64 * (timeout_ms + args.max_overshoot_ms) / 1000.0 + 30.0,
        );
        let report = match run_driver(&args.driver, &plan, budget) {
            Ok(r) => r,
            Err(e) => {
                broken.push(format!("{}: {e}", fault.name()));
                continue;
            }
        };
        language = report.language.clone();
        let mut fail = |why: String| broken.push(format!("{}: {why}", fault.name()));
        if report.results.len() != plan.ops.len() {
            fail(format!(
                "{} results for {} ops",
                report.results.len(),
                plan.ops.len()
            ));
            continue;
        }
        // Timeouts.
        let ran: Vec<_> = report.results.iter().filter(|r| !r.skipped).collect();
        let slowest = ran.iter().map(|r| r.elapsed_ms).fold(0.0, f64::max);
        let overshoot = (slowest - timeout_ms).max(0.0);
        if overshoot > args.max_overshoot_ms {
            fail(format!(
                "a call took {slowest:.1} ms, {overshoot:.1} ms past its {timeout_ms} ms timeout"
            ));
        }
        // Typed failures, and a wrong code never verified.
        let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
        let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
        for (op, r) in plan.ops.iter().zip(&report.results) {
            if let Some(o) = &r.outcome {
                *outcomes.entry(o.clone()).or_default() += 1;
            }
            if !r.ok && !r.skipped {
                match &r.kind {
                    Some(k) if !k.is_empty() => *kinds.entry(k.clone()).or_default() += 1,
                    _ => fail(format!("a failure without a kind: {r:?}")),
                }
            }
            if let Op::Check { of, otp } = op {
                let Op::Generate { otp: right, .. } = &plan.ops[*of] else {
                    unreachable!("checks refer to generates")
                };
                if otp != right && r.outcome.as_deref() == Some("verified") {
                    fail(format!("a wrong code was verified: {r:?}"));
                }
                // The right code is checked once: "already verified" can only come from
                // this call's own lost attempt, which the client must report as verified.
                if otp == right && r.outcome.as_deref() == Some("already_verified") {
                    fail(format!(
                        "a lost verification came back as already_verified: {r:?}"
                    ));
                }
            }
        }
        // No second OTP: the emulator's outbox, per number.
        let outbox = emulator.outbox();
        let mut second = 0;
        for (at, mobile) in &mobiles {
            let recipient = mobile.trim_start_matches('+');
            let ids: BTreeSet<&str> = outbox
                .iter()
                .filter(|d| d.channel == Channel::Sms && d.recipient == recipient)
                .map(|d| d.verify_id.as_str())
                .collect();
            if ids.len() > 1 {
                second += ids.len() - 1;
                fail(format!("{mobile} received {} OTPs", ids.len()));
            }
            if let Some(id) = &report.results[*at].verify_id {
                if !ids.contains(id.as_str()) {
                    fail(format!(
                        "{mobile}: the client's verify_id {id} was never sent"
                    ));
                }
            }
        }
        let generated = emulator.stats().otps_generated - generated_before;
        if generated > n as u64 {
            fail(format!("{generated} OTPs generated for {n} generate calls"));
        }
        let ok = report.results.iter().filter(|r| r.ok).count();
        let skipped = report.results.iter().filter(|r| r.skipped).count();
        let verified = report
            .results
            .iter()
            .filter(|r| r.outcome.as_deref() == Some("verified"))
            .count();
        if fault == Fault::None
            && args.underlay.is_none()
            && (ok != plan.ops.len() || verified != n)
        {
            fail(format!(
                "without a fault {ok} of {} calls succeeded, {verified} of {n} verified",
                plan.ops.len()
            ));
        }
        println!(
            "{:<9} calls={:<3} ok={:<3} failed={:<3} skipped={:<3} verified={:<3} otps={:<3} second_otps={} resets={} slowest_ms={:.1} worst_overshoot_ms={:.1} kinds={:?} outcomes={:?}",
            fault.name(),
            plan.ops.len(),
            ok,
            ran.len() - ok,
            skipped,
            verified,
            generated,
            second,
            proxy.resets(),
            slowest,
            overshoot,
            kinds,
            outcomes
        );
        rows.push(json!({
            "fault": fault,
            "calls": plan.ops.len(),
            "ok": ok,
            "failed": ran.len() - ok,
            "skipped": skipped,
            "verified": verified,
            "otps_generated": generated,
            "second_otps": second,
            "resets": proxy.resets(),
            "slowest_ms": slowest,
            "worst_overshoot_ms": overshoot,
            "kinds": kinds,
            "outcomes": outcomes,
        }));
    }
    let summary = json!({
        "language": language,
        "mode": if args.long { "long" } else { "short" },
        "underlay": args.underlay,
        "timeout_ms": timeout_ms,
        "faults": rows,
        "broken": broken,
    });
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&summary).expect("the summary serialises");
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("faults: cannot write {path}: {e}");
        }
    }
    emulator.shutdown();
    if broken.is_empty() {
        let under = args.underlay.as_deref().unwrap_or("nothing");
        println!("faults: {language} (beneath: {under}): every promise held");
        ExitCode::SUCCESS
    } else {
        for b in &broken {
            eprintln!("BROKEN {b}");
        }
        ExitCode::FAILURE
    }
}

/// Runs the driver with the plan on stdin and reads its report; kills it past `budget`.
fn run_driver(cmd: &[String], plan: &Plan, budget: Duration) -> Result<Report, String> {
    let mut child = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the driver {cmd:?}: {e}"))?;
    let input = serde_json::to_vec(plan).expect("the plan serialises");
    child
        .stdin
        .take()
        .expect("a piped stdin")
        .write_all(&input)
        .map_err(|e| format!("cannot write the plan: {e}"))?;
    let mut stdout = child.stdout.take().expect("a piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > budget {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the driver hung: still running after {budget:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = reader
        .join()
        .map_err(|_| "the reader panicked".to_owned())?
        .map_err(|e| format!("cannot read the report: {e}"))?;
    if !status.success() {
        return Err(format!("the driver failed ({status})"));
    }
    serde_json::from_str(out.trim()).map_err(|e| format!("the report is not JSON ({e}): {out}"))
}
