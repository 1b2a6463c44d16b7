//! The client's configuration: [`ClientBuilder`], the one place where settings are
//! checked, defaulted and turned into a connection pool. Every check is made at
//! `build()`, so a bad setting fails once, early, with [`Error::InvalidConfig`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, CONTENT_TYPE, USER_AGENT};
use verify_core::{resolve_base_url, ApiKey, BaseUrl, Endpoint, Error, Region, Sid};

use crate::blocking::BlockingClient;
use crate::client::{Client, Inner};
use crate::retry::RetryPolicy;

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default total timeout of one call, retries and waits included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`Client`] or a [`BlockingClient`]. Obtained from [`Client::builder`].
///
/// The SID and the API key are required; everything else has a safe default: the
/// default region, 5 s to connect, 30 s per call, [`RetryPolicy::default`], the system's
/// proxy settings for HTTPS hosts, and the Mozilla root certificates.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    sid: Option<String>,
    api_key: Option<String>,
    region: Option<String>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    proxy: Option<String>,
    user_agent_suffix: Option<String>,
    root_certificates: Vec<Vec<u8>>,
}

impl ClientBuilder {
    /// An empty builder (same as [`Client::builder`]).
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder filled from `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_REGION` and
    /// `KALEYRA_BASE_URL` (a base URL wins over a region); unset or empty variables are
    /// left unset. Anything may still be overridden before `build()`.
    pub fn from_env() -> ClientBuilder {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        ClientBuilder {
            sid: var("KALEYRA_SID"),
            api_key: var("KALEYRA_API_KEY"),
            region: var("KALEYRA_REGION"),
            base_url: var("KALEYRA_BASE_URL"),
            ..ClientBuilder::default()
        }
    }

    /// The account's SID (required).
    pub fn sid(mut self, sid: impl Into<String>) -> ClientBuilder {
        self.sid = Some(sid.into());
        self
    }

    /// The API key (required). It is sent only in the `api-key` header and never printed.
    pub fn api_key(mut self, key: impl Into<String>) -> ClientBuilder {
        self.api_key = Some(key.into());
        self
    }

    /// The region whose host to use; ignored when a base URL is set.
    pub fn region(mut self, region: Region) -> ClientBuilder {
        self.region = Some(region.as_str().to_owned());
        self
    }

    /// A base URL instead of a region's host (the emulator, a gateway). It must be
    /// `https://`, except for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, d: Duration) -> ClientBuilder {
        self.connect_timeout = Some(d);
        self
    }

    /// The longest one call may take, all its retries and waits included (default 30 s).
    pub fn timeout(mut self, d: Duration) -> ClientBuilder {
        self.timeout = Some(d);
        self
    }

    /// How failures that are safe to retry are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// Sends every request through this proxy (`http://` or `https://`; HTTPS traffic
    /// is tunnelled with CONNECT, so the proxy never sees the key). Without it, the
    /// system's proxy variables apply to HTTPS hosts and none to plain-HTTP loopback.
    pub fn proxy(mut self, url: impl Into<String>) -> ClientBuilder {
        self.proxy = Some(url.into());
        self
    }

    /// Text appended to the `User-Agent` (e.g. `"my-app/1.2"`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> ClientBuilder {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trusts one more root certificate (PEM), on top of the Mozilla roots.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> ClientBuilder {
        self.root_certificates.push(pem.into());
        self
    }

    /// Builds the async client. Needs no runtime; calls run on the caller's tokio runtime.
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client::from_inner(Arc::new(self.into_inner()?)))
    }

    /// Builds the blocking client, which runs calls on a small runtime of its own.
    pub fn build_blocking(self) -> Result<BlockingClient, Error> {
        BlockingClient::new(self.build()?)
    }

    fn into_inner(self) -> Result<Inner, Error> {
        let invalid = |m: String| Error::InvalidConfig(m);
        let sid = Sid::new(
            self.sid
                .ok_or_else(|| invalid("the SID is not set (KALEYRA_SID)".to_owned()))?,
        )?;
        let api_key = ApiKey::new(
            self.api_key
                .ok_or_else(|| invalid("the API key is not set (KALEYRA_API_KEY)".to_owned()))?,
        )?;
        let base_url = resolve_base_url(self.region.as_deref(), self.base_url.as_deref())?;
        let https = base_url.as_str().starts_with("https://");
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        if timeout.is_zero() || connect_timeout.is_zero() {
            return Err(invalid("timeouts must be longer than zero".to_owned()));
        }

        let mut user_agent = format!("kaleyra-verify-rust/{}", env!("CARGO_PKG_VERSION"));
        if let Some(s) = self.user_agent_suffix.as_deref().filter(|s| !s.is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(s);
        }
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| invalid("the user-agent suffix is not valid in a header".to_owned()))?;
        let mut key_header = HeaderValue::from_str(api_key.expose())
            .map_err(|_| invalid("the API key is not valid in a header".to_owned()))?;
        key_header.set_sensitive(true);

        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(USER_AGENT, user_agent);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));

        let mut http = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(connect_timeout)
            .tcp_nodelay(true)
            // A redirect would carry the `api-key` header to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(https);
        match &self.proxy {
            Some(p) => {
                // Plain HTTP to loopback through a proxy elsewhere would put the key on
                // the network in clear text.
                if !https && BaseUrl::parse(p).is_err() {
                    return Err(invalid(
                        "a plain-http base URL may only go through a loopback proxy".to_owned(),
                    ));
                }
                let proxy = reqwest::Proxy::all(p.as_str())
                    .map_err(|_| invalid("the proxy URL is not valid".to_owned()))?;
                http = http.proxy(proxy);
            }
            None if !https => http = http.no_proxy(),
            None => {}
        }
        for pem in &self.root_certificates {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| invalid(format!("root certificate: {e}")))?;
            if certs.is_empty() {
                return Err(invalid(
                    "root certificate: no PEM certificate found".to_owned(),
                ));
            }
            for cert in certs {
                http = http.add_root_certificate(cert);
            }
        }
        let http = http
            .build()
            .map_err(|e| invalid(format!("the HTTP client could not be built: {e}")))?;

        // Parsed once here: parsing a URL (IDNA, percent-encoding) on every call was
        // about 6% of the client's CPU per request in the benchmark's profile.
        let endpoint = |e| {
            reqwest::Url::parse(&base_url.endpoint(&sid, e))
                .map_err(|err| invalid(format!("endpoint URL: {err}")))
        };
        Ok(Inner {
            generate_url: endpoint(Endpoint::Generate)?,
            validate_url: endpoint(Endpoint::Validate)?,
            http,
            key_header,
            base_url,
            sid,
            timeout,
            connect_timeout,
            retry: self.retry,
            proxied: self.proxy.is_some(),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("sid", &self.sid)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            // A proxy URL may hold credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("root_certificates", &self.root_certificates.len())
            .finish()
    }
}
