//! Where requests go and with which credentials: regions, base URLs, the SID and the
//! API key. The rules (HTTPS for every host but loopback, a key that never prints) live
//! here so that every language enforces them identically.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use url::{Host, Url};

use crate::error::Error;

/// A Kaleyra region, each with its own API host (API.md, "Transport").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// Singapore, `api.kaleyra.io`: the default.
    #[default]
    Sg,
    /// India, `api.in.kaleyra.io`.
    In,
    /// Europe, `api.eu.kaleyra.io`.
    Eu,
    /// North America, `api.na.kaleyra.io`.
    Na,
    /// Asia-Pacific, `api.ap.kaleyra.io` (seen only in third-party clients).
    Ap,
}

impl Region {
    /// Every region, default first.
    pub const ALL: [Region; 5] = [Region::Sg, Region::In, Region::Eu, Region::Na, Region::Ap];

    /// The region's API host.
    pub fn host(self) -> &'static str {
        match self {
            Region::Sg => "api.kaleyra.io",
            Region::In => "api.in.kaleyra.io",
            Region::Eu => "api.eu.kaleyra.io",
            Region::Na => "api.na.kaleyra.io",
            Region::Ap => "api.ap.kaleyra.io",
        }
    }

    /// The lowercase name (`sg`, `in`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Sg => "sg",
            Region::In => "in",
            Region::Eu => "eu",
            Region::Na => "na",
            Region::Ap => "ap",
        }
    }

    /// The region's base URL.
    pub fn base_url(self) -> BaseUrl {
        BaseUrl::parse(&format!("https://{}", self.host())).expect("region hosts are valid")
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Parses a region name, in any case.
    fn from_str(s: &str) -> Result<Region, Error> {
        Region::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::InvalidConfig(format!(
                    "unknown region {s:?}; expected one of sg, in, eu, na, ap"
                ))
            })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v1/{SID}/verify`.
    Generate,
    /// `POST /v1/{SID}/verify/validate`.
    Validate,
}

impl Endpoint {
    /// The route's name in logs and counters.
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Generate => "generate",
            Endpoint::Validate => "validate",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Endpoint::Generate => "verify",
            Endpoint::Validate => "verify/validate",
        }
    }
}

/// A base URL the client may talk to: HTTPS, or plain HTTP to a loopback host only, so
/// that the API key never crosses a network in clear text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Checks and normalises a base URL such as `https://api.kaleyra.io` or
    /// `http://127.0.0.1:8080` (a path prefix is kept, for proxies).
    pub fn parse(input: &str) -> Result<BaseUrl, Error> {
        // The URL is named without its userinfo, query and fragment: any of them may hold
        // a secret (`http://user:KEY@host`, `?api_key=KEY`), and errors get logged.
        let bad =
            |why: &str| Error::InvalidConfig(format!("base URL {:?}: {why}", redacted_url(input)));
        let mut url = Url::parse(input.trim()).map_err(|e| bad(&e.to_string()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(bad(
                    "plain http is allowed only for loopback hosts; use https",
                ))
            }
            _ => return Err(bad("the scheme must be https")),
        }
        if url.host().is_none() {
            return Err(bad("no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("credentials in the URL are not allowed"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("no query or fragment allowed"));
        }
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(BaseUrl(url))
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// True for a loopback host (127.0.0.0/8, ::1, localhost).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }

    /// The full URL of an endpoint for an account.
    pub fn endpoint(&self, sid: &Sid, endpoint: Endpoint) -> String {
        format!("{}/v1/{}/{}", self.as_str(), sid.0, endpoint.suffix())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BaseUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<BaseUrl, Error> {
        BaseUrl::parse(s)
    }
}

/// A URL as it may appear in an error message: scheme, host, port and path only.
/// Text that does not parse as a URL is not shown at all.
pub(crate) fn redacted_url(input: &str) -> String {
    match Url::parse(input.trim()) {
        Ok(url) => {
            let host = url.host_str().unwrap_or("");
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            let path = url.path().trim_end_matches('/');
            let hidden = !url.username().is_empty()
                || url.password().is_some()
                || url.query().is_some()
                || url.fragment().is_some();
            let more = if hidden {
                " (credentials, query and fragment not shown)"
            } else {
                ""
            };
            format!("{}://{host}{port}{path}{more}", url.scheme())
        }
        Err(_) => "<not shown: not a URL>".to_owned(),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Picks the base URL from what a user configured (the `KALEYRA_REGION` and
/// `KALEYRA_BASE_URL` variables in every language): a base URL wins over a region;
/// neither means the default region.
pub fn resolve_base_url(region: Option<&str>, base_url: Option<&str>) -> Result<BaseUrl, Error> {
    match (base_url.filter(|s| !s.trim().is_empty()), region) {
        (Some(url), _) => BaseUrl::parse(url),
        (None, Some(r)) if !r.trim().is_empty() => Ok(r.parse::<Region>()?.base_url()),
        _ => Ok(Region::default().base_url()),
    }
}

/// The account's Security Identifier, which goes in the URL path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sid(String);

impl Sid {
    /// Checks that the SID is non-empty and safe in a path (ASCII letters, digits, `-`, `_`).
    pub fn new(sid: impl Into<String>) -> Result<Sid, Error> {
        let sid = sid.into();
        if sid.is_empty() {
            return Err(Error::InvalidConfig("the SID is empty".to_owned()));
        }
        if !sid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::InvalidConfig(
                "the SID may hold only ASCII letters, digits, '-' and '_'".to_owned(),
            ));
        }
        Ok(Sid(sid))
    }

    /// The SID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The API key. It has no `Display`, and its `Debug` prints `ApiKey(<redacted>)`, so it
/// cannot leak into logs or error messages by accident; [`ApiKey::expose`] is the one way out.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks that the key is non-empty and can go in an HTTP header.
    pub fn new(key: impl Into<String>) -> Result<ApiKey, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::InvalidConfig("the API key is empty".to_owned()));
        }
        if !key.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Err(Error::InvalidConfig(
                "the API key holds characters an HTTP header cannot carry".to_owned(),
            ));
        }
        Ok(ApiKey(key))
    }

    /// The key itself, for the `api-key` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_everywhere_but_loopback() {
        assert!(BaseUrl::parse("https://api.kaleyra.io/").is_ok());
        assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
        assert!(BaseUrl::parse("http://127.3.4.5").is_ok());
        assert!(BaseUrl::parse("http://[::1]:9").is_ok());
        assert!(BaseUrl::parse("http://localhost:1").is_ok());
        assert!(BaseUrl::parse("http://api.kaleyra.io").is_err());
        assert!(BaseUrl::parse("http://localhost.evil.com").is_err());
        assert!(BaseUrl::parse("http://10.0.0.1").is_err());
        assert!(BaseUrl::parse("ftp://127.0.0.1").is_err());
        assert!(BaseUrl::parse("https://u:p@h.io").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
    }

    #[test]
    fn endpoints() {
        let sid = Sid::new("HX071US").unwrap();
        let b = BaseUrl::parse("https://proxy.example/kaleyra/").unwrap();
        assert_eq!(
            b.endpoint(&sid, Endpoint::Validate),
            "https://proxy.example/kaleyra/v1/HX071US/verify/validate"
        );
        let b = Region::In.base_url();
        assert_eq!(
            b.endpoint(&sid, Endpoint::Generate),
            "https://api.in.kaleyra.io/v1/HX071US/verify"
        );
        assert!(Sid::new("a/b").is_err());
    }

    #[test]
    fn resolve() {
        assert_eq!(resolve_base_url(None, None).unwrap(), Region::Sg.base_url());
        assert_eq!(
            resolve_base_url(Some("EU"), None).unwrap(),
            Region::Eu.base_url()
        );
        assert_eq!(
            resolve_base_url(Some("eu"), Some("http://127.0.0.1:1"))
                .unwrap()
                .as_str(),
            "http://127.0.0.1:1"
        );
        assert!(resolve_base_url(Some("mars"), None).is_err());
    }

    #[test]
    fn key_never_prints() {
        let k = ApiKey::new("Ac4secret21f").unwrap();
        assert!(!format!("{k:?}").contains("secret"));
        assert!(ApiKey::new("a b").is_err());
    }
}
