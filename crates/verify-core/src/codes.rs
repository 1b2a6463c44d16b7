//! The one table of codes and kinds that every language derives from, so that a new
//! code in Rust needs no change anywhere else.
//!
//! The emulator answers each code with [`CodeInfo::http_status`] and the command derives
//! its exit codes from [`ErrorKind`]; the bindings are to do the same: Python's exception
//! classes from [`ErrorKind::ALL`], the C header's result codes from the discriminants.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The taxonomy of API errors, the same in every language (API.md, "Categories").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The request broke a rule of the service (a missing or malformed field).
    Validation,
    /// The account's configuration refused it (an unknown or unapproved flow).
    Configuration,
    /// The API key or SID was not accepted.
    Authentication,
    /// The verification does not exist.
    NotFound,
    /// The code was refused: wrong, expired, already used, or too many attempts.
    OtpRejected,
    /// Too many requests; see [`crate::ApiError::retry_after`].
    RateLimited,
    /// The service failed.
    Server,
    /// An unknown code that the HTTP status does not classify either.
    Unknown,
}

impl Category {
    /// Every category, in a stable order.
    pub const ALL: [Category; 8] = [
        Category::Validation,
        Category::Configuration,
        Category::Authentication,
        Category::NotFound,
        Category::OtpRejected,
        Category::RateLimited,
        Category::Server,
        Category::Unknown,
    ];

