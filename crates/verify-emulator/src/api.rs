//! What both API routes check before their own logic, in the service's order: the
//! account, the content type, the size, the JSON, then verify-core's local rules. As an
//! extractor ([`ApiRequest`]), so that each handler holds only its own logic.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use verify_core::{ErrorCode, GenerateRequest, ValidateRequest};

use crate::app::App;
use crate::error::{api_error, from_core};

/// A request body with verify-core's local rules, which the emulator applies exactly as
/// the clients do.
pub trait LocalRules: DeserializeOwned {
    /// The first rule broken, with the service's code.
    fn check(&self) -> Result<(), verify_core::Error>;
}

impl LocalRules for GenerateRequest {
    fn check(&self) -> Result<(), verify_core::Error> {
        self.validate()
    }
}

impl LocalRules for ValidateRequest {
    fn check(&self) -> Result<(), verify_core::Error> {
        self.validate()
    }
}

/// An authorised, well-formed API request: the SID from the path and the body, checked.
/// Extracting it answers every failure with the service's envelope.
pub struct ApiRequest<T> {
    /// The account.
    pub sid: String,
    /// The body.
    pub body: T,
}

impl<T: LocalRules> FromRequest<Arc<App>> for ApiRequest<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Path(sid) = Path::<String>::from_request_parts(&mut parts, app)
            .await
            .map_err(|_| api_error(ErrorCode::E404))?;
        let body: T = read_json(app, &sid, &parts.headers, body).await?;
        body.check().map_err(|e| from_core(&e))?;
        Ok(ApiRequest { sid, body })
    }
}

/// Largest body accepted (E413 above).
pub const MAX_BODY: usize = 64 * 1024;

/// Reads an authorised, JSON, size-bounded request body into `T`, or the error answer.
async fn read_json<T: DeserializeOwned>(
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
    if declared.is_some_and(|n| n > (MAX_BODY + DRAIN_LIMIT) as u64) {
        return Err(api_error(ErrorCode::E413));
    }
    let bytes = read_bounded(body).await?;
    if !is_json_object(&bytes) {
        return Err(api_error(ErrorCode::E400));
    }
    serde_json::from_slice(&bytes).map_err(|_| api_error(ErrorCode::E400))
}

/// True when the text starts (after JSON whitespace) with `{`. serde maps a JSON array
/// onto a struct's fields in order, so `[null, {"mobile": ...}]` would otherwise pass as
/// a generate request; the service wants an object (API.md), and so do we.
pub fn is_json_object(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b'{')
}

/// How much of an oversized body is read and dropped before answering E413. Closing
/// the connection while the client is still sending makes the kernel reset it, and the
/// client then sees a broken pipe instead of the answer.
const DRAIN_LIMIT: usize = 1024 * 1024;

/// How long a body may take to arrive.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The body, or E413 once it passes [`MAX_BODY`] (after draining up to [`DRAIN_LIMIT`]
/// more), or E400 when the client stops sending or sends too slowly.
async fn read_bounded(mut body: Body) -> Result<Vec<u8>, Response> {
    let read = async {
        let mut buf = Vec::new();
        let mut seen = 0usize;
        while let Some(frame) = body.frame().await {
            let Ok(data) = frame.map_err(|_| ())?.into_data() else {
                continue; // trailers
            };
            seen += data.len();
            if seen <= MAX_BODY {
                buf.extend_from_slice(&data);
            } else if seen > MAX_BODY + DRAIN_LIMIT {
                break;
            }
        }
        Ok::<_, ()>((buf, seen))
    };
    match tokio::time::timeout(BODY_TIMEOUT, read).await {
        Ok(Ok((_, seen))) if seen > MAX_BODY => Err(api_error(ErrorCode::E413)),
        Ok(Ok((buf, _))) => Ok(buf),
        Ok(Err(())) | Err(_) => Err(api_error(ErrorCode::E400)),
    }
}

/// `application/json`, any case, parameters allowed.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}
