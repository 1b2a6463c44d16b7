//! verify-core errors as napi errors, and the core's tables (error kinds, codes, check
//! outcomes) exported so that the JS layer derives its classes and types from them.
//!
//! A rejection from napi can only carry a message, so the error's whole `ErrorView` travels
//! as JSON behind a marker; the JS layer turns it into the class of its kind.

use napi::{Error, Status};
use napi_derive::napi;
use verify_http::{CheckOutcome, ErrorKind};

/// What starts the message of every error that carries an `ErrorView`.
const MARKER: &str = "kaleyra-verify:view:";
/// The message of a call cancelled by its AbortSignal (the JS layer throws the signal's reason).
const ABORTED: &str = "kaleyra-verify:aborted";

/// A core error as a napi error carrying its view.
pub fn to_napi(e: verify_http::Error) -> Error {
    match serde_json::to_string(&e.view()) {
        Ok(json) => Error::new(Status::GenericFailure, format!("{MARKER}{json}")),
        Err(_) => Error::new(Status::GenericFailure, e.to_string()),
    }
}

/// The error of a call on a closed client.
pub fn closed() -> Error {
    to_napi(verify_http::Error::InvalidConfig(
        "the client was closed".into(),
    ))
}

/// The error of a call cancelled by its AbortSignal.
pub fn aborted() -> Error {
    Error::new(Status::Cancelled, ABORTED)
}

/// The markers the JS layer recognises, so that it never spells them itself.
#[napi(object)]
pub struct Markers {
    pub view: String,
    pub aborted: String,
}

/// The markers of `to_napi` and `aborted`.
#[napi]
pub fn markers() -> Markers {
    Markers {
        view: MARKER.into(),
        aborted: ABORTED.into(),
    }
}

/// One error kind of verify-core's table.
#[napi(object)]
pub struct KindInfo {
    /// snake_case, as in `error.kind`.
    pub name: String,
    /// The stable number (C and CLI use it).
    pub number: u32,
    /// The class every language names it by.
    pub class_name: String,
    /// One line saying what it means.
    pub description: String,
}

/// Every error kind, in number order (`ErrorKind::ALL`).
#[napi]
pub fn error_kinds() -> Vec<KindInfo> {
    ErrorKind::ALL
        .iter()
        .map(|k| KindInfo {
            name: k.as_str().into(),
            number: k.number(),
            class_name: k.class_name().into(),
            description: k.description().into(),
        })
        .collect()
}

/// One outcome of `check` (`CheckOutcome::ALL`).
#[napi(object)]
pub struct OutcomeInfo {
    /// snake_case, as `check` returns it.
    pub name: String,
    /// The stable number.
    pub number: u32,
    /// True only for `verified`.
    pub verified: bool,
    /// One line saying what it means.
    pub description: String,
}

/// Every outcome of `check`.
#[napi]
pub fn check_outcomes() -> Vec<OutcomeInfo> {
    CheckOutcome::ALL
        .iter()
        .map(|o| OutcomeInfo {
            name: o.as_str().into(),
            number: o.number(),
            verified: o.is_verified(),
            description: o.description().into(),
        })
        .collect()
}

/// verify-core's code table (`CODES`) as JSON: code, meaning, category, parameter, status.
#[napi]
pub fn codes_json() -> String {
    serde_json::to_string(verify_core::CODES).unwrap_or_else(|_| "[]".into())
}
