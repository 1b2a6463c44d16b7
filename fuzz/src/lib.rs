//! The fuzz targets' input formats and invariants, as plain functions: libFuzzer calls
//! them from `fuzz_targets/`, and verify-core's `fuzz_corpus` test replays every file of
//! `fuzz/corpus/` through them with no fuzzer and no special flags (it includes this
//! file by path), so what the fuzzer found stays fixed in the ordinary test command.
//!
//! Each function panics when an invariant breaks, and only then.

use std::time::Duration;

use verify_core::retry::{is_retryable, reach, settle_generate, settle_validate, Reach};
use verify_core::{
    decode_generate, decode_validate, retry_after, Endpoint, Error, GenerateRequest,
    ValidateRequest, BODY_SNIPPET_BYTES,
};

/// One HTTP answer, as the decoder target reads it from bytes:
///
/// ```text
/// byte 0      bit 0: 0 = generate's answer, 1 = validate's
/// bytes 1..3  status, big-endian u16 (any value, not only 100..=599)
/// rest        header lines `name:value` separated by `\n`, then `\n\n`, then the body;
///             without a `\n\n` the rest is all body and there are no headers
/// ```
///
/// A header name that is not UTF-8 is dropped (an HTTP library never hands one over);
/// values are raw bytes.
pub struct Answer<'a> {
    /// Which decoder reads it.
    pub endpoint: Endpoint,
    /// The HTTP status.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(&'a str, &'a [u8])>,
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> Answer<'a> {
    /// Reads the format above; `None` when the input is shorter than three bytes.
    pub fn parse(data: &'a [u8]) -> Option<Answer<'a>> {
        let (&flags, rest) = data.split_first()?;
        let (status, rest) = rest.split_first_chunk::<2>()?;
        let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
            Some(at) => (&rest[..at], &rest[at + 2..]),
            None => (&rest[..0], rest),
        };
        let headers = head
            .split(|&b| b == b'\n')
            .filter_map(|line| {
                let colon = line.iter().position(|&b| b == b':')?;
                let name = std::str::from_utf8(&line[..colon]).ok()?;
                Some((name, &line[colon + 1..]))
            })
            .collect();
        Some(Answer {
            endpoint: if flags & 1 == 0 {
                Endpoint::Generate
            } else {
                Endpoint::Validate
            },
            status: u16::from_be_bytes(*status),
            headers,
            body,
        })
    }
}

/// The decoder target: any answer is decoded without a panic; a success has a status
/// of 2xx and a usable `verify_id`; an error carries the answer's status, shows, serialises
/// and keeps a bounded snippet; and a generate is only ever retryable when the service
/// cannot have acted on it.
pub fn decode_response(data: &[u8]) {
    let Some(answer) = Answer::parse(data) else {
        return;
    };
    let status = answer.status;
    let headers = || answer.headers.iter().copied();
    let wait = retry_after(headers());
    if let Some(w) = wait {
        // A number of seconds is read exactly; a date is a whole number of seconds.
        assert_eq!(
            w.subsec_nanos(),
            0,
            "Retry-After {w:?} is not whole seconds"
        );
    }
    match answer.endpoint {
        Endpoint::Generate => match decode_generate(status, headers(), answer.body) {
            Ok(g) => {
                success(status, &g.verify_id);
                serde_json::to_string(&g).expect("a Generated serialises");
            }
            Err(e) => {
                failure(status, &e);
                let settled = settle_generate(e.clone());
                if reach(&e) == Reach::MaybeProcessed {
                    assert!(settled.is_outcome_unknown(), "{e:?} settles to {settled:?}");
                    assert!(!settled.is_retryable(), "outcome-unknown is retryable");
                }
            }
        },
        Endpoint::Validate => match decode_validate(status, headers(), answer.body) {
            Ok(v) => {
                success(status, &v.verify_id);
                assert!(!v.after_lost_attempt, "read from the wire: {v:?}");
                serde_json::to_string(&v).expect("a Validated serialises");
                // An answer about another verification is never a success.
                let other = format!("{}-other", v.verify_id);
                assert!(settle_validate(&other, Ok(v.clone()), false).is_err());
                let id = v.verify_id.clone();
                assert!(settle_validate(&id, Ok(v), true).is_ok());
            }
            Err(e) => {
                failure(status, &e);
                // No earlier attempt lost: the error stays an error.
                assert!(settle_validate("v", Err(e.clone()), false).is_err());
            }
        },
    }
}

