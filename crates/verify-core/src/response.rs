//! Turns any HTTP answer (status, headers, body bytes) into a success value or an
//! [`Error`]. Every body is survivable: HTML from a proxy, an empty or truncated body,
//! unknown codes, any case of `type`, any field order. Nothing here panics.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::ErrorCode;
use crate::error::{ApiError, DecodeError, Error};
use crate::generate::Generated;
use crate::validate::Validated;

/// How many bytes of an unreadable body are kept in the error.
pub const BODY_SNIPPET_BYTES: usize = 256;

/// Decodes the answer to a generate request.
pub fn decode_generate<'h, H>(status: u16, headers: H, body: &[u8]) -> Result<Generated, Error>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    decode(status, headers, body)
}

/// Decodes the answer to a validate request.
pub fn decode_validate<'h, H>(status: u16, headers: H, body: &[u8]) -> Result<Validated, Error>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    decode(status, headers, body)
}

/// The `Retry-After` header as a duration, when it holds a number of seconds. (An
/// HTTP-date would need a clock; it is ignored, and the client's own backoff applies.)
pub fn retry_after<'h, H>(headers: H) -> Option<Duration>
where
    H: IntoIterator<Item = (&'h str, &'h [u8])>,
{
    headers
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, value)| std::str::from_utf8(value).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
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
    if (200..300).contains(&status) {
        // The hot path: one typed parse, no intermediate tree.
        if let Ok(DataEnvelope { data }) = serde_json::from_slice::<DataEnvelope<T>>(body) {
            return Ok(data);
        }
    }
    let retry = retry_after(headers);
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
    fn snippet_is_bounded_and_valid() {
        let body = "é".repeat(1000);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= BODY_SNIPPET_BYTES);
        assert!(s.chars().all(|c| c == 'é'));
    }

    #[test]
    fn retry_after_reads_seconds_only() {
        let h = [("Retry-After", &b" 7 "[..])];
        assert_eq!(retry_after(h), Some(Duration::from_secs(7)));
        let h = [("retry-after", &b"Wed, 21 Oct 2015 07:28:00 GMT"[..])];
        assert_eq!(retry_after(h), None);
    }
}
