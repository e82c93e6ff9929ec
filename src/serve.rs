//! The accept loop, in place of `axum::serve`, for the knobs it lacks: a connection limit (a
//! connection over it gets an immediate 503 `too_many_connections` and is closed), a header-read
//! timeout from a request's first byte (slowloris clients are cut off), a timeout on a request body
//! that stops arriving, an idle timeout between requests, and a lingering close: a connection the
//! server ends while the client is still sending (a 413 before the rest of an oversized upload) is
//! half-closed and drained for a moment, so the client reads the response instead of a reset.
//! Graceful shutdown stops accepting, lets each connection finish its request in flight, and waits.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::http::headers::SECURITY_HEADERS;

mod watch;

use watch::{Activity, BodyEnd, BodyIsEnd, Tracked, Watched, watch};

/// How connections are served.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// From a request's first byte to the end of its headers; also the longest pause while a
    /// request's body is arriving.
    pub header_read_timeout: Duration,
    /// With no request in flight: after the connection opens or between keep-alive requests.
    pub idle_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

/// Connections refused at once (each holds a descriptor while its 503 goes out); beyond, a
/// connection over the limit is closed without a word.
const REFUSING_AT_ONCE: usize = 64;
/// How long a closing connection is drained of what the client still sends, and how much.
const LINGER: Duration = Duration::from_secs(5);
const LINGER_BYTES: usize = 8 * 1024 * 1024;

/// Raises the soft limit on open files to the hard limit (each connection is a descriptor) and
/// returns the soft limit in effect.
pub fn raise_open_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "cannot raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE)
                .map(|(soft, _)| soft)
                .unwrap_or(1_024)
        }
    }
}

/// The default connection limit for an open-file limit: a descriptor each, with 256 kept for the
/// database, files and refusals, at most 10,000.
pub fn default_max_connections(open_files: u64) -> usize {
    usize::try_from(open_files.saturating_sub(256))
        .unwrap_or(usize::MAX)
        .clamp(16, 10_000)
}

/// Serves `app` on `listener` until `shutdown`, then waits for the connections to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: CancellationToken,
) {
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(REFUSING_AT_ONCE));
    let connections = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (tcp, remote) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors, or a connection reset before it was accepted: go on.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // TCP_NODELAY: tokens go out as they come, not after Nagle's 40 ms.
        let _ = tcp.set_nodelay(true);
        match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                let app = app.clone();
                let shutdown = shutdown.clone();
                connections.spawn(async move {
                    connection(tcp, remote, app, options, shutdown).await;
                    drop(slot);
                });
            }
            Err(_) => {
                if let Ok(refusal) = refusing.clone().try_acquire_owned() {
                    connections.spawn(async move {
                        refuse(tcp).await;
                        drop(refusal);
                    });
                }
            }
        }
    }
    drop(listener);
    connections.close();
    connections.wait().await;
}

/// The 503 a connection over the limit gets, written at once, then the connection closed.
async fn refuse(mut tcp: TcpStream) {
    let body = r#"{"error":{"code":"too_many_connections","message":"the server is serving as many connections as it may; retry shortly"}}"#;
    let mut response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\nretry-after: 1\r\n",
        body.len()
    );
    for (name, value) in SECURITY_HEADERS {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        if tcp.write_all(response.as_bytes()).await.is_ok() {
            linger(&mut tcp, Duration::from_secs(1)).await;
        }
    })
    .await;
}

/// Half-closes and reads what the client still sends until it closes, for a moment at most.
async fn linger(tcp: &mut TcpStream, for_at_most: Duration) {
    let _ = tcp.shutdown().await;
    let _ = tokio::time::timeout(for_at_most, async {
        let mut buf = vec![0u8; 16 * 1024];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    })
    .await;
}

async fn connection(
    tcp: TcpStream,
    remote: SocketAddr,
    app: Router,
    options: ServeOptions,
    shutdown: CancellationToken,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: tcp,
        activity: activity.clone(),
    });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            let busy = activity.begin(req.body_is_end());
            let app = app.clone();
            Box::pin(async move {
                let req = req.map(|body| {
                    Body::new(Tracked {
                        inner: body,
                        on_end: BodyEnd::Request(busy.activity.clone()),
                    })
                });
                let response = match app.oneshot(req).await {
                    Ok(r) => r,
                    Err(never) => match never {},
                };
                Ok::<_, Infallible>(response.map(|body| {
                    Body::new(Tracked {
                        inner: body,
                        on_end: BodyEnd::Response(busy),
                    })
                }))
            })
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    // Our own watchdog times the headers (from their first byte, not from when the connection
    // became idle) and the idle time between requests.
    builder.header_read_timeout(None).keep_alive(true);
    let mut conn = builder.serve_connection(io, service);
    let mut stopping = std::pin::pin!(shutdown.cancelled_owned());
    let mut graceful = false;
    let mut watchdog = std::pin::pin!(watch(activity.clone(), options));
    let ended = std::future::poll_fn(|cx| {
        if !graceful && stopping.as_mut().poll(cx).is_ready() {
            graceful = true;
            Pin::new(&mut conn).graceful_shutdown();
        }
        if watchdog.as_mut().poll(cx).is_ready() {
            return Poll::Ready(false);
        }
        conn.poll_without_shutdown(cx).map(|r| r.is_ok())
    })
    .await;
    if ended {
        let mut tcp = conn.into_parts().io.into_inner().inner;
        linger(&mut tcp, LINGER).await;
    }
    // Otherwise timed out or failed: dropping the connection closes it.
}
