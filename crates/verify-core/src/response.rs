//! Turns any HTTP answer (status, headers, body bytes) into a success value or an
//! [`Error`]. Every body is survivable: HTML from a proxy, an empty or truncated body,
//! unknown codes, any case of `type`, any field order, a UTF-8 byte-order mark. Nothing
//! here panics, and nothing unusable (a success without a verify_id) passes as a success.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::ErrorCode;
use crate::error::{ApiError, DecodeError, Error};
use crate::generate::Generated;
use crate::validate::Validated;

/// How many bytes of an unreadable body are kept in the error.
pub const BODY_SNIPPET_BYTES: usize = 256;

/// Decodes the answer to a generate request. A success whose `verify_id` is empty is a
/// [`DecodeError`]: it names no verification that could ever be checked.
pub fn decode_generate<'h, H>(status: u16, headers: H, body: &[u8]) -> Result<Generated, Error>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    let g: Generated = decode(status, headers, body)?;
    usable_id(status, body, &g.verify_id)?;
    Ok(g)
}

/// Decodes the answer to a validate request. A success whose `verify_id` is empty is a
/// [`DecodeError`]; one naming another verification than the one asked about is settled
/// by [`crate::retry::settle_validate`], which knows the id that was asked about.
pub fn decode_validate<'h, H>(status: u16, headers: H, body: &[u8]) -> Result<Validated, Error>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    let v: Validated = decode(status, headers, body)?;
    usable_id(status, body, &v.verify_id)?;
    Ok(v)
}

/// A success must name a verification: an empty (or blank) `verify_id` is unreadable.
fn usable_id(status: u16, body: &[u8], verify_id: &str) -> Result<(), Error> {
    if !verify_id.trim().is_empty() {
        return Ok(());
    }
    Err(Error::Decode(DecodeError {
        status,
        reason: "`data.verify_id` is empty".to_owned(),
        body_snippet: snippet(strip_bom(body)),
    }))
}

/// The body without a leading UTF-8 byte-order mark, which some servers and proxies
/// put before JSON (RFC 8259 lets a parser ignore it; serde_json does not).
fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The `Retry-After` header as a duration. RFC 9110 allows two forms: a number of
/// seconds, or an HTTP date (then the wait is from now until that date, rounded up to a
/// whole second; a date in the past means now). Either is capped the same way afterwards
/// (the client's `max_retry_after` and total timeout). Anything else is ignored, and the
/// client's own backoff applies.
pub fn retry_after<'h, H>(headers: H) -> Option<Duration>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    let value = headers
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, value)| std::str::from_utf8(value).ok())?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let wait = at
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    Some(round_up_to_second(wait))
}

fn round_up_to_second(d: Duration) -> Duration {
    let whole = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    Duration::from_secs(whole)
}

/// `{"data": T}`, the success envelope.
#[derive(Debug, Serialize, Deserialize)]
pub struct DataEnvelope<T> {
    /// The payload.
    pub data: T,
}

/// `{"error": {...}}`, the error envelope as the emulator writes it.
#[derive(Debug, Serialize)]
pub struct ErrorEnvelope<'a> {
    /// The error body.
    pub error: ErrorBody<'a>,
}

/// The fields of the error envelope.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The code, e.g. `E804`.
    pub code: &'a str,
    /// `VALIDATION_ERROR` and so on.
    #[serde(rename = "type")]
    pub error_type: &'a str,
    /// The parameter at fault, or empty.
    pub parameter: &'a str,
    /// A sentence for people.
    pub message: &'a str,
    /// A reference, or empty.
    pub reference: &'a str,
}

fn decode<'h, T, H>(status: u16, headers: H, body: &[u8]) -> Result<T, Error>
where
    T: DeserializeOwned,
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    let body = strip_bom(body);
    if (200..300).contains(&status) {
        // The hot path: one typed parse, no intermediate tree.
        if let Ok(DataEnvelope { data }) = serde_json::from_slice::<DataEnvelope<T>>(body) {
            return Ok(data);
        }
    }
    let headers: Vec<(&str, &[u8])> = headers.into_iter().collect();
    if (300..400).contains(&status) {
        return Err(redirect(status, &headers, body).into());
    }
    let retry = retry_after(headers.iter().copied());
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => match map.remove("error") {
            Some(Value::Object(fields)) => Err(from_envelope(status, retry, fields).into()),
            _ if (200..300).contains(&status) => Err(decode_error(status, body, &map)),
            _ => Err(not_envelope(status, retry, body).into()),
        },
        _ if (200..300).contains(&status) => Err(Error::Decode(DecodeError {
            status,
            reason: "the body is not JSON".to_owned(),
            body_snippet: snippet(body),
        })),
        _ => Err(not_envelope(status, retry, body).into()),
    }
}

