//! The JSON shapes on the wire, for whoever writes them: the emulator, and test fakes in
//! any language. Applications never need them: the decoders turn answers into
//! [`crate::Generated`], [`crate::Validated`] and [`crate::Error`].

use serde::Serialize;

use crate::generate::Recipient;
pub use crate::response::{DataEnvelope, ErrorBody, ErrorEnvelope};

/// The `data` of a generate answer: `{"verify_id", "to": {"mobile", "email"}, "flow_id"}`.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedData<'a> {
    /// The handle for validation.
    pub verify_id: &'a str,
    /// The recipients, as the service echoes them (numbers without `+`).
    pub to: Recipient,
    /// The flow that was used.
    pub flow_id: &'a str,
}

/// The `data` of a validate answer: `{"verify_id", "message"}`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidatedData<'a> {
    /// The verification that is now complete.
    pub verify_id: &'a str,
    /// "OTP verified successfully."
    pub message: &'a str,
}
