//! The one table of error codes and the error types every language derives from.
//!
//! Bindings must not repeat any of this: Python builds its exception classes from
//! [`ErrorKind::ALL`], the C header gets its result codes from [`ErrorKind`]'s
//! discriminants, and the emulator answers each code with [`CodeInfo::http_status`].

use std::fmt;
use std::time::Duration;

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
    /// Too many requests; see [`ApiError::retry_after`].
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
}

macro_rules! codes {
    ($($variant:ident => $meaning:literal, $cat:ident, $param:literal, $status:literal;)*) => {
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

codes! {
    E600 => "The `to` field is mandatory.", Validation, "to", 400;
    E800 => "verify_id is mandatory.", Validation, "verify_id", 400;
    E801 => "OTP is mandatory.", Validation, "otp", 400;
    E802 => "Please enter a valid email.", Validation, "email", 400;
    E803 => "OTP can contain only alphanumeric values.", Validation, "OTP", 400;
    E804 => "Mobile number is mandatory.", Validation, "mobile", 400;
    E805 => "Please enter a valid mobile number.", Validation, "mobile", 400;
    E903 => "Given OTP length does not match the given Flow ID OTP Length", Validation, "OTP", 400;
    E905 => "Flow Id not approved or not found", Configuration, "flow_id", 400;
    E914 => "Flow does not support alphanumeric OTP.", Validation, "", 400;
    E909 => "Verification not found.", NotFound, "verify_id", 404;
    E910 => "OTP already verified", OtpRejected, "", 400;
    E911 => "Maximum verification attempts exceeded.", OtpRejected, "otp", 400;
    E912 => "Invalid OTP.", OtpRejected, "otp", 400;
    E913 => "OTP expired.", OtpRejected, "otp", 400;
    E401 => "API key or SID not accepted.", Authentication, "api-key", 401;
    E429 => "Too many requests.", RateLimited, "", 429;
    E400 => "Body is not valid JSON, or the content type is not application/json.", Validation, "body", 400;
    E413 => "Body larger than 64 KiB.", Validation, "body", 413;
    E500 => "Internal error.", Server, "", 500;
    E404 => "No such route.", NotFound, "", 404;
    E405 => "Method not allowed on this route.", Validation, "", 405;
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

/// An error the service answered (or that local validation found before sending,
/// with the very code the service would have answered).
///
/// Nothing the service said is dropped: the envelope's fields as sent, the HTTP
/// status, Retry-After, and the first bytes of a body that was not the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code as sent; `None` when the body was not the envelope.
    pub code: Option<ErrorCode>,
    /// The envelope's `type`, as sent (its case varies).
    pub error_type: Option<String>,
    /// The envelope's `parameter`, as sent.
    pub parameter: Option<String>,
    /// The envelope's `message`, as sent.
    pub message: Option<String>,
    /// The envelope's `reference`, as sent.
    pub reference: Option<String>,
    /// The HTTP status; `None` when local validation refused the request before sending.
    pub status: Option<u16>,
    /// The `Retry-After` header, when it held a number of seconds.
    pub retry_after: Option<Duration>,
    /// The first bytes of a body that could not be read as the envelope (lossy UTF-8).
    pub body_snippet: Option<String>,
}

impl ApiError {
    /// The error local validation returns: the table's code, meaning and parameter.
    pub fn local(code: ErrorCode) -> ApiError {
        let info = code.info();
        ApiError {
            error_type: Some("VALIDATION_ERROR".to_owned()),
            parameter: info.map(|i| i.parameter.to_owned()),
            message: info.map(|i| i.meaning.to_owned()),
            reference: None,
            status: None,
            retry_after: None,
            body_snippet: None,
            code: Some(code),
        }
    }

    /// Its category: the table's for a known code, else the HTTP status's.
    pub fn category(&self) -> Category {
        if let Some(info) = self.code.as_ref().and_then(ErrorCode::info) {
            return info.category;
        }
        match self.status {
            Some(status) => Category::from_status(status),
            None => Category::Validation,
        }
    }

    /// True when local validation raised it and no request was sent.
    pub fn is_local(&self) -> bool {
        self.status.is_none()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code} ({})", self.category())?,
            None => write!(f, "{}", self.category())?,
        }
        if let Some(status) = self.status {
            write!(f, " [HTTP {status}]")?;
        } else {
            f.write_str(" [not sent]")?;
        }
        match (&self.message, &self.body_snippet) {
            (Some(m), _) if !m.is_empty() => write!(f, ": {m}")?,
            (_, Some(b)) if !b.is_empty() => write!(f, ": body {b:?}")?,
            _ => {}
        }
        if let Some(p) = self.parameter.as_deref().filter(|p| !p.is_empty()) {
            write!(f, " (parameter: {p})")?;
        }
        if let Some(r) = self.retry_after {
            write!(f, " (retry after {}s)", r.as_secs())?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success status whose body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable {status} response: {reason}; body {body_snippet:?}")]
pub struct DecodeError {
    /// The HTTP status (2xx).
    pub status: u16,
    /// Why it could not be read.
    pub reason: String,
    /// The first bytes of the body (lossy UTF-8).
    pub body_snippet: String,
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// No connection could be made: nothing was sent.
    Connect,
    /// A timeout elapsed.
    Timeout,
    /// The connection failed after it was made (reset, closed, TLS failure mid-stream).
    Io,
}

/// A failure below HTTP: no answer was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} error: {message}")]
pub struct TransportError {
    /// What failed.
    pub kind: TransportKind,
    /// A description without secrets.
    pub message: String,
}

/// Every error of every operation, in every language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service (or local validation) refused the request with a code.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The service answered success with a body that could not be read.
    #[error("{0}")]
    Decode(DecodeError),
    /// The client was configured wrongly (bad base URL, missing credentials).
    #[error("invalid client configuration: {0}")]
    InvalidConfig(String),
    /// No answer was read, and the request cannot have had an effect (or it is safe to repeat).
    #[error("{0}")]
    Transport(TransportError),
    /// A generate whose request may have reached the service failed: an OTP may have been
    /// sent. It was not retried, so that no second code goes out.
    #[error("outcome unknown: an OTP may have been sent; not retried ({0})")]
    OutcomeUnknown(Box<Error>),
}

impl Error {
    /// Its kind: the flat taxonomy the bindings turn into exception classes and result codes.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => ErrorKind::from(e.category()),
            Error::Decode(_) => ErrorKind::Decode,
            Error::InvalidConfig(_) => ErrorKind::InvalidConfig,
            Error::Transport(t) => match t.kind {
                TransportKind::Connect => ErrorKind::Connect,
                TransportKind::Timeout => ErrorKind::Timeout,
                TransportKind::Io => ErrorKind::Transport,
            },
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
        }
    }

    /// The API error, when the service (or local validation) answered with one,
    /// including one wrapped in [`Error::OutcomeUnknown`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::OutcomeUnknown(inner) => inner.api(),
            _ => None,
        }
    }

    /// The code, when there is one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api().and_then(|e| e.code.as_ref())
    }

    /// The HTTP status, when an answer was read.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => e.status,
            Error::Decode(d) => Some(d.status),
            Error::OutcomeUnknown(inner) => inner.status(),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Api(Box::new(e))
    }
}

