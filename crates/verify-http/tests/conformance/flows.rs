//! One end-to-end flow: its steps in order against one fresh emulator and one client.
//! Strings of the form `$name` are variables that earlier steps saved (a verify_id, a
//! code read from the outbox, a wrong code of the same shape).

use std::collections::HashMap;
use std::time::Duration;

use libtest_mimic::{Failed, Trial};
use serde_json::Value;

use crate::common::{call, client_from_options, emulator, wrong_code};
use crate::{block_on, expect};

pub fn trial(defaults: &Value, case: Value) -> Trial {
    let name = format!("flows::{}", case["name"].as_str().unwrap_or("?"));
    let defaults = defaults.clone();
    Trial::test(name, move || block_on(run(&defaults, &case)))
}

type Vars = HashMap<String, String>;

/// `value` with every `$name` string replaced by its variable; an unknown one fails.
fn substitute(value: &Value, vars: &Vars) -> Result<Value, Failed> {
    Ok(match value {
        Value::String(s) if s.starts_with('$') => Value::String(
            vars.get(&s[1..])
                .cloned()
                .ok_or_else(|| format!("no variable {s}"))?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, vars)?)))
                .collect::<Result<_, Failed>>()?,
        ),
        other => other.clone(),
    })
}

async fn run(defaults: &Value, case: &Value) -> Result<(), Failed> {
    let em = emulator();
    let mut options = defaults["client"].clone();
    if let (Some(m), Some(over)) = (options.as_object_mut(), case["client"].as_object()) {
        m.extend(over.clone());
    }
    let client = client_from_options(&em, &options);
    let api_key = options["api_key"]
        .as_str()
        .unwrap_or(em.api_key())
        .to_owned();
    let mut vars = Vars::new();
    for (n, step) in case["steps"].as_array().into_iter().flatten().enumerate() {
        let step = substitute(step, &vars)?;
        let fail = |e: Failed| -> Failed {
            format!("step {} ({step}): {}", n + 1, e.message().unwrap_or("?")).into()
        };
        match step["do"].as_str().ok_or("a step without `do`")? {
            op @ ("generate" | "validate" | "check") => {
                let got = call(&client, op, &step["input"]).await;
                expect::result(&got, &step["expect"], &api_key).map_err(fail)?;
                if let (Some(name), Ok(value)) = (step["save"].as_str(), &got) {
                    let id = value["verify_id"].as_str().ok_or("no verify_id to save")?;
                    vars.insert(name.to_owned(), id.to_owned());
                }
            }
            "read_code" => {
                let id = step["verify_id"]
                    .as_str()
                    .ok_or("read_code without verify_id")?;
                let last = em
                    .outbox()
                    .into_iter()
                    .rev()
                    .find(|d| d.verify_id == id)
                    .ok_or_else(|| fail(format!("nothing delivered for {id}").into()))?;
                let delivery = serde_json::to_value(&last)?;
                for (key, want) in step["expect"].as_object().into_iter().flatten() {
                    if delivery.get(key) != Some(want) {
                        return Err(fail(format!("{key}: got {}", delivery[key]).into()));
                    }
                }
                let name = step["save"].as_str().unwrap_or("code");
                vars.insert(format!("{name}_wrong"), wrong_code(&last.code).to_owned());
                vars.insert(name.to_owned(), last.code);
            }
            "advance_clock" => {
                let s = step["seconds"]
                    .as_f64()
                    .ok_or("advance_clock without seconds")?;
                em.advance_clock(Duration::from_secs_f64(s));
            }
            "counters" => {
                let want = &step["expect"];
                let stats = em.stats();
                let routes = want["requests"].as_object().into_iter().flatten();
                for (route, n) in routes {
                    let got = crate::common::requests(&em, route);
                    expect::count(&format!("requests on {route}"), got, Some(n)).map_err(fail)?;
                }
                for (key, got) in [
                    ("otps_generated", stats.otps_generated),
                    ("connections_accepted", stats.connections_accepted),
                ] {
                    expect::count(key, got, want.get(key)).map_err(fail)?;
                }
            }
            other => return Err(fail(format!("unknown step {other:?}").into())),
        }
    }
    Ok(())
}
