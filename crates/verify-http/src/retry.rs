//! How long to wait between attempts, and how many to make. The decision of *whether* a
//! failure may be retried is verify-core's (`verify_core::retry`); this module only turns
//! "retry" into a delay: exponential backoff with jitter, or the service's Retry-After
//! when it asks for one within the cap.

use std::time::Duration;

use verify_core::Error;

use crate::options::{as_millis, ClientOptions};

/// How a client retries the failures that are safe to retry.
///
/// Only failures that cannot send a second OTP are ever retried (a connect failure, a
/// 429; for validate also 502/503/504 and lost answers): see [`verify_core::retry`]. The
/// whole call, retries and waits included, stays within the client's total timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 100 ms doubling up to 2 s, Retry-After honoured up to 10 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`RetryPolicy::default`]).
    pub fn new() -> RetryPolicy {
        RetryPolicy::default()
    }

    /// One attempt, never a retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most attempts per call, the first included: from 1 (never retry) to 100. A
    /// value out of that range is refused when the client is built, never clamped.
    pub fn max_attempts(mut self, n: u32) -> RetryPolicy {
        self.max_attempts = n;
        self
    }

    /// The wait before the first retry; each later wait doubles it, with jitter.
    pub fn initial_backoff(mut self, d: Duration) -> RetryPolicy {
        self.initial_backoff = d;
        self
    }

    /// The longest backoff wait.
    pub fn max_backoff(mut self, d: Duration) -> RetryPolicy {
        self.max_backoff = d;
        self
    }

    /// The longest `Retry-After` the client waits for. A 429 asking for longer is
    /// returned to the caller (with its `retry_after`) instead of being waited out.
    pub fn max_retry_after(mut self, d: Duration) -> RetryPolicy {
        self.max_retry_after = d;
        self
    }

    /// The most attempts per call.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn initial_backoff_value(&self) -> Duration {
        self.initial_backoff
    }

    pub(crate) fn max_backoff_value(&self) -> Duration {
        self.max_backoff
    }

    pub(crate) fn max_retry_after_value(&self) -> Duration {
        self.max_retry_after
    }

    /// Writes this policy into `options`, where it is checked with the other settings.
    pub(crate) fn fill(&self, options: &mut ClientOptions) {
        options.max_attempts = Some(f64::from(self.max_attempts));
        options.initial_backoff_ms = Some(as_millis(self.initial_backoff));
        options.max_backoff_ms = Some(as_millis(self.max_backoff));
        options.max_retry_after_ms = Some(as_millis(self.max_retry_after));
    }

    /// The wait before retry number `retry` (1 for the first retry) after `err`, or `None`
    /// when the service asked for a longer wait than the policy honours.
    pub(crate) fn delay(&self, retry: u32, err: &Error) -> Option<Duration> {
        if let Some(asked) = err.api().and_then(|a| a.retry_after) {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        Some(self.backoff(retry))
    }

    /// Exponential backoff with "equal jitter": a random wait between half and all of
    /// `initial * 2^(retry-1)`, capped at `max_backoff`. The jitter spreads the retries of
    /// many clients that failed together.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(20);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = full / 2;
        let jitter_nanos = rand::random_range(0..=half.as_nanos().min(u64::MAX as u128) as u64);
        half + Duration::from_nanos(jitter_nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verify_core::{ApiError, ErrorCode};

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b2 = p.backoff(2);
            assert!(b2 >= Duration::from_millis(100) && b2 <= Duration::from_millis(200));
            let b9 = p.backoff(9);
            assert!(b9 >= Duration::from_millis(175) && b9 <= Duration::from_millis(350));
        }
        assert!(p.backoff(u32::MAX) <= Duration::from_millis(350));
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::new().max_retry_after(Duration::from_secs(2));
        let mut e = ApiError::local(ErrorCode::E429);
        e.status = Some(429);
        e.retry_after = Some(Duration::from_secs(1));
        assert_eq!(p.delay(1, &e.clone().into()), Some(Duration::from_secs(1)));
        e.retry_after = Some(Duration::from_secs(3));
        assert_eq!(p.delay(1, &e.into()), None);
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
    }
}
