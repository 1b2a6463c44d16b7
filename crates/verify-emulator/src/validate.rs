//! `POST /v1/{SID}/verify/validate`: checks a code once, counting wrong attempts.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use verify_core::wire::{DataEnvelope, ValidatedData};
use verify_core::ValidateRequest;

use crate::api::ApiRequest;
use crate::app::App;
use crate::error::{api_error, json};

/// The message the service sends on success.
pub const VERIFIED_MESSAGE: &str = "OTP verified successfully.";

/// The handler.
pub async fn handle(
    State(app): State<Arc<App>>,
    ApiRequest { sid, body: req }: ApiRequest<ValidateRequest>,
) -> Response {
    let now = app.clock.now();
    match app.store.validate(&sid, &req.verify_id, &req.otp, now) {
        Ok(()) => json(
            StatusCode::OK,
            &DataEnvelope {
                data: ValidatedData {
                    verify_id: &req.verify_id,
                    message: VERIFIED_MESSAGE,
                },
            },
        ),
        Err(code) => api_error(code),
    }
}
