//! [`ClientOptions`]: the client's settings as plain data, and the one place where every
//! setting is checked. The builder, the command and every binding (Python keyword
//! arguments, a JS options object, a C struct) fill this struct and nothing else, so a
//! bad value is refused identically everywhere, with [`Error::InvalidConfig`] naming it.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use verify_core::{resolve_base_url, ApiKey, BaseUrl, Error, Sid};

use crate::retry::RetryPolicy;

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default total timeout of one call, retries and waits included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest duration any setting accepts: one day. A larger number is a unit mistake.
const MAX_MILLIS: f64 = 86_400_000.0;
/// The most attempts a call may make.
const MAX_ATTEMPTS: f64 = 100.0;

/// The client's settings, every one optional. Durations are milliseconds as `f64`, so
/// that a Python float or a JavaScript number goes in as it is; whatever is out of range
/// (negative, NaN, infinite, zero where zero makes no sense, more than a day) is refused
/// when the client is built.
///
/// ```
/// use verify_http::ClientOptions;
/// let opts = ClientOptions::from_json(r#"{"sid": "HXAP1", "api_key": "k", "timeout_ms": 2500}"#)?;
/// assert_eq!(opts.timeout_ms, Some(2500.0));
/// assert!(!format!("{opts:?}").contains("\"k\""));
/// # Ok::<(), verify_http::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The account's SID (required; `KALEYRA_SID`).
    pub sid: Option<String>,
    /// The API key (required; `KALEYRA_API_KEY`). Sent only in the `api-key` header.
    pub api_key: Option<String>,
    /// The region whose host to use: `sg` (default), `in`, `eu`, `na`, `ap`.
    pub region: Option<String>,
    /// A base URL instead of a region's host; `https://` except for loopback. Wins over
    /// the region.
    pub base_url: Option<String>,
    /// The longest one call may take, retries and waits included (default 30000).
    pub timeout_ms: Option<f64>,
    /// How long to wait for a connection (default 5000).
    pub connect_timeout_ms: Option<f64>,
    /// The most attempts per call, the first included: a whole number from 1 (never
    /// retry) to 100 (default 3).
    pub max_attempts: Option<f64>,
    /// The wait before the first retry; each later wait doubles it (default 100).
    pub initial_backoff_ms: Option<f64>,
    /// The longest wait between attempts (default 2000).
    pub max_backoff_ms: Option<f64>,
    /// The longest `Retry-After` waited out; a longer one is returned to the caller
    /// (default 10000).
    pub max_retry_after_ms: Option<f64>,
    /// A proxy for every request (`http://` or `https://`).
    pub proxy: Option<String>,
    /// Extra root certificates to trust, as PEM text (one or several).
    pub ca_cert_pem: Option<String>,
    /// Text appended to the `User-Agent`, e.g. `my-app/1.2`.
    pub user_agent_suffix: Option<String>,
}

/// The settings once checked: what the client is built from.
pub(crate) struct Settings {
    pub(crate) sid: Sid,
    pub(crate) api_key: ApiKey,
    pub(crate) base_url: BaseUrl,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) proxy: Option<String>,
    pub(crate) ca_cert_pem: Option<String>,
    pub(crate) user_agent_suffix: Option<String>,
}

impl ClientOptions {
    /// Empty options (every setting at its default; SID and key still required).
    pub fn new() -> ClientOptions {
        ClientOptions::default()
    }

    /// The options the `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_REGION` and
    /// `KALEYRA_BASE_URL` variables give; unset or empty variables are left unset.
    pub fn from_env() -> ClientOptions {
        ClientOptions::new().or_env()
    }

    /// These options, with what they leave unset filled from the `KALEYRA_*` variables
    /// (see [`ClientOptions::from_env`]). A base URL or region set here wins over both
    /// variables, so that an explicit region is not overridden by `KALEYRA_BASE_URL`.
    pub fn or_env(mut self) -> ClientOptions {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        self.sid = self.sid.or_else(|| var("KALEYRA_SID"));
        self.api_key = self.api_key.or_else(|| var("KALEYRA_API_KEY"));
        if self.region.is_none() && self.base_url.is_none() {
            self.region = var("KALEYRA_REGION");
            self.base_url = var("KALEYRA_BASE_URL");
        }
        self
    }

