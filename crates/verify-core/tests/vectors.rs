//! Every case of `conformance/vectors/*.json`, read at test time, one named test each.
//! The files are the contract all four languages pass (tests/drift.rs keeps them equal
//! to `../shared/vectors/` when that folder is present).

use std::path::PathBuf;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use verify_core::{decode_generate, decode_validate, Error, GenerateRequest, ValidateRequest};

/// The number of cases the vector files hold today; fewer means a file lost some.
const EXPECTED_CASES: usize = 52;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../conformance/vectors")
}

fn load(name: &str) -> Value {
    let path = vectors_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn opt(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn check_request(result: Result<Vec<u8>, Error>, expect: &Value) -> Result<(), Failed> {
    match (result, expect.get("ok"), expect.get("error")) {
        (Ok(wire), Some(want), _) => {
            let got: Value = serde_json::from_slice(&wire)?;
            if &got != want {
                return Err(format!("wire {got} != expected {want}").into());
            }
        }
        (Err(e), _, Some(want)) => {
            let got = e.code().map(|c| c.as_str()).unwrap_or("");
            if Some(got) != want.as_str() {
                return Err(format!("code {got} != expected {want}").into());
            }
        }
        (Ok(wire), None, _) => {
            return Err(format!(
                "accepted {}, expected {expect}",
                String::from_utf8_lossy(&wire)
            )
            .into())
        }
        (Err(e), _, None) => return Err(format!("refused with {e}, expected {expect}").into()),
    }
    Ok(())
}

fn generate_trial(case: Value) -> Trial {
    let name = format!(
        "requests::generate::{}",
        case["name"].as_str().unwrap_or("?")
    );
    Trial::test(name, move || {
        let input = &case["input"];
        let req = GenerateRequest::from_parts(
            opt(input, "flow_id"),
            opt(input, "mobile"),
            opt(input, "email"),
            opt(input, "otp"),
        );
        check_request(req.validate().map(|()| req.to_json()), &case["expect"])
    })
}

fn validate_trial(case: Value) -> Trial {
    let name = format!(
        "requests::validate::{}",
        case["name"].as_str().unwrap_or("?")
    );
    Trial::test(name, move || {
        let input = &case["input"];
        let req = ValidateRequest::new(
            opt(input, "verify_id").unwrap_or_default(),
            opt(input, "otp").unwrap_or_default(),
        );
        check_request(req.validate().map(|()| req.to_json()), &case["expect"])
    })
}

fn response_trial(case: Value) -> Trial {
    let name = format!("responses::{}", case["name"].as_str().unwrap_or("?"));
    Trial::test(name, move || {
        let status = case["status"].as_u64().ok_or("no status")? as u16;
        let body = case["body"].as_str().ok_or("no body")?.as_bytes();
        let headers: Vec<(String, String)> = case
            .get("headers")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let h = headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()));
        let got: Result<Value, Error> = match case["endpoint"].as_str() {
            Some("generate") => decode_generate(status, h, body).map(|g| {
                serde_json::json!({"verify_id": g.verify_id, "mobile": g.mobile,
                                   "email": g.email, "flow_id": g.flow_id})
            }),
            Some("validate") => decode_validate(status, h, body)
                .map(|v| serde_json::json!({"verify_id": v.verify_id, "message": v.message})),
            other => return Err(format!("unknown endpoint {other:?}").into()),
        };
        let expect = &case["expect"];
        match got {
            Ok(value) => match expect.get("ok") {
                Some(want) if *want == value => Ok(()),
                _ => Err(format!("decoded {value}, expected {expect}").into()),
            },
            Err(Error::Decode(d)) if expect["decode_error"] == Value::Bool(true) => {
                if d.status != status {
                    return Err(format!("decode error kept status {}", d.status).into());
                }
                Ok(())
            }
            Err(Error::Api(e)) if expect.get("error").is_some() => {
                let want = &expect["error"];
                let got = serde_json::json!({
                    "code": e.code.as_ref().map(|c| c.as_str()),
                    "category": e.category().as_str(),
                    "type": e.error_type, "parameter": e.parameter,
                    "message": e.message, "reference": e.reference,
                });
                for key in [
                    "code",
                    "category",
                    "type",
                    "parameter",
                    "message",
                    "reference",
                ] {
                    if got[key] != want[key] {
                        return Err(
                            format!("{key}: got {}, expected {}", got[key], want[key]).into()
                        );
                    }
                }
                let retry = e.retry_after.map(|d| d.as_secs());
                if want.get("retry_after_s").and_then(Value::as_u64) != retry {
                    return Err(format!("retry_after {retry:?}, expected {want}").into());
                }
                if e.status != Some(status) {
                    return Err(format!("status {:?} not kept", e.status).into());
                }
                if e.code.is_none()
                    && e.body_snippet.as_deref()
                        != Some(&case["body"].as_str().unwrap_or_default()[..body.len().min(256)])
                {
                    return Err(format!("body not kept: {:?}", e.body_snippet).into());
                }
                Ok(())
            }
            Err(other) => Err(format!("got {other:?}, expected {expect}").into()),
        }
    })
}

fn main() {
    let requests = load("requests.json");
    let responses = load("responses.json");
    let list = |v: &Value, k: &str| v[k].as_array().cloned().unwrap_or_default();
    let mut trials: Vec<Trial> = Vec::new();
    trials.extend(list(&requests, "generate").into_iter().map(generate_trial));
    trials.extend(list(&requests, "validate").into_iter().map(validate_trial));
    trials.extend(list(&responses, "cases").into_iter().map(response_trial));
    // A vector file that lost its cases must fail loudly, not pass with nothing run.
    assert!(
        trials.len() >= EXPECTED_CASES,
        "only {} vector cases found, expected at least {EXPECTED_CASES}",
        trials.len()
    );
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
