//! A TCP fault proxy: it stands between a client and the emulator and damages the byte
//! stream below HTTP. This machine's kernel has no queueing disciplines (`tc qdisc add
//! ... netem` answers "Specified qdisc kind is unknown", though network namespaces work),
//! so the faults are made here, in user space, the way a bad network looks to a client:
//!
//! - `delay`: every chunk is held back a base delay plus or minus a random jitter;
//! - `loss`: a chunk is "lost" with a probability, and costs what a lost segment costs a
//!   TCP sender: a retransmission timeout (200 ms, doubling while losses repeat);
//! - `bandwidth`: bytes pass at a fixed rate, in slices of 256;
//! - `blackhole`: the connection is accepted and the request read, and nothing ever
//!   comes back (the peer that stops answering);
//! - `reset`: an answer is cut, with a probability, by a TCP reset (RST) after its first
//!   `after_bytes` bytes: the request was processed and its answer lost. (Per answer, not
//!   per connection: a client that keeps its connection alive meets it as often.)
//!
//! The random choices come from a seeded generator, so a run can be repeated.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// One fault, as data (the run's plan and its report name faults this way).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    /// Bytes pass untouched: the baseline that proves the harness itself works.
    None,
    /// Each chunk waits `ms` ± `jitter_ms` (uniform), in both directions.
    Delay {
        /// The base delay.
        ms: u64,
        /// The largest deviation from it.
        jitter_ms: u64,
    },
    /// Each chunk is lost with `percent` probability, and then waits a retransmission
    /// timeout of `rto_ms`, doubled for each further loss in a row.
    Loss {
        /// Chance of a loss per chunk, 0 to 100.
        percent: f64,
        /// The first retransmission timeout.
        rto_ms: u64,
    },
    /// At most `bytes_per_sec` in each direction.
    Bandwidth {
        /// The rate.
        bytes_per_sec: u64,
    },
    /// Accepts, reads, never answers.
    Blackhole,
    /// Each chunk of an answer is, with `percent` probability, cut after `after_bytes`
    /// bytes by a reset of the client's connection.
    Reset {
        /// Bytes of the chunk let through before the reset.
        after_bytes: u64,
        /// Chance of a reset per answer chunk, 0 to 100.
        percent: f64,
    },
}

impl Fault {
    /// Its name in reports.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::None => "none",
            Fault::Delay { .. } => "delay",
            Fault::Loss { .. } => "loss",
            Fault::Bandwidth { .. } => "bandwidth",
            Fault::Blackhole => "blackhole",
            Fault::Reset { .. } => "reset",
        }
    }
}

/// A running proxy; stopped (and every connection it holds closed) when dropped.
pub struct Proxy {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
    resets: Arc<AtomicU64>,
}

struct Shared {
    upstream: SocketAddr,
    fault: Fault,
    rng: Mutex<StdRng>,
    resets: Arc<AtomicU64>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream` through `fault`.
    pub fn start(upstream: SocketAddr, fault: Fault, seed: u64) -> std::io::Result<Proxy> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("fault-proxy")
            .enable_all()
            .build()?;
        let (stop, mut stopped) = watch::channel(false);
        let resets = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(Shared {
            upstream,
            fault,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            resets: resets.clone(),
        });
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = stopped.changed() => break,
                        accepted = listener.accept() => {
                            if let Ok((client, _)) = accepted {
                                let shared = shared.clone();
                                let stopped = stopped.clone();
                                tokio::spawn(async move {
                                    let mut stopped = stopped;
                                    tokio::select! {
                                        _ = stopped.changed() => {}
                                        _ = serve(client, shared) => {}
                                    }
                                });
                            }
                        }
                    }
                }
            });
            runtime.shutdown_timeout(Duration::from_secs(1));
        });
        Ok(Proxy {
            addr,
            stop,
            thread: Some(thread),
            resets,
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections cut with a reset so far.
    pub fn resets(&self) -> u64 {
        self.resets.load(Ordering::Relaxed)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Shared {
    /// True with `percent` probability.
    fn chance(&self, percent: f64) -> bool {
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        rng.random_bool((percent / 100.0).clamp(0.0, 1.0))
    }
}

/// One client connection, through the fault.
async fn serve(client: TcpStream, shared: Arc<Shared>) {
    let _ = client.set_nodelay(true);
    if shared.fault == Fault::Blackhole {
        // Read and drop whatever comes, answer nothing, until the client gives up.
        let mut client = client;
        let mut sink = [0u8; 4096];
        while matches!(client.read(&mut sink).await, Ok(k) if k > 0) {}
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(shared.upstream).await else {
        return;
    };
    let _ = upstream.set_nodelay(true);
    let mut client = client;
    let reset = {
        let (mut client_read, mut client_write) = client.split();
        let (mut up_read, mut up_write) = upstream.split();
        let up = pump(&mut client_read, &mut up_write, &shared, false);
        let down = pump(&mut up_read, &mut client_write, &shared, true);
        tokio::pin!(up, down);
        tokio::select! {
            reset = &mut down => reset,
            _ = &mut up => down.await,
        }
    };
    if reset {
        // SO_LINGER 0, then close: the kernel sends RST instead of FIN.
        let _ = client.set_zero_linger();
        shared.resets.fetch_add(1, Ordering::Relaxed);
    }
}

/// Copies one direction, chunk by chunk, through the fault, until either end closes.
/// On the `answers` direction, the reset fault may stop it midway: it returns true and
/// the caller resets the client.
async fn pump<R, W>(from: &mut R, to: &mut W, shared: &Shared, answers: bool) -> bool
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let k = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(k) => k,
        };
        let chunk = &buf[..k];
        if let (
            true,
            Fault::Reset {
                after_bytes,
                percent,
            },
        ) = (answers, shared.fault)
        {
            if shared.chance(percent) {
                let _ = to
                    .write_all(&chunk[..chunk.len().min(after_bytes as usize)])
                    .await;
                let _ = to.flush().await;
                return true;
            }
        }
        if deliver(chunk, to, shared).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
    false
}

/// Writes one chunk as the fault lets it through.
async fn deliver<W: AsyncWrite + Unpin>(
    chunk: &[u8],
    to: &mut W,
    shared: &Shared,
) -> std::io::Result<()> {
    match shared.fault {
        Fault::Delay { ms, jitter_ms } => {
            let wait = {
                let mut rng = shared.rng.lock().unwrap_or_else(|p| p.into_inner());
                let j = jitter_ms as i64;
                (ms as i64 + rng.random_range(-j..=j)).max(0) as u64
            };
            tokio::time::sleep(Duration::from_millis(wait)).await;
            to.write_all(chunk).await
        }
        Fault::Loss { percent, rto_ms } => {
            let mut rto = rto_ms;
            loop {
                if !shared.chance(percent) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(rto)).await;
                rto = (rto * 2).min(60_000);
            }
            to.write_all(chunk).await
        }
        Fault::Bandwidth { bytes_per_sec } => {
            for slice in chunk.chunks(256) {
                to.write_all(slice).await?;
                let secs = slice.len() as f64 / bytes_per_sec.max(1) as f64;
                tokio::time::sleep(Duration::from_secs_f64(secs)).await;
            }
            Ok(())
        }
        Fault::None | Fault::Blackhole | Fault::Reset { .. } => to.write_all(chunk).await,
    }
}
