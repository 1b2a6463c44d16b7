//! The emulator's clock: real time plus an offset that tests advance, so that expiry and
//! channel fallback are tested without sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, on the emulator's clock.
pub type Millis = u64;

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
        self.started_unix_ms
            + self.started.elapsed().as_millis() as Millis
            + self.offset_ms.load(Ordering::Acquire)
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.as_millis() as Millis, Ordering::AcqRel);
    }

    /// Everything advanced so far.
    pub fn offset(&self) -> Millis {
        self.offset_ms.load(Ordering::Acquire)
    }
}
