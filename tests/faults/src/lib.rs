//! Network faults below HTTP (issue 12, part 1). The run (`src/bin/faults.rs`) starts the
//! emulator, puts a [`proxy::Proxy`] with one fault in front of it, hands a client
//! *driver* a [`Plan`] on stdin, reads its [`Report`] from stdout, and checks the promises
//! against the emulator's own counters. A driver is a small program per language
//! (`fault-driver-rust` here; Python, Node and C join by writing the same contract, see
//! `tests/faults/README.md`), so every client meets the same faults and the same checks.

pub mod proxy;

use serde::{Deserialize, Serialize};

/// What a driver is asked to do: build one client from `client` (the ClientOptions
/// fields, as every binding accepts them) and run `ops` in order, one at a time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// The client's options: sid, api_key, base_url, timeout_ms, connect_timeout_ms, ...
    pub client: serde_json::Value,
    /// The calls.
    pub ops: Vec<Op>,
}

/// One call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// `generate` to `mobile`, with the caller-supplied code `otp`.
    Generate {
        /// The number.
        mobile: String,
        /// The code to send.
        otp: String,
    },
    /// `check(verify_id, otp)`, with the verify_id that op number `of` (a generate)
    /// returned; skipped when that generate failed.
    Check {
        /// Index of the generate op.
        of: usize,
        /// The code to check.
        otp: String,
    },
}

/// What a driver prints: one result per op, in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// `rust`, `python`, `node`, `c`.
    pub language: String,
    /// One per op.
    pub results: Vec<OpResult>,
}

/// The result of one op.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OpResult {
    /// True when the op was not run (its generate failed).
    #[serde(default)]
    pub skipped: bool,
    /// Wall-clock time of the call, in milliseconds, measured around the call alone.
    #[serde(default)]
    pub elapsed_ms: f64,
    /// True when the call returned a value.
    #[serde(default)]
    pub ok: bool,
    /// Generate: the verify_id returned.
    #[serde(default)]
    pub verify_id: Option<String>,
    /// Check: the outcome's snake_case name (`verified`, `wrong_code`, ...).
    #[serde(default)]
    pub outcome: Option<String>,
    /// A failure: the error's kind from verify-core's table (`timeout`, `outcome_unknown`, ...).
    #[serde(default)]
    pub kind: Option<String>,
    /// A failure: the code, when the service sent one.
    #[serde(default)]
    pub code: Option<String>,
}