    /// Options from a JSON object with these field names; an unknown field or a value of
    /// the wrong type is an [`Error::InvalidConfig`] that names it.
    pub fn from_json(json: &str) -> Result<ClientOptions, Error> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            // serde's own text quotes the offending value, which may be the key put in
            // the wrong field: name the field only.
            let text = e.inner().to_string();
            let why = if text.starts_with("unknown field") {
                text.split(", expected")
                    .next()
                    .unwrap_or("unknown field")
                    .to_owned()
            } else {
                format!("`{}` has a value of the wrong type", e.path())
            };
            Error::InvalidConfig(format!("client options: {why}"))
        })
    }

    /// Checks every setting and fills in the defaults.
    pub(crate) fn check(&self) -> Result<Settings, Error> {
        let invalid = |m: &str| Error::InvalidConfig(m.to_owned());
        let sid = Sid::new(
            self.sid
                .clone()
                .ok_or_else(|| invalid("the SID is not set (sid, or KALEYRA_SID)"))?,
        )?;
        let api_key = ApiKey::new(
            self.api_key
                .clone()
                .ok_or_else(|| invalid("the API key is not set (api_key, or KALEYRA_API_KEY)"))?,
        )?;
        let base_url = resolve_base_url(self.region.as_deref(), self.base_url.as_deref())?;
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy::default()
            .max_attempts(attempts(self.max_attempts)?)
            .initial_backoff(millis(
                "initial_backoff_ms",
                self.initial_backoff_ms,
                defaults.initial_backoff_value(),
                0.0,
            )?)
            .max_backoff(millis(
                "max_backoff_ms",
                self.max_backoff_ms,
                defaults.max_backoff_value(),
                0.0,
            )?)
            .max_retry_after(millis(
                "max_retry_after_ms",
                self.max_retry_after_ms,
                defaults.max_retry_after_value(),
                0.0,
            )?);
        Ok(Settings {
            sid,
            api_key,
            base_url,
            timeout: millis("timeout_ms", self.timeout_ms, DEFAULT_TIMEOUT, 1.0)?,
            connect_timeout: millis(
                "connect_timeout_ms",
                self.connect_timeout_ms,
                DEFAULT_CONNECT_TIMEOUT,
                1.0,
            )?,
            retry,
            proxy: self.proxy.clone().filter(|p| !p.trim().is_empty()),
            ca_cert_pem: self.ca_cert_pem.clone().filter(|p| !p.trim().is_empty()),
            user_agent_suffix: self.user_agent_suffix.clone().filter(|s| !s.is_empty()),
        })
    }
}

/// A duration setting: `min` ms up to a day, finite, or the default when unset.
fn millis(field: &str, value: Option<f64>, default: Duration, min: f64) -> Result<Duration, Error> {
    let Some(ms) = value else {
        return Ok(default);
    };
    if !ms.is_finite() || ms < min || ms > MAX_MILLIS {
        return Err(Error::InvalidConfig(format!(
            "{field} must be a number of milliseconds from {min} to {MAX_MILLIS}, not {ms}"
        )));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// The attempts setting: a whole number from 1 to [`MAX_ATTEMPTS`].
fn attempts(value: Option<f64>) -> Result<u32, Error> {
    let Some(n) = value else {
        return Ok(RetryPolicy::default().attempts());
    };
    if !n.is_finite() || n.fract() != 0.0 || !(1.0..=MAX_ATTEMPTS).contains(&n) {
        return Err(Error::InvalidConfig(format!(
            "max_attempts must be a whole number from 1 (never retry) to {MAX_ATTEMPTS}, not {n}"
        )));
    }
    Ok(n as u32)
}

/// Milliseconds of a duration, as the options carry them.
pub(crate) fn as_millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("sid", &self.sid)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff_ms", &self.initial_backoff_ms)
            .field("max_backoff_ms", &self.max_backoff_ms)
            .field("max_retry_after_ms", &self.max_retry_after_ms)
            // A proxy URL may hold credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("ca_cert_pem", &self.ca_cert_pem.as_ref().map(|_| "<set>"))
            .field("user_agent_suffix", &self.user_agent_suffix)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ClientOptions {
        ClientOptions {
            sid: Some("HXAP1".into()),
            api_key: Some("SECRET-KEY".into()),
            ..ClientOptions::default()
        }
    }

    #[test]
    fn out_of_range_numbers_are_refused_by_name() {
        for (field, bad) in [
            ("timeout_ms", -1.0),
            ("timeout_ms", f64::NAN),
            ("timeout_ms", 0.0),
            ("connect_timeout_ms", f64::INFINITY),
            ("max_backoff_ms", 1e300),
            ("max_attempts", 0.0),
            ("max_attempts", 2.5),
            ("max_attempts", -3.0),
        ] {
            let mut o = base();
            match field {
                "timeout_ms" => o.timeout_ms = Some(bad),
                "connect_timeout_ms" => o.connect_timeout_ms = Some(bad),
                "max_backoff_ms" => o.max_backoff_ms = Some(bad),
                _ => o.max_attempts = Some(bad),
            }
            let err = o.check().err().expect("refused");
            assert!(matches!(err, Error::InvalidConfig(_)), "{field}={bad}");
            assert!(err.to_string().contains(field), "{err}");
        }
    }

    #[test]
    fn defaults_and_fractions_are_accepted() {
        let s = base().check().unwrap();
        assert_eq!(s.timeout, DEFAULT_TIMEOUT);
        assert_eq!(s.retry.attempts(), 3);
        let mut o = base();
        o.timeout_ms = Some(2.5);
        o.max_attempts = Some(1.0);
        let s = o.check().unwrap();
        assert_eq!(s.timeout, Duration::from_micros(2500));
        assert_eq!(s.retry.attempts(), 1);
    }

    #[test]
    fn json_refuses_unknown_fields_and_debug_hides_the_key() {
        let err = ClientOptions::from_json(r#"{"sid":"a","apikey":"SECRET-KEY"}"#).unwrap_err();
        assert!(err.to_string().contains("apikey"), "{err}");
        assert!(!err.to_string().contains("SECRET-KEY"), "{err}");
        let err = ClientOptions::from_json(r#"{"timeout_ms":"SECRET-KEY"}"#).unwrap_err();
        assert!(!err.to_string().contains("SECRET-KEY"), "{err}");
        assert!(!format!("{:?}", base()).contains("SECRET-KEY"));
    }
}
