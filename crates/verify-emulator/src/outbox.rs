//! The outbox: every code "sent", so that a test in any language reads the code a user
//! would have received. Bounded: the oldest deliveries go first.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::flows::Channel;
use crate::state::lock;

/// Most deliveries the outbox keeps; older ones are dropped first.
pub const OUTBOX_CAP: usize = 10_000;

/// One code sent on one channel to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The verification.
    pub verify_id: String,
    /// `sms`, `voice`, `email` or `whatsapp`.
    pub channel: Channel,
    /// The number (without `+`) or address.
    pub recipient: String,
    /// The code that was sent.
    pub code: String,
    /// When, in Unix milliseconds on the emulator's clock.
    pub at: Millis,
}

/// The deliveries, newest last, bounded by [`OUTBOX_CAP`].
#[derive(Default)]
pub struct Outbox(Mutex<VecDeque<Delivery>>);

impl Outbox {
    pub(crate) fn push(&self, d: Delivery) {
        let mut q = lock(&self.0);
        if q.len() >= OUTBOX_CAP {
            q.pop_front();
        }
        q.push_back(d);
    }

    /// The deliveries, optionally of one verification only.
    pub fn list(&self, verify_id: Option<&str>) -> Vec<Delivery> {
        lock(&self.0)
            .iter()
            .filter(|d| verify_id.is_none_or(|id| d.verify_id == id))
            .cloned()
            .collect()
    }
}
