//! TEMPORARY: the contract's names (CONTRACT.md) over the pre-surface crates, so the
//! binding builds and its tests run before the lead's "surface:" commits land. Deleted
//! on merge: every module imports the surface through `crate::surface`.
#![allow(dead_code)]

use std::sync::OnceLock;
use std::time::Duration;

pub use verify_core::{
    CheckOutcome, Error, ErrorKind, GenerateRequest, Generated, Validated, CODES,
};

pub trait KindExt {
    fn number(self) -> u32;
    fn class_name(self) -> &'static str;
}
impl KindExt for ErrorKind {
    fn number(self) -> u32 {
        self as u32
    }
    fn class_name(self) -> &'static str {
        match self.as_str() {
            "validation" => "ValidationError",
            "configuration" => "ConfigurationError",
            "authentication" => "AuthenticationError",
            "not_found" => "NotFoundError",
            "otp_rejected" => "OtpRejectedError",
            "rate_limited" => "RateLimitedError",
            "server" => "ServerError",
            "unknown" => "UnknownError",
            "decode" => "DecodeError",
            "connect" => "ConnectError",
            "timeout" => "RequestTimeoutError",
            "outcome_unknown" => "OutcomeUnknownError",
            "transport" => "TransportError",
            _ => "InvalidConfigError",
        }
    }
}

pub trait OutcomeExt {
    fn number(self) -> u32;
    fn description(self) -> &'static str;
}
pub const OUTCOMES: &[CheckOutcome] = &[
    CheckOutcome::Verified,
    CheckOutcome::WrongCode,
    CheckOutcome::Expired,
    CheckOutcome::AlreadyVerified,
    CheckOutcome::TooManyAttempts,
    CheckOutcome::NotFound,
];
impl OutcomeExt for CheckOutcome {
    fn number(self) -> u32 {
        OUTCOMES.iter().position(|o| *o == self).unwrap() as u32 + 1
    }
    fn description(self) -> &'static str {
        self.as_str()
    }
}

pub struct ErrorView {
    pub kind: ErrorKind,
    pub message: String,
    pub code: Option<String>,
    pub error_type: Option<String>,
    pub parameter: Option<String>,
    pub service_message: Option<String>,
    pub reference: Option<String>,
    pub status: Option<u16>,
    pub retry_after_ms: Option<u64>,
    pub body_snippet: Option<String>,
    pub cause_kind: Option<ErrorKind>,
}

pub fn view(e: &Error) -> ErrorView {
    let api = e.api();
    ErrorView {
        kind: e.kind(),
        message: e.to_string(),
        code: e.code().map(|c| c.as_str().to_string()),
        error_type: api.and_then(|a| a.error_type.clone()),
        parameter: api.and_then(|a| a.parameter.clone()),
        service_message: api.and_then(|a| a.message.clone()),
        reference: api.and_then(|a| a.reference.clone()),
        status: e.status(),
        retry_after_ms: api
            .and_then(|a| a.retry_after)
            .map(|d| d.as_millis() as u64),
        body_snippet: api.and_then(|a| a.body_snippet.clone()),
        cause_kind: match e {
            Error::OutcomeUnknown(inner) => Some(inner.kind()),
            _ => None,
        },
    }
}

#[derive(Default, Clone)]
pub struct ClientOptions {
    pub sid: Option<String>,
    pub api_key: Option<String>,
    pub region: Option<String>,
    pub base_url: Option<String>,
    pub timeout_ms: Option<f64>,
    pub connect_timeout_ms: Option<f64>,
    pub max_attempts: Option<f64>,
    pub initial_backoff_ms: Option<f64>,
    pub max_backoff_ms: Option<f64>,
    pub max_retry_after_ms: Option<f64>,
    pub proxy: Option<String>,
    pub ca_cert_pem: Option<String>,
    pub user_agent_suffix: Option<String>,
}

impl ClientOptions {
    pub fn or_env(mut self) -> ClientOptions {
        let env = |k: &str| std::env::var(k).ok();
        self.sid = self.sid.or_else(|| env("KALEYRA_SID"));
        self.api_key = self.api_key.or_else(|| env("KALEYRA_API_KEY"));
        self.region = self.region.or_else(|| env("KALEYRA_REGION"));
        self.base_url = self.base_url.or_else(|| env("KALEYRA_BASE_URL"));
        self
    }
}

fn ms(field: &str, v: f64) -> Result<Duration, Error> {
    if !v.is_finite() || v < 0.0 {
        return Err(Error::InvalidConfig(format!(
            "{field} must be a finite number >= 0"
        )));
    }
    Ok(Duration::from_secs_f64(v / 1000.0))
}

#[derive(Clone)]
pub struct Client(verify_http::Client);
impl Client {
    pub fn generate(
        &self,
        r: GenerateRequest,
    ) -> impl std::future::Future<Output = Result<Generated, Error>> + Send + 'static {
        let c = self.0.clone();
        async move { c.generate(&r).await }
    }
    pub fn validate(
        &self,
        v: String,
        o: String,
    ) -> impl std::future::Future<Output = Result<Validated, Error>> + Send + 'static {
        let c = self.0.clone();
        async move { c.validate(&v, &o).await }
    }
    pub fn check(
        &self,
        v: String,
        o: String,
    ) -> impl std::future::Future<Output = Result<CheckOutcome, Error>> + Send + 'static {
        let c = self.0.clone();
        async move { c.check(&v, &o).await }
    }
    pub fn new(o: ClientOptions) -> Result<Client, Error> {
        let mut b = verify_http::Client::builder();
        if let Some(v) = o.sid {
            b = b.sid(v);
        }
        if let Some(v) = o.api_key {
            b = b.api_key(v);
        }
        if let Some(v) = o.region {
            let r = match v.to_ascii_lowercase().as_str() {
                "in" => verify_core::Region::In,
                "eu" => verify_core::Region::Eu,
                _ => verify_core::Region::Sg,
            };
            b = b.region(r);
        }
        if let Some(v) = o.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = o.timeout_ms {
            b = b.timeout(ms("timeout_ms", v)?);
        }
        if let Some(v) = o.connect_timeout_ms {
            b = b.connect_timeout(ms("connect_timeout_ms", v)?);
        }
        let mut p = verify_http::RetryPolicy::new();
        if let Some(v) = o.max_attempts {
            p = p.max_attempts(v as u32);
        }
        if let Some(v) = o.initial_backoff_ms {
            p = p.initial_backoff(ms("initial_backoff_ms", v)?);
        }
        if let Some(v) = o.max_backoff_ms {
            p = p.max_backoff(ms("max_backoff_ms", v)?);
        }
        if let Some(v) = o.max_retry_after_ms {
            p = p.max_retry_after(ms("max_retry_after_ms", v)?);
        }
        b = b.retry_policy(p);
        if let Some(v) = o.proxy {
            b = b.proxy(v);
        }
        if let Some(v) = o.ca_cert_pem {
            b = b.add_root_certificate_pem(v);
        }
        if let Some(v) = o.user_agent_suffix {
            b = b.user_agent_suffix(v);
        }
        b.build().map(Client)
    }
}

pub mod runtime {
    use super::*;
    pub fn handle() -> tokio::runtime::Handle {
        static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
        RT.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap()
        })
        .handle()
        .clone()
    }
}
