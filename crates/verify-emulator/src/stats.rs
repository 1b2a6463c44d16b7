//! Counters that let a test prove what happened on the wire: requests by route and
//! status, connections accepted (keep-alive reuse), codes generated, deliveries made.
//! Lock-free, so that counting never serialises the request path.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The routes that are counted, by name.
pub const ROUTES: [&str; 11] = [
    "generate",
    "validate",
    "dashboard",
    "outbox",
    "clock",
    "faults",
    "stats",
    "openapi",
    "cert",
    "info",
    "other",
];

/// Statuses are counted from 0 (a connection dropped on purpose) to 599.
const STATUSES: usize = 600;

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// TCP connections accepted (a client that reuses connections keeps this low).
    pub connections_accepted: u64,
    /// OTPs generated (successful generate requests).
    pub otps_generated: u64,
    /// Deliveries made, one per channel and recipient.
    pub deliveries: u64,
    /// Verifications held in memory now (expired ones are evicted after a grace period).
    pub verifications_live: u64,
    /// Requests by route name, then by HTTP status; status 0 counts connections the
    /// fault injector dropped.
    pub requests: BTreeMap<String, BTreeMap<u16, u64>>,
}

/// The live counters.
pub struct Counters {
    /// See [`Stats::connections_accepted`].
    pub connections: AtomicU64,
    /// See [`Stats::otps_generated`].
    pub generated: AtomicU64,
    /// See [`Stats::deliveries`].
    pub deliveries: AtomicU64,
    requests: Vec<AtomicU64>,
}

impl Default for Counters {
    fn default() -> Counters {
        Counters {
            connections: AtomicU64::new(0),
            generated: AtomicU64::new(0),
            deliveries: AtomicU64::new(0),
            requests: (0..ROUTES.len() * STATUSES)
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }
}

impl Counters {
    /// Counts one request to `route` (an index into [`ROUTES`]) answered with `status`.
    pub fn request(&self, route: usize, status: u16) {
        let status = (status as usize).min(STATUSES - 1);
        self.requests[route * STATUSES + status].fetch_add(1, Ordering::Relaxed);
    }

    /// A snapshot; `live` is the number of verifications held.
    pub fn snapshot(&self, live: u64) -> Stats {
        let mut requests = BTreeMap::new();
        for (r, name) in ROUTES.iter().enumerate() {
            let by_status: BTreeMap<u16, u64> = (0..STATUSES)
                .filter_map(|s| {
                    let n = self.requests[r * STATUSES + s].load(Ordering::Relaxed);
                    (n > 0).then_some((s as u16, n))
                })
                .collect();
            if !by_status.is_empty() {
                requests.insert((*name).to_owned(), by_status);
            }
        }
        Stats {
            connections_accepted: self.connections.load(Ordering::Relaxed),
            otps_generated: self.generated.load(Ordering::Relaxed),
            deliveries: self.deliveries.load(Ordering::Relaxed),
            verifications_live: live,
            requests,
        }
    }
}

/// The route a path belongs to, as an index into [`ROUTES`].
pub fn route_of(path: &str) -> usize {
    let name = if path.starts_with("/v1/") && path.ends_with("/verify/validate") {
        "validate"
    } else if path.starts_with("/v1/") && path.ends_with("/verify") {
        "generate"
    } else if path == "/" {
        "dashboard"
    } else if let Some(rest) = path.strip_prefix("/_emulator/") {
        match rest.split('/').next().unwrap_or("") {
            "outbox" => "outbox",
            "clock" => "clock",
            "faults" => "faults",
            "stats" => "stats",
            "openapi.json" => "openapi",
            "cert.pem" => "cert",
            "info" => "info",
            _ => "other",
        }
    } else {
        "other"
    };
    ROUTES
        .iter()
        .position(|r| *r == name)
        .unwrap_or(ROUTES.len() - 1)
}
