//! `kaleyra-verify demo`: the whole product in one command. It starts the emulator
//! in-process, sends a code, reads it back from the emulator's outbox as a phone would
//! receive it, and walks through a wrong code, the right code, and a reuse, printing
//! each step. No account and no network are needed.

use serde_json::{json, Value};
use verify_core::{Error, GenerateRequest};
use verify_emulator::{Emulator, EmulatorConfig};
use verify_http::Client;

use crate::output::{describe, generated_json, Failure, Out};

const MOBILE: &str = "+12025550123";
const EMAIL: &str = "demo@example.com";

pub async fn run(out: Out) -> Result<u8, Failure> {
    let mut steps: Vec<Value> = Vec::new();
    let mut say = |text: String, record: Value| {
        if !out.json {
            println!("{text}");
        }
        steps.push(record);
    };
    if !out.json {
        println!("kaleyra-verify demo: send → receive → validate on an embedded emulator\n");
    }

    let em = Emulator::start(EmulatorConfig::default()).map_err(crate::commands::start_failure)?;
    say(
        format!(
            "1. Started the emulator at {} (SID {})",
            em.base_url(),
            em.sid()
        ),
        json!({"step": "emulator", "base_url": em.base_url(), "sid": em.sid()}),
    );

    let client = Client::builder()
        .base_url(em.base_url())
        .sid(em.sid())
        .api_key(em.api_key())
        .build()?;

    let sent = client
        .generate(GenerateRequest::new(MOBILE).email(EMAIL))
        .await?;
    say(
        format!(
            "2. Sent an OTP to {MOBILE} (email {EMAIL})\n     verify_id {}\n     flow_id   {}",
            sent.verify_id,
            sent.flow_id.as_deref().unwrap_or("(default)")
        ),
        json!({"step": "send", "result": generated_json(&sent)}),
    );

    let delivered = em.outbox_for(&sent.verify_id);
    let Some(first) = delivered.first() else {
        return Err(Error::InvalidConfig("the emulator delivered nothing".into()).into());
    };
    let code = first.code.clone();
    let channel = first.channel.as_str();
    say(
        format!(
            "3. Received it by {channel} at {}: code {code}",
            first.recipient
        ),
        json!({"step": "receive", "channel": channel, "recipient": first.recipient, "code": code}),
    );

    let wrong = wrong_code(&code);
    let outcome = client.check(&sent.verify_id, &wrong).await?;
    say(
        format!("4. Checked a wrong code {wrong}: {}", describe(outcome)),
        json!({"step": "wrong_code", "otp": wrong, "outcome": outcome.as_str()}),
    );

    let outcome = client.check(&sent.verify_id, &code).await?;
    say(
        format!("5. Checked the right code {code}: {}", describe(outcome)),
        json!({"step": "right_code", "otp": code, "outcome": outcome.as_str()}),
    );
    let verified = outcome.is_verified();

    let again = client.check(&sent.verify_id, &code).await?;
    say(
        format!("6. Checked the same code again: {}", describe(again)),
        json!({"step": "reuse", "otp": code, "outcome": again.as_str()}),
    );

    em.shutdown();
    if out.json {
        println!("{}", json!({"ok": verified, "steps": steps}));
    } else if verified {
        println!(
            "\nDone: the round trip works. With an account, `kaleyra-verify send` and `check`"
        );
        println!("do the same against Kaleyra (KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION).");
    }
    Ok(if verified { 0 } else { 1 })
}

/// A code of the same shape that is certainly not `code`.
fn wrong_code(code: &str) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (0, '0') => '1',
            (0, c) if c.is_ascii_digit() => '0',
            (0, _) => 'Z',
            (_, c) => c,
        })
        .map(|c| {
            if c == 'Z' && code.starts_with('Z') {
                'Y'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrong_code_differs() {
        for code in ["000000", "123456", "987654", "A1B2", "Z9"] {
            let w = super::wrong_code(code);
            assert_ne!(w, code);
            assert_eq!(w.len(), code.len());
        }
    }
}