fn success(status: u16, verify_id: &str) {
    assert!((200..300).contains(&status), "a success from HTTP {status}");
    assert!(
        !verify_id.trim().is_empty(),
        "a success with an unusable verify_id {verify_id:?}"
    );
}

fn failure(status: u16, e: &Error) {
    assert_eq!(e.status(), Some(status), "{e:?} lost the status");
    assert!(!e.to_string().is_empty());
    let _ = format!("{e:?}");
    let view = e.view();
    assert_eq!(view.kind, e.kind());
    assert_eq!(view.status, Some(status));
    serde_json::to_string(&view).expect("an ErrorView serialises");
    if let Some(s) = &view.body_snippet {
        assert!(
            s.chars().count() <= BODY_SNIPPET_BYTES,
            "a snippet of {} characters",
            s.chars().count()
        );
    }
    // The one rule that matters: a generate is sent again only when the service cannot
    // have acted on the first one.
    if is_retryable(Endpoint::Generate, e) {
        assert_eq!(reach(e), Reach::NotProcessed, "{e:?}");
    }
    let _ = is_retryable(Endpoint::Validate, e);
    if let Some(w) = e.retry_after() {
        assert!(w <= Duration::from_secs(u64::MAX), "{w:?}");
    }
}

/// One caller input, as the request target reads it from bytes:
///
/// ```text
/// byte 0  bit 7 clear: a generate; bits 0..=3 say which of flow_id, mobile, email, otp
///                      are given (the rest `None`)
///         bit 7 set:   a validate (verify_id, otp)
/// rest    the fields' text in that order, separated by 0xFF (a byte UTF-8 never holds);
///         a missing field is empty; input that is not UTF-8 is skipped
/// ```
pub fn request(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut fields = Vec::new();
    for part in rest.split(|&b| b == 0xFF) {
        match std::str::from_utf8(part) {
            Ok(s) => fields.push(s.to_owned()),
            Err(_) => return,
        }
    }
    let field = |i: usize| fields.get(i).cloned().unwrap_or_default();
    if flags & 0x80 == 0 {
        let given = |bit: u8, value: String| (flags & (1 << bit) != 0).then_some(value);
        let request = GenerateRequest::from_parts(
            given(0, field(0)),
            given(1, field(1)),
            given(2, field(2)),
            given(3, field(3)),
        );
        generate_request(&request);
    } else {
        validate_request(&ValidateRequest::new(field(0), field(1)));
    }
}

/// Validation refuses locally with a known code and no status, or accepts; and the wire
/// body is JSON without nulls that reads back as the same request.
fn generate_request(request: &GenerateRequest) {
    let verdict = request.validate();
    local_refusal(&verdict);
    assert_eq!(
        verdict.is_ok(),
        request.validate().is_ok(),
        "not deterministic"
    );
    let json = request.to_json();
    let value: serde_json::Value = serde_json::from_slice(&json).expect("to_json is JSON");
    assert!(!has_null(&value), "a null on the wire: {value}");
    let back: GenerateRequest = serde_json::from_slice(&json).expect("to_json reads back");
    assert_eq!(&back, request, "the wire body changed the request");
    if verdict.is_ok() {
        let mobile = request.to.as_ref().and_then(|t| t.mobile.as_deref());
        assert!(!mobile.unwrap_or("").is_empty(), "valid without a mobile");
    }
}

fn validate_request(request: &ValidateRequest) {
    let verdict = request.validate();
    local_refusal(&verdict);
    let json = request.to_json();
    let value: serde_json::Value = serde_json::from_slice(&json).expect("to_json is JSON");
    let object = value.as_object().expect("an object");
    assert_eq!(object.len(), 2, "{value}");
    let back: ValidateRequest = serde_json::from_slice(&json).expect("to_json reads back");
    assert_eq!(&back, request);
    if verdict.is_ok() {
        assert!(!request.verify_id.is_empty() && !request.otp.is_empty());
    }
}

/// A local refusal names a code of the table, has no HTTP status, and is not retryable.
fn local_refusal(verdict: &Result<(), Error>) {
    if let Err(e) = verdict {
        let api = e.api().expect("a local refusal is an API error");
        assert!(api.is_local(), "{e:?}");
        let code = e.code().expect("a local refusal has a code");
        assert!(code.info().is_some(), "{code:?} is not in the table");
        assert!(!e.is_retryable(), "{e:?}");
        assert!(!is_retryable(Endpoint::Generate, e));
    }
}

fn has_null(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::Array(a) => a.iter().any(has_null),
        serde_json::Value::Object(o) => o.values().any(has_null),
        _ => false,
    }
}
