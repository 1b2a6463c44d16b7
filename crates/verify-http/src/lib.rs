//! The Kaleyra Verify client for Rust: send a one-time password and check it, over
//! HTTPS with rustls, async ([`Client`]) or blocking ([`BlockingClient`]).
//!
//! Safe by default: HTTPS for every host but loopback, the API key never printed or
//! logged, local validation before any request, and retries only where no second OTP
//! can go out: a generate that may have reached the service and then failed is reported
//! as [`Error::OutcomeUnknown`], never sent again. Every error is verify-core's
//! [`Error`], the one the Python, Node and C bindings translate.
//!
//! ```no_run
//! use verify_http::{CheckOutcome, Client, GenerateRequest};
//!
//! # async fn login() -> Result<(), verify_http::Error> {
//! // KALEYRA_SID, KALEYRA_API_KEY and optionally KALEYRA_REGION / KALEYRA_BASE_URL.
//! let client = Client::from_env()?;
//! let sent = client.generate(GenerateRequest::new("+12025550123")).await?;
//! // ... the user types the code they received ...
//! match client.check(sent.verify_id, "123456").await? {
//!     CheckOutcome::Verified => println!("welcome"),
//!     other => println!("refused: {}", other.as_str()),
//! }
//! # Ok(()) }
//! ```
//!
//! The blocking client, here against the local emulator (this example runs in the tests):
//!
//! ```
//! use verify_http::{BlockingClient, CheckOutcome, GenerateRequest};
//! # let emulator = verify_emulator::Emulator::start(Default::default()).unwrap();
//! # let (sid, key, url) = (emulator.sid(), emulator.api_key(), emulator.base_url());
//!
//! let client = BlockingClient::builder()
//!     .sid(sid)
//!     .api_key(key)
//!     .base_url(url) // plain http is accepted for loopback only
//!     .build()?;
//! let sent = client.generate(GenerateRequest::new("+12025550123"))?;
//! # let code = emulator.last_code(&sent.verify_id).unwrap();
//! assert_eq!(client.check(&sent.verify_id, &code)?, CheckOutcome::Verified);
//! // Invalid input is refused locally, with the service's own code, and sends nothing.
//! let err = client.generate(GenerateRequest::new("+12")).unwrap_err();
//! assert_eq!(err.code().unwrap().as_str(), "E805");
//! # Ok::<(), verify_http::Error>(())
//! ```
#![deny(missing_docs)]

mod blocking;
mod client;
mod config;
mod error;
mod options;
mod retry;
pub mod runtime;

pub use blocking::BlockingClient;
pub use client::{Client, MAX_RESPONSE_BYTES};
pub use config::{BuildClient, ClientBuilder};
pub use options::{ClientOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use retry::RetryPolicy;

pub use verify_core;
pub use verify_core::{
    ApiError, BaseUrl, Category, CheckOutcome, CodeInfo, DecodeError, Error, ErrorCode, ErrorKind,
    ErrorView, GenerateRequest, Generated, Recipient, Region, TransportError, TransportKind,
    ValidateRequest, Validated, CODES,
};

/// The README's Rust examples, compiled and run as doctests so that they cannot rot
/// (scripts/test-docs.py runs them with the other languages' examples).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// docs/rust.md's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
struct DocsRustDoctests;

/// docs/emulator.md's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/emulator.md")]
struct DocsEmulatorDoctests;
