//! Every fault the emulator can inject, met by the client over real TCP. The emulator's
//! counters prove the at-most-once property of generate: after any failure that may have
//! reached the service, exactly one generate request was made, and at most one OTP.

mod common;

use std::time::{Duration, Instant};

use common::*;
use verify_emulator::Fault;
use verify_http::{
    CheckOutcome, Error, ErrorCode, ErrorKind, GenerateRequest, RetryPolicy, TransportKind,
};

fn outcome_unknown(err: &Error) -> &Error {
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert!(
        err.to_string()
            .starts_with("outcome unknown: an OTP may have been sent"),
        "{err}"
    );
    match err {
        Error::OutcomeUnknown(inner) => inner,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn generate_is_never_retried_after_a_close_after_processing() {
    let (em, err) = generate_under(Fault::close_after()).await;
    let inner = outcome_unknown(&err);
    assert!(
        matches!(inner, Error::Transport(t) if t.kind == TransportKind::Io),
        "{inner:?}"
    );
    assert_eq!(em.stats().otps_generated, 1, "the OTP was generated once");
    assert_eq!(requests(&em, "generate"), 1, "and never sent again");
}

#[tokio::test]
async fn generate_is_never_retried_after_a_close_before_processing() {
    let (em, err) = generate_under(Fault::close_before()).await;
    outcome_unknown(&err);
    assert_eq!(em.stats().otps_generated, 0);
    assert_eq!(requests(&em, "generate"), 1);
}

#[tokio::test]
async fn generate_is_never_retried_after_a_5xx() {
    for status in [500, 502, 503, 504] {
        let (em, err) = generate_under(Fault::status(status).times(5)).await;
        let inner = outcome_unknown(&err);
        assert_eq!(inner.kind(), ErrorKind::Server);
        assert_eq!(err.status(), Some(status));
        assert_eq!(requests(&em, "generate"), 1, "status {status}");
        assert_eq!(em.stats().otps_generated, 0);
    }
}

#[tokio::test]
async fn generate_is_never_retried_after_a_malformed_or_truncated_answer() {
    for fault in [Fault::malformed(), Fault::truncated()] {
        let (em, err) = generate_under(fault.clone()).await;
        let inner = outcome_unknown(&err);
        assert!(
            matches!(inner, Error::Decode(d) if d.status == 200),
            "{fault:?}: {inner:?}"
        );
        assert_eq!(em.stats().otps_generated, 1, "{fault:?}");
        assert_eq!(requests(&em, "generate"), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn generate_times_out_within_the_total_timeout_and_is_not_retried() {
    let em = emulator();
    em.inject(Fault::latency(Duration::from_secs(5)));
    let client = builder(&em)
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(400 + 1500), "took {took:?}");
    let inner = outcome_unknown(&err);
    assert_eq!(inner.kind(), ErrorKind::Timeout);
    assert_eq!(
        requests(&em, "generate") + answered(&em, "generate", 200),
        0,
        "the emulator is still sleeping on it: nothing answered yet"
    );
    // Let the emulator finish the slow request: still one request, at most one OTP.
    std::thread::sleep(Duration::from_secs(5));
    assert!(em.stats().otps_generated <= 1);
    assert!(requests(&em, "generate") <= 1);
}

#[tokio::test]
async fn added_latency_within_the_timeout_is_just_slower() {
    let em = emulator();
    em.inject(Fault::latency(Duration::from_millis(150)).times(2));
    let client = client(&em);
    let started = Instant::now();
    let (sent, code) = sent(&em, &client).await;
    assert!(client.validate(&sent.verify_id, &code).await.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn validate_times_out_as_timeout() {
    let em = emulator();
    let client = builder(&em)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    em.inject(Fault::latency(Duration::from_secs(3)));
    let started = Instant::now();
    let err = client.validate("some-id", "123456").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(300 + 1500));
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(matches!(err, Error::Transport(_)));
}

#[tokio::test]
async fn validate_is_retried_on_502_503_504() {
    for status in [502, 503, 504] {
        let em = emulator();
        let client = client(&em);
        let sent = client.generate(GenerateRequest::new(MOBILE)).await.unwrap();
        let code = em.last_code(&sent.verify_id).unwrap();
        em.inject(Fault::status(status).times(2));
        let ok = client.validate(&sent.verify_id, &code).await.unwrap();
        // A 5xx fault is answered without processing, so the third attempt verifies.
        assert!(!ok.after_lost_attempt);
        assert_eq!(answered(&em, "validate", status), 2);
        assert_eq!(answered(&em, "validate", 200), 1);
    }
}

#[tokio::test]
async fn validate_gives_up_after_the_policy_s_attempts() {
    let em = emulator();
    let client = client(&em);
    em.inject(Fault::status(503).times(10));
    let err = client.validate("some-id", "123456").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&em, "validate"), 3);
}

#[tokio::test]
async fn validate_is_not_retried_on_500() {
    let em = emulator();
    em.inject(Fault::status(500).times(5));
    let err = client(&em).validate("some-id", "123456").await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(requests(&em, "validate"), 1);
}

#[tokio::test]
async fn a_lost_validate_answer_then_e910_is_verified() {
    for fault in [Fault::close_after(), Fault::truncated(), Fault::malformed()] {
        let em = emulator();
        let client = client(&em);
        let sent = client.generate(GenerateRequest::new(MOBILE)).await.unwrap();
        let code = em.last_code(&sent.verify_id).unwrap();
        em.inject(fault.clone());
        let ok = client.validate(&sent.verify_id, &code).await.unwrap();
        assert!(ok.after_lost_attempt, "{fault:?}");
        assert_eq!(ok.verify_id, sent.verify_id);
        assert_eq!(requests(&em, "validate"), 2, "{fault:?}");

        // The same through check(): Verified, not AlreadyVerified.
        let sent = client.generate(GenerateRequest::new(MOBILE)).await.unwrap();
        let code = em.last_code(&sent.verify_id).unwrap();
        em.inject(fault.clone());
        assert_eq!(
            client.check(&sent.verify_id, &code).await.unwrap(),
            CheckOutcome::Verified,
            "{fault:?}"
        );
    }
}

#[tokio::test]
async fn a_validate_dropped_before_processing_is_retried_and_verifies() {
    let em = emulator();
    let client = client(&em);
    let (sent, code) = sent(&em, &client).await;
    em.inject(Fault::close_before());
    let ok = client.validate(&sent.verify_id, &code).await.unwrap();
    assert!(!ok.after_lost_attempt, "the retry itself verified it");
    assert_eq!(answered(&em, "validate", 0), 1);
    assert_eq!(answered(&em, "validate", 200), 1);
}

#[tokio::test]
async fn a_lost_answer_does_not_turn_a_wrong_code_into_success() {
    let em = emulator();
    let client = client(&em);
    let (sent, code) = sent(&em, &client).await;
    let wrong = wrong_code(&code);
    em.inject(Fault::close_after());
    let err = client.validate(&sent.verify_id, wrong).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E912));
}

#[tokio::test]
async fn rate_limit_is_waited_out_as_asked() {
    let em = emulator();
    em.inject(Fault::rate_limit(1));
    let started = Instant::now();
    let sent = client(&em)
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert!(!sent.verify_id.is_empty());
    assert_eq!(answered(&em, "generate", 429), 1);
    assert_eq!(
        em.stats().otps_generated,
        1,
        "a 429 was not processed: one OTP"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited() {
    let em = emulator();
    em.inject(Fault::rate_limit(30));
    let client = builder(&em)
        .retry_policy(fast_retries().max_retry_after(Duration::from_secs(2)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.validate("some-id", "123456").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(
        err.api().unwrap().retry_after,
        Some(Duration::from_secs(30))
    );
    assert_eq!(requests(&em, "validate"), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_timeout_is_returned_not_waited() {
    let em = emulator();
    em.inject(Fault::rate_limit(3));
    let client = builder(&em)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.kind(),
        ErrorKind::RateLimited,
        "not outcome unknown: a 429 is not processed"
    );
    assert_eq!(em.stats().otps_generated, 0);
}

#[tokio::test]
async fn no_retries_with_retry_policy_none() {
    let em = emulator();
    em.inject(Fault::status(503).times(3));
    let client = builder(&em)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.validate("some-id", "123456").await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&em, "validate"), 1);
}

/// Injects `fault`, sends one generate, and returns the emulator (for its counters) and
/// the error the call ended with.
async fn generate_under(fault: Fault) -> (verify_emulator::Emulator, Error) {
    let em = emulator();
    em.inject(fault);
    let err = client(&em)
        .generate(GenerateRequest::new(MOBILE))
        .await
        .expect_err("the fault makes the generate fail");
    (em, err)
}
