//! The verifications, the schedule of delayed channels and the outbox. Verifications are
//! sharded by id so that concurrent requests rarely wait on one another; delayed channels
//! wait in a time-ordered schedule that any request or clock change drains lazily.

use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use verify_core::ErrorCode;

use crate::clock::Millis;
use crate::flows::{Channel, Flow};
use crate::stats::Counters;

pub use crate::outbox::{Delivery, Outbox, OUTBOX_CAP};

/// How long a verification stays after it expires (answering E913, E910) before it is
/// evicted and answers E909.
pub const GRACE_MS: Millis = 5 * 60 * 1000;
/// Most verifications held at once; past it the oldest are evicted early.
pub const MAX_LIVE: usize = 1 << 18;
const SHARDS: usize = 32;
const SWEEP_EVERY_MS: Millis = 1000;

/// One generated code and its life.
#[derive(Debug, Clone)]
pub struct Verification {
    /// Its id.
    pub verify_id: String,
    /// The account it belongs to.
    pub sid: String,
    /// The flow it follows.
    pub flow: Arc<Flow>,
    /// The code.
    pub code: String,
    /// The numbers, without `+`.
    pub mobiles: Vec<String>,
    /// The address, if any.
    pub email: Option<String>,
    /// When it was generated.
    pub created_at: Millis,
    /// When it expires.
    pub expires_at: Millis,
    /// Wrong codes still accepted before E911.
    pub attempts_left: u32,
    /// When it was verified.
    pub verified_at: Option<Millis>,
    /// Channels delivered so far, with when.
    pub delivered: Vec<(Channel, Millis)>,
    next_step: usize,
    next_due: Millis,
}

impl Verification {
    /// A new verification; nothing delivered yet.
    pub fn new(
        verify_id: String,
        sid: String,
        flow: Arc<Flow>,
        code: String,
        mobiles: Vec<String>,
        email: Option<String>,
        now: Millis,
    ) -> Verification {
        let first_due = now + flow.channels.first().map_or(0, |s| s.after_seconds * 1000);
        Verification {
            expires_at: now + flow.expiry_seconds * 1000,
            attempts_left: flow.max_attempts,
            verify_id,
            sid,
            flow,
            code,
            mobiles,
            email,
            created_at: now,
            verified_at: None,
            delivered: Vec::new(),
            next_step: 0,
            next_due: first_due,
        }
    }

    /// `pending`, `verified`, `expired` or `locked` (no attempts left).
    pub fn status(&self, now: Millis) -> &'static str {
        if self.verified_at.is_some() {
            "verified"
        } else if now >= self.expires_at {
            "expired"
        } else if self.attempts_left == 0 {
            "locked"
        } else {
            "pending"
        }
    }

    /// Delivers every step due by `now` while the code can still be used (unverified,
    /// unexpired, attempts left); returns when the next step is due, if any. A locked,
    /// expired or verified verification delivers nothing more: a fallback would carry a
    /// code that can no longer be used.
    fn deliver_due(&mut self, now: Millis, outbox: &Outbox, counters: &Counters) -> Option<Millis> {
        while self.next_step < self.flow.channels.len() {
            if self.verified_at.is_some()
                || self.attempts_left == 0
                || self.next_due >= self.expires_at
            {
                return None;
            }
            if self.next_due > now {
                return Some(self.next_due);
            }
            let at = self.next_due;
            let channel = self.flow.channels[self.next_step].channel;
            let recipients: Vec<&String> = match channel {
                Channel::Email => self.email.iter().collect(),
                _ => self.mobiles.iter().collect(),
            };
            for r in recipients {
                outbox.push(Delivery {
                    verify_id: self.verify_id.clone(),
                    channel,
                    recipient: r.clone(),
                    code: self.code.clone(),
                    at,
                });
                counters.deliveries.fetch_add(1, Ordering::Relaxed);
            }
            self.delivered.push((channel, at));
            self.next_step += 1;
            if let Some(step) = self.flow.channels.get(self.next_step) {
                self.next_due = at + step.after_seconds * 1000;
            }
        }
        None
    }
}

/// Locks, ignoring poisoning: every critical section leaves its data consistent.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

type Shard = Mutex<HashMap<String, Verification>>;

/// Every verification, the schedule and the outbox.
pub struct Store {
    shards: Vec<Shard>,
    hasher: RandomState,
    schedule: Mutex<BinaryHeap<Reverse<(Millis, String)>>>,
    next_due: AtomicU64,
    last_sweep: AtomicU64,
    /// The deliveries.
    pub outbox: Outbox,
}

impl Default for Store {
    fn default() -> Store {
        Store {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
            schedule: Mutex::default(),
            next_due: AtomicU64::new(Millis::MAX),
            last_sweep: AtomicU64::new(0),
            outbox: Outbox::default(),
        }
    }
}

