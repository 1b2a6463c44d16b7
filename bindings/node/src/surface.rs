//! TEMPORARY: the few names of /work/CONTRACT.md that are not on `main` yet, shaped like the
//! contract so that the rest of the binding does not change when the surface lands. Deleted
//! by the merge of the lead's "surface:" commits.

use std::time::Duration;

use serde::Serialize;
use verify_http::{CheckOutcome, Client, Error, ErrorKind, Region};

pub trait KindExt {
    fn class_name(self) -> &'static str;
    fn number(self) -> u32;
}

impl KindExt for ErrorKind {
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
    fn number(self) -> u32 {
        self as u32
    }
}

pub trait OutcomeExt: Sized + 'static {
    const ALL: &'static [Self];
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
        self as u32 + 1
    }
    fn description(self) -> &'static str {
        self.as_str()
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct ErrorView {
    pub kind: ErrorKind,
    pub message: String,
    pub code: Option<String>,
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    pub parameter: Option<String>,
    pub service_message: Option<String>,
    pub reference: Option<String>,
    pub status: Option<u16>,
    pub retry_after_ms: Option<u64>,
    pub body_snippet: Option<String>,
    pub cause_kind: Option<ErrorKind>,
}

pub trait ErrorExt {
    fn view(&self) -> ErrorView;
}

impl ErrorExt for Error {
    fn view(&self) -> ErrorView {
        let api = self.api();
        ErrorView {
            kind: self.kind(),
            message: self.to_string(),
            code: self.code().map(|c| c.as_str().to_string()),
            error_type: None,
            parameter: None,
            service_message: None,
            reference: None,
            status: self.status(),
            retry_after_ms: None,
            body_snippet: None,
            cause_kind: match self {
                Error::OutcomeUnknown(inner) => Some(inner.kind()),
                _ => None,
            },
        }
        .with(api.is_some())
    }
}

impl ErrorView {
    fn with(self, _api: bool) -> ErrorView {
        self
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
        let var = |n: &str| std::env::var(n).ok();
        self.sid = self.sid.or_else(|| var("KALEYRA_SID"));
        self.api_key = self.api_key.or_else(|| var("KALEYRA_API_KEY"));
        self.region = self.region.or_else(|| var("KALEYRA_REGION"));
        self.base_url = self.base_url.or_else(|| var("KALEYRA_BASE_URL"));
        self
    }
}

pub trait ClientNew: Sized {
    fn new(options: ClientOptions) -> Result<Self, Error>;
}

fn ms(field: &str, v: f64) -> Result<Duration, Error> {
    if !v.is_finite() || v < 0.0 {
        return Err(Error::InvalidConfig(format!(
            "{field} must be a finite number >= 0"
        )));
    }
    Ok(Duration::from_secs_f64(v / 1000.0))
}

impl ClientNew for Client {
    fn new(o: ClientOptions) -> Result<Client, Error> {
        let mut b = Client::builder();
        if let Some(v) = o.sid {
            b = b.sid(v);
        }
        if let Some(v) = o.api_key {
            b = b.api_key(v);
        }
        if let Some(v) = o.region {
            let r: Region = v
                .parse()
                .map_err(|_| Error::InvalidConfig(format!("unknown region {v:?}")))?;
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
        let mut policy = verify_http::RetryPolicy::new();
        if let Some(v) = o.max_attempts {
            if !(v.is_finite() && v >= 1.0 && v.fract() == 0.0) {
                return Err(Error::InvalidConfig(
                    "max_attempts must be a whole number >= 1".into(),
                ));
            }
            policy = policy.max_attempts(v as u32);
        }
        if let Some(v) = o.initial_backoff_ms {
            policy = policy.initial_backoff(ms("initial_backoff_ms", v)?);
        }
        if let Some(v) = o.max_backoff_ms {
            policy = policy.max_backoff(ms("max_backoff_ms", v)?);
        }
        if let Some(v) = o.max_retry_after_ms {
            policy = policy.max_retry_after(ms("max_retry_after_ms", v)?);
        }
        b = b.retry_policy(policy);
        if let Some(v) = o.proxy {
            b = b.proxy(v);
        }
        if let Some(v) = o.ca_cert_pem {
            b = b.add_root_certificate_pem(v);
        }
        if let Some(v) = o.user_agent_suffix {
            b = b.user_agent_suffix(v);
        }
        b.build()
    }
}
