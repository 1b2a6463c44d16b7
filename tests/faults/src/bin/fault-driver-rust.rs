//! The Rust client's fault driver: reads a `Plan` (JSON) on stdin, runs its ops with one
//! `BlockingClient`, prints a `Report` (JSON) on stdout. The contract every language's
//! driver follows is in tests/faults/README.md.

use std::collections::HashMap;
use std::io::Read;
use std::time::Instant;

use verify_faults::{Op, OpResult, Plan, Report};
use verify_http::{BlockingClient, ClientOptions, Error, GenerateRequest};

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("a plan on stdin");
    let plan: Plan = serde_json::from_str(&input).expect("a plan in JSON");
    let options = ClientOptions::from_json(&plan.client.to_string()).expect("client options");
    let client = BlockingClient::new(options).expect("a client");
    let mut ids: HashMap<usize, String> = HashMap::new();
    let mut results = Vec::with_capacity(plan.ops.len());
    for (i, op) in plan.ops.iter().enumerate() {
        let result = match op {
            Op::Generate { mobile, otp } => {
                let started = Instant::now();
                let r = client.generate(GenerateRequest::new(mobile).otp(otp));
                let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
                match r {
                    Ok(g) => {
                        ids.insert(i, g.verify_id.clone());
                        OpResult {
                            elapsed_ms,
                            ok: true,
                            verify_id: Some(g.verify_id),
                            ..OpResult::default()
                        }
                    }
                    Err(e) => failed(elapsed_ms, &e),
                }
            }
            Op::Check { of, otp } => match ids.get(of) {
                None => OpResult {
                    skipped: true,
                    ..OpResult::default()
                },
                Some(id) => {
                    let started = Instant::now();
                    let r = client.check(id, otp);
                    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
                    match r {
                        Ok(outcome) => OpResult {
                            elapsed_ms,
                            ok: true,
                            outcome: Some(outcome.as_str().to_owned()),
                            ..OpResult::default()
                        },
                        Err(e) => failed(elapsed_ms, &e),
                    }
                }
            },
        };
        results.push(result);
    }
    let report = Report {
        language: "rust".to_owned(),
        results,
    };
    println!(
        "{}",
        serde_json::to_string(&report).expect("a report serialises")
    );
}

fn failed(elapsed_ms: f64, e: &Error) -> OpResult {
    let view = e.view();
    OpResult {
        elapsed_ms,
        kind: Some(view.kind.to_string()),
        code: view.code,
        ..OpResult::default()
    }
}
