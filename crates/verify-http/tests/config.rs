//! Configuration is checked at build time, and the API key never prints.

use std::time::Duration;

use verify_http::{BlockingClient, Client, ErrorKind, Region, RetryPolicy};

const KEY: &str = "Ac4Key-SuperSecret-9f8e7d";

#[test]
fn plain_http_is_refused_except_for_loopback() {
    let err = Client::builder()
        .sid("HX1")
        .api_key(KEY)
        .base_url("http://api.kaleyra.io")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert!(!format!("{err} {err:?}").contains(KEY));
    for ok in [
        "http://127.0.0.1:9",
        "http://localhost:9",
        "https://gw.example",
    ] {
        let c = Client::builder()
            .sid("HX1")
            .api_key(KEY)
            .base_url(ok)
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), ok);
    }
}

#[test]
fn missing_or_bad_settings_are_invalid_config() {
    let cases = [
        Client::builder().api_key(KEY).build().unwrap_err(),
        Client::builder().sid("HX1").build().unwrap_err(),
        Client::builder()
            .sid("a/b")
            .api_key(KEY)
            .build()
            .unwrap_err(),
        Client::builder()
            .sid("HX1")
            .api_key("a b")
            .build()
            .unwrap_err(),
        Client::builder()
            .sid("HX1")
            .api_key(KEY)
            .add_root_certificate_pem(b"not a certificate")
            .build()
            .unwrap_err(),
        Client::builder()
            .sid("HX1")
            .api_key(KEY)
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err(),
        // Plain http to loopback through a proxy elsewhere would put the key on the wire.
        Client::builder()
            .sid("HX1")
            .api_key(KEY)
            .base_url("http://127.0.0.1:1")
            .proxy("http://proxy.example:3128")
            .build()
            .unwrap_err(),
        Client::builder()
            .sid("HX1")
            .api_key(KEY)
            .user_agent_suffix("bad\nvalue")
            .build()
            .unwrap_err(),
    ];
    for err in cases {
        assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{err}");
        assert!(!format!("{err} {err:?}").contains(KEY));
    }
}

#[test]
fn region_picks_its_host() {
    let c = Client::builder()
        .sid("HX1")
        .api_key(KEY)
        .region(Region::Eu)
        .build()
        .unwrap();
    assert_eq!(c.base_url().as_str(), "https://api.eu.kaleyra.io");
    let c = Client::builder().sid("HX1").api_key(KEY).build().unwrap();
    assert_eq!(c.base_url().as_str(), "https://api.kaleyra.io");
}

#[test]
fn debug_never_shows_the_key() {
    let builder = Client::builder()
        .sid("HX1")
        .api_key(KEY)
        .proxy("http://user:proxypass@127.0.0.1:3128")
        .retry_policy(RetryPolicy::none());
    let text = format!("{builder:?}");
    assert!(text.contains("<redacted>"), "{text}");
    assert!(!text.contains(KEY) && !text.contains("proxypass"), "{text}");

    let client = builder.clone().build().unwrap();
    let text = format!("{client:?} {:#?}", client.clone());
    assert!(
        text.contains("HX1") && text.contains("<redacted>"),
        "{text}"
    );
    assert!(!text.contains(KEY) && !text.contains("proxypass"), "{text}");

    let blocking: BlockingClient = builder.build_blocking().unwrap();
    let text = format!("{blocking:?}");
    assert!(!text.contains(KEY), "{text}");
}
