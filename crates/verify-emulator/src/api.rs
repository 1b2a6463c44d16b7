//! What both API routes check before their own logic, in the service's order: the
//! account, the content type, the size, then the JSON.

use axum::body::Body;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::de::DeserializeOwned;
use verify_core::ErrorCode;

use crate::app::App;
use crate::error::api_error;

/// Largest body accepted (E413 above).
pub const MAX_BODY: usize = 64 * 1024;

/// Reads an authorised, JSON, size-bounded request body into `T`, or the error answer.
pub async fn read_json<T: DeserializeOwned>(
    app: &App,
    sid: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, Response> {
    let key = headers.get("api-key").map(|v| v.as_bytes());
    if !app.authorised(sid, key) {
        return Err(api_error(ErrorCode::E401));
    }
    if !is_json(headers) {
        return Err(api_error(ErrorCode::E400));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(api_error(ErrorCode::E413));
    }
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        // Over the limit while streaming (chunked), or the client went away.
        Err(_) => return Err(api_error(ErrorCode::E413)),
    };
    serde_json::from_slice(&bytes).map_err(|_| api_error(ErrorCode::E400))
}

/// `application/json`, any case, parameters allowed.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}
