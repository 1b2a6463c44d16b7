//! The answer a login handler wants: did the code pass, and if not, why not, as a value
//! rather than an error. Failures of the system (transport, authentication, server)
//! stay errors, because a handler must not mistake an outage for a wrong code.

use serde::Serialize;

use crate::codes::ErrorCode;
use crate::error::Error;
use crate::validate::Validated;

macro_rules! outcomes {
    ($($variant:ident = $n:literal, $name:literal, $doc:literal;)*) => {
        /// The outcome of checking a code. The numbers are stable (the C header's values):
        /// a new outcome takes the next number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum CheckOutcome {
            $(#[doc = $doc] $variant = $n,)*
        }

        impl CheckOutcome {
            /// Every outcome, in number order.
            pub const ALL: &'static [CheckOutcome] = &[$(CheckOutcome::$variant,)*];

            /// The snake_case name used on every language's surface.
            pub fn as_str(self) -> &'static str {
                match self { $(CheckOutcome::$variant => $name,)* }
            }

            /// One line saying what it means.
            pub fn description(self) -> &'static str {
                match self { $(CheckOutcome::$variant => $doc,)* }
            }
        }
    };
}

outcomes! {
    Verified = 1, "verified", "The code was right; the verification is complete.";
    WrongCode = 2, "wrong_code", "The code was wrong (E912), or empty or not alphanumeric (E801, E803).";
    Expired = 3, "expired", "The code expired (E913).";
    AlreadyVerified = 4, "already_verified", "The code had already been used (E910).";
    TooManyAttempts = 5, "too_many_attempts", "No attempts are left (E911).";
    NotFound = 6, "not_found", "The verification does not exist (E909).";
}

impl CheckOutcome {
    /// Its stable number.
    pub fn number(self) -> u32 {
        self as u32
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
