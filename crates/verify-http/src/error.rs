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
    let kind = if is_certificate_error(&err) {
        TransportKind::Certificate
    } else if err.is_connect() {
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
    if kind == TransportKind::Certificate {
        message.push_str(
            " (the server's certificate is not trusted: for a private CA, pass its \
             certificate as ca_cert_pem)",
        );
    }
    Error::Transport(TransportError::new(kind, message))
}

/// True when TLS refused the server's certificate: unknown issuer, wrong name, expired.
/// rustls's error sits inside an `io::Error`, whose `source()` skips it, so each
/// `io::Error` is opened by hand.
fn is_certificate_error(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(rustls::Error::InvalidCertificate(_)) = e.downcast_ref::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if is_certificate_error(inner) {
                return true;
            }
        }
        current = e.source();
    }
    false
}

/// The error for a call that ran out of its total timeout.
pub(crate) fn timeout(total: Duration) -> Error {
    Error::Transport(TransportError::new(
        TransportKind::Timeout,
        format!(
            "no answer within the total timeout of {} ms",
            total.as_millis()
        ),
    ))
}
