//! `kaleyra-verify/testing`: the Rust emulator inside the Node process, for users' tests
//! (and ours). It serves on its own threads, so it never keeps the event loop alive.

use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use verify_emulator::{Emulator, EmulatorConfig, Fault};

/// One code the emulator "sent".
#[napi(object)]
pub struct Delivery {
    /// The verification.
    pub verify_id: String,
    /// `sms`, `voice`, `email` or `whatsapp`.
    pub channel: String,
    /// The number (without `+`) or address.
    pub recipient: String,
    /// The code.
    pub code: String,
    /// When, in Unix milliseconds on the emulator's clock.
    pub at: f64,
}

/// A running emulator on a free loopback port.
#[napi]
pub struct NativeEmulator {
    inner: Option<Emulator>,
    base_url: String,
    sid: String,
    api_key: String,
}

fn bad(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

#[napi]
impl NativeEmulator {
    /// Starts an emulator with the default account and flow.
    #[napi(factory)]
    pub fn start() -> Result<NativeEmulator> {
        let emulator = Emulator::start(EmulatorConfig::default())
            .map_err(|e| Error::from_reason(format!("the emulator did not start: {e}")))?;
        Ok(NativeEmulator {
            base_url: emulator.base_url().to_string(),
            sid: emulator.sid().to_string(),
            api_key: emulator.api_key().to_string(),
            inner: Some(emulator),
        })
    }

    fn running(&self) -> Result<&Emulator> {
        self.inner
            .as_ref()
            .ok_or_else(|| Error::from_reason("the emulator was stopped"))
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    #[napi(getter)]
    pub fn sid(&self) -> String {
        self.sid.clone()
    }

    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// Every delivery, oldest first.
    #[napi]
    pub fn outbox(&self) -> Result<Vec<Delivery>> {
        Ok(self
            .running()?
            .outbox()
            .into_iter()
            .map(|d| Delivery {
                channel: serde_json::to_value(d.channel)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                verify_id: d.verify_id,
                recipient: d.recipient,
                code: d.code,
                at: d.at as f64,
            })
            .collect())
    }

    /// The last code sent for a verification.
    #[napi]
    pub fn last_code(&self, verify_id: String) -> Result<Option<String>> {
        Ok(self.running()?.last_code(&verify_id))
    }

    /// Moves the emulator's clock forward (expiry, rate windows).
    #[napi]
    pub fn advance_clock(&self, ms: f64) -> Result<()> {
        let by = Duration::try_from_secs_f64(ms / 1000.0)
            .map_err(|_| bad(format!("advanceClock: {ms} is not a duration in ms")))?;
        self.running()?.advance_clock(by);
        Ok(())
    }

    /// Queues a fault, as the JSON the `/_emulator/faults` route takes.
    #[napi]
    pub fn inject(&self, fault_json: String) -> Result<()> {
        let fault: Fault =
            serde_json::from_str(&fault_json).map_err(|e| bad(format!("inject: {e}")))?;
        self.running()?.inject(fault);
        Ok(())
    }

    /// Drops the queued faults.
    #[napi]
    pub fn clear_faults(&self) -> Result<()> {
        self.running()?.clear_faults();
        Ok(())
    }

    /// The counters, as JSON.
    #[napi]
    pub fn stats_json(&self) -> Result<String> {
        serde_json::to_string(&self.running()?.stats())
            .map_err(|e| Error::from_reason(e.to_string()))
    }

    /// Stops serving (idempotent).
    #[napi]
    pub fn stop(&mut self) {
        if let Some(e) = self.inner.take() {
            e.shutdown();
        }
    }
}

/// What verify-core makes of a request before anything is sent, for the conformance
/// vectors: `{"ok": <wire JSON>}` or `{"error": <ErrorView>}`. `input` is the vector's
/// input object (snake_case; absent or null = not given).
#[napi]
pub fn encode_request(endpoint: String, input_json: String) -> Result<String> {
    let input: serde_json::Value =
        serde_json::from_str(&input_json).map_err(|e| bad(format!("encodeRequest: {e}")))?;
    let field = |k: &str| input.get(k).and_then(|v| v.as_str()).map(String::from);
    let encoded = match endpoint.as_str() {
        "generate" => {
            let r = verify_core::GenerateRequest::from_parts(
                field("flow_id"),
                field("mobile"),
                field("email"),
                field("otp"),
            );
            r.validate().map(|()| r.to_json())
        }
        "validate" => {
            let r = verify_core::ValidateRequest::new(
                field("verify_id").unwrap_or_default(),
                field("otp").unwrap_or_default(),
            );
            r.validate().map(|()| r.to_json())
        }
        other => return Err(bad(format!("encodeRequest: no endpoint {other:?}"))),
    };
    let out = match encoded {
        Ok(wire) => serde_json::json!({
            "ok": serde_json::from_slice::<serde_json::Value>(&wire)
                .map_err(|e| Error::from_reason(e.to_string()))?
        }),
        Err(e) => serde_json::json!({ "error": e.view() }),
    };
    Ok(out.to_string())
}

/// What verify-core decodes from an answer, for the conformance vectors: `{"ok": {...}}`
/// (snake_case success fields) or `{"error": <ErrorView>}`.
#[napi]
pub fn decode_response(
    endpoint: String,
    status: u16,
    headers_json: String,
    body: String,
) -> Result<String> {
    let headers: Vec<(String, String)> =
        serde_json::from_str::<std::collections::BTreeMap<String, String>>(&headers_json)
            .map_err(|e| bad(format!("decodeResponse: {e}")))?
            .into_iter()
            .collect();
    let h = headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()));
    let decoded = match endpoint.as_str() {
        "generate" => verify_core::decode_generate(status, h, body.as_bytes())
            .map(|g| serde_json::to_value(g).unwrap_or_default()),
        "validate" => verify_core::decode_validate(status, h, body.as_bytes())
            .map(|v| serde_json::to_value(v).unwrap_or_default()),
        other => return Err(bad(format!("decodeResponse: no endpoint {other:?}"))),
    };
    let out = match decoded {
        Ok(v) => serde_json::json!({ "ok": v }),
        Err(e) => serde_json::json!({ "error": e.view() }),
    };
    Ok(out.to_string())
}
