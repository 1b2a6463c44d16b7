//! The one place where transport failures become verify-core's [`Error`]: the bindings
//! only know core's error, so nothing reqwest-specific may escape this crate.
//!
//! Messages are built from the error chain without the URL (`without_url`) and never from
//! the request, so no header (the API key is one) can appear in them.

use std::error::Error as StdError;
use std::time::Duration;

use verify_core::{Error, TransportError, TransportKind};

/// Maps a reqwest failure: a connect failure means nothing was sent (safe to retry);
/// anything else happened after the request may have been sent.
pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
    let kind = if err.is_connect() {
        TransportKind::Connect
    } else if err.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Io
    };
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    Error::Transport(TransportError { kind, message })
}

/// The error for a call that ran out of its total timeout.
pub(crate) fn timeout(total: Duration) -> Error {
    Error::Transport(TransportError {
        kind: TransportKind::Timeout,
        message: format!(
            "no answer within the total timeout of {} ms",
            total.as_millis()
        ),
    })
}

/// The error a blocking call returns if its runtime is gone (it cannot be, while the
/// client is alive; this keeps the path panic-free).
pub(crate) fn runtime_gone() -> Error {
    Error::Transport(TransportError {
        kind: TransportKind::Io,
        message: "the client's runtime stopped before the call finished".to_owned(),
    })
}