    /// The snake_case name used on every language's surface.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Validation => "validation",
            Category::Configuration => "configuration",
            Category::Authentication => "authentication",
            Category::NotFound => "not_found",
            Category::OtpRejected => "otp_rejected",
            Category::RateLimited => "rate_limited",
            Category::Server => "server",
            Category::Unknown => "unknown",
        }
    }

    /// The category of a code the table does not know, from the HTTP status alone.
    pub fn from_status(status: u16) -> Category {
        match status {
            401 | 403 => Category::Authentication,
            404 => Category::NotFound,
            429 => Category::RateLimited,
            500..=599 => Category::Server,
            _ => Category::Unknown,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The code as the service sends it, e.g. `"E804"`.
    pub code: &'static str,
    /// What it means, in the service's words where it has any.
    pub meaning: &'static str,
    /// Its category.
    pub category: Category,
    /// The request parameter it names (empty when none).
    pub parameter: &'static str,
    /// The HTTP status the emulator answers it with (undocumented for the real service).
    pub http_status: u16,
    /// The envelope's `type` as the service sends it, e.g. `"VALIDATION_ERROR"`. It is the
    /// service's label, not the category (E905's is `validation_error`); compare it
    /// case-insensitively and take the category from [`CodeInfo::category`].
    pub service_type: &'static str,
    /// The envelope's `message` exactly as the service sends it (API.md's table of the
    /// seed's texts, punctuation included), which the emulator answers verbatim.
    pub message: &'static str,
}

macro_rules! codes {
    ($($variant:ident => $meaning:literal, $cat:ident, $param:literal, $status:literal,
       $type:literal, $message:literal;)*) => {
        /// A code of the service. Known codes are variants; any other is kept as sent.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = $meaning] $variant,)*
            /// A code this version does not know, kept exactly as the service sent it.
            Other(String),
        }

        /// Every code this version knows, in the order of API.md's table.
        pub static CODES: &[CodeInfo] = &[
            $(CodeInfo {
                code: stringify!($variant),
                meaning: $meaning,
                category: Category::$cat,
                parameter: $param,
                http_status: $status,
                service_type: $type,
                message: $message,
            },)*
        ];

        impl ErrorCode {
            /// The code as text, exactly as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => stringify!($variant),)*
                    ErrorCode::Other(s) => s,
                }
            }

            /// Parses a code; unknown text becomes [`ErrorCode::Other`].
            pub fn parse(code: &str) -> ErrorCode {
                match code {
                    $(stringify!($variant) => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

// code => meaning, category, parameter, emulator status,
//         the service's `type`, its exact `message` (API.md: the seed's words).
codes! {
    E600 => "The `to` field is mandatory.", Validation, "to", 400,
        "VALIDATION_ERROR", "to field is mandatory";
    E800 => "verify_id is mandatory.", Validation, "verify_id", 400,
        "VALIDATION_ERROR", "verify_id is mandatory.";
    E801 => "OTP is mandatory.", Validation, "otp", 400,
        "VALIDATION_ERROR", "OTP is mandatory.";
    E802 => "Please enter a valid email.", Validation, "email", 400,
        "VALIDATION_ERROR", "Please enter a valid email";
    E803 => "OTP can contain only alphanumeric values.", Validation, "OTP", 400,
        "VALIDATION_ERROR", "OTP can contain only alphanumeric values.";
    E804 => "Mobile number is mandatory.", Validation, "mobile", 400,
        "VALIDATION_ERROR", "Mobile number is mandatory.";
    E805 => "Please enter a valid mobile number.", Validation, "mobile", 400,
        "VALIDATION_ERROR", "Please enter a valid mobile number.";
    E903 => "Given OTP length does not match the given Flow ID OTP Length", Validation, "OTP", 400,
        "validation_error", "Given OTP length does not match the given Flow ID OTP Length";
    E905 => "Flow Id not approved or not found", Configuration, "flow_id", 400,
        "validation_error", "Flow Id not approved or not found";
    E914 => "Flow does not support alphanumeric OTP.", Validation, "", 400,
        "VALIDATION_ERROR", "Flow does not support alphanumeric OTP.";
    E909 => "Verification not found.", NotFound, "verify_id", 404,
        "NOT_FOUND_ERROR", "Verification not found.";
    E910 => "OTP already verified", OtpRejected, "", 400,
        "OTP_REJECTED_ERROR", "OTP already verified";
    E911 => "Maximum verification attempts exceeded.", OtpRejected, "otp", 400,
        "OTP_REJECTED_ERROR", "Maximum verification attempts exceeded.";
    E912 => "Invalid OTP.", OtpRejected, "otp", 400,
        "OTP_REJECTED_ERROR", "Invalid OTP.";
    E913 => "OTP expired.", OtpRejected, "otp", 400,
        "OTP_REJECTED_ERROR", "OTP expired.";
    E401 => "API key or SID not accepted.", Authentication, "api-key", 401,
        "AUTHENTICATION_ERROR", "API key or SID not accepted.";
    E429 => "Too many requests.", RateLimited, "", 429,
        "RATE_LIMITED_ERROR", "Too many requests.";
    E400 => "Body is not a JSON object, or the content type is not application/json.", Validation, "body", 400,
        "VALIDATION_ERROR", "Body is not a JSON object, or the content type is not application/json.";
    E413 => "Body larger than 64 KiB.", Validation, "body", 413,
        "VALIDATION_ERROR", "Body larger than 64 KiB.";
    E500 => "Internal error.", Server, "", 500,
        "SERVER_ERROR", "Internal error.";
    E404 => "No such route.", NotFound, "", 404,
        "NOT_FOUND_ERROR", "No such route.";
    E405 => "Method not allowed on this route.", Validation, "", 405,
        "VALIDATION_ERROR", "Method not allowed on this route.";
    E403 => "The emulator's control routes answer only a Host that is an IP address or localhost.", Authentication, "host", 403,
        "AUTHENTICATION_ERROR", "The emulator's control routes answer only a Host that is an IP address or localhost.";
    E415 => "The emulator's control routes take only application/json.", Validation, "content-type", 415,
        "VALIDATION_ERROR", "The emulator's control routes take only application/json.";
}

impl ErrorCode {
    /// The table's row for a known code.
    pub fn info(&self) -> Option<&'static CodeInfo> {
        let s = self.as_str();
        CODES.iter().find(|c| c.code == s)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ErrorCode::parse(&String::deserialize(d)?))
    }
}

macro_rules! kinds {
    ($($variant:ident = $n:literal, $name:literal, $class:literal, $doc:literal;)*) => {
        /// The flat taxonomy of every error: the eight API categories, then the failures
        /// around them. The numbers are stable (the C header's status codes, the CLI's exit
        /// codes): a new kind takes the next number, and none is ever renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $(#[doc = $doc] $variant = $n,)*
        }

        impl ErrorKind {
            /// Every kind, in number order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];

            /// The snake_case name used on every language's surface.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorKind::$variant => $name,)* }
            }

            /// The name of the exception or error class that stands for this kind in every
            /// language (Python, Node, the C++ wrapper). None shadows a Python built-in
            /// (`TimeoutError`, `ConnectionError`).
            pub fn class_name(self) -> &'static str {
                match self { $(ErrorKind::$variant => $class,)* }
            }

            /// One line saying what it means, for generated docs.
            pub fn description(self) -> &'static str {
                match self { $(ErrorKind::$variant => $doc,)* }
            }

            /// Its stable number.
            pub fn number(self) -> u32 {
                self as u32
            }

            /// The kind with this stable number.
            pub fn from_number(n: u32) -> Option<ErrorKind> {
                match n { $($n => Some(ErrorKind::$variant),)* _ => None }
            }
        }
    };
}

