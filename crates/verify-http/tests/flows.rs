//! Every answer of the service, end to end against the emulator over real TCP:
//! generate, read the code from the outbox, validate; and each error code.

mod common;

use std::time::Duration;

use common::*;
use verify_emulator::DEFAULT_FLOW_ID;
use verify_http::{CheckOutcome, Client, ErrorCode, ErrorKind, GenerateRequest};

#[tokio::test]
async fn generate_then_validate_with_the_delivered_code() {
    let em = emulator();
    let client = client(&em);
    let sent = client
        .generate(GenerateRequest::new(MOBILE).email("user@example.com"))
        .await
        .unwrap();
    assert_eq!(sent.mobile.as_deref(), Some("12025550123"));
    assert_eq!(sent.flow_id.as_deref(), Some(DEFAULT_FLOW_ID));
    let outbox = em.outbox();
    let sms = outbox
        .iter()
        .find(|d| d.verify_id == sent.verify_id)
        .expect("a delivery");
    assert_eq!(sms.recipient, "12025550123");
    let ok = client.validate(&sent.verify_id, &sms.code).await.unwrap();
    assert_eq!(ok.verify_id, sent.verify_id);
    assert!(!ok.after_lost_attempt);
    assert!(!ok.message.is_empty());
    // Single use: the second validation is E910, which check() reports as such.
    let again = client
        .validate(&sent.verify_id, &sms.code)
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some(&ErrorCode::E910));
    assert_eq!(
        client.check(&sent.verify_id, &sms.code).await.unwrap(),
        CheckOutcome::AlreadyVerified
    );
    assert_eq!(em.stats().otps_generated, 1);
    // One connection for the whole conversation: the pool is reused.
    assert_eq!(em.stats().connections_accepted, 1);
}

#[tokio::test]
async fn check_reports_verified_and_wrong_code() {
    let em = emulator();
    let client = client(&em);
    let (sent, code) = sent(&em, &client).await;
    let wrong = wrong_code(&code);
    let err = client.validate(&sent.verify_id, wrong).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E912));
    assert_eq!(err.kind(), ErrorKind::OtpRejected);
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        client.check(&sent.verify_id, wrong).await.unwrap(),
        CheckOutcome::WrongCode
    );
    assert_eq!(
        client.check(&sent.verify_id, &code).await.unwrap(),
        CheckOutcome::Verified
    );
}

#[tokio::test]
async fn too_many_attempts_is_e911() {
    let em = emulator();
    let client = client(&em);
    let (sent, code) = sent(&em, &client).await;
    let wrong = wrong_code(&code);
    let mut last = None;
    for _ in 0..4 {
        last = Some(client.validate(&sent.verify_id, wrong).await.unwrap_err());
    }
    assert_eq!(last.unwrap().code(), Some(&ErrorCode::E911));
    assert_eq!(
        client.check(&sent.verify_id, &code).await.unwrap(),
        CheckOutcome::TooManyAttempts
    );
}

#[tokio::test]
async fn an_expired_code_is_e913() {
    let em = emulator();
    let client = client(&em);
    let (sent, code) = sent(&em, &client).await;
    em.advance_clock(Duration::from_secs(601));
    let err = client.validate(&sent.verify_id, &code).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E913));
    assert_eq!(
        client.check(&sent.verify_id, &code).await.unwrap(),
        CheckOutcome::Expired
    );
}

#[tokio::test]
async fn unknown_verification_is_e909() {
    let em = emulator();
    let client = client(&em);
    let err = client
        .validate("00000000-0000-4000-8000-000000000000", "123456")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E909));
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        client
            .check("00000000-0000-4000-8000-000000000000", "123456")
            .await
            .unwrap(),
        CheckOutcome::NotFound
    );
}

#[tokio::test]
async fn unknown_flow_is_e905_and_nothing_is_sent() {
    let em = emulator();
    let client = client(&em);
    let err = client
        .generate(GenerateRequest::new(MOBILE).flow_id("0f6c3c3e-9999-4b00-ac18-51c000002344"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E905));
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert_eq!(em.stats().otps_generated, 0);
    // A definite refusal is neither retried nor "outcome unknown".
    assert_eq!(requests(&em, "generate"), 1);
}

#[tokio::test]
async fn a_wrong_key_is_e401_and_never_echoed() {
    let em = emulator();
    let secret = "wrong-key-d41d8cd98f00b204";
    let client = Client::builder()
        .sid(em.sid())
        .api_key(secret)
        .base_url(em.base_url())
        .build()
        .unwrap();
    let err = client
        .generate(GenerateRequest::new(MOBILE))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E401));
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert!(!format!("{err} {err:?}").contains(secret));
    let err = client.check("some-id", "123456").await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Authentication,
        "an outage is not a wrong code"
    );
    assert_eq!(requests(&em, "generate"), 1, "not retried");
}

#[tokio::test]
async fn local_validation_sends_no_request() {
    let em = emulator();
    let client = client(&em);
    let cases = [
        (GenerateRequest::default(), ErrorCode::E600),
        (GenerateRequest::new(""), ErrorCode::E804),
        (GenerateRequest::new("+12"), ErrorCode::E805),
        (
            GenerateRequest::new(MOBILE).email("not-an-email"),
            ErrorCode::E802,
        ),
        (GenerateRequest::new(MOBILE).otp("12 34"), ErrorCode::E803),
    ];
    for (req, code) in cases {
        let err = client.generate(req.clone()).await.unwrap_err();
        assert_eq!(err.code(), Some(&code));
        assert_eq!(err.status(), None, "refused before sending");
    }
    for (id, otp, code) in [
        ("", "123456", ErrorCode::E800),
        ("abc", "", ErrorCode::E801),
        ("abc", "12-34", ErrorCode::E803),
    ] {
        assert_eq!(
            client.validate(id, otp).await.unwrap_err().code(),
            Some(&code)
        );
    }
    assert_eq!(
        client.check("abc", "").await.unwrap(),
        CheckOutcome::WrongCode
    );
    let stats = em.stats();
    assert_eq!(stats.connections_accepted, 0);
    assert_eq!(requests(&em, "generate") + requests(&em, "validate"), 0);
}

#[tokio::test]
async fn a_caller_supplied_code_is_the_one_delivered() {
    let em = emulator();
    let client = client(&em);
    let sent = client
        .generate(GenerateRequest::new(MOBILE).otp("424242"))
        .await
        .unwrap();
    assert_eq!(em.last_code(&sent.verify_id).as_deref(), Some("424242"));
    let err = client
        .generate(GenerateRequest::new(MOBILE).otp("4242"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::E903));
    assert!(client.validate(&sent.verify_id, "424242").await.is_ok());
}
