//! Helpers for the loopback tests: a real HTTP client against a real emulator.
#![allow(dead_code)]

use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};
use verify_emulator::{Emulator, EmulatorConfig};

/// An emulator and a client for it.
pub struct Harness {
    pub emu: Emulator,
    pub client: Client,
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with(EmulatorConfig::default())
    }

    pub fn with(config: EmulatorConfig) -> Harness {
        let emu = Emulator::start(config).expect("emulator starts");
        Harness {
            emu,
            client: Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emu.base_url(), path)
    }

    /// POSTs a JSON body to an API route (`verify` or `verify/validate`) with the account.
    pub fn post(&self, route: &str, body: &Value) -> Response {
        self.client
            .post(self.url(&format!("/v1/{}/{route}", self.emu.sid())))
            .header("api-key", self.emu.api_key())
            .json(body)
            .send()
            .expect("request answered")
    }

    /// Generates to `mobile`; returns the verify_id.
    pub fn generate(&self, mobile: &str) -> String {
        let r = self.post("verify", &json!({"to": {"mobile": mobile}}));
        assert_eq!(r.status(), 200);
        let v: Value = r.json().unwrap();
        v["data"]["verify_id"].as_str().unwrap().to_owned()
    }

    /// Generates with a body; returns (status, body).
    pub fn generate_body(&self, body: Value) -> (u16, Value) {
        let r = self.post("verify", &body);
        (r.status().as_u16(), r.json().unwrap())
    }

    /// Validates; returns (status, body).
    pub fn validate(&self, verify_id: &str, otp: &str) -> (u16, Value) {
        let r = self.post(
            "verify/validate",
            &json!({"verify_id": verify_id, "otp": otp}),
        );
        (r.status().as_u16(), r.json().unwrap())
    }

    pub fn get_json(&self, path: &str) -> Value {
        self.client
            .get(self.url(path))
            .send()
            .unwrap()
            .json()
            .unwrap()
    }
}

/// The code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no code>")
}