fn decode_error(status: u16, body: &[u8], map: &serde_json::Map<String, Value>) -> Error {
    let reason = if map.contains_key("data") {
        "`data` lacks a required field or has the wrong shape"
    } else {
        "neither `data` nor `error` in the body"
    };
    Error::Decode(DecodeError {
        status,
        reason: reason.to_owned(),
        body_snippet: snippet(body),
    })
}

fn from_envelope(
    status: u16,
    retry_after: Option<Duration>,
    mut fields: serde_json::Map<String, Value>,
) -> ApiError {
    let mut take = |key: &str| fields.remove(key).and_then(text);
    ApiError {
        code: take("code").map(|c| ErrorCode::parse(&c)),
        error_type: take("type"),
        parameter: take("parameter"),
        message: take("message"),
        reference: take("reference"),
        status: Some(status),
        retry_after,
        body_snippet: None,
    }
}

/// A redirect: never followed (it would carry the `api-key` header wherever it points),
/// and said so, naming only the host it pointed to (its path or query may hold anything).
fn redirect(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> ApiError {
    let target = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("location"))
        .and_then(|(_, v)| std::str::from_utf8(v).ok())
        .and_then(|v| url::Url::parse(v.trim()).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    let to = match &target {
        Some(host) => format!(" to host {host}"),
        None => String::new(),
    };
    let mut err = not_envelope(status, None, body);
    err.message = Some(format!(
        "the server answered a redirect{to}, which is never followed (it would carry the \
         API key elsewhere); check the base URL"
    ));
    err
}

fn not_envelope(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ApiError {
    ApiError {
        code: None,
        error_type: None,
        parameter: None,
        message: None,
        reference: None,
        status: Some(status),
        retry_after,
        body_snippet: Some(snippet(body)),
    }
}

/// A field as text: strings as they are, other scalars in their JSON spelling, null as absent.
fn text(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// The first [`BODY_SNIPPET_BYTES`] of a body, cut on a character boundary.
pub fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(BODY_SNIPPET_BYTES)];
    let text = String::from_utf8_lossy(head);
    // A multi-byte character cut at the limit decodes to U+FFFD; drop it.
    let trimmed = if head.len() < body.len() {
        text.trim_end_matches('\u{FFFD}')
    } else {
        &text
    };
    trimmed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_names_its_host_only_and_is_not_followed() {
        let h = [(
            "Location",
            &b"https://elsewhere.example/v1/x?api_key=SECRET"[..],
        )];
        let err = decode_generate(302, h, b"").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("elsewhere.example"), "{text}");
        assert!(text.contains("never followed"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        assert_eq!(err.status(), Some(302));
    }

    #[test]
    fn snippet_is_bounded_and_valid() {
        let body = "é".repeat(1000);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= BODY_SNIPPET_BYTES);
        assert!(s.chars().all(|c| c == 'é'));
    }

    #[test]
    fn a_bom_is_skipped_and_an_empty_id_is_refused() {
        let none = std::iter::empty::<(&str, &[u8])>;
        let g = decode_generate(200, none(), b"\xEF\xBB\xBF{\"data\":{\"verify_id\":\"v\"}}");
        assert_eq!(g.unwrap().verify_id, "v");
        let e = decode_generate(200, none(), br#"{"data":{"verify_id":" "}}"#).unwrap_err();
        assert!(
            matches!(e, Error::Decode(ref d) if d.status == 200),
            "{e:?}"
        );
        let e = decode_validate(200, none(), br#"{"data":{"verify_id":""}}"#).unwrap_err();
        assert!(matches!(e, Error::Decode(_)), "{e:?}");
        let e = decode_validate(200, none(), br#"{"data":null}"#).unwrap_err();
        assert!(matches!(e, Error::Decode(_)), "{e:?}");
        // An error envelope behind a BOM is still the envelope.
        let e = decode_validate(400, none(), b"\xEF\xBB\xBF{\"error\":{\"code\":\"E912\"}}");
        assert_eq!(e.unwrap_err().code(), Some(&ErrorCode::E912));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let h = [("Retry-After", &b" 7 "[..])];
        assert_eq!(retry_after(h), Some(Duration::from_secs(7)));
        let past = [("retry-after", &b"Wed, 21 Oct 2015 07:28:00 GMT"[..])];
        assert_eq!(retry_after(past), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
        let got = retry_after([("Retry-After", later.as_bytes())]).unwrap();
        // The date has whole seconds: 4 or 5 s from now, never more.
        assert!(
            got >= Duration::from_secs(4) && got <= Duration::from_secs(5),
            "{got:?}"
        );
        // The obsolete RFC 850 and asctime forms are HTTP dates too (RFC 9110 5.6.7).
        let asctime = [("retry-after", &b"Sun Nov  6 08:49:37 1994"[..])];
        assert_eq!(retry_after(asctime), Some(Duration::ZERO));
        for junk in [&b"soon"[..], b"-1", b"1.5", b"", b"\xff"] {
            assert_eq!(retry_after([("retry-after", junk)]), None, "{junk:?}");
        }
    }
}
