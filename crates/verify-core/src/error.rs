//! The error types of every operation: what the service said, kept whole, next to the
//! failures around it (transport, decoding, configuration). Their kinds come from the
//! table in [`crate::codes`].

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::codes::{Category, ErrorCode, ErrorKind};

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
    /// The `Retry-After` header (seconds, or an HTTP date as the wait until it).
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
