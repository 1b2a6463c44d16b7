//! The answer a login handler wants: did the code pass, and if not, why not, as a value
//! rather than an error. Failures of the system (transport, authentication, server)
//! stay errors, because a handler must not mistake an outage for a wrong code.

use serde::Serialize;

use crate::codes::ErrorCode;
use crate::error::Error;
use crate::validate::Validated;

/// The outcome of checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The code was right; the verification is complete.
    Verified,
    /// The code was wrong (E912), or empty or not alphanumeric (E801, E803).
    WrongCode,
    /// The code expired (E913).
    Expired,
    /// The code had already been used (E910).
    AlreadyVerified,
    /// No attempts are left (E911).
    TooManyAttempts,
    /// The verification does not exist (E909).
    NotFound,
}

impl CheckOutcome {
    /// The snake_case name used on every language's surface.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Verified => "verified",
            CheckOutcome::WrongCode => "wrong_code",
            CheckOutcome::Expired => "expired",
            CheckOutcome::AlreadyVerified => "already_verified",
            CheckOutcome::TooManyAttempts => "too_many_attempts",
            CheckOutcome::NotFound => "not_found",
        }
    }

    /// True only for [`CheckOutcome::Verified`].
    pub fn is_verified(self) -> bool {
        self == CheckOutcome::Verified
    }

    /// Sorts the result of a validate into an outcome, or the error it remains.
    pub fn from_result(result: Result<Validated, Error>) -> Result<CheckOutcome, Error> {
        let err = match result {
            Ok(_) => return Ok(CheckOutcome::Verified),
            Err(e) => e,
        };
        let outcome = match err.code() {
            Some(ErrorCode::E912 | ErrorCode::E801 | ErrorCode::E803) => CheckOutcome::WrongCode,
            Some(ErrorCode::E913) => CheckOutcome::Expired,
            Some(ErrorCode::E910) => CheckOutcome::AlreadyVerified,
            Some(ErrorCode::E911) => CheckOutcome::TooManyAttempts,
            Some(ErrorCode::E909) => CheckOutcome::NotFound,
            _ => return Err(err),
        };
        Ok(outcome)
    }
}
