//! The accept loop. Owning it (rather than `axum::serve`) gives the fault injector a way
//! to drop a connection mid-request, the "connections accepted" counter, TLS, and a
//! graceful shutdown.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::app::App;
use crate::faults::ConnKill;
use crate::stats::route_of;

/// How long open connections get to finish at shutdown.
const DRAIN: Duration = Duration::from_secs(1);

/// Accepts connections until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let router = crate::app::router(app.clone());
    loop {
        let (stream, _) = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(s) => s,
                // Out of descriptors and the like: wait a little rather than spin.
                Err(_) => { tokio::time::sleep(Duration::from_millis(10)).await; continue }
            },
        };
        app.counters.connections.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let (app, router, tls, shutdown) =
            (app.clone(), router.clone(), tls.clone(), shutdown.clone());
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(Ok(s)) =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await
                    {
                        serve_connection(s, app, router, shutdown).await;
                    }
                }
                None => serve_connection(stream, app, router, shutdown).await,
            }
        });
    }
}

async fn serve_connection<S>(
    stream: S,
    app: Arc<App>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let conn_kill = ConnKill(kill.clone());
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let route = route_of(req.uri().path());
        req.extensions_mut().insert(conn_kill.clone());
        app.tick();
        let app = app.clone();
        let fut = router.clone().oneshot(req.map(Body::new));
        async move {
            let resp = fut.await.unwrap_or_else(|e: Infallible| match e {});
            app.counters.request(route, resp.status().as_u16());
            Ok::<_, Infallible>(resp)
        }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        // Dropping the connection closes the socket without an answer.
        _ = kill.notified() => {}
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(DRAIN, conn).await;
        }
    }
}
