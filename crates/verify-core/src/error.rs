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
#[non_exhaustive]
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
    /// The `Retry-After` header (seconds, or an HTTP date turned into the wait until then).
    pub retry_after: Option<Duration>,
    /// The first bytes of a body that could not be read as the envelope (lossy UTF-8).
    pub body_snippet: Option<String>,
}

impl ApiError {
    /// The error local validation returns: the table's code with the service's own
    /// `type`, parameter and message, exactly as the service would have answered.
    pub fn local(code: ErrorCode) -> ApiError {
        let info = code.info();
        ApiError {
            error_type: info.map(|i| i.service_type.to_owned()),
            parameter: info.map(|i| i.parameter.to_owned()),
            message: info.map(|i| i.message.to_owned()),
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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: nothing was sent.
    Connect,
    /// A timeout elapsed.
    Timeout,
    /// The connection failed after it was made (reset, closed, TLS failure mid-stream).
    Io,
    /// The server's certificate was not trusted (unknown issuer, wrong name, expired):
    /// nothing was sent, and trying again cannot help.
    Certificate,
}

/// A failure below HTTP: no answer was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error: {message}", kind_name(*.kind))]
#[non_exhaustive]
pub struct TransportError {
    /// What failed.
    pub kind: TransportKind,
    /// A description without secrets.
    pub message: String,
}

impl TransportError {
    /// A transport error of `kind`; `message` must hold no secret (no URL, no header).
    pub fn new(kind: TransportKind, message: impl Into<String>) -> TransportError {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

fn kind_name(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Connect => "connect",
        TransportKind::Timeout => "timeout",
        TransportKind::Io => "connection",
        TransportKind::Certificate => "certificate",
    }
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
    OutcomeUnknown(#[source] Box<Error>),
    /// A defect inside the SDK stopped the call (a panic was caught). A bug to report;
    /// for generate it comes wrapped in [`Error::OutcomeUnknown`].
    #[error("internal error in the SDK (please report it): {0}")]
    Internal(String),
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
                TransportKind::Certificate => ErrorKind::Certificate,
            },
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The wait the service asked for (`Retry-After`), when it asked.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|a| a.retry_after)
    }

    /// True when making the same call again later is safe and may succeed: a rate limit,
    /// no connection, a gateway error (502, 503, 504), or a validate whose answer was lost.
    /// Never for [`Error::OutcomeUnknown`]: a second generate may text a second code.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(a) => matches!(a.status, Some(429 | 502 | 503 | 504)),
            Error::Transport(t) => t.kind != TransportKind::Certificate,
            _ => false,
        }
    }

    /// True for [`Error::OutcomeUnknown`]: an OTP may have been sent.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown(_))
    }

    /// The flat, plain-data projection every binding and the command show.
    pub fn view(&self) -> ErrorView {
        let api = self.api();
        let text = |f: fn(&ApiError) -> &Option<String>| api.and_then(|a| f(a).clone());
        let body_snippet = match self.innermost() {
            Error::Decode(d) => Some(d.body_snippet.clone()),
            _ => text(|a| &a.body_snippet),
        };
        ErrorView {
            kind: self.kind(),
            message: self.to_string(),
            code: self.code().map(|c| c.as_str().to_owned()),
            error_type: text(|a| &a.error_type),
            parameter: text(|a| &a.parameter),
            service_message: text(|a| &a.message),
            reference: text(|a| &a.reference),
            status: self.status(),
            retry_after_ms: self
                .retry_after()
                .map(|d| d.as_millis().min(u64::MAX as u128) as u64),
            body_snippet,
            cause_kind: match self {
                Error::OutcomeUnknown(inner) => Some(inner.kind()),
                _ => None,
            },
        }
    }

    /// The error an outcome-unknown one wraps, else itself.
    fn innermost(&self) -> &Error {
        match self {
            Error::OutcomeUnknown(inner) => inner.innermost(),
            other => other,
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

/// An [`Error`] as plain data: the same fields in every language (Python's exception
/// attributes, Node's error properties, the C accessors, the command's `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorView {
    /// The kind, from verify-core's table.
    pub kind: ErrorKind,
    /// The whole sentence for people (the error's `Display`); never holds the API key.
    pub message: String,
    /// The code as sent (`E912`), or an unknown code as it came.
    pub code: Option<String>,
    /// The envelope's `type`, as sent.
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    /// The parameter at fault, as sent.
    pub parameter: Option<String>,
    /// The envelope's `message`, as sent.
    pub service_message: Option<String>,
    /// The envelope's `reference`, as sent.
    pub reference: Option<String>,
    /// The HTTP status, when an answer was read.
    pub status: Option<u16>,
    /// The wait the service asked for, in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// The first bytes of a body that was not the envelope.
    pub body_snippet: Option<String>,
    /// For `outcome_unknown`: the kind of the failure behind it.
    pub cause_kind: Option<ErrorKind>,
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Api(Box::new(e))
    }
}
