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
//! let sent = client.generate(&GenerateRequest::new("+12025550123")).await?;
//! // ... the user types the code they received ...
//! match client.check(&sent.verify_id, "123456").await? {
//!     CheckOutcome::Verified => println!("welcome"),
//!     other => println!("refused: {}", other.as_str()),
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod blocking;
mod client;
mod config;
mod error;
mod retry;

pub use blocking::BlockingClient;
pub use client::{Client, MAX_RESPONSE_BYTES};
pub use config::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use retry::RetryPolicy;

pub use verify_core;
pub use verify_core::{
    ApiError, BaseUrl, Category, CheckOutcome, DecodeError, Error, ErrorCode, ErrorKind,
    GenerateRequest, Generated, Recipient, Region, TransportError, TransportKind, ValidateRequest,
    Validated,
};
