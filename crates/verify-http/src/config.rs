//! The client's builder, and the one place where checked settings become a connection
//! pool. The checks themselves are [`ClientOptions`]'s: the builder only fills them in,
//! so a bad setting fails once, early, with [`Error::InvalidConfig`], whichever way in.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, USER_AGENT};
use verify_core::{BaseUrl, Error, Region};

use crate::blocking::BlockingClient;
use crate::client::Client;
use crate::options::{as_millis, ClientOptions, Settings};
use crate::retry::RetryPolicy;

/// Builds a [`Client`] (from [`Client::builder`]) or a [`BlockingClient`] (from
/// [`BlockingClient::builder`]): `build()` makes the kind of client the builder came from.
///
/// The SID and the API key are required; everything else has a safe default: the
/// default region, 5 s to connect, 30 s per call, [`RetryPolicy::default`], the system's
/// proxy settings for HTTPS hosts, and the Mozilla root certificates.
pub struct ClientBuilder<C = Client> {
    options: ClientOptions,
    client: PhantomData<fn() -> C>,
}

/// The clients a [`ClientBuilder`] can build.
pub trait BuildClient: Sized + private::Sealed {
    /// Builds the client from checked options.
    fn from_options(options: ClientOptions) -> Result<Self, Error>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for crate::Client {}
    impl Sealed for crate::BlockingClient {}
}

impl BuildClient for Client {
    fn from_options(options: ClientOptions) -> Result<Client, Error> {
        Client::new(options)
    }
}

impl BuildClient for BlockingClient {
    fn from_options(options: ClientOptions) -> Result<BlockingClient, Error> {
        BlockingClient::new(options)
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            options: self.options.clone(),
            client: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            options: ClientOptions::default(),
            client: PhantomData,
        }
    }
}

impl ClientBuilder<Client> {
    /// An empty builder (same as [`Client::builder`]).
    pub fn new() -> ClientBuilder<Client> {
        ClientBuilder::default()
    }
}

impl<C: BuildClient> ClientBuilder<C> {
    /// A builder starting from `options`.
    pub fn from_options(options: ClientOptions) -> ClientBuilder<C> {
        ClientBuilder {
            options,
            client: PhantomData,
        }
    }

    /// A builder filled from `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_REGION` and
    /// `KALEYRA_BASE_URL` (see [`ClientOptions::from_env`]). Anything may still be
    /// overridden before `build()`.
    pub fn from_env() -> ClientBuilder<C> {
        ClientBuilder::from_options(ClientOptions::from_env())
    }

    /// The account's SID (required).
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.options.sid = Some(sid.into());
        self
    }

    /// The API key (required). It is sent only in the `api-key` header and never printed.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.options.api_key = Some(key.into());
        self
    }

    /// The region whose host to use; ignored when a base URL is set.
    pub fn region(mut self, region: Region) -> Self {
        self.options.region = Some(region.as_str().to_owned());
        self
    }

    /// A base URL instead of a region's host (the emulator, a gateway). It must be
    /// `https://`, except for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.options.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.options.connect_timeout_ms = Some(as_millis(d));
        self
    }

    /// The longest one call may take, all its retries and waits included (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.options.timeout_ms = Some(as_millis(d));
        self
    }

    /// How failures that are safe to retry are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        policy.fill(&mut self.options);
        self
    }

    /// Sends every request through this proxy (`http://` or `https://`; HTTPS traffic
    /// is tunnelled with CONNECT, so the proxy never sees the key). Without it, the
    /// system's proxy variables apply to HTTPS hosts and none to plain-HTTP loopback.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.options.proxy = Some(url.into());
        self
    }

    /// Text appended to the `User-Agent` (e.g. `"my-app/1.2"`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.options.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Trusts one more root certificate (PEM), on top of the Mozilla roots.
    pub fn add_root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        let pem = String::from_utf8_lossy(pem.as_ref());
        let all = self.options.ca_cert_pem.get_or_insert_with(String::new);
        all.push_str(&pem);
        all.push('\n');
        self
    }

    /// The options filled in so far.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Checks every setting and builds the client. Needs no runtime.
    pub fn build(self) -> Result<C, Error> {
        C::from_options(self.options)
    }
}

impl ClientBuilder<Client> {
    /// Builds a [`BlockingClient`] from this builder.
    pub fn build_blocking(self) -> Result<BlockingClient, Error> {
        BlockingClient::new(self.options)
    }
}

/// Builds the connection pool from checked settings. Called once per client, and again
/// in a forked child (see [`crate::runtime`]).
pub(crate) fn http_client(s: &Settings) -> Result<reqwest::Client, Error> {
    let invalid = |m: String| Error::InvalidConfig(m);
    let https = s.base_url.as_str().starts_with("https://");
    let mut user_agent = format!("kaleyra-verify-rust/{}", env!("CARGO_PKG_VERSION"));
    if let Some(suffix) = &s.user_agent_suffix {
        user_agent.push(' ');
        user_agent.push_str(suffix);
    }
    let user_agent = HeaderValue::from_str(&user_agent)
        .map_err(|_| invalid("the user-agent suffix is not valid in a header".to_owned()))?;
    let mut headers = HeaderMap::new();
    headers.insert(USER_AGENT, user_agent);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));

    let mut http = reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(s.connect_timeout)
        .tcp_nodelay(true)
        // A redirect would carry the `api-key` header to wherever it points.
        .redirect(reqwest::redirect::Policy::none())
        .https_only(https);
    match &s.proxy {
        Some(p) => {
            let proxy = reqwest::Proxy::all(p.as_str()).map_err(|_| {
                invalid(
                    "the proxy URL is not valid (it is not shown: it may hold credentials)"
                        .to_owned(),
                )
            })?;
            // Plain HTTP to loopback through a proxy elsewhere would put the key on the
            // network in clear text.
            if !https && BaseUrl::parse(p).is_err() {
                return Err(invalid(
                    "a plain-http base URL may only go through a loopback proxy".to_owned(),
                ));
            }
            http = http.proxy(proxy);
        }
        None if !https => http = http.no_proxy(),
        None => {}
    }
    if let Some(pem) = &s.ca_cert_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| invalid(format!("ca_cert_pem: {e}")))?;
        if certs.is_empty() {
            return Err(invalid("ca_cert_pem: no PEM certificate found".to_owned()));
        }
        for cert in certs {
            http = http.add_root_certificate(cert);
        }
    }
    http.build()
        .map_err(|e| invalid(format!("the HTTP client could not be built: {e}")))
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientBuilder").field(&self.options).finish()
    }
}
