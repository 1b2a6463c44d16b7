//! The native half of the npm package `kaleyra-verify`: napi glue that turns JS values into
//! verify-http calls and verify-core errors back into JS values. It decides nothing: the
//! public JavaScript module (node/index.js) wraps it with error classes and AbortSignal.

pub mod config;
pub mod error;
pub mod generate;
pub mod log;
pub mod testing;
pub mod validate;

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::watch;
use tracing::Instrument;

/// One client of the Verify API; clones of the Rust client share one connection pool.
#[napi]
pub struct NativeClient {
    inner: Option<verify_http::Client>,
    log: Option<log::SinkId>,
}

#[napi]
impl NativeClient {
    /// Builds a client from options (unset ones are unset; the core applies its defaults).
    /// `keys` are the option object's own keys, for the core to refuse unknown ones;
    /// `logSink` receives one line per request event.
    #[napi(constructor)]
    pub fn new(
        options: Option<config::JsClientOptions>,
        keys: Option<Vec<String>>,
        log_sink: Option<Function<'_, String, ()>>,
    ) -> Result<NativeClient> {
        config::check_keys(keys.unwrap_or_default()).map_err(error::to_napi)?;
        let options = config::to_core(options.unwrap_or_default());
        NativeClient::build(options, log_sink)
    }

    /// Like the constructor, filling unset fields from KALEYRA_SID, KALEYRA_API_KEY,
    /// KALEYRA_REGION and KALEYRA_BASE_URL.
    #[napi(factory)]
    pub fn from_env(
        options: Option<config::JsClientOptions>,
        keys: Option<Vec<String>>,
        log_sink: Option<Function<'_, String, ()>>,
    ) -> Result<NativeClient> {
        config::check_keys(keys.unwrap_or_default()).map_err(error::to_napi)?;
        let options = config::to_core(options.unwrap_or_default()).or_env();
        NativeClient::build(options, log_sink)
    }

    /// Releases the connection pool; later calls fail with an invalid_config error.
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
        if let Some(id) = self.log.take() {
            log::unregister(id);
        }
    }
}

impl NativeClient {
    fn build(
        options: config::CoreOptions,
        log_sink: Option<Function<'_, String, ()>>,
    ) -> Result<NativeClient> {
        let inner = verify_http::Client::new(options).map_err(error::to_napi)?;
        let log = log_sink.map(log::register).transpose()?;
        Ok(NativeClient {
            inner: Some(inner),
            log,
        })
    }

    /// The Rust client, or the error a closed client answers with.
    fn client(&self) -> Result<verify_http::Client> {
        self.inner.clone().ok_or_else(error::closed)
    }

    /// Runs one call as a Promise: on verify-http's shared runtime (where the call is
    /// polled in place, in this client's logging span), settled through a deferred, and
    /// dropped (which cancels the request) when `abort` fires.
    fn spawn<'env, T, F>(
        &self,
        env: &'env Env,
        abort: Option<&AbortToken>,
        call: F,
    ) -> Result<Object<'env>>
    where
        T: ToNapiValue + Send + 'static,
        F: Future<Output = std::result::Result<T, verify_http::Error>> + Send + 'static,
    {
        let aborted = abort.map(|a| a.0.subscribe());
        let span = match self.log {
            Some(id) => tracing::info_span!(log::SPAN, sink = id),
            None => tracing::Span::none(),
        };
        let (deferred, promise) = env.create_deferred::<T, Resolver<T>>()?;
        let task = async move {
            let result = match aborted {
                None => call.await.map_err(error::to_napi),
                Some(mut rx) => tokio::select! {
                    result = call => result.map_err(error::to_napi),
                    _ = rx.wait_for(|aborted| *aborted) => Err(error::aborted()),
                },
            };
            match result {
                Ok(value) => deferred.resolve(Box::new(move |_| Ok(value))),
                Err(e) => deferred.reject(e),
            }
        };
        verify_http::runtime::handle().spawn(task.instrument(span));
        Ok(promise)
    }
}

/// How a deferred's value is made on the JS thread: it is already made.
type Resolver<T> = Box<dyn FnOnce(Env) -> Result<T> + Send>;

impl Drop for NativeClient {
    fn drop(&mut self) {
        self.close();
    }
}

/// Cancels the calls it was given to: the JS wrapper makes one per AbortSignal.
#[napi]
pub struct AbortToken(watch::Sender<bool>);

#[napi]
impl AbortToken {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> AbortToken {
        AbortToken(watch::Sender::new(false))
    }

    /// Cancels every call holding this token (idempotent).
    #[napi]
    pub fn abort(&self) {
        self.0.send_replace(true);
    }
}
