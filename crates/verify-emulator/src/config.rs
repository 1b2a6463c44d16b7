//! What an emulator serves: its address, accounts, flows and whether it speaks TLS.
//! Read from TOML so that the binary, the CLI and every language's test helper describe
//! an emulator the same way.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

use crate::flows::Flow;

/// The SID of the built-in account.
pub const DEFAULT_SID: &str = "HXEMULATOR01";
/// The API key of the built-in account.
pub const DEFAULT_API_KEY: &str = "emulator-api-key";

/// An account: requests to `/v1/{sid}/...` must carry `api-key: {api_key}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// The SID in the path.
    pub sid: String,
    /// The key in the `api-key` header.
    pub api_key: String,
}

impl Default for Account {
    fn default() -> Account {
        Account {
            sid: DEFAULT_SID.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
        }
    }
}

/// A configuration that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown fields.
    #[error("invalid configuration: {0}")]
    Toml(#[from] toml::de::Error),
    /// The values are inconsistent (a bad OTP length, no accounts, ...).
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Where to listen; `127.0.0.1:0` (any free port) by default.
    pub bind: SocketAddr,
    /// The accounts accepted; the first is the one [`crate::Emulator::sid`] reports.
    pub accounts: Vec<Account>,
    /// The flows, shared by every account.
    pub flows: Vec<Flow>,
    /// Serve HTTPS with a certificate generated at start.
    pub tls: bool,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: vec![Account::default()],
            flows: vec![Flow::default_flow()],
            tls: false,
        }
    }
}

/// The file format: every section optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bind: Option<SocketAddr>,
    tls: Option<bool>,
    accounts: Option<Vec<Account>>,
    flows: Option<Vec<Flow>>,
}

impl EmulatorConfig {
    /// Reads a configuration; what it leaves out keeps its default. Example:
    ///
    /// ```toml
    /// [[accounts]]
    /// sid = "HX1"
    /// api_key = "k1"
    ///
    /// [[flows]]
    /// id = "0f6c3c3e-1111-4b00-ac18-51c000002344"
    /// default = true
    /// otp_length = 4
    /// channels = [{ channel = "sms" }, { channel = "voice", after_seconds = 30 }]
    /// ```
    pub fn from_toml_str(s: &str) -> Result<EmulatorConfig, ConfigError> {
        let file: File = toml::from_str(s)?;
        let mut config = EmulatorConfig::default();
        if let Some(bind) = file.bind {
            config.bind = bind;
        }
        if let Some(tls) = file.tls {
            config.tls = tls;
        }
        if let Some(accounts) = file.accounts {
            config.accounts = accounts;
        }
        if let Some(flows) = file.flows {
            config.flows = flows;
        }
        config.check()?;
        Ok(config)
    }

    /// Replaces the flows (and the accounts, when the file has some) with a file's.
    pub fn with_flows_file(
        mut self,
        path: impl AsRef<Path>,
    ) -> Result<EmulatorConfig, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let file: File = toml::from_str(&text)?;
        if let Some(accounts) = file.accounts {
            self.accounts = accounts;
        }
        if let Some(flows) = file.flows {
            self.flows = flows;
        }
        self.check()?;
        Ok(self)
    }

    /// Checks the values: at least one account, valid flows, unique ids, one default at most.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.accounts.is_empty() {
            return Err(ConfigError::Invalid("no accounts".to_owned()));
        }
        for flow in &self.flows {
            flow.check().map_err(ConfigError::Invalid)?;
        }
        if self.flows.iter().filter(|f| f.default).count() > 1 {
            return Err(ConfigError::Invalid(
                "more than one default flow".to_owned(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml() {
        let c = EmulatorConfig::from_toml_str(
            r#"
            [[accounts]]
            sid = "HX1"
            api_key = "k1"
            [[flows]]
            id = "f1"
            default = true
            otp_length = 4
            alphanumeric = true
            channels = [{ channel = "sms" }, { channel = "voice", after_seconds = 30 }]
            "#,
        )
        .unwrap();
        assert_eq!(c.accounts[0].sid, "HX1");
        assert_eq!(c.flows[0].otp_length, 4);
        assert_eq!(c.flows[0].channels[1].after_seconds, 30);
        assert_eq!(c.flows[0].max_attempts, 3);
        assert!(EmulatorConfig::from_toml_str(
            "[[flows]]\nid='x'\notp_length=3\nchannels=[{channel='sms'}]"
        )
        .is_err());
        assert!(EmulatorConfig::from_toml_str("nonsense = 1").is_err());
    }

    #[test]
    fn the_example_file_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/flows.example.toml");
        let c = EmulatorConfig::default().with_flows_file(path).unwrap();
        assert_eq!(c.flows.len(), 3);
        assert_eq!(c.flows[0].channels.len(), 3);
        assert!(!c.flows[2].approved);
    }
}