macro_rules! kinds {
    ($($variant:ident = $n:literal, $name:literal, $doc:literal;)*) => {
        /// The flat taxonomy of every error: the eight API categories, then the failures
        /// around them. Discriminants are stable: the C header and CLI exit codes use them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum ErrorKind {
            $(#[doc = $doc] $variant = $n,)*
        }

        impl ErrorKind {
            /// Every kind, in discriminant order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];

            /// The snake_case name used on every language's surface.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorKind::$variant => $name,)* }
            }

            /// One line saying what it means, for generated docs.
            pub fn description(self) -> &'static str {
                match self { $(ErrorKind::$variant => $doc,)* }
            }
        }
    };
}

kinds! {
    Validation = 1, "validation", "The request broke a rule of the service.";
    Configuration = 2, "configuration", "The flow is unknown or not approved.";
    Authentication = 3, "authentication", "The API key or SID was not accepted.";
    NotFound = 4, "not_found", "The verification does not exist.";
    OtpRejected = 5, "otp_rejected", "The code was wrong, expired, already used, or out of attempts.";
    RateLimited = 6, "rate_limited", "Too many requests.";
    Server = 7, "server", "The service failed.";
    Unknown = 8, "unknown", "An error code that neither the table nor the HTTP status classifies.";
    Decode = 9, "decode", "A success status with a body that could not be read.";
    Connect = 10, "connect", "No connection could be made; nothing was sent.";
    Timeout = 11, "timeout", "A timeout elapsed before an answer was read.";
    OutcomeUnknown = 12, "outcome_unknown", "A generate may have reached the service: an OTP may have been sent.";
    Transport = 13, "transport", "The connection failed before an answer was read.";
    InvalidConfig = 14, "invalid_config", "The client was configured wrongly.";
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
            assert_eq!(*k as usize, i + 1);
        }
        for c in Category::ALL {
            assert_eq!(ErrorKind::from(c).as_str(), c.as_str());
        }
    }
}
