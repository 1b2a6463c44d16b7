//! The emulator's clock: real time plus an offset that tests advance, so that expiry and
//! channel fallback are tested without sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, on the emulator's clock.
pub type Millis = u64;

/// The furthest the clock may be advanced in all: a thousand years. Far beyond any
/// expiry a test needs, and far from `u64` milliseconds' limit, so that `now` can never
/// wrap round and go backwards.
pub const MAX_OFFSET_MS: Millis = 1000 * 365 * 24 * 3600 * 1000;

/// Real time since start, plus everything advanced.
#[derive(Debug)]
pub struct Clock {
    started: Instant,
    started_unix_ms: Millis,
    offset_ms: AtomicU64,
}

impl Default for Clock {
    fn default() -> Clock {
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Clock {
            started: Instant::now(),
            started_unix_ms: unix.as_millis() as Millis,
            offset_ms: AtomicU64::new(0),
        }
    }
}

impl Clock {
    /// Now, in Unix milliseconds.
    pub fn now(&self) -> Millis {
        let elapsed = Millis::try_from(self.started.elapsed().as_millis()).unwrap_or(Millis::MAX);
        self.started_unix_ms
            .saturating_add(elapsed)
            .saturating_add(self.offset_ms.load(Ordering::Acquire))
    }

    /// Moves the clock forward by `by`, or not at all (returning false) when the total
    /// advanced would pass [`MAX_OFFSET_MS`].
    pub fn try_advance(&self, by: Duration) -> bool {
        let Ok(by) = Millis::try_from(by.as_millis()) else {
            return false;
        };
        self.offset_ms
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |offset| {
                offset.checked_add(by).filter(|o| *o <= MAX_OFFSET_MS)
            })
            .is_ok()
    }

    /// Moves the clock forward by `by`, stopping at [`MAX_OFFSET_MS`] in all.
    pub fn advance(&self, by: Duration) {
        let by = Millis::try_from(by.as_millis()).unwrap_or(Millis::MAX);
        let _ = self
            .offset_ms
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |offset| {
                Some(offset.saturating_add(by).min(MAX_OFFSET_MS))
            });
    }

    /// Everything advanced so far.
    pub fn offset(&self) -> Millis {
        self.offset_ms.load(Ordering::Acquire)
    }
}