impl Store {
    fn shard(&self, verify_id: &str) -> &Shard {
        &self.shards[self.hasher.hash_one(verify_id) as usize % SHARDS]
    }

    /// Stores a new verification and delivers its immediate channels.
    pub fn insert(&self, mut v: Verification, now: Millis, counters: &Counters) {
        self.sweep_if_due(now);
        let due = v.deliver_due(now, &self.outbox, counters);
        let id = v.verify_id.clone();
        {
            let mut shard = lock(self.shard(&id));
            if shard.len() >= MAX_LIVE / SHARDS {
                evict_oldest(&mut shard);
            }
            shard.insert(id.clone(), v);
        }
        if let Some(due) = due {
            self.schedule_at(due, id);
        }
    }

    fn schedule_at(&self, due: Millis, verify_id: String) {
        lock(&self.schedule).push(Reverse((due, verify_id)));
        self.next_due.fetch_min(due, Ordering::AcqRel);
    }

    /// Delivers every delayed channel due by `now`. Cheap when nothing is due.
    pub fn tick(&self, now: Millis, counters: &Counters) {
        if self.next_due.load(Ordering::Acquire) > now {
            return;
        }
        let due: Vec<String> = {
            let mut heap = lock(&self.schedule);
            let mut due = Vec::new();
            while let Some(Reverse((at, _))) = heap.peek() {
                if *at > now {
                    break;
                }
                if let Some(Reverse((_, id))) = heap.pop() {
                    due.push(id);
                }
            }
            let next = heap.peek().map_or(Millis::MAX, |Reverse((at, _))| *at);
            self.next_due.store(next, Ordering::Release);
            due
        };
        for id in due {
            let next = lock(self.shard(&id))
                .get_mut(&id)
                .and_then(|v| v.deliver_due(now, &self.outbox, counters));
            if let Some(next) = next {
                self.schedule_at(next, id);
            }
        }
    }

    /// Checks a code: `Ok` once, then E910; E909 for an id unknown to this account.
    pub fn validate(
        &self,
        sid: &str,
        verify_id: &str,
        otp: &str,
        now: Millis,
    ) -> Result<(), ErrorCode> {
        let mut shard = lock(self.shard(verify_id));
        let v = match shard.get_mut(verify_id) {
            Some(v) if v.sid == sid => v,
            _ => return Err(ErrorCode::E909),
        };
        if v.verified_at.is_some() {
            return Err(ErrorCode::E910);
        }
        if now >= v.expires_at {
            return Err(ErrorCode::E913);
        }
        if v.attempts_left == 0 {
            return Err(ErrorCode::E911);
        }
        if v.code != otp {
            v.attempts_left -= 1;
            return Err(ErrorCode::E912);
        }
        v.verified_at = Some(now);
        Ok(())
    }

    /// The code of a verification still held.
    pub fn code_of(&self, verify_id: &str) -> Option<String> {
        lock(self.shard(verify_id))
            .get(verify_id)
            .map(|v| v.code.clone())
    }

    /// The newest `limit` verifications, newest first.
    pub fn recent(&self, limit: usize) -> Vec<Verification> {
        let mut all: Vec<Verification> = self
            .shards
            .iter()
            .flat_map(|s| lock(s).values().cloned().collect::<Vec<_>>())
            .collect();
        all.sort_by_key(|v| std::cmp::Reverse(v.created_at));
        all.truncate(limit);
        all
    }

    /// How many verifications are held.
    pub fn live(&self) -> u64 {
        self.shards.iter().map(|s| lock(s).len() as u64).sum()
    }

    fn sweep_if_due(&self, now: Millis) {
        let last = self.last_sweep.load(Ordering::Acquire);
        if now < last + SWEEP_EVERY_MS
            || self
                .last_sweep
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return;
        }
        for s in &self.shards {
            let mut shard = lock(s);
            shard.retain(|_, v| v.expires_at + GRACE_MS > now);
            // After a burst has expired, give the table's memory back rather than keep
            // the burst's capacity for ever.
            if shard.capacity() > 4 * shard.len().max(64) {
                shard.shrink_to_fit();
            }
        }
        let mut schedule = lock(&self.schedule);
        if schedule.capacity() > 4 * schedule.len().max(64) {
            schedule.shrink_to_fit();
        }
    }
}

/// Evicts the oldest eighth of a full shard, so that eviction is rare and amortised.
fn evict_oldest(shard: &mut HashMap<String, Verification>) {
    let mut ages: Vec<Millis> = shard.values().map(|v| v.created_at).collect();
    let k = ages.len() / 8;
    let (_, cutoff, _) = ages.select_nth_unstable(k);
    let cutoff = *cutoff;
    shard.retain(|_, v| v.created_at > cutoff);
}
