//! `POST /v1/{SID}/verify/validate`: checks a code once, counting wrong attempts.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use verify_core::response::DataEnvelope;
use verify_core::{ValidateRequest, Validated};

use crate::app::App;
use crate::error::{api_error, from_core, json};

/// The message the service sends on success.
pub const VERIFIED_MESSAGE: &str = "OTP verified successfully.";

/// The handler.
pub async fn handle(
    State(app): State<Arc<App>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req: ValidateRequest = match crate::api::read_json(&app, &sid, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Err(e) = req.validate() {
        return from_core(&e);
    }
    let now = app.clock.now();
    match app.store.validate(&sid, &req.verify_id, &req.otp, now) {
        Ok(()) => json(
            StatusCode::OK,
            &DataEnvelope {
                data: Validated {
                    verify_id: req.verify_id,
                    message: VERIFIED_MESSAGE.to_owned(),
                    after_lost_attempt: false,
                },
            },
        ),
        Err(code) => api_error(code),
    }
}
