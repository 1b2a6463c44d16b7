//! The comparisons scenarios and flows share: an answer against `{"result": ...}`, and the
//! emulator's counters against exact numbers or `{"at_most": n}`.

use libtest_mimic::Failed;
use serde_json::Value;
use verify_emulator::Emulator;

use crate::common::{answered, error_view, requests};

/// Compares a call's result with an expectation holding `"result": "ok"` (with `"ok":
/// {...}`, the fields of the success to compare, optional) or `"result": "error"` with `"error": {...}` (the
/// fields of the error view to compare; fields not named are not checked).
pub fn result(
    got: &Result<Value, verify_http::Error>,
    want: &Value,
    api_key: &str,
) -> Result<(), Failed> {
    match (got, want["result"].as_str()) {
        (Ok(value), Some("ok")) => {
            for (key, w) in want["ok"].as_object().into_iter().flatten() {
                if value.get(key) != Some(w) {
                    return Err(format!("{key}: got {}, expected {w}", value[key]).into());
                }
            }
            Ok(())
        }
        (Err(err), Some("error")) => {
            let view = error_view(err);
            let text = format!("{err} {err:?}");
            if text.contains(api_key) {
                return Err(format!("the API key appears in the error: {text}").into());
            }
            // The Rust spelling of an outcome-unknown error leads with what it means.
            if view["kind"] == "outcome_unknown"
                && !err
                    .to_string()
                    .starts_with("outcome unknown: an OTP may have been sent")
            {
                return Err(format!("outcome unknown says: {err}").into());
            }
            for (key, w) in want["error"].as_object().into_iter().flatten() {
                if &view[key] != w {
                    return Err(
                        format!("error {key}: got {}, expected {w} ({err})", view[key]).into(),
                    );
                }
            }
            Ok(())
        }
        (Ok(value), _) => Err(format!("succeeded with {value}, expected {want}").into()),
        (Err(err), _) => {
            Err(format!("failed with {err} ({}), expected {want}", error_view(err)).into())
        }
    }
}

/// A count against an exact number or `{"at_most": n}`; absent means not checked.
pub fn count(what: &str, got: u64, want: Option<&Value>) -> Result<(), Failed> {
    let Some(want) = want else { return Ok(()) };
    let ok = match (want.as_u64(), want.get("at_most").and_then(Value::as_u64)) {
        (Some(n), _) => got == n,
        (None, Some(max)) => got <= max,
        _ => return Err(format!("{what}: cannot read the expectation {want}").into()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{what}: {got}, expected {want}").into())
    }
}

/// `requests` (on `route`), `answered` (per status on `route`, 0 = dropped) and
/// `otps_generated`, as far as `want` names them.
pub fn counters(em: &Emulator, route: &str, want: &Value) -> Result<(), Failed> {
    count(
        &format!("requests on {route}"),
        requests(em, route),
        want.get("requests"),
    )?;
    for (status, n) in want
        .get("answered")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let s: u16 = status.parse().map_err(|_| format!("bad status {status}"))?;
        count(
            &format!("{route} answered {s}"),
            answered(em, route, s),
            Some(n),
        )?;
    }
    count(
        "otps_generated",
        em.stats().otps_generated,
        want.get("otps_generated"),
    )
}
