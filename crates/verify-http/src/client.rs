//! The async client: one connection pool, the retry loop, and the two calls. It runs
//! on whatever tokio runtime awaits it (the application's, napi's, pyo3's), and a call
//! dropped mid-flight is cancelled with its connection.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, RETRY_AFTER};
use tokio::time::Instant;
use tracing::{field, Instrument};
use verify_core::retry::{is_retryable, reach, settle_generate, settle_validate, Reach};
use verify_core::{
    decode_generate, decode_validate, BaseUrl, CheckOutcome, Endpoint, Error, GenerateRequest,
    Generated, Sid, ValidateRequest, Validated,
};

use crate::config::ClientBuilder;
use crate::error;
use crate::retry::RetryPolicy;

/// The most bytes of an answer that are read; a larger answer is cut there (and then
/// decodes as an unreadable body).
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// The async Kaleyra Verify client.
///
/// Cheap to clone (the clones share one connection pool). Built with
/// [`Client::builder`] or [`Client::from_env`]; building needs no runtime.
///
/// Its pooled connections are driven by the tokio runtime that opened them, so use a
/// client (and its clones) from one runtime; from code without a runtime, or from
/// several, use [`crate::BlockingClient`], which owns its runtime.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What the clones of a client share.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) generate_url: reqwest::Url,
    pub(crate) validate_url: reqwest::Url,
    pub(crate) key_header: HeaderValue,
    pub(crate) base_url: BaseUrl,
    pub(crate) sid: Sid,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) proxied: bool,
}

type Decoder<T> = fn(u16, Option<&HeaderValue>, &[u8]) -> Result<T, Error>;

/// The result of the retry loop, and whether an attempt before the last may have been
/// processed with its answer lost.
struct Attempts<T> {
    result: Result<T, Error>,
    earlier_lost: bool,
}

impl Client {
    /// A builder; [`ClientBuilder::build`] checks every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_REGION` and
    /// `KALEYRA_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Client {
        Client { inner }
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// Sends an OTP. The request is checked locally first (an invalid one sends
    /// nothing). It is retried only when the service cannot have acted on it (a connect
    /// failure, a 429); once it may have reached the service, a failure is returned as
    /// [`Error::OutcomeUnknown`]: an OTP may have been sent, and no second one was.
    pub async fn generate(&self, request: &GenerateRequest) -> Result<Generated, Error> {
        request.validate()?;
        let body = request.to_json();
        let attempts = self
            .run(Endpoint::Generate, body, |status, retry_after, body| {
                decode_generate(status, headers(retry_after), body)
            })
            .await;
        attempts.result.map_err(settle_generate)
    }

    /// Checks a code. Failures that are safe to repeat are retried; if an attempt's
    /// answer was lost and the retry meets E910 ("already verified"), the code was
    /// verified, possibly by the lost attempt: `Ok` with
    /// [`Validated::after_lost_attempt`] set.
    pub async fn validate(&self, verify_id: &str, otp: &str) -> Result<Validated, Error> {
        let request = ValidateRequest::new(verify_id, otp);
        request.validate()?;
        let attempts = self
            .run(
                Endpoint::Validate,
                request.to_json(),
                |status, retry_after, body| decode_validate(status, headers(retry_after), body),
            )
            .await;
        settle_validate(verify_id, attempts.result, attempts.earlier_lost)
    }

    /// [`Client::validate`] as a login handler wants it: a wrong, expired or used code
    /// is an outcome, not an error; outages and configuration problems stay errors.
    pub async fn check(&self, verify_id: &str, otp: &str) -> Result<CheckOutcome, Error> {
        CheckOutcome::from_result(self.validate(verify_id, otp).await)
    }

    /// Sends `body` until an attempt succeeds, fails for good, or the policy or the
    /// total timeout runs out.
    async fn run<T>(&self, endpoint: Endpoint, body: Vec<u8>, decode: Decoder<T>) -> Attempts<T> {
        let inner = &*self.inner;
        let deadline = Instant::now() + inner.timeout;
        let mut earlier_lost = false;
        let all = async {
            let mut attempt = 1;
            loop {
                let err = match self.attempt(endpoint, &body, attempt, decode).await {
                    Ok(v) => return Ok(v),
                    Err(e) => e,
                };
                if attempt >= inner.retry.attempts() || !is_retryable(endpoint, &err) {
                    return Err(err);
                }
                let Some(delay) = inner.retry.delay(attempt, &err) else {
                    return Err(err);
                };
                if Instant::now() + delay >= deadline {
                    return Err(err);
                }
                if reach(&err) == Reach::MaybeProcessed {
                    earlier_lost = true;
                }
                tracing::debug!(
                    route = endpoint.as_str(),
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    kind = %err.kind(),
                    "retrying"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        };
        let result = match tokio::time::timeout_at(deadline, all).await {
            Ok(r) => r,
            Err(_) => Err(error::timeout(inner.timeout)),
        };
        Attempts {
            result,
            earlier_lost,
        }
    }

    /// One request and its answer, read in full.
    async fn attempt<T>(
        &self,
        endpoint: Endpoint,
        body: &[u8],
        attempt: u32,
        decode: Decoder<T>,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        let url = match endpoint {
            Endpoint::Generate => &inner.generate_url,
            Endpoint::Validate => &inner.validate_url,
        };
        let span = tracing::debug_span!(
            "kaleyra_verify.request",
            route = endpoint.as_str(),
            attempt,
            status = field::Empty,
            latency_ms = field::Empty,
        );
        let started = Instant::now();
        let request = inner
            .http
            .post(url.clone())
            .header("api-key", inner.key_header.clone())
            .body(body.to_vec());
        let exchange = async {
            let response = request.send().await.map_err(error::from_reqwest)?;
            let status = response.status().as_u16();
            tracing::Span::current().record("status", status);
            let retry_after = response.headers().get(RETRY_AFTER).cloned();
            let bytes = read_capped(response).await?;
            decode(status, retry_after.as_ref(), &bytes)
        };
        // The attempt's budget is what is left of the call's: the one timer around the
        // whole call (in `run`) bounds it, so the hot path arms no second timer.
        let result = exchange.instrument(span.clone()).await;
        if !span.is_disabled() {
            span.record("latency_ms", started.elapsed().as_secs_f64() * 1e3);
            span.in_scope(|| match &result {
                Ok(_) => tracing::debug!("ok"),
                Err(e) => tracing::debug!(kind = %e.kind(), error = %e, "failed"),
            });
        }
        result
    }
}

/// The header iterator verify-core's decoders take: only Retry-After is ever read.
fn headers(retry_after: Option<&HeaderValue>) -> impl Iterator<Item = (&str, &[u8])> {
    retry_after
        .into_iter()
        .map(|v| ("retry-after", v.as_bytes()))
}

/// Reads the body up to [`MAX_RESPONSE_BYTES`].
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(
        response
            .content_length()
            .map_or(512, |n| n as usize)
            .min(MAX_RESPONSE_BYTES),
    );
    while let Some(chunk) = response.chunk().await.map_err(error::from_reqwest)? {
        let room = MAX_RESPONSE_BYTES - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= MAX_RESPONSE_BYTES {
            break;
        }
    }
    Ok(out)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url.as_str())
            .field("sid", &i.sid.as_str())
            .field("api_key", &"<redacted>")
            .field("timeout", &i.timeout)
            .field("connect_timeout", &i.connect_timeout)
            .field("retry", &i.retry)
            .field("proxy", &i.proxied)
            .finish()
    }
}
