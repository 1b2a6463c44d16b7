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
use tower_http::catch_panic::CatchPanicLayer;
use verify_core::ErrorCode;

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
    shutdown: watch::Receiver<bool>,
) {
    let router = crate::app::router(app.clone());
    serve_router(listener, app, router, tls, shutdown).await
}

/// A handler that panics answers E500 in the envelope rather than dropping the
/// connection, so that a client meets a server error, not a transport failure.
fn catch_panics(router: Router) -> Router {
    router.layer(CatchPanicLayer::custom(
        |_: Box<dyn std::any::Any + Send + 'static>| crate::error::api_error(ErrorCode::E500),
    ))
}

/// [`serve`] with any router (a test adds a route that panics).
async fn serve_router(
    listener: TcpListener,
    app: Arc<App>,
    router: Router,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let router = catch_panics(router);
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

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use axum::routing::get;

    use super::*;
    use crate::config::EmulatorConfig;

    /// Over loopback HTTP: a route that panics on purpose answers 500 with E500 in the
    /// envelope, is counted, and the server keeps serving on the same connection.
    #[test]
    fn a_panicking_handler_answers_e500() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let app = Arc::new(App::new(&EmulatorConfig::default(), None));
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (stop, stopped) = watch::channel(false);
        let router = crate::app::router(app.clone()).route(
            "/_test/panic",
            get(|| async {
                panic!("on purpose");
                #[allow(unreachable_code)]
                ""
            }),
        );
        let served = app.clone();
        runtime.spawn(async move {
            let listener = TcpListener::from_std(std_listener).unwrap();
            serve_router(listener, served, router, None, stopped).await
        });

        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut answer = |path: &str| {
            write!(conn, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
            let mut buf = vec![0u8; 4096];
            let n = conn.read(&mut buf).unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        };
        let first = answer("/_test/panic");
        assert!(first.starts_with("HTTP/1.1 500"), "{first}");
        assert!(first.contains(r#""code":"E500""#), "{first}");
        let second = answer("/_emulator/clock");
        assert!(second.starts_with("HTTP/1.1 200"), "{second}");
        assert_eq!(app.counters.snapshot(0).requests["other"][&500], 1);
        let _ = stop.send(true);
        runtime.shutdown_timeout(Duration::from_secs(2));
    }
}
