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

pub mod check;
pub mod codes;
pub mod config;
pub mod error;
pub mod generate;
pub mod response;
pub mod retry;
pub mod rules;
pub mod validate;

pub use check::CheckOutcome;
pub use codes::{Category, CodeInfo, ErrorCode, ErrorKind, CODES};
pub use config::{resolve_base_url, ApiKey, BaseUrl, Endpoint, Region, Sid};
pub use error::{ApiError, DecodeError, Error, TransportError, TransportKind};
pub use generate::{GenerateRequest, Generated, Recipient};
pub use response::{decode_generate, decode_validate};
pub use validate::{ValidateRequest, Validated};
