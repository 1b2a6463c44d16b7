//! Fault injection on the two API routes: latency, forced statuses, rate limiting,
//! garbled bodies and connections dropped before or after the request takes effect, so
//! that every client's retry and "outcome unknown" logic meets real failures.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::app::App;
use crate::error;
use crate::state::lock;
use crate::stats::route_of;

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum FaultMode {
    /// Waits `ms` milliseconds, then processes the request normally.
    Latency {
        /// The delay.
        ms: u64,
    },
    /// Answers `status` with the envelope (E500 for 5xx, E401, E429, ...) without processing.
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// Drops the connection before processing: nothing changes.
    CloseBefore,
    /// Processes the request (an OTP is generated), then drops the connection unanswered.
    CloseAfter,
    /// Processes the request, then answers 200 with a body that is not JSON.
    Malformed,
    /// Processes the request, then answers 200 with the first half of the JSON body.
    Truncated,
    /// Answers `status` (default 502) with an HTML page, without processing: what a
    /// proxy or load balancer in front of the service sends.
    Html {
        /// The HTTP status.
        #[serde(default = "bad_gateway")]
        status: u16,
    },
    /// Processes the request, then answers `status` (default 200) with an empty body.
    Empty {
        /// The HTTP status.
        #[serde(default = "ok")]
        status: u16,
    },
    /// Answers 429 with E429 and `Retry-After`, without processing.
    RateLimit {
        /// The `Retry-After` header, in seconds.
        #[serde(default = "one_second")]
        retry_after: u64,
    },
}

fn one_second() -> u64 {
    1
}
fn bad_gateway() -> u16 {
    502
}
fn ok() -> u16 {
    200
}
fn once() -> u32 {
    1
}

/// A fault for the next `count` API requests. As JSON: `{"mode": "status", "status": 503,
/// "count": 2}`, `{"mode": "latency", "ms": 300}`, `{"mode": "close_before"}`,
/// `{"mode": "rate_limit", "retry_after": 2}`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What it does.
    #[serde(flatten)]
    pub mode: FaultMode,
    /// How many requests it applies to (default 1).
    #[serde(default = "once")]
    pub count: u32,
}

impl Fault {
    /// A fault for the next request.
    pub fn new(mode: FaultMode) -> Fault {
        Fault { mode, count: 1 }
    }
    /// For the next `n` requests instead.
    pub fn times(mut self, n: u32) -> Fault {
        self.count = n;
        self
    }
    /// Added latency.
    pub fn latency(by: Duration) -> Fault {
        Fault::new(FaultMode::Latency {
            ms: by.as_millis() as u64,
        })
    }
    /// A forced status.
    pub fn status(status: u16) -> Fault {
        Fault::new(FaultMode::Status { status })
    }
    /// 429 with `Retry-After: seconds`.
    pub fn rate_limit(retry_after_seconds: u64) -> Fault {
        Fault::new(FaultMode::RateLimit {
            retry_after: retry_after_seconds,
        })
    }
    /// The connection dropped before processing.
    pub fn close_before() -> Fault {
        Fault::new(FaultMode::CloseBefore)
    }
    /// The connection dropped after processing.
    pub fn close_after() -> Fault {
        Fault::new(FaultMode::CloseAfter)
    }
    /// A 200 whose body is not JSON.
    pub fn malformed() -> Fault {
        Fault::new(FaultMode::Malformed)
    }
    /// A 200 whose JSON body is cut in half.
    pub fn truncated() -> Fault {
        Fault::new(FaultMode::Truncated)
    }
    /// An HTML page with `status`, from "a proxy", the request unprocessed.
    pub fn html(status: u16) -> Fault {
        Fault::new(FaultMode::Html { status })
    }
    /// A processed request answered `status` with an empty body.
    pub fn empty(status: u16) -> Fault {
        Fault::new(FaultMode::Empty { status })
    }
}

/// The faults waiting, first in first out.
#[derive(Default)]
pub struct FaultQueue {
    armed: AtomicBool,
    queue: Mutex<VecDeque<Fault>>,
}

