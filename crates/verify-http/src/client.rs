//! The async client: one connection pool, the retry loop, and the three calls. Its
//! futures are `Send + 'static` and may be awaited on any runtime or none: the work runs
//! on the shared runtime (see [`crate::runtime`]), and dropping a future cancels its
//! request with its connection.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use reqwest::header::{HeaderMap, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{Method, Request};
use tokio::time::Instant;
use tracing::{field, Instrument};
use verify_core::retry::{is_retryable, reach, settle_generate, settle_validate, Reach};
use verify_core::{
    decode_generate, decode_validate, BaseUrl, CheckOutcome, Endpoint, Error, GenerateRequest,
    Generated, Sid, ValidateRequest, Validated,
};

use crate::config::{http_client, ClientBuilder};
use crate::error;
use crate::options::{ClientOptions, Settings};
use crate::runtime;

/// The most bytes of an answer that are read; a larger answer is cut there (and then
/// decodes as an unreadable body).
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// The async Kaleyra Verify client.
///
/// Cheap to clone (the clones share one connection pool), `Send` and `Sync`. Built with
/// [`Client::new`], [`Client::builder`] or [`Client::from_env`]; building needs no runtime,
/// and its calls may be awaited from any runtime, several runtimes, or none.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What the clones of a client share.
pub(crate) struct Inner {
    /// The pool, with the process generation it was built in: a forked child builds its
    /// own instead of sharing the parent's connections.
    http: RwLock<(u64, reqwest::Client)>,
    settings: Settings,
    generate_url: reqwest::Url,
    validate_url: reqwest::Url,
    /// The per-request headers (the key among them), built once and cloned per call.
    headers: HeaderMap,
}

type Decoder<T> = fn(u16, &HeaderMap, &[u8]) -> Result<T, Error>;

/// The result of the retry loop, and whether an attempt before the last may have been
/// processed with its answer lost.
struct Attempts<T> {
    result: Result<T, Error>,
    earlier_lost: bool,
}

/// The future of one call: `Send + 'static`; dropping it cancels the request.
#[must_use = "a call does nothing unless awaited"]
pub struct Call<T>(CallState<T>);

enum CallState<T> {
    /// Spawned on the shared runtime.
    Spawned(runtime::Spawned<T>),
    /// Already on the shared runtime: polled in place, no second task.
    Inline(Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>),
}

impl<T> Future for Call<T> {
    type Output = Result<T, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            CallState::Spawned(s) => Pin::new(s).poll(cx),
            CallState::Inline(f) => f.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Call")
    }
}

fn call<T, F>(fut: F) -> Call<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    if runtime::on_shared() {
        Call(CallState::Inline(Box::pin(runtime::catch_panic(fut))))
    } else {
        Call(CallState::Spawned(runtime::spawn(fut)))
    }
}

impl Client {
    /// A client from plain options; every setting is checked here.
    pub fn new(options: ClientOptions) -> Result<Client, Error> {
        Ok(Client {
            inner: Arc::new(Inner::new(options.check()?)?),
        })
    }

    /// A builder; [`ClientBuilder::build`] checks every setting.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// A client configured from `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_REGION` and
    /// `KALEYRA_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(ClientOptions::from_env())
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.settings.base_url
    }

    /// The SID in use.
    pub fn sid(&self) -> &Sid {
        &self.inner.settings.sid
    }

    /// Sends an OTP. The request is checked locally first (an invalid one sends
    /// nothing). It is retried only when the service cannot have acted on it (a connect
    /// failure, a 429); once it may have reached the service, a failure is returned as
    /// [`Error::OutcomeUnknown`]: an OTP may have been sent, and no second one was.
    pub fn generate(&self, request: GenerateRequest) -> Call<Generated> {
        let inner = self.inner.clone();
        call(async move { inner.generate(request).await.map_err(settle_generate) })
    }

    /// Checks a code. Failures that are safe to repeat are retried; if an attempt's
    /// answer was lost and the retry meets E910 ("already verified"), the code was
    /// verified, possibly by the lost attempt: `Ok` with
    /// [`Validated::after_lost_attempt`] set.
    pub fn validate(
        &self,
        verify_id: impl Into<String>,
        otp: impl Into<String>,
    ) -> Call<Validated> {
        let inner = self.inner.clone();
        let request = ValidateRequest::new(verify_id, otp);
        call(async move { inner.validate(request).await })
    }

    /// [`Client::validate`] as a login handler wants it: a wrong, expired or used code
    /// is an outcome, not an error; outages and configuration problems stay errors.
    pub fn check(
        &self,
        verify_id: impl Into<String>,
        otp: impl Into<String>,
    ) -> Call<CheckOutcome> {
        let inner = self.inner.clone();
        let request = ValidateRequest::new(verify_id, otp);
        call(async move { CheckOutcome::from_result(inner.validate(request).await) })
    }

    pub(crate) fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }
}

