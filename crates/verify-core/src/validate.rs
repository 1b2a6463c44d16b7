//! Validate an OTP: `POST /v1/{SID}/verify/validate`. The request, its local validation,
//! and the success value.

use serde::{Deserialize, Serialize};

use crate::codes::ErrorCode;
use crate::error::{ApiError, Error};
use crate::rules;

/// The body of a validate request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateRequest {
    /// The handle that generate returned; mandatory (E800).
    #[serde(default)]
    pub verify_id: String,
    /// The code the user typed; mandatory (E801), alphanumeric (E803).
    #[serde(default)]
    pub otp: String,
}

impl ValidateRequest {
    /// A request to check `otp` against `verify_id`.
    pub fn new(verify_id: impl Into<String>, otp: impl Into<String>) -> ValidateRequest {
        ValidateRequest {
            verify_id: verify_id.into(),
            otp: otp.into(),
        }
    }

    /// Local validation, with the codes the service would answer.
    pub fn validate(&self) -> Result<(), Error> {
        let code = if self.verify_id.is_empty() {
            ErrorCode::E800
        } else if self.otp.is_empty() {
            ErrorCode::E801
        } else if !rules::is_alphanumeric_otp(&self.otp) {
            ErrorCode::E803
        } else {
            return Ok(());
        };
        Err(ApiError::local(code).into())
    }

    /// The exact JSON body sent on the wire.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("ValidateRequest serialises")
    }
}

/// A code that was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Validated {
    /// The verification that is now complete.
    pub verify_id: String,
    /// The service's message ("OTP verified successfully.").
    #[serde(default)]
    pub message: String,
    /// True when an earlier attempt's answer was lost and the retry met E910 ("already
    /// verified"): the code was verified, possibly by that lost attempt. Never on the wire
    /// (read as `false`), always in the serialised view.
    #[serde(default, skip_deserializing)]
    pub after_lost_attempt: bool,
}
