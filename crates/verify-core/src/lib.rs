//! The pure core of the Kaleyra Verify SDK: request and response models, local
//! validation with the service's own codes, the one table of error codes, and the
//! decoder that turns any HTTP answer into a value or a typed error.
//!
//! It does no I/O and needs no runtime, so that the Rust client, the emulator and the
//! Python, Node and C bindings all share one set of decisions.
//!
//! ```
//! use verify_core::{GenerateRequest, ErrorCode};
//!
//! let req = GenerateRequest::new("+12025550123").email("user@example.com");
//! assert!(req.validate().is_ok());
//! assert_eq!(req.to_json(), br#"{"to":{"mobile":"+12025550123","email":"user@example.com"}}"#);
//!
//! let err = GenerateRequest::new("+12").validate().unwrap_err();
//! assert_eq!(err.code(), Some(&ErrorCode::E805));
//! ```
#![deny(missing_docs)]

//!
//! # The public surface
//! Everything a user names is re-exported here, at one path each. Three modules stay
//! public because their callers are not applications: [`retry`] (the retry decisions every
//! client shares), [`rules`] (the validation predicates, for servers such as the emulator)
//! and [`wire`] (the JSON shapes on the wire, for servers and test fakes).

mod check;
mod codes;
mod config;
mod error;
mod generate;
mod response;
pub mod retry;
pub mod rules;
mod validate;
pub mod wire;

pub use check::CheckOutcome;
pub use codes::{Category, CodeInfo, ErrorCode, ErrorKind, CODES};
pub use config::{resolve_base_url, ApiKey, BaseUrl, Endpoint, Region, Sid};
pub use error::{ApiError, DecodeError, Error, ErrorView, TransportError, TransportKind};
pub use generate::{GenerateRequest, Generated, Recipient};
pub use response::{decode_generate, decode_validate, retry_after, snippet, BODY_SNIPPET_BYTES};
pub use validate::{ValidateRequest, Validated};
