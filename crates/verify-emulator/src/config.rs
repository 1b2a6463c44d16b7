//! What an emulator serves: its address, accounts, flows and whether it speaks TLS.
//! Read from TOML so that the binary, the CLI and every language's test helper describe
//! an emulator the same way.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use serde::Deserialize;

use crate::flows::Flow;

/// The SID of the built-in account.
pub const DEFAULT_SID: &str = "HXEMULATOR01";
/// The API key of the built-in account.
pub const DEFAULT_API_KEY: &str = "emulator-api-key";

/// An account: requests to `/v1/{sid}/...` must carry `api-key: {api_key}`. Its `Debug`
/// never shows the key.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// The SID in the path.
    pub sid: String,
    /// The key in the `api-key` header.
    pub api_key: String,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("sid", &self.sid)
            .field("api_key", &"<redacted>")
            .finish()
    }
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

/// How to run an emulator. Its `Debug` shows no API key.
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
    /// Worker threads of the emulator's runtime (at least 1), [`DEFAULT_WORKERS`] unless set.
    pub workers: usize,
}

/// Worker threads of the emulator's runtime unless told otherwise.
pub const DEFAULT_WORKERS: usize = 2;

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: vec![Account::default()],
            flows: vec![Flow::default_flow()],
            tls: false,
            workers: DEFAULT_WORKERS,
        }
    }
}

/// The file format: every section optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bind: Option<SocketAddr>,
    tls: Option<bool>,
    workers: Option<usize>,
    accounts: Option<Vec<Account>>,
    flows: Option<Vec<Flow>>,
}

/// What a front-end's flags set over a configuration (the CLI's `emulator` command, a
/// binding's test helper): each `None` keeps what the file or the default says.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// The address to listen on (the port is kept).
    pub host: Option<IpAddr>,
    /// The port (0: any free one).
    pub port: Option<u16>,
    /// Serve HTTPS.
    pub tls: Option<bool>,
    /// Runtime worker threads.
    pub workers: Option<usize>,
    /// The first account's SID.
    pub sid: Option<String>,
    /// The first account's API key.
    pub api_key: Option<String>,
}

impl fmt::Debug for Overrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Overrides")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("workers", &self.workers)
            .field("sid", &self.sid)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl EmulatorConfig {
    /// Reads a configuration; what it leaves out keeps its default. Example:
    ///
    /// ```toml
    /// bind = "127.0.0.1:8080"   # optional, like tls = true and workers = 4
    ///
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
        EmulatorConfig::default().merge_toml_str(s)
    }

    /// This configuration with a file's values over it: what the file sets (bind, tls,
    /// workers, accounts, flows) replaces, what it leaves out is kept.
    pub fn with_flows_file(self, path: impl AsRef<Path>) -> Result<EmulatorConfig, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.merge_toml_str(&text)
    }

    /// The one merge of a file over a configuration, for [`EmulatorConfig::from_toml_str`]
    /// and [`EmulatorConfig::with_flows_file`] alike.
    fn merge_toml_str(mut self, s: &str) -> Result<EmulatorConfig, ConfigError> {
        let file: File = toml::from_str(s)?;
        if let Some(bind) = file.bind {
            self.bind = bind;
        }
        if let Some(tls) = file.tls {
            self.tls = tls;
        }
        if let Some(workers) = file.workers {
            self.workers = workers;
        }
        if let Some(accounts) = file.accounts {
            self.accounts = accounts;
        }
        if let Some(flows) = file.flows {
            self.flows = flows;
        }
        self.check()?;
        Ok(self)
    }

    /// This configuration with a front-end's flags over it. A SID or key alone replaces
    /// that half of the first account.
    pub fn with_overrides(mut self, o: Overrides) -> Result<EmulatorConfig, ConfigError> {
        if let Some(host) = o.host {
            self.bind.set_ip(host);
        }
        if let Some(port) = o.port {
            self.bind.set_port(port);
        }
        if let Some(tls) = o.tls {
            self.tls = tls;
        }
        if let Some(workers) = o.workers {
            self.workers = workers;
        }
        if o.sid.is_some() || o.api_key.is_some() {
            if self.accounts.is_empty() {
                self.accounts.push(Account::default());
            }
            let first = &mut self.accounts[0];
            if let Some(sid) = o.sid {
                first.sid = sid;
            }
            if let Some(key) = o.api_key {
                first.api_key = key;
            }
        }
        self.check()?;
        Ok(self)
    }

    /// The id of the flow used when a request names none, if a flow is marked default.
    pub fn default_flow_id(&self) -> Option<&str> {
        self.flows.iter().find(|f| f.default).map(|f| f.id.as_str())
    }

    /// Checks the values: at least one account with a non-empty SID and key, at least one
    /// worker, valid flows, unique ids, one default at most.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.accounts.is_empty() {
            return Err(ConfigError::Invalid("no accounts".to_owned()));
        }
        if self
            .accounts
            .iter()
            .any(|a| a.sid.trim().is_empty() || a.api_key.is_empty())
        {
            return Err(ConfigError::Invalid(
                "an account has an empty SID or API key".to_owned(),
            ));
        }
        if self.workers == 0 {
            return Err(ConfigError::Invalid(
                "workers must be at least 1".to_owned(),
            ));
        }
        for flow in &self.flows {
            flow.check().map_err(ConfigError::Invalid)?;
        }
        let mut ids: Vec<String> = self
            .flows
            .iter()
            .map(|f| f.id.to_ascii_lowercase())
            .collect();
        ids.sort();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(ConfigError::Invalid(format!(
                "two flows have the id {}",
                w[0]
            )));
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

    #[test]
    fn a_file_keeps_what_it_leaves_out_and_flags_win() {
        let dir = std::env::temp_dir().join(format!("emu-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.toml");
        std::fs::write(
            &path,
            "workers = 3\n[[flows]]\nid='f'\ndefault=true\nchannels=[{channel='sms'}]",
        )
        .unwrap();
        let base = EmulatorConfig {
            bind: "127.0.0.1:8080".parse().unwrap(),
            tls: true,
            ..EmulatorConfig::default()
        };
        let c = base.with_flows_file(&path).unwrap();
        assert_eq!((c.bind.port(), c.tls, c.workers), (8080, true, 3));
        assert_eq!(c.default_flow_id(), Some("f"));
        let c = c
            .with_overrides(Overrides {
                port: Some(0),
                sid: Some("HXMINE".into()),
                api_key: Some("sekrit-key".into()),
                ..Overrides::default()
            })
            .unwrap();
        assert_eq!((c.bind.port(), c.accounts[0].sid.as_str()), (0, "HXMINE"));
        assert!(!format!("{c:?}").contains("sekrit-key"), "{c:?}");
        let o = Overrides {
            api_key: Some("sekrit-key".into()),
            ..Overrides::default()
        };
        assert!(!format!("{o:?}").contains("sekrit-key"));
        let zero = Overrides {
            workers: Some(0),
            ..Overrides::default()
        };
        assert!(EmulatorConfig::default().with_overrides(zero).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
