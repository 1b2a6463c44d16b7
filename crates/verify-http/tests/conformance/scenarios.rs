//! One fault scenario: a fresh emulator, a client with the scenario's options, (for
//! validate and check) a verification made before any fault, the faults queued, the one
//! operation, then its result, duration and the emulator's counters compared.

use std::time::{Duration, Instant};

use libtest_mimic::{Failed, Trial};
use serde_json::{json, Value};
use verify_emulator::Fault;

use crate::common::{call, client_from_options, emulator, wrong_code};
use crate::{block_on, expect};

pub fn trial(defaults: &Value, case: Value) -> Trial {
    let name = format!("scenarios::{}", case["name"].as_str().unwrap_or("?"));
    let defaults = defaults.clone();
    Trial::test(name, move || block_on(run(&defaults, &case)))
}

/// `defaults.client` with the case's `client` laid over it.
fn options(defaults: &Value, case: &Value) -> Value {
    let mut merged = defaults["client"].clone();
    if let (Some(m), Some(over)) = (merged.as_object_mut(), case["client"].as_object()) {
        m.extend(over.clone());
    }
    merged
}

async fn run(defaults: &Value, case: &Value) -> Result<(), Failed> {
    let em = emulator();
    let client = client_from_options(&em, &options(defaults, case));
    let operation = case["operation"].as_str().ok_or("no operation")?;
    let mobile = defaults["mobile"].as_str().ok_or("no defaults.mobile")?;

    let input = if operation == "generate" {
        json!({ "mobile": mobile })
    } else {
        let sent = call(&client, "generate", &json!({ "mobile": mobile })).await?;
        let verify_id = sent["verify_id"].as_str().ok_or("no verify_id")?.to_owned();
        let code = em.last_code(&verify_id).ok_or("no code delivered")?;
        let otp = match case["otp"].as_str().unwrap_or("right") {
            "right" => code,
            "wrong" => wrong_code(&code).to_owned(),
            other => return Err(format!("otp {other:?}").into()),
        };
        json!({ "verify_id": verify_id, "otp": otp })
    };
    for fault in case["faults"].as_array().into_iter().flatten() {
        em.inject(serde_json::from_value::<Fault>(fault.clone())?);
    }

    let started = Instant::now();
    let got = call(&client, operation, &input).await;
    let took = started.elapsed();

    let want = &case["expect"];
    expect::result(&got, want, em.api_key())?;
    if let Ok(value) = &got {
        // Invariants of every success: a usable id, and the one asked about.
        match operation {
            "generate" if value["verify_id"].as_str().is_none_or(str::is_empty) => {
                return Err(format!("generate succeeded without a verify_id: {value}").into())
            }
            "validate" if value["verify_id"] != input["verify_id"] => {
                return Err(format!("validated {} instead", value["verify_id"]).into())
            }
            _ => {}
        }
    }
    let ms = |key: &str| {
        want.get(key)
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
    };
    if let Some(min) = ms("min_elapsed_ms") {
        if took < min {
            return Err(format!("took {took:?}, expected at least {min:?}").into());
        }
    }
    if let Some(max) = ms("max_elapsed_ms") {
        if took >= max {
            return Err(format!("took {took:?}, expected under {max:?}").into());
        }
    }
    let route = if operation == "generate" {
        "generate"
    } else {
        "validate"
    };
    expect::counters(&em, route, want)?;
    if let Some(later) = want.get("later") {
        let wait = later["after_ms"].as_u64().ok_or("later without after_ms")?;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        expect::counters(&em, route, later)
            .map_err(|e| format!("later: {}", e.message().map_or("?", |m| m)))?;
    }
    Ok(())
}
