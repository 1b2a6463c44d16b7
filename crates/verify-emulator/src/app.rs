//! The shared state of one emulator and the routes that serve it.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{middleware, Router};

use crate::clock::Clock;
use crate::config::{Account, EmulatorConfig};
use crate::faults::{self, FaultQueue};
use crate::flows::Flow;
use crate::state::Store;
use crate::stats::Counters;
use crate::{control, dashboard, error, generate, validate};

/// Everything a request may touch.
pub struct App {
    /// The accounts accepted.
    pub accounts: Vec<Account>,
    /// The flows.
    pub flows: Vec<Arc<Flow>>,
    /// The clock tests advance.
    pub clock: Clock,
    /// The counters.
    pub counters: Counters,
    /// Verifications, schedule and outbox.
    pub store: Store,
    /// Faults waiting.
    pub faults: FaultQueue,
    /// The CA certificate (PEM) when serving TLS.
    pub ca_pem: Option<String>,
}

impl App {
    /// The state for a configuration.
    pub fn new(config: &EmulatorConfig, ca_pem: Option<String>) -> App {
        App {
            accounts: config.accounts.clone(),
            flows: config.flows.iter().cloned().map(Arc::new).collect(),
            clock: Clock::default(),
            counters: Counters::default(),
            store: Store::default(),
            faults: FaultQueue::default(),
            ca_pem,
        }
    }

    /// The id of the flow used when a request names none.
    pub fn default_flow_id(&self) -> Option<&str> {
        self.flows.iter().find(|f| f.default).map(|f| f.id.as_str())
    }

    /// Delivers whatever delayed channel the clock has reached.
    pub fn tick(&self) {
        self.store.tick(self.clock.now(), &self.counters);
    }

    /// Moves the clock forward and delivers whatever channel became due. The Rust handle
    /// and the HTTP control route both call this, so they cannot drift apart.
    /// Past [`crate::clock::MAX_OFFSET_MS`] in all, the clock stops there.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.clock.advance(by);
        self.tick();
    }

    /// Like [`App::advance_clock`], but refuses (false, nothing moved) an advance that
    /// would pass [`crate::clock::MAX_OFFSET_MS`] in all: the control route's check.
    pub fn try_advance_clock(&self, by: std::time::Duration) -> bool {
        let moved = self.clock.try_advance(by);
        self.tick();
        moved
    }

    /// The deliveries due by now, oldest first, optionally of one verification.
    pub fn outbox(&self, verify_id: Option<&str>) -> Vec<crate::state::Delivery> {
        self.tick();
        self.store.outbox.list(verify_id)
    }

    /// True when the SID exists and the key is its key.
    pub fn authorised(&self, sid: &str, api_key: Option<&[u8]>) -> bool {
        let Some(key) = api_key else { return false };
        self.accounts
            .iter()
            .any(|a| a.sid == sid && a.api_key.as_bytes() == key)
    }
}

/// Every route: the API (behind the fault injector), the control routes and the dashboard.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/v1/{sid}/verify", post(generate::handle))
        .route("/v1/{sid}/verify/validate", post(validate::handle))
        .route_layer(middleware::from_fn_with_state(app.clone(), faults::apply));
    Router::new()
        .merge(api)
        .route(
            "/",
            get(dashboard::handle).route_layer(middleware::from_fn(control::guard)),
        )
        .merge(control::routes())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(app)
}
