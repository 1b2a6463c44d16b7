//! The blocking client from the threads the bindings will call it from: plain std
//! threads (a C program's), and threads inside a tokio runtime, where it must not panic,
//! not even when it is created or dropped there.

mod common;

use common::*;
use verify_http::{BlockingClient, CheckOutcome, GenerateRequest};

fn round_trip(client: &BlockingClient, em: &verify_emulator::Emulator) {
    let sent = client.generate(GenerateRequest::new(MOBILE)).unwrap();
    let code = em.last_code(&sent.verify_id).unwrap();
    assert_eq!(
        client.check(&sent.verify_id, &code).unwrap(),
        CheckOutcome::Verified
    );
}

#[test]
fn from_plain_threads_sharing_one_pool() {
    let em = emulator();
    let client = builder(&em).build_blocking().unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let (client, em) = (client.clone(), &em);
            s.spawn(move || {
                for _ in 0..5 {
                    round_trip(&client, em);
                }
            });
        }
    });
    assert_eq!(em.stats().otps_generated, 20);
    assert!(
        em.stats().connections_accepted <= 4,
        "{:?}",
        em.stats().connections_accepted
    );
    // Dropped on a plain thread too.
    drop(client);
}

#[tokio::test]
async fn created_used_and_dropped_inside_a_current_thread_runtime() {
    let em = emulator();
    let client = builder(&em).build_blocking().unwrap();
    round_trip(&client, &em);
    let err = client.validate("some-id", "123456").unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("E909"));
    drop(client); // must not panic inside the runtime
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_a_multi_thread_runtime_and_its_blocking_pool() {
    let em = std::sync::Arc::new(emulator());
    let client = builder(&em).build_blocking().unwrap();
    round_trip(&client, &em);
    let (c, e) = (client.clone(), em.clone());
    tokio::task::spawn_blocking(move || round_trip(&c, &e))
        .await
        .unwrap();
    // The last clone is dropped in an async task.
    tokio::spawn(async move { drop(client) }).await.unwrap();
}
