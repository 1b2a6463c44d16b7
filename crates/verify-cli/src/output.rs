//! How results and errors are shown: text for people, `--json` for scripts, and the
//! exit code, derived from the error kind in verify-core's table.

use serde_json::{json, Value};
use verify_core::{CheckOutcome, Error, ErrorKind, Generated, CODES};

/// Exit status for `check` when the code was not verified.
pub const EXIT_NOT_VERIFIED: u8 = 1;

/// 10 + the kind's stable number (`verify_core::ErrorKind`), listed in `--help`.
pub fn exit_code(err: &Error) -> u8 {
    kind_exit_code(err.kind())
}

fn kind_exit_code(kind: ErrorKind) -> u8 {
    // Kinds are numbered from 1 and stay far below 245.
    10 + kind.number() as u8
}

/// The error as JSON: verify-core's plain-data view, the same fields every binding
/// shows. Never the API key: `Error` cannot hold it.
pub fn error_json(err: &Error) -> Value {
    json!({ "error": err.view() })
}

/// An error and, where the place it arose knows better than its kind, the hint for it
/// (a bad `--ca-cert` and a port in use are both `invalid_config`).
#[derive(Debug)]
pub struct Failure {
    pub err: Error,
    pub hint: Option<&'static str>,
}

impl Failure {
    pub fn hint(mut self, hint: &'static str) -> Failure {
        self.hint = Some(hint);
        self
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        Failure { err, hint: None }
    }
}

/// Writes results in the chosen format.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    pub fn generated(self, g: &Generated) {
        if self.json {
            println!("{}", generated_json(g));
        } else {
            println!("OTP sent.");
            println!("  verify_id  {}", g.verify_id);
            if let Some(m) = &g.mobile {
                println!("  mobile     {m}");
            }
            if let Some(e) = &g.email {
                println!("  email      {e}");
            }
            if let Some(f) = &g.flow_id {
                println!("  flow_id    {f}");
            }
            println!(
                "Check it with: kaleyra-verify check --verify-id {} --otp CODE",
                g.verify_id
            );
        }
    }

    pub fn outcome(self, verify_id: &str, outcome: CheckOutcome) {
        if self.json {
            println!(
                "{}",
                json!({"verify_id": verify_id, "outcome": outcome.as_str(), "verified": outcome.is_verified()})
            );
        } else {
            println!("{}", describe(outcome));
        }
    }

    pub fn error(self, failure: &Failure) {
        let err = &failure.err;
        if self.json {
            println!("{}", error_json(err));
        } else {
            eprintln!("error ({}): {err}", err.kind());
            if let Some(hint) = failure.hint.or_else(|| hint(err)) {
                eprintln!("hint: {hint}");
            }
        }
    }
}

/// `kaleyra-verify codes`: the table of codes and the table of kinds, both straight from
/// verify-core, so the command can never disagree with the SDK.
pub fn codes(out: Out) {
    if out.json {
        let kinds: Vec<Value> = ErrorKind::ALL
            .iter()
            .map(|k| json!({"kind": k.as_str(), "exit_code": kind_exit_code(*k), "description": k.description()}))
            .collect();
        println!("{}", json!({"codes": CODES, "kinds": kinds}));
        return;
    }
    println!(
        "{:<6} {:<15} {:<10} {:<6} meaning",
        "code", "category", "parameter", "status"
    );
    for c in CODES {
        println!(
            "{:<6} {:<15} {:<10} {:<6} {}",
            c.code,
            c.category.as_str(),
            c.parameter,
            c.http_status,
            c.meaning
        );
    }
    println!("\n{:<16} {:<5} meaning", "kind", "exit");
    for k in ErrorKind::ALL {
        println!(
            "{:<16} {:<5} {}",
            k.as_str(),
            kind_exit_code(*k),
            k.description()
        );
    }
}

pub fn generated_json(g: &Generated) -> Value {
    json!(g)
}

/// A sentence for each outcome.
pub fn describe(outcome: CheckOutcome) -> &'static str {
    match outcome {
        CheckOutcome::Verified => "Verified: the code is correct.",
        CheckOutcome::WrongCode => "Not verified: wrong code.",
        CheckOutcome::Expired => "Not verified: the code has expired; send a new one.",
        CheckOutcome::AlreadyVerified => {
            "Not verified: the code was already used (codes are single-use)."
        }
        CheckOutcome::TooManyAttempts => "Not verified: too many attempts; send a new code.",
        CheckOutcome::NotFound => "Not verified: no such verification.",
        _ => outcome.description(),
    }
}

fn hint(err: &Error) -> Option<&'static str> {
    use verify_core::ErrorKind as K;
    // No hint for invalid_config here: its causes differ, and each place that raises one
    // gives its own (see `Failure::hint`).
    Some(match err.kind() {
        K::Authentication => "check the SID and API key of your Kaleyra account",
        K::OutcomeUnknown => "the OTP may have reached the user; do not resend blindly",
        K::Connect => "is the base URL right and the service reachable?",
        _ => return None,
    })
}
