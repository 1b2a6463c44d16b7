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