impl FaultQueue {
    /// Queues a fault (a count of 0 is ignored).
    pub fn push(&self, fault: Fault) {
        if fault.count == 0 {
            return;
        }
        lock(&self.queue).push_back(fault);
        self.armed.store(true, Ordering::Release);
    }

    /// Removes every fault.
    pub fn clear(&self) {
        lock(&self.queue).clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The faults waiting.
    pub fn list(&self) -> Vec<Fault> {
        lock(&self.queue).iter().cloned().collect()
    }

    /// The fault for this request, if any. Lock-free when none is queued.
    fn take(&self) -> Option<FaultMode> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut q = lock(&self.queue);
        let front = q.front_mut()?;
        let mode = front.mode.clone();
        front.count -= 1;
        if front.count == 0 {
            q.pop_front();
        }
        if q.is_empty() {
            self.armed.store(false, Ordering::Release);
        }
        Some(mode)
    }
}

/// Put in each request's extensions by the server: firing it drops the connection.
#[derive(Clone)]
pub struct ConnKill(pub Arc<Notify>);

/// Drops the request's connection and never answers.
async fn drop_connection(app: &App, route: usize, kill: Option<ConnKill>) -> Response {
    app.counters.request(route, 0);
    if let Some(ConnKill(n)) = kill {
        n.notify_one();
        std::future::pending::<()>().await;
    }
    error::for_status(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The middleware on the API routes.
pub async fn apply(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let Some(mode) = app.faults.take() else {
        return next.run(req).await;
    };
    let route = route_of(req.uri().path());
    let kill = req.extensions().get::<ConnKill>().cloned();
    match mode {
        FaultMode::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        FaultMode::Status { status } => error::for_status(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        ),
        FaultMode::RateLimit { retry_after } => {
            let mut resp = error::for_status(StatusCode::TOO_MANY_REQUESTS);
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            resp
        }
        FaultMode::CloseBefore => {
            drop(req);
            drop_connection(&app, route, kill).await
        }
        FaultMode::CloseAfter => {
            let _ = next.run(req).await;
            drop_connection(&app, route, kill).await
        }
        FaultMode::Malformed => {
            let (mut parts, _) = next.run(req).await.into_parts();
            parts.status = StatusCode::OK;
            Response::from_parts(parts, Body::from("<html><body>Bad gateway</body></html>"))
        }
        FaultMode::Truncated => {
            let (mut parts, body) = next.run(req).await.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.status = StatusCode::OK;
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
        }
        FaultMode::Html { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let page = format!(
                "<html><head><title>{status}</title></head><body><center><h1>{status}</h1>\
                 </center><hr><center>nginx</center></body></html>"
            );
            let mut resp = Response::new(Body::from(page));
            *resp.status_mut() = status;
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            resp
        }
        FaultMode::Empty { status } => {
            let (mut parts, _) = next.run(req).await.into_parts();
            parts.status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.remove(header::CONTENT_TYPE);
            Response::from_parts(parts, Body::empty())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes() {
        let f: Fault = serde_json::from_str(r#"{"mode":"status","status":503,"count":2}"#).unwrap();
        assert_eq!(f, Fault::status(503).times(2));
        let f: Fault = serde_json::from_str(r#"{"mode":"close_before"}"#).unwrap();
        assert_eq!(f, Fault::close_before());
        let f: Fault = serde_json::from_str(r#"{"mode":"rate_limit"}"#).unwrap();
        assert_eq!(f, Fault::rate_limit(1));
        let f: Fault = serde_json::from_str(r#"{"mode":"html"}"#).unwrap();
        assert_eq!(f, Fault::html(502));
        let f: Fault = serde_json::from_str(r#"{"mode":"empty","count":2}"#).unwrap();
        assert_eq!(f, Fault::empty(200).times(2));
        let q = FaultQueue::default();
        q.push(Fault::malformed().times(2));
        assert_eq!(q.take(), Some(FaultMode::Malformed));
        assert_eq!(q.take(), Some(FaultMode::Malformed));
        assert_eq!(q.take(), None);
    }
}
