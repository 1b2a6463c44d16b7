//! The one runtime story, decided here and not in the bindings: every client of the
//! process runs its requests on one small shared tokio runtime, created on first use.
//!
//! - A [`crate::Client`] future awaited outside any tokio runtime runs here (inside one,
//!   it runs in place, on that runtime's own pool).
//! - A [`crate::BlockingClient`] call on a plain thread runs in place on a current-thread
//!   runtime that thread keeps (so its pool is that thread's: no hop, no contention);
//!   from inside an async runtime it runs here, and the caller's thread waits.
//! - After `fork()` (gunicorn `--preload`, multiprocessing) the child has none of the
//!   parent's threads: a `pthread_atfork` handler bumps a generation number, and the
//!   runtime and every client's connection pool are made anew in the child. The parent's
//!   are leaked there, never dropped, since dropping them would wait on threads that do
//!   not exist in the child.
//! - A panic inside a call is caught and returned as [`Error::Internal`].

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Once, RwLock};
use std::task::{Context, Poll};

use futures_util::FutureExt;
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinHandle;
use tracing::instrument::{Instrument, WithSubscriber};
use verify_core::Error;

/// The generation of this process: bumped in every forked child.
static GENERATION: AtomicU64 = AtomicU64::new(0);
static AT_FORK: Once = Once::new();

/// The shared runtime and the generation it was made in.
static SHARED: RwLock<Option<(u64, &'static Runtime)>> = RwLock::new(None);

/// The number of the process's current incarnation: it changes in a forked child, so a
/// value built for another generation must be built again.
pub(crate) fn generation() -> u64 {
    AT_FORK.call_once(register_at_fork);
    GENERATION.load(Ordering::Acquire)
}

#[cfg(unix)]
fn register_at_fork() {
    extern "C" fn child() {
        GENERATION.fetch_add(1, Ordering::AcqRel);
    }
    // SAFETY: registers a handler that only touches an atomic, which is
    // async-signal-safe, as a handler run in a forked child must be.
    unsafe {
        libc::pthread_atfork(None, None, Some(child));
    }
}

#[cfg(not(unix))]
fn register_at_fork() {}

/// The shared runtime's handle, for a binding that spawns its own completion task
/// (Python's asyncio bridge, for one). Created on first use; made anew after a fork.
pub fn handle() -> Handle {
    shared().map(|rt| rt.handle().clone()).unwrap_or_else(|e| {
        // Creating its worker thread failed: the process is out of threads or memory.
        // Nothing useful can run; say so loudly rather than hang.
        panic!("kaleyra-verify could not start its runtime: {e}")
    })
}

/// The shared runtime, created if this generation has none yet.
pub(crate) fn shared() -> Result<&'static Runtime, Error> {
    let generation = generation();
    if let Some((g, rt)) = *SHARED.read().unwrap_or_else(|p| p.into_inner()) {
        if g == generation {
            return Ok(rt);
        }
    }
    let mut slot = SHARED.write().unwrap_or_else(|p| p.into_inner());
    if let Some((g, rt)) = *slot {
        if g == generation {
            return Ok(rt);
        }
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("kaleyra-verify")
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("could not start the client's runtime: {e}")))?;
    // Leaked on purpose: the runtime lives as long as the process (or, in a parent's
    // child, is abandoned with the parent's threads).
    let rt: &'static Runtime = Box::leak(Box::new(rt));
    if let Some((_, parents)) = slot.replace((generation, rt)) {
        abandon(parents);
    }
    Ok(rt)
}

/// Runs `fut` on the shared runtime and returns a future for its result that may be
/// awaited anywhere. Dropping that future aborts the task, and with it the request.
pub(crate) fn spawn<T, F>(fut: F) -> Spawned<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    match shared() {
        // The caller's tracing subscriber and span go with the call, so its events land
        // where the caller's own do (a scoped subscriber included), inside the caller's span.
        Ok(rt) => Spawned(Ok(
            rt.spawn(catch_panic(fut).in_current_span().with_current_subscriber())
        )),
        Err(e) => Spawned(Err(Some(e))),
    }
}

