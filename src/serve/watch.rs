//! A connection's watchdog: what the connection is doing (requests in flight, a request body still
//! arriving, when the next request's headers began or idling began), read from the socket and the
//! request and response bodies, and the deadline that follows from it.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::ServeOptions;

/// What a connection is doing, for its watchdog: requests in flight, whether the one in flight is
/// still receiving its body, and when reading or idling began (ms since `epoch`).
pub(super) struct Activity {
    epoch: Instant,
    in_flight: AtomicUsize,
    body_done: AtomicBool,
    /// When the first byte of the next request's headers arrived (`NONE` if none yet).
    head_since: AtomicU64,
    idle_since: AtomicU64,
    last_read: AtomicU64,
    changed: Notify,
}

const NONE: u64 = u64::MAX;

impl Activity {
    pub(super) fn new() -> Activity {
        Activity {
            epoch: Instant::now(),
            in_flight: AtomicUsize::new(0),
            body_done: AtomicBool::new(true),
            head_since: AtomicU64::new(NONE),
            idle_since: AtomicU64::new(0),
            last_read: AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    /// A request's headers are in: it is in flight until its response body is done.
    pub(super) fn begin(self: &Arc<Self>, body_done: bool) -> Busy {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        self.body_done.store(body_done, Ordering::SeqCst);
        self.head_since.store(NONE, Ordering::SeqCst);
        self.changed.notify_one();
        Busy {
            activity: self.clone(),
        }
    }

    fn read(&self, bytes: usize) {
        if bytes == 0 {
            return;
        }
        let now = self.now();
        self.last_read.store(now, Ordering::SeqCst);
        if self.in_flight.load(Ordering::SeqCst) == 0
            && self
                .head_since
                .compare_exchange(NONE, now, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            self.changed.notify_one();
        }
    }

    /// When the connection is to be cut, unless something happens first; `None` while a
    /// response is being produced or sent (a stream may last as long as it needs).
    fn deadline(&self, o: &ServeOptions) -> Option<u64> {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(NONE / 2);
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            if self.body_done.load(Ordering::SeqCst) {
                None
            } else {
                Some(self.last_read.load(Ordering::SeqCst) + ms(o.header_read_timeout))
            }
        } else {
            match self.head_since.load(Ordering::SeqCst) {
                NONE => Some(self.idle_since.load(Ordering::SeqCst) + ms(o.idle_timeout)),
                since => Some(since + ms(o.header_read_timeout)),
            }
        }
    }
}

/// Resolves when the connection has been idle, or slow to send a request, for too long.
pub(super) async fn watch(activity: Arc<Activity>, options: ServeOptions) {
    loop {
        let now = activity.now();
        let wait = match activity.deadline(&options) {
            Some(at) if at <= now => return,
            Some(at) => Duration::from_millis(at - now),
            None => options.header_read_timeout.min(options.idle_timeout),
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = activity.changed.notified() => {}
        }
    }
}

/// A request in flight: done when its response body is.
pub(super) struct Busy {
    pub(super) activity: Arc<Activity>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        let a = &self.activity;
        a.body_done.store(true, Ordering::SeqCst);
        a.idle_since.store(a.now(), Ordering::SeqCst);
        a.in_flight.fetch_sub(1, Ordering::SeqCst);
        a.changed.notify_one();
    }
}

pub(super) enum BodyEnd {
    /// The request body: its end (or drop) means no more waiting on the client.
    Request(Arc<Activity>),
    /// The response body: dropped when sent, ending the request.
    Response(#[allow(dead_code)] Busy),
}

impl Drop for BodyEnd {
    fn drop(&mut self) {
        if let BodyEnd::Request(a) = self {
            a.body_done.store(true, Ordering::SeqCst);
            a.changed.notify_one();
        }
    }
}

/// A body that tells the connection's activity when it ends.
pub(super) struct Tracked<B> {
    pub(super) inner: B,
    pub(super) on_end: BodyEnd,
}

impl<B> http_body::Body for Tracked<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let (Poll::Ready(None), BodyEnd::Request(a)) = (&polled, &self.on_end) {
            a.body_done.store(true, Ordering::SeqCst);
            a.changed.notify_one();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

pub(super) trait BodyIsEnd {
    fn body_is_end(&self) -> bool;
}

impl BodyIsEnd for hyper::Request<Incoming> {
    fn body_is_end(&self) -> bool {
        http_body::Body::is_end_stream(self.body())
    }
}

/// The socket, counting what is read for the watchdog.
pub(super) struct Watched {
    pub(super) inner: TcpStream,
    pub(super) activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if polled.is_ready() {
            self.activity.read(buf.filled().len() - before);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
