//! The conformance runner: every fault scenario (`conformance/scenarios.json`) and every
//! end-to-end flow (`conformance/flows.json`) against a fresh emulator over loopback, one
//! named test each. The cases are data so that Python, Node and C run the very same ones;
//! conformance/README.md says the format.

#[path = "../common/mod.rs"]
mod common;
mod expect;
mod flows;
mod scenarios;

use std::path::PathBuf;

use libtest_mimic::{Arguments, Trial};
use serde_json::Value;

/// The number of scenarios and flows the files hold today; fewer means a file lost some.
const EXPECTED_SCENARIOS: usize = 51;
const EXPECTED_FLOWS: usize = 9;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../conformance")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() {
    let (scenarios, flows) = (load("scenarios.json"), load("flows.json"));
    let list = |v: &Value, k: &str| v[k].as_array().cloned().unwrap_or_default();
    let (s, f) = (list(&scenarios, "scenarios"), list(&flows, "flows"));
    assert!(
        s.len() >= EXPECTED_SCENARIOS && f.len() >= EXPECTED_FLOWS,
        "only {} scenarios and {} flows found, expected at least {EXPECTED_SCENARIOS} and {EXPECTED_FLOWS}",
        s.len(),
        f.len()
    );
    let mut trials: Vec<Trial> = Vec::new();
    let defaults = scenarios["defaults"].clone();
    trials.extend(s.into_iter().map(|case| scenarios::trial(&defaults, case)));
    let defaults = flows["defaults"].clone();
    trials.extend(f.into_iter().map(|case| flows::trial(&defaults, case)));
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// Runs `body` on a runtime of its own (each trial runs on a libtest thread).
fn block_on<F: std::future::Future>(body: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(body)
}
