//! A stateful local Kaleyra Verify service: the backend of the demo and the real HTTP
//! peer of every test in every language.
//!
//! It serves the two endpoints of API.md with the service's codes and envelope, keeps
//! codes in memory with expiry, attempts and single use, delivers them to an outbox that
//! tests read, follows flows with delayed channels on a clock that tests advance, and
//! injects faults (latency, statuses, dropped connections, garbled bodies).
//!
//! # Control routes (never subject to faults)
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the dashboard (HTML): OTPs, status, attempts left, deliveries |
//! | `GET /_emulator/outbox[?verify_id=ID]` | `{"deliveries": [{"verify_id", "channel", "recipient", "code", "at"}]}` (`at`: Unix ms on the emulator clock), oldest first |
//! | `GET /_emulator/clock` | `{"now_ms": N, "offset_ms": N}` |
//! | `POST /_emulator/clock/advance` `{"seconds": N}` | as `GET /_emulator/clock` |
//! | `GET`, `POST` (one fault or an array), `DELETE /_emulator/faults` | `{"faults": [Fault]}`, see [`Fault`] |
//! | `GET /_emulator/stats` | [`Stats`] |
//! | `GET /_emulator/info` | `{"accounts": [{"sid", "api_key"}], "flows": [Flow], "default_flow_id" (the configuration's, or null), "tls"}` |
//! | `GET /_emulator/openapi.json` | the OpenAPI 3 document of the two endpoints |
//! | `GET /_emulator/cert.pem` | the CA certificate, with TLS |
//!
//! Unknown routes answer 404 (code `E404`) and wrong methods 405 (`E405`), in the envelope.
//! The control routes and the dashboard refuse a POST that is not `application/json`
//! (415, `E415`: cross-site request forgery) and a `Host` that is neither an IP address
//! nor `localhost` (403, `E403`: DNS rebinding), so that a web page open in the
//! developer's browser can neither change nor read the emulator's state.
//!
//! # Memory
//!
//! Three things grow with use, and each is bounded:
//! - verifications: at most [`MAX_LIVE`] (262,144) are held; each is dropped
//!   [`GRACE_MS`] (5 minutes) after it expires, by a sweep that the next generate
//!   runs at most once a second of emulator time, and past the cap the oldest eighth of a
//!   shard goes early. Each costs about 0.7 KiB (measured: 200,000 generates take the
//!   resident size from 14 MB to 158 MB), so the cap bounds them to about 190 MB;
//! - the outbox: at most [`OUTBOX_CAP`] (10,000) deliveries, oldest dropped first;
//! - the schedule of delayed channels: one entry per verification still waiting for one.
//!
//! A sweep that empties most of a table shrinks it, which gave back 61 MB of those 158 MB
//! (to 97 MB) once a burst of 200,000 had expired. The rest is memory the allocator keeps
//! for reuse rather than returning it to the system: a second burst of the same size
//! peaked at the same 158 MB, so resident memory follows the largest burst, not the total.
//!
//! ```no_run
//! use verify_emulator::{Emulator, EmulatorConfig};
//!
//! let emu = Emulator::start(EmulatorConfig::default()).unwrap();
//! println!("{} sid={} key={}", emu.base_url(), emu.sid(), emu.api_key());
//! ```
#![deny(missing_docs)]

mod api;
mod app;
mod clock;
mod config;
mod control;
mod dashboard;
mod emulator;
mod error;
mod faults;
mod flows;
mod generate;
mod openapi;
mod otp;
mod outbox;
mod server;
mod state;
mod stats;
mod tls;
mod validate;

pub use clock::MAX_OFFSET_MS;
pub use config::{
    Account, ConfigError, EmulatorConfig, Overrides, DEFAULT_API_KEY, DEFAULT_SID, DEFAULT_WORKERS,
};
pub use emulator::{Emulator, StartError};
pub use faults::{Fault, FaultMode};
pub use flows::{Channel, ChannelStep, Flow, DEFAULT_FLOW_ID};
pub use state::{Delivery, GRACE_MS, MAX_LIVE, OUTBOX_CAP};
pub use stats::Stats;
pub use validate::VERIFIED_MESSAGE;

/// The OpenAPI 3 document of the two endpoints.
pub fn openapi_document() -> serde_json::Value {
    openapi::document()
}