impl Inner {
    fn new(settings: Settings) -> Result<Inner, Error> {
        let invalid = |m: String| Error::InvalidConfig(m);
        let http = http_client(&settings)?;
        let mut key = HeaderValue::from_str(settings.api_key.expose())
            .map_err(|_| invalid("the API key is not valid in a header".to_owned()))?;
        key.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("api-key", key);
        // Parsed once here: parsing a URL (IDNA, percent-encoding) on every call was
        // about 6% of the client's CPU per request in the benchmark's profile.
        let endpoint = |e| {
            reqwest::Url::parse(&settings.base_url.endpoint(&settings.sid, e))
                .map_err(|err| invalid(format!("endpoint URL: {err}")))
        };
        Ok(Inner {
            generate_url: endpoint(Endpoint::Generate)?,
            validate_url: endpoint(Endpoint::Validate)?,
            http: RwLock::new((runtime::generation(), http)),
            headers,
            settings,
        })
    }

    /// The pool of this process generation (made anew in a forked child).
    fn http(&self) -> Result<reqwest::Client, Error> {
        let generation = runtime::generation();
        {
            let pool = self.http.read().unwrap_or_else(|p| p.into_inner());
            if pool.0 == generation {
                return Ok(pool.1.clone());
            }
        }
        let mut pool = self.http.write().unwrap_or_else(|p| p.into_inner());
        if pool.0 != generation {
            let parent = std::mem::replace(&mut *pool, (generation, http_client(&self.settings)?));
            // The parent's connections belong to the parent: leaked, never closed or
            // reused from here.
            std::mem::forget(parent);
        }
        Ok(pool.1.clone())
    }

    pub(crate) async fn generate(&self, request: GenerateRequest) -> Result<Generated, Error> {
        request.validate()?;
        let attempts = self
            .run(
                Endpoint::Generate,
                request.to_json(),
                |status, headers, body| decode_generate(status, header_pairs(headers), body),
            )
            .await;
        attempts.result
    }

    pub(crate) async fn validate(&self, request: ValidateRequest) -> Result<Validated, Error> {
        request.validate()?;
        let attempts = self
            .run(
                Endpoint::Validate,
                request.to_json(),
                |status, headers, body| decode_validate(status, header_pairs(headers), body),
            )
            .await;
        settle_validate(&request.verify_id, attempts.result, attempts.earlier_lost)
    }

    /// Sends `body` until an attempt succeeds, fails for good, or the policy or the
    /// total timeout runs out.
    async fn run<T>(&self, endpoint: Endpoint, body: Vec<u8>, decode: Decoder<T>) -> Attempts<T> {
        let inner = self;
        let timeout = inner.settings.timeout;
        let http = match self.http() {
            Ok(http) => http,
            Err(e) => {
                return Attempts {
                    result: Err(e),
                    earlier_lost: false,
                }
            }
        };
        let deadline = Instant::now() + timeout;
        let mut earlier_lost = false;
        let all = async {
            let mut attempt = 1;
            loop {
                let err = match self.attempt(&http, endpoint, &body, attempt, decode).await {
                    Ok(v) => return Ok(v),
                    Err(e) => e,
                };
                if attempt >= inner.settings.retry.attempts() || !is_retryable(endpoint, &err) {
                    return Err(err);
                }
                let Some(delay) = inner.settings.retry.delay(attempt, &err) else {
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
            Err(_) => Err(error::timeout(timeout)),
        };
        Attempts {
            result,
            earlier_lost,
        }
    }

    /// One request and its answer, read in full.
    async fn attempt<T>(
        &self,
        http: &reqwest::Client,
        endpoint: Endpoint,
        body: &[u8],
        attempt: u32,
        decode: Decoder<T>,
    ) -> Result<T, Error> {
        let inner = self;
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
        let mut request = Request::new(Method::POST, url.clone());
        *request.headers_mut() = inner.headers.clone();
        *request.body_mut() = Some(body.to_vec().into());
        let exchange = async {
            let response = http.execute(request).await.map_err(error::from_reqwest)?;
            let status = response.status().as_u16();
            tracing::Span::current().record("status", status);
            let headers = kept_headers(response.headers());
            let bytes = read_capped(response).await?;
            decode(status, &headers, &bytes)
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

/// The headers verify-core's decoders read (Retry-After, and Location for a redirect),
/// copied out of the response before its body is read.
fn kept_headers(all: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [RETRY_AFTER, LOCATION] {
        if let Some(v) = all.get(&name) {
            kept.insert(name, v.clone());
        }
    }
    kept
}

/// The header iterator verify-core's decoders take.
fn header_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &[u8])> {
    headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))
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
        let s = &self.inner.settings;
        f.debug_struct("Client")
            .field("base_url", &s.base_url.as_str())
            .field("sid", &s.sid.as_str())
            .field("api_key", &"<redacted>")
            .field("timeout", &s.timeout)
            .field("connect_timeout", &s.connect_timeout)
            .field("retry", &s.retry)
            .field("proxy", &s.proxy.is_some())
            .finish()
    }
}
