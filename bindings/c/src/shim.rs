//! TEMPORARY: the contract's surface (CONTRACT.md) over today's crates, until the lead's
//! "surface:" commits land on main; then this file goes.
#![allow(dead_code)]

use std::time::Duration;

use verify_core::{CheckOutcome, Error, ErrorKind, GenerateRequest, Generated, Validated};

pub(crate) trait KindExt {
    fn number(self) -> u32;
    fn class_name(self) -> &'static str;
}
impl KindExt for ErrorKind {
    fn number(self) -> u32 {
        self as u32
    }
    fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationError",
            ErrorKind::Configuration => "ConfigurationError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::OtpRejected => "OtpRejectedError",
            ErrorKind::RateLimited => "RateLimitedError",
            ErrorKind::Server => "ServerError",
            ErrorKind::Unknown => "UnknownError",
            ErrorKind::Decode => "DecodeError",
            ErrorKind::Connect => "ConnectError",
            ErrorKind::Timeout => "RequestTimeoutError",
            ErrorKind::OutcomeUnknown => "OutcomeUnknownError",
            ErrorKind::Transport => "TransportError",
            ErrorKind::InvalidConfig => "InvalidConfigError",
        }
    }
}

pub(crate) trait OutcomeExt {
    const ALL: &'static [CheckOutcome];
    fn number(self) -> u32;
    fn description(self) -> &'static str;
}
impl OutcomeExt for CheckOutcome {
    const ALL: &'static [CheckOutcome] = &[
        CheckOutcome::Verified,
        CheckOutcome::WrongCode,
        CheckOutcome::Expired,
        CheckOutcome::AlreadyVerified,
        CheckOutcome::TooManyAttempts,
        CheckOutcome::NotFound,
    ];
    fn number(self) -> u32 {
        Self::ALL.iter().position(|o| *o == self).unwrap() as u32 + 1
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

pub(crate) trait ErrorExt {
    fn view(&self) -> ErrorView;
    fn is_retryable(&self) -> bool;
}
impl ErrorExt for Error {
    fn view(&self) -> ErrorView {
        let api = self.api();
        ErrorView {
            kind: self.kind(),
            message: self.to_string(),
            code: self.code().map(|c| c.to_string()),
            error_type: api.and_then(|a| a.error_type.clone()),
            parameter: api.and_then(|a| a.parameter.clone()),
            service_message: api.and_then(|a| a.message.clone()),
            reference: api.and_then(|a| a.reference.clone()),
            status: self.status(),
            retry_after_ms: api
                .and_then(|a| a.retry_after)
                .map(|d: Duration| d.as_millis() as u64),
            body_snippet: api.and_then(|a| a.body_snippet.clone()),
            cause_kind: match self {
                Error::OutcomeUnknown(inner) => Some(inner.kind()),
                _ => None,
            },
        }
    }
    fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Connect | ErrorKind::Timeout
        )
    }
}

#[derive(Default)]
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

pub struct BlockingClient(verify_http::BlockingClient);

impl BlockingClient {
    pub fn new(o: ClientOptions) -> Result<BlockingClient, Error> {
        let bad = |f: &str| Error::InvalidConfig(format!("{f} is invalid"));
        let mut b = verify_http::BlockingClient::builder();
        if let Some(s) = o.sid {
            b = b.sid(s)
        }
        if let Some(s) = o.api_key {
            b = b.api_key(s)
        }
        if let Some(s) = o.region {
            b = b.region(s.parse().map_err(|_| bad("region"))?)
        }
        if let Some(s) = o.base_url {
            b = b.base_url(s)
        }
        if let Some(t) = o.timeout_ms {
            if !(t.is_finite() && t > 0.0) {
                return Err(bad("timeout_ms"));
            }
            b = b.timeout(Duration::from_millis(t as u64))
        }
        let mut policy = verify_http::RetryPolicy::default();
        if let Some(a) = o.max_attempts {
            if !(a.is_finite() && a >= 1.0 && a.fract() == 0.0) {
                return Err(bad("max_attempts"));
            }
            policy = policy.max_attempts(a as u32);
        }
        b = b.retry_policy(policy);
        if let Some(p) = o.ca_cert_pem {
            b = b.add_root_certificate_pem(p)
        }
        b.build_blocking().map(BlockingClient)
    }
    pub fn from_env() -> Result<BlockingClient, Error> {
        verify_http::BlockingClient::from_env().map(BlockingClient)
    }
    pub fn generate(&self, r: GenerateRequest) -> Result<Generated, Error> {
        self.0.generate(&r)
    }
    pub fn validate(
        &self,
        id: impl Into<String>,
        otp: impl Into<String>,
    ) -> Result<Validated, Error> {
        self.0.validate(&id.into(), &otp.into())
    }
    pub fn check(
        &self,
        id: impl Into<String>,
        otp: impl Into<String>,
    ) -> Result<CheckOutcome, Error> {
        self.0.check(&id.into(), &otp.into())
    }
}