kinds! {
    Validation = 1, "validation", "ValidationError", "The request broke a rule of the service.";
    Configuration = 2, "configuration", "ConfigurationError", "The flow is unknown or not approved.";
    Authentication = 3, "authentication", "AuthenticationError", "The API key or SID was not accepted.";
    NotFound = 4, "not_found", "NotFoundError", "The verification does not exist.";
    OtpRejected = 5, "otp_rejected", "OtpRejectedError", "The code was wrong, expired, already used, or out of attempts.";
    RateLimited = 6, "rate_limited", "RateLimitedError", "Too many requests.";
    Server = 7, "server", "ServerError", "The service failed.";
    Unknown = 8, "unknown", "UnknownError", "An error code that neither the table nor the HTTP status classifies.";
    Decode = 9, "decode", "DecodeError", "A success status with a body that could not be read.";
    Connect = 10, "connect", "ConnectError", "No connection could be made; nothing was sent.";
    Timeout = 11, "timeout", "RequestTimeoutError", "A timeout elapsed before an answer was read.";
    OutcomeUnknown = 12, "outcome_unknown", "OutcomeUnknownError", "A generate may have reached the service: an OTP may have been sent.";
    Transport = 13, "transport", "TransportError", "The connection failed before an answer was read.";
    InvalidConfig = 14, "invalid_config", "InvalidConfigError", "The client was configured wrongly.";
    Certificate = 15, "certificate", "CertificateError", "The server's TLS certificate was not trusted; nothing was sent, and it is not retried.";
    Internal = 16, "internal", "InternalError", "A defect inside the SDK stopped the call (a bug to report).";
}

impl From<Category> for ErrorKind {
    fn from(c: Category) -> ErrorKind {
        match c {
            Category::Validation => ErrorKind::Validation,
            Category::Configuration => ErrorKind::Configuration,
            Category::Authentication => ErrorKind::Authentication,
            Category::NotFound => ErrorKind::NotFound,
            Category::OtpRejected => ErrorKind::OtpRejected,
            Category::RateLimited => ErrorKind::RateLimited,
            Category::Server => ErrorKind::Server,
            Category::Unknown => ErrorKind::Unknown,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips_every_code() {
        for info in CODES {
            let code = ErrorCode::parse(info.code);
            assert!(!matches!(code, ErrorCode::Other(_)), "{}", info.code);
            assert_eq!(code.as_str(), info.code);
            assert_eq!(code.info(), Some(info));
        }
        assert_eq!(ErrorCode::parse("E999"), ErrorCode::Other("E999".into()));
    }

    #[test]
    fn kinds_are_numbered_in_order_and_named_once() {
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(k.number() as usize, i + 1);
            assert_eq!(ErrorKind::from_number(k.number()), Some(*k));
        }
        assert_eq!(ErrorKind::from_number(0), None);
        let mut classes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.class_name()).collect();
        classes.sort();
        classes.dedup();
        assert_eq!(classes.len(), ErrorKind::ALL.len(), "one class per kind");
        for c in Category::ALL {
            assert_eq!(ErrorKind::from(c).as_str(), c.as_str());
        }
    }
}