/// Runs `fut` to completion, blocking the calling thread. On a plain thread it runs
/// right here, on a small current-thread runtime this thread keeps (with its own pool, see
/// `Client`): no task, no thread hop, nothing shared with other threads. Inside an async
/// runtime, where blocking in place would panic, it runs on the shared runtime and this
/// thread waits for it.
pub(crate) fn block_on<T, F>(fut: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    if Handle::try_current().is_err() {
        let generation = generation();
        let local = THREAD_RUNTIME.with(|slot| {
            let mut slot = slot.borrow_mut();
            match &*slot {
                Some((g, rt)) if *g == generation => Ok(rt.clone()),
                _ => {
                    let rt = Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map(std::rc::Rc::new)
                        .map_err(|e| Error::Internal(format!("could not start a runtime: {e}")))?;
                    // A runtime from before a fork is abandoned, not dropped.
                    if let Some((_, old)) = slot.replace((generation, rt.clone())) {
                        ABANDONED_HERE.with(|a| a.borrow_mut().push(old));
                    }
                    Ok(rt)
                }
            }
        });
        return local.and_then(|rt| rt.block_on(catch_panic(fut)));
    }
    let rt = shared()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    rt.spawn(
        async move {
            let _ = tx.send(catch_panic(fut).await);
        }
        .in_current_span()
        .with_current_subscriber(),
    );
    rx.recv()
        .unwrap_or_else(|_| Err(Error::Internal("the call's task was lost".to_owned())))
}

thread_local! {
    /// The current-thread runtime of a thread that makes blocking calls.
    static THREAD_RUNTIME: std::cell::RefCell<Option<(u64, std::rc::Rc<Runtime>)>> =
        const { std::cell::RefCell::new(None) };
    /// This thread's runtimes from before a fork (see [`abandon`]).
    static ABANDONED_HERE: std::cell::RefCell<Vec<std::rc::Rc<Runtime>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// What a forked child inherited and must neither use nor drop (dropping a runtime would
/// wait on threads that do not exist in the child, and closing a pool's sockets would
/// close the parent's connections' descriptors too). Kept reachable rather than leaked
/// with `mem::forget`, so that leak checkers such as valgrind see no lost memory.
static ABANDONED: std::sync::Mutex<Vec<Box<dyn std::any::Any + Send>>> =
    std::sync::Mutex::new(Vec::new());

/// Keeps `value`, from before a fork, out of use and undropped.
pub(crate) fn abandon<T: Send + 'static>(value: T) {
    ABANDONED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Box::new(value));
}

/// `fut`, with a panic turned into [`Error::Internal`].
pub(crate) async fn catch_panic<T, F>(fut: F) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => Err(Error::Internal(panic_message(payload.as_ref()))),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    format!("a panic inside the call: {text}")
}

/// The result of [`spawn`]: a `Send + 'static` future that aborts its task when dropped.
pub(crate) struct Spawned<T>(Result<JoinHandle<Result<T, Error>>, Option<Error>>);

impl<T> Future for Spawned<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            Ok(task) => Pin::new(task).poll(cx).map(|joined| {
                joined.unwrap_or_else(|e| {
                    Err(Error::Internal(if e.is_panic() {
                        "a panic inside the call".to_owned()
                    } else {
                        "the call's task was cancelled".to_owned()
                    }))
                })
            }),
            Err(e) => Poll::Ready(Err(e
                .take()
                .unwrap_or_else(|| Error::Internal("polled after completion".to_owned())))),
        }
    }
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        if let Ok(task) = &self.0 {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verify_core::retry::settle_generate;
    use verify_core::ErrorKind;

    #[test]
    fn a_panic_inside_a_call_is_an_internal_error_and_outcome_unknown_for_generate() {
        let spawned = spawn(async { panic!("boom") as Result<(), Error> });
        let err = block_on(spawned).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal, "{err}");
        assert!(err.to_string().contains("boom"), "{err}");
        // What `generate` does with it: an OTP may have gone out.
        let err = settle_generate(err);
        assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
        assert_eq!(err.view().cause_kind, Some(ErrorKind::Internal));
        // The blocking path catches it too.
        let err = block_on(async { panic!("bang") as Result<(), Error> }).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Internal);
    }
}
