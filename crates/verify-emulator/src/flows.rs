//! Verification flows ("configurations" in Kaleyra's console): which channels carry a
//! code, in what order and after what delay, and the code's shape and lifetime. The
//! console is the only way to create one for real, so here they come from TOML.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The id of the built-in default flow.
pub const DEFAULT_FLOW_ID: &str = "d9900000-6946-4b00-ac18-51c000002344";

/// Shortest OTP a flow may ask for.
pub const MIN_OTP_LENGTH: usize = 4;
/// Longest OTP a flow may ask for.
pub const MAX_OTP_LENGTH: usize = 10;

/// A channel that carries a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A text message to each mobile number.
    Sms,
    /// A voice call to each mobile number.
    Voice,
    /// An email to the address, when the request gave one.
    Email,
    /// A WhatsApp message to each mobile number.
    Whatsapp,
}

impl Channel {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Email => "email",
            Channel::Whatsapp => "whatsapp",
        }
    }
}

/// One channel of a flow and when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStep {
    /// The channel.
    pub channel: Channel,
    /// Seconds after the previous step (after generation, for the first) at which this step
    /// fires if the code is still unverified. 0 is Kaleyra's "send anyway": at once, with
    /// the previous step.
    #[serde(default)]
    pub after_seconds: u64,
}

/// A verification flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Its id (a UUID), the request's `flow_id`.
    pub id: String,
    /// Used when a request has no `flow_id`.
    #[serde(default)]
    pub default: bool,
    /// An unapproved flow is refused with E905.
    #[serde(default = "yes")]
    pub approved: bool,
    /// The channels, in order.
    pub channels: Vec<ChannelStep>,
    /// Length of the code, 4 to 10.
    #[serde(default = "six")]
    pub otp_length: usize,
    /// Whether codes may hold letters (generated codes then use A-Z and 0-9).
    #[serde(default)]
    pub alphanumeric: bool,
    /// Seconds from generation until the code expires.
    #[serde(default = "ten_minutes")]
    pub expiry_seconds: u64,
    /// Wrong codes accepted before the verification is locked (E911).
    #[serde(default = "three")]
    pub max_attempts: u32,
}

fn yes() -> bool {
    true
}
fn six() -> usize {
    6
}
fn ten_minutes() -> u64 {
    600
}
fn three() -> u32 {
    3
}

impl Flow {
    /// The built-in default flow: SMS, then email if not verified within 60 s; six
    /// digits; ten minutes; three attempts; default and approved.
    pub fn default_flow() -> Flow {
        Flow {
            id: DEFAULT_FLOW_ID.to_owned(),
            default: true,
            approved: true,
            channels: vec![
                ChannelStep {
                    channel: Channel::Sms,
                    after_seconds: 0,
                },
                ChannelStep {
                    channel: Channel::Email,
                    after_seconds: 60,
                },
            ],
            otp_length: 6,
            alphanumeric: false,
            expiry_seconds: 600,
            max_attempts: 3,
        }
    }

    /// Checks the flow's own consistency; the message names the flow and the field.
    pub fn check(&self) -> Result<(), String> {
        if !(MIN_OTP_LENGTH..=MAX_OTP_LENGTH).contains(&self.otp_length) {
            return Err(format!(
                "flow {}: otp_length {} is not between {MIN_OTP_LENGTH} and {MAX_OTP_LENGTH}",
                self.id, self.otp_length
            ));
        }
        if self.channels.is_empty() {
            return Err(format!("flow {}: no channels", self.id));
        }
        if self.id.is_empty() {
            return Err("a flow has an empty id".to_owned());
        }
        Ok(())
    }
}

/// Finds the flow a request names, or the default one; `None` means E905.
pub fn resolve<'a>(flows: &'a [Arc<Flow>], flow_id: Option<&str>) -> Option<&'a Arc<Flow>> {
    let flow = match flow_id {
        Some(id) => flows.iter().find(|f| f.id.eq_ignore_ascii_case(id.trim())),
        None => flows.iter().find(|f| f.default),
    }?;
    flow.approved.then_some(flow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_default_and_refuses_unapproved() {
        let mut other = Flow::default_flow();
        other.id = "other".into();
        other.default = false;
        other.approved = false;
        let flows = vec![Arc::new(Flow::default_flow()), Arc::new(other)];
        assert_eq!(resolve(&flows, None).unwrap().id, DEFAULT_FLOW_ID);
        assert!(resolve(&flows, Some("other")).is_none());
        assert!(resolve(&flows, Some("nope")).is_none());
        assert!(resolve(&flows[1..], None).is_none());
    }
}
