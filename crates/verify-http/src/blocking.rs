//! The blocking client, for code without an async runtime: C programs' own threads,
//! synchronous Python, scripts. It runs the async [`Client`] on a small runtime of its
//! own and waits on a plain channel, so it works from any thread, including one inside
//! a tokio runtime, where `reqwest::blocking` would panic. The runtime is shut down in the
//! background when the last clone is dropped, which never blocks or panics either.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use verify_core::{BaseUrl, CheckOutcome, Error, GenerateRequest, Generated, Validated};

use crate::client::Client;
use crate::config::ClientBuilder;
use crate::error;

/// The blocking Kaleyra Verify client: the same calls as [`Client`], waiting for the
/// answer. Cheap to clone; the clones share one pool and one background thread. Safe to
/// use from many threads at once.
#[derive(Clone)]
pub struct BlockingClient {
    client: Client,
    runtime: Arc<OwnedRuntime>,
}

/// The runtime, shut down without waiting when the last client goes.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl BlockingClient {
    /// A builder; finish it with [`ClientBuilder::build_blocking`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the `KALEYRA_*` variables (see [`Client::from_env`]).
    pub fn from_env() -> Result<BlockingClient, Error> {
        ClientBuilder::from_env().build_blocking()
    }

    pub(crate) fn new(client: Client) -> Result<BlockingClient, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("kaleyra-verify")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::InvalidConfig(format!("could not start the client's runtime: {e}"))
            })?;
        Ok(BlockingClient {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// The async client this one drives (it shares the pool).
    pub fn as_async(&self) -> &Client {
        &self.client
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &BaseUrl {
        self.client.base_url()
    }

    /// Sends an OTP; see [`Client::generate`].
    pub fn generate(&self, request: &GenerateRequest) -> Result<Generated, Error> {
        let client = self.client.clone();
        let request = request.clone();
        self.wait(async move { client.generate(&request).await })
    }

    /// Checks a code; see [`Client::validate`].
    pub fn validate(&self, verify_id: &str, otp: &str) -> Result<Validated, Error> {
        let (client, id, otp) = (self.client.clone(), verify_id.to_owned(), otp.to_owned());
        self.wait(async move { client.validate(&id, &otp).await })
    }

    /// Checks a code for a login handler; see [`Client::check`].
    pub fn check(&self, verify_id: &str, otp: &str) -> Result<CheckOutcome, Error> {
        let (client, id, otp) = (self.client.clone(), verify_id.to_owned(), otp.to_owned());
        self.wait(async move { client.check(&id, &otp).await })
    }

    /// Runs `fut` on the owned runtime and blocks this thread (only) until it is done.
    /// A std channel, not `block_on`, so that waiting inside another runtime is allowed.
    fn wait<T, F>(&self, fut: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let Some(rt) = self.runtime.0.as_ref() else {
            return Err(error::runtime_gone());
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().unwrap_or_else(|_| Err(error::runtime_gone()))
    }
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingClient").field(&self.client).finish()
    }
}
