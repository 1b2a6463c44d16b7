//! The async client: its connection pools, the retry loop, and the three calls. Its
//! futures are `Send + 'static` and may be awaited on any tokio runtime, several, or none.
//!
//! A pooled connection is driven by tasks of the runtime that opened it, so a connection
//! opened on a runtime that then sits idle would hang whoever used it from another one.
//! The client therefore keeps one pool per runtime: a call awaited inside a runtime runs
//! right there (no task, no thread hop) on that runtime's pool, and a call awaited outside
//! any runtime runs on the shared one (see [`crate::runtime`]). Dropping a future cancels
//! its request with its connection.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};

use futures_util::future::Either;
use tokio::runtime::Handle;

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

/// The most runtimes a client keeps a pool for (a blocking client's calling threads each
/// have one); past it the least recently added goes first.
const MAX_POOLS: usize = 256;

/// The pools of one process generation, one per runtime that made calls.
struct Pools {
    generation: u64,
    by_runtime: Vec<(tokio::runtime::Id, reqwest::Client)>,
}

/// What the clones of a client share.
pub(crate) struct Inner {
    /// A forked child starts new pools instead of sharing the parent's connections.
    pools: RwLock<Pools>,
    settings: Settings,
    generate_url: reqwest::Url,
    validate_url: reqwest::Url,
    /// The pool built (and so checked) with the client, for the first runtime to use it.
    spare: Mutex<Option<reqwest::Client>>,
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

/// The future of one call: inline on the caller's runtime, or on the shared one.
fn call<T, F>(fut: F) -> impl Future<Output = Result<T, Error>> + Send + 'static
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    if Handle::try_current().is_ok() {
        Either::Left(runtime::catch_panic(fut))
    } else {
        Either::Right(runtime::spawn(fut))
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
    pub fn generate(
        &self,
        request: GenerateRequest,
    ) -> impl Future<Output = Result<Generated, Error>> + Send + 'static {
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
    ) -> impl Future<Output = Result<Validated, Error>> + Send + 'static {
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
    ) -> impl Future<Output = Result<CheckOutcome, Error>> + Send + 'static {
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
        // Built once here so that a bad setting fails now; it becomes the first pool.
        let first = http_client(&settings)?;
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
            pools: RwLock::new(Pools {
                generation: runtime::generation(),
                by_runtime: Vec::new(),
            }),
            spare: Mutex::new(Some(first)),
            headers,
            settings,
        })
    }

    /// The pool of the runtime this call runs on (made anew in a forked child).
    fn http(&self) -> Result<reqwest::Client, Error> {
        let id = Handle::current().id();
        let generation = runtime::generation();
        {
            let pools = self.pools.read().unwrap_or_else(|p| p.into_inner());
            if pools.generation == generation {
                if let Some((_, http)) = pools.by_runtime.iter().find(|(r, _)| *r == id) {
                    return Ok(http.clone());
                }
            }
        }
        let mut pools = self.pools.write().unwrap_or_else(|p| p.into_inner());
        if pools.generation != generation {
            // The parent's connections belong to the parent: leaked, never closed or
            // reused from here.
            runtime::abandon(std::mem::take(&mut pools.by_runtime));
            pools.generation = generation;
        }
        if let Some((_, http)) = pools.by_runtime.iter().find(|(r, _)| *r == id) {
            return Ok(http.clone());
        }
        let spare = self.spare.lock().unwrap_or_else(|p| p.into_inner()).take();
        let http = match spare {
            Some(http) if generation == 0 => http,
            _ => http_client(&self.settings)?,
        };
        if pools.by_runtime.len() == MAX_POOLS {
            pools.by_runtime.remove(0);
        }
        pools.by_runtime.push((id, http.clone()));
        Ok(http)
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
