//! Which failures may be sent again, and what a failure means for the caller, as pure
//! functions of the endpoint and the error. Every client (Rust, and through it Python,
//! Node and C) asks these questions; the answers live here so that no binding guesses.
//!
//! The one rule that matters: a generate is never sent twice once the first request may
//! have reached the service, because a second send may text a second code.

use crate::config::Endpoint;
use crate::error::{DecodeError, Error, TransportKind};
use crate::validate::Validated;

/// What a failed attempt tells about the service's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// The service did not act on the request: no connection was made, or it answered
    /// 429 (refused before processing).
    NotProcessed,
    /// It may have acted on it: the answer was lost (timeout, reset after sending), a
    /// 5xx came back (possibly from a gateway in front of a service that did the work),
    /// or a success status came with an unreadable body.
    MaybeProcessed,
    /// It answered, and the answer says what happened (a 4xx with a code), or the request
    /// was refused locally or by configuration before anything was sent.
    Answered,
}

/// Sorts a failed attempt by what it tells about the service's state.
pub fn reach(err: &Error) -> Reach {
    match err {
        Error::Transport(t) => match t.kind {
            TransportKind::Connect => Reach::NotProcessed,
            // The handshake failed: nothing was sent, and a retry meets the same certificate.
            TransportKind::Certificate => Reach::Answered,
            TransportKind::Timeout | TransportKind::Io => Reach::MaybeProcessed,
        },
        Error::Api(api) => match api.status {
            None => Reach::Answered,
            Some(429) => Reach::NotProcessed,
            Some(s) if s >= 500 => Reach::MaybeProcessed,
            Some(_) => Reach::Answered,
        },
        Error::Decode(_) => Reach::MaybeProcessed,
        Error::OutcomeUnknown(_) => Reach::MaybeProcessed,
        // A caught panic: nothing says how far the request got, and repeating a defect
        // will not cure it.
        Error::Internal(_) => Reach::MaybeProcessed,
        Error::InvalidConfig(_) => Reach::Answered,
    }
}

/// True when the failed attempt may be sent again on `endpoint`.
///
/// - Both endpoints: a connect failure (nothing was sent) and a 429.
/// - Validate only, being safe to repeat (a repeat of a verified code meets E910, which
///   [`settle_validate`] reads): 502, 503, 504, a connection lost after sending, and a
///   success status whose body could not be read.
/// - Generate: nothing else, ever.
pub fn is_retryable(endpoint: Endpoint, err: &Error) -> bool {
    match reach(err) {
        Reach::NotProcessed => true,
        Reach::Answered => false,
        Reach::MaybeProcessed => match endpoint {
            Endpoint::Generate => false,
            Endpoint::Validate => match err {
                Error::Api(api) => matches!(api.status, Some(502..=504)),
                Error::Transport(t) => t.kind == TransportKind::Io,
                // `Internal` is a defect: never repeated.
                Error::Decode(_) => true,
                _ => false,
            },
        },
    }
}

/// The error a generate returns for its last failed attempt: wrapped in
/// [`Error::OutcomeUnknown`] when the request may have reached the service.
pub fn settle_generate(err: Error) -> Error {
    match (&err, reach(&err)) {
        (Error::OutcomeUnknown(_), _) => err,
        (_, Reach::MaybeProcessed) => Error::OutcomeUnknown(Box::new(err)),
        _ => err,
    }
}

/// The result a validate returns, given whether an earlier attempt of the same call may
/// have been processed with its answer lost. Then E910 ("already verified") means the
/// code was verified, possibly by that lost attempt: a success with
/// [`Validated::after_lost_attempt`] set.
///
/// A success naming another verification than `verify_id` is a [`DecodeError`], never a
/// success: a wrong answer must not turn into a verified login.
pub fn settle_validate(
    verify_id: &str,
    result: Result<Validated, Error>,
    earlier_attempt_lost: bool,
) -> Result<Validated, Error> {
    match result {
        Ok(v) if v.verify_id != verify_id => Err(Error::Decode(DecodeError {
            // decode_validate accepted it, so it came with a success status; the service's is 200.
            status: 200,
            reason: format!(
                "the answer is about verify_id {:?}, not {verify_id:?}, the one asked about",
                v.verify_id
            ),
            body_snippet: String::new(),
        })),
        Err(e)
            if earlier_attempt_lost
                && matches!(e.code(), Some(crate::codes::ErrorCode::E910))
                && e.status().is_some() =>
        {
            Ok(Validated {
                verify_id: verify_id.to_owned(),
                message: "OTP verified (the answer to an earlier attempt was lost; \
                          the service now reports it already verified)."
                    .to_owned(),
                after_lost_attempt: true,
            })
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::ErrorCode;
    use crate::error::{ApiError, TransportError};

    fn status(s: u16) -> Error {
        let mut e = ApiError::local(ErrorCode::Other(format!("E{s}")));
        e.status = Some(s);
        e.into()
    }
    fn transport(kind: TransportKind) -> Error {
        Error::Transport(TransportError {
            kind,
            message: String::new(),
        })
    }

    #[test]
    fn generate_is_retried_only_when_nothing_was_processed() {
        let g = Endpoint::Generate;
        assert!(is_retryable(g, &transport(TransportKind::Connect)));
        assert!(is_retryable(g, &status(429)));
        for e in [
            transport(TransportKind::Io),
            transport(TransportKind::Timeout),
            status(500),
            status(502),
            status(503),
            status(504),
            status(400),
        ] {
            assert!(!is_retryable(g, &e), "{e}");
        }
        assert!(matches!(
            settle_generate(status(503)),
            Error::OutcomeUnknown(_)
        ));
        assert!(matches!(settle_generate(status(400)), Error::Api(_)));
        assert!(matches!(
            settle_generate(transport(TransportKind::Connect)),
            Error::Transport(_)
        ));
    }

    #[test]
    fn validate_is_retried_on_gateway_errors_and_lost_answers() {
        let v = Endpoint::Validate;
        for e in [
            transport(TransportKind::Connect),
            transport(TransportKind::Io),
            status(429),
            status(502),
            status(503),
            status(504),
        ] {
            assert!(is_retryable(v, &e), "{e}");
        }
        for e in [status(500), status(400), status(404)] {
            assert!(!is_retryable(v, &e), "{e}");
        }
    }

    #[test]
    fn e910_after_a_lost_attempt_is_a_success() {
        let mut e910 = ApiError::local(ErrorCode::E910);
        e910.status = Some(400);
        let err: Error = e910.into();
        let ok = settle_validate("v1", Err(err.clone()), true).unwrap();
        assert!(ok.after_lost_attempt);
        assert_eq!(ok.verify_id, "v1");
        assert_eq!(settle_validate("v1", Err(err.clone()), false), Err(err));
    }

    #[test]
    fn a_success_about_another_verification_is_a_decode_error() {
        let other = Validated {
            verify_id: "v2".to_owned(),
            message: "OTP verified successfully.".to_owned(),
            after_lost_attempt: false,
        };
        for lost in [false, true] {
            let err = settle_validate("v1", Ok(other.clone()), lost).unwrap_err();
            assert!(matches!(err, Error::Decode(_)), "{err:?}");
            assert!(err.to_string().contains("\"v2\""), "{err}");
        }
        let same = Validated {
            verify_id: "v1".to_owned(),
            ..other
        };
        assert_eq!(settle_validate("v1", Ok(same.clone()), false), Ok(same));
    }
}
