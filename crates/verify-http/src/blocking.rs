//! The blocking client, for code without an async runtime: C programs' own threads,
//! synchronous Python, scripts. It runs the async client's call on the shared runtime
//! (see [`crate::runtime`]) and parks the caller's thread until it is done: no runtime or
//! thread of its own, and it works from plain threads and from inside another runtime
//! (where `reqwest::blocking` would panic).

use std::fmt;

use verify_core::retry::settle_generate;
use verify_core::{
    BaseUrl, CheckOutcome, Error, GenerateRequest, Generated, ValidateRequest, Validated,
};

use crate::client::Client;
use crate::config::ClientBuilder;
use crate::options::ClientOptions;
use crate::runtime;

/// The blocking Kaleyra Verify client: the same calls as [`Client`], waiting for the
/// answer. Cheap to clone; the clones share one pool. Safe to use from many threads at
/// once, and in a child process after `fork()`.
#[derive(Clone)]
pub struct BlockingClient {
    client: Client,
}

impl BlockingClient {
    /// A client from plain options; every setting is checked here.
    pub fn new(options: ClientOptions) -> Result<BlockingClient, Error> {
        Ok(BlockingClient {
            client: Client::new(options)?,
        })
    }

    /// A builder whose `build()` makes a [`BlockingClient`].
    pub fn builder() -> ClientBuilder<BlockingClient> {
        ClientBuilder::default()
    }

    /// A client configured from the `KALEYRA_*` variables (see [`Client::from_env`]).
    pub fn from_env() -> Result<BlockingClient, Error> {
        BlockingClient::new(ClientOptions::from_env())
    }

    /// The async client this one drives (the clones share one pool).
    pub fn as_async(&self) -> &Client {
        &self.client
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &BaseUrl {
        self.client.base_url()
    }

    /// Sends an OTP; see [`Client::generate`].
    pub fn generate(&self, request: GenerateRequest) -> Result<Generated, Error> {
        let inner = self.client.inner().clone();
        runtime::block_on(async move { inner.generate(request).await }).map_err(settle_generate)
    }

    /// Checks a code; see [`Client::validate`].
    pub fn validate(&self, verify_id: &str, otp: &str) -> Result<Validated, Error> {
        let inner = self.client.inner().clone();
        let request = ValidateRequest::new(verify_id, otp);
        runtime::block_on(async move { inner.validate(request).await })
    }

    /// Checks a code for a login handler; see [`Client::check`].
    pub fn check(&self, verify_id: &str, otp: &str) -> Result<CheckOutcome, Error> {
        CheckOutcome::from_result(self.validate(verify_id, otp))
    }
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingClient").field(&self.client).finish()
    }
}
