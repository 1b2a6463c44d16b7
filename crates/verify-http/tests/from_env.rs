//! `from_env` reads the four `KALEYRA_*` variables. One test in its own binary, because
//! the environment is process-wide.

use verify_http::{BlockingClient, Client, ErrorKind};

#[test]
fn from_env_reads_the_kaleyra_variables() {
    // SAFETY of set_var: this binary has a single test, so no other thread reads the env.
    std::env::remove_var("KALEYRA_SID");
    std::env::remove_var("KALEYRA_API_KEY");
    std::env::remove_var("KALEYRA_REGION");
    std::env::remove_var("KALEYRA_BASE_URL");
    let err = Client::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert!(err.to_string().contains("KALEYRA_SID"), "{err}");

    std::env::set_var("KALEYRA_SID", "HXENV01");
    std::env::set_var("KALEYRA_API_KEY", "Aenv-secret-key");
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url().as_str(), "https://api.kaleyra.io");
    assert!(format!("{c:?}").contains("HXENV01"));
    assert!(!format!("{c:?}").contains("Aenv-secret-key"));

    std::env::set_var("KALEYRA_REGION", "in");
    assert_eq!(
        Client::from_env().unwrap().base_url().as_str(),
        "https://api.in.kaleyra.io"
    );
    std::env::set_var("KALEYRA_REGION", "mars");
    assert_eq!(
        Client::from_env().unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );

    // A base URL wins over a region.
    std::env::set_var("KALEYRA_BASE_URL", "http://127.0.0.1:4010");
    let b = BlockingClient::from_env().unwrap();
    assert_eq!(b.base_url().as_str(), "http://127.0.0.1:4010");

    std::env::set_var("KALEYRA_BASE_URL", "http://kaleyra.example");
    assert_eq!(
        Client::from_env().unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
}
