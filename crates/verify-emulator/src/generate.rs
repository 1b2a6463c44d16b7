//! `POST /v1/{SID}/verify`: checks the request with verify-core's rules and the flow's,
//! generates (or takes) a code, and delivers it on the flow's first channels.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use verify_core::wire::{DataEnvelope, GeneratedData};
use verify_core::{rules, ErrorCode, GenerateRequest, Recipient};

use crate::api::ApiRequest;
use crate::app::App;
use crate::error::{api_error, json};
use crate::flows::resolve;
use crate::otp::{random_code, random_uuid};
use crate::state::Verification;

/// The handler.
pub async fn handle(
    State(app): State<Arc<App>>,
    ApiRequest { sid, body: req }: ApiRequest<GenerateRequest>,
) -> Response {
    let Some(flow) = resolve(&app.flows, req.flow_id.as_deref()) else {
        return api_error(ErrorCode::E905);
    };
    if let Some(otp) = &req.otp {
        if otp.len() != flow.otp_length {
            return api_error(ErrorCode::E903);
        }
        if !flow.alphanumeric && !otp.bytes().all(|b| b.is_ascii_digit()) {
            return api_error(ErrorCode::E914);
        }
    }
    let to = req.to.unwrap_or_default();
    let mobile = to.mobile.unwrap_or_default();
    let mobiles: Vec<String> = rules::normalized_mobiles(&mobile)
        .map(str::to_owned)
        .collect();
    let code = req
        .otp
        .unwrap_or_else(|| random_code(flow.otp_length, flow.alphanumeric));
    let verify_id = random_uuid();
    let recipient = Recipient {
        mobile: Some(mobiles.join(",")),
        email: to.email.clone(),
    };
    let body = json(
        StatusCode::OK,
        &DataEnvelope {
            data: GeneratedData {
                verify_id: &verify_id,
                to: recipient,
                flow_id: &flow.id,
            },
        },
    );
    let now = app.clock.now();
    let v = Verification::new(verify_id, sid, flow.clone(), code, mobiles, to.email, now);
    app.store.insert(v, now, &app.counters);
    app.counters.generated.fetch_add(1, Ordering::Relaxed);
    body
}
