//! Every error answer in the service's envelope, with the status the code table gives,
//! so that clients meet the emulator's errors exactly as they meet the service's.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use verify_core::wire::{ErrorBody, ErrorEnvelope};
use verify_core::{CodeInfo, ErrorCode};

/// The answer for a row of the table: its status, and the service's `type` and
/// `message` verbatim (API.md: the seed's exact words).
fn from_info(status: StatusCode, info: &CodeInfo) -> Response {
    envelope(
        status,
        info.code,
        info.service_type,
        info.parameter,
        info.message,
    )
}

/// The answer for a code of the table.
pub fn api_error(code: ErrorCode) -> Response {
    match code.info() {
        Some(info) => from_info(
            StatusCode::from_u16(info.http_status).unwrap_or(StatusCode::BAD_REQUEST),
            info,
        ),
        None => envelope(
            StatusCode::BAD_REQUEST,
            code.as_str(),
            "UNKNOWN_ERROR",
            "",
            "",
        ),
    }
}

/// The answer for a verify-core validation error (always a code of the table).
pub fn from_core(err: &verify_core::Error) -> Response {
    api_error(err.code().cloned().unwrap_or(ErrorCode::E500))
}

/// An envelope with every field given.
pub fn envelope(
    status: StatusCode,
    code: &str,
    error_type: &str,
    parameter: &str,
    message: &str,
) -> Response {
    let body = ErrorEnvelope {
        error: ErrorBody {
            code,
            error_type,
            parameter,
            message,
            reference: "",
        },
    };
    json(status, &body)
}

/// The answer for any status, with the code that fits it (E401, E429, E500, ...).
pub fn for_status(status: StatusCode) -> Response {
    let code = match status.as_u16() {
        400 => ErrorCode::E400,
        401 | 403 => ErrorCode::E401,
        413 => ErrorCode::E413,
        429 => ErrorCode::E429,
        _ => ErrorCode::E500,
    };
    match code.info() {
        Some(info) => from_info(status, info),
        None => envelope(status, code.as_str(), "UNKNOWN_ERROR", "", ""),
    }
}

/// A JSON answer.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// 404 for a route that does not exist.
pub async fn not_found() -> Response {
    api_error(ErrorCode::E404)
}

/// 405 for a route that exists with another method.
pub async fn method_not_allowed() -> Response {
    api_error(ErrorCode::E405)
}
