//! The `/_emulator/*` routes tests in any language use: the outbox, the clock, faults,
//! counters, the account and flows in use, the OpenAPI document and the certificate.
//! Faults never apply here.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use verify_core::ErrorCode;

use crate::app::App;
use crate::error::{api_error, json, not_found};
use crate::faults::Fault;

/// A request that may reach the control routes or the dashboard. A web page open in the
/// developer's browser must not be able to change or read the emulator's state:
/// - a POST must be `application/json` (415 E415 otherwise), which a cross-site page
///   cannot send without a CORS preflight that the emulator never grants (CSRF);
/// - the `Host` must be an IP address or `localhost` (403 E403 otherwise): a page that
///   rebinds its own DNS name to 127.0.0.1 still sends that name (DNS rebinding). An IP
///   literal cannot be rebound, so a non-loopback bind stays reachable by its address.
pub async fn guard(req: Request, next: Next) -> Response {
    let host_ok = match req.headers().get(header::HOST) {
        None => true, // not a browser: browsers always send Host
        Some(v) => v.to_str().is_ok_and(host_allowed),
    };
    if !host_ok {
        return api_error(ErrorCode::E403);
    }
    if req.method() == Method::POST && !crate::api::is_json(req.headers()) {
        return api_error(ErrorCode::E415);
    }
    next.run(req).await
}

/// `127.0.0.1:8080`, `[::1]`, `localhost`, `app.localhost:80`, any IP literal: yes.
fn host_allowed(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name.parse::<std::net::IpAddr>().is_ok() || name == "localhost" || name.ends_with(".localhost")
}

/// The control routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/clock", get(clock))
        .route("/_emulator/clock/advance", post(advance))
        .route(
            "/_emulator/faults",
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/info", get(info))
        .route("/_emulator/openapi.json", get(openapi))
        .route("/_emulator/cert.pem", get(cert))
        .route_layer(axum::middleware::from_fn(guard))
}

#[derive(Deserialize)]
struct OutboxQuery {
    verify_id: Option<String>,
}

/// `{"deliveries": [{"verify_id","channel","recipient","code","at"}]}`, oldest first.
async fn outbox(State(app): State<Arc<App>>, Query(q): Query<OutboxQuery>) -> Response {
    let deliveries = app.outbox(q.verify_id.as_deref());
    json(StatusCode::OK, &json!({ "deliveries": deliveries }))
}

fn clock_body(app: &App) -> Response {
    json(
        StatusCode::OK,
        &json!({ "now_ms": app.clock.now(), "offset_ms": app.clock.offset() }),
    )
}

/// `{"now_ms": Unix ms, "offset_ms": advanced so far}`.
async fn clock(State(app): State<Arc<App>>) -> Response {
    clock_body(&app)
}

#[derive(Deserialize)]
struct Advance {
    seconds: f64,
}

/// Body `{"seconds": N}`, N from 0 to a thousand years in all
/// ([`crate::clock::MAX_OFFSET_MS`]);
/// answers like `GET /_emulator/clock`, or E400 (and the clock unmoved) for anything else.
async fn advance(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Some(Advance { seconds }) = object(&body) else {
        return api_error(ErrorCode::E400);
    };
    let by = match Duration::try_from_secs_f64(seconds) {
        Ok(by) if seconds.is_finite() => by,
        _ => return api_error(ErrorCode::E400),
    };
    if !app.try_advance_clock(by) {
        return api_error(ErrorCode::E400);
    }
    clock_body(&app)
}

/// The body as `T` when it is a JSON object.
fn object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    crate::api::is_json_object(body)
        .then(|| serde_json::from_slice(body).ok())
        .flatten()
}

fn faults_body(app: &App) -> Response {
    json(StatusCode::OK, &json!({ "faults": app.faults.list() }))
}

/// `{"faults": [...]}`, the faults waiting.
async fn faults(State(app): State<Arc<App>>) -> Response {
    faults_body(&app)
}

/// Body: one [`Fault`] or an array of them.
async fn add_fault(State(app): State<Arc<App>>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Fault),
        Many(Vec<Fault>),
    }
    match serde_json::from_slice(&body) {
        Ok(OneOrMany::One(f)) => app.faults.push(f),
        Ok(OneOrMany::Many(fs)) => fs.into_iter().for_each(|f| app.faults.push(f)),
        Err(_) => return api_error(ErrorCode::E400),
    }
    faults_body(&app)
}

async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    app.faults.clear();
    faults_body(&app)
}

/// [`crate::Stats`] as JSON.
async fn stats(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, &app.counters.snapshot(app.store.live()))
}

/// The accounts and flows, so a helper that spawned the binary knows what to send.
async fn info(State(app): State<Arc<App>>) -> Response {
    let accounts: Vec<_> = app
        .accounts
        .iter()
        .map(|a| json!({ "sid": a.sid, "api_key": a.api_key }))
        .collect();
    let flows: Vec<_> = app.flows.iter().map(|f| f.as_ref()).collect();
    json(
        StatusCode::OK,
        &json!({
            "accounts": accounts,
            "flows": flows,
            "default_flow_id": app.default_flow_id(),
            "tls": app.ca_pem.is_some(),
        }),
    )
}

async fn openapi() -> Response {
    json(StatusCode::OK, &crate::openapi::document())
}

/// The CA certificate that signed the server's, when serving TLS.
async fn cert(State(app): State<Arc<App>>) -> Response {
    match &app.ca_pem {
        Some(pem) => (
            [(header::CONTENT_TYPE, "application/x-pem-file")],
            pem.clone(),
        )
            .into_response(),
        None => not_found().await,
    }
}
