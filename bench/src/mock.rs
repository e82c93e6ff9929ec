//! The mock OpenAI-compatible upstream: a role-only first chunk, N content chunks paced P ms apart, a
//! final chunk with usage, `[DONE]`. Every content chunk carries `<seq:ns>`, its sequence number and the
//! time it was sent on the bench's clock, so delivery latency is measured on one clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use futures::StreamExt;

pub struct Shape {
    pub chunks: AtomicUsize,
    pub pace_us: AtomicU64,
    pub epoch: Instant,
    pub streams: AtomicUsize,
}

#[derive(Clone)]
pub struct Mock {
    pub shape: Arc<Shape>,
    pub port: u16,
}

impl Mock {
    pub async fn start(port: u16, epoch: Instant) -> anyhow::Result<Mock> {
        let shape = Arc::new(Shape {
            chunks: AtomicUsize::new(64),
            pace_us: AtomicU64::new(20_000),
            epoch,
            streams: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state(shape.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Mock { shape, port })
    }

    pub fn set(&self, chunks: usize, pace: Duration) {
        self.shape.chunks.store(chunks, Ordering::SeqCst);
        self.shape
            .pace_us
            .store(pace.as_micros() as u64, Ordering::SeqCst);
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

fn frame(content: Option<&str>, finish: bool) -> Bytes {
    let delta = match content {
        Some(c) => format!(r#"{{"content":"{c}"}}"#),
        None if finish => "{}".to_string(),
        None => r#"{"role":"assistant"}"#.to_string(),
    };
    let finish = if finish { r#""stop""# } else { "null" };
    Bytes::from(format!(
        "data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mock\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"finish_reason\":{finish}}}]}}\n\n"
    ))
}

async fn chat(State(shape): State<Arc<Shape>>, _body: Bytes) -> Response {
    let n = shape.chunks.load(Ordering::Relaxed);
    let pace = Duration::from_micros(shape.pace_us.load(Ordering::Relaxed));
    shape.streams.fetch_add(1, Ordering::Relaxed);
    let start = tokio::time::Instant::now();
    let epoch = shape.epoch;
    let content = futures::stream::iter(0..n).then(move |k| async move {
        // The first content chunk goes out at once; later ones on a fixed schedule, so a slow reader
        // does not stretch the pace.
        tokio::time::sleep_until(start + pace * k as u32).await;
        let stamp = format!("<{k}:{}> ", epoch.elapsed().as_nanos());
        Ok::<_, std::convert::Infallible>(frame(Some(&stamp), false))
    });
    let tail = futures::stream::iter([
        Ok(frame(None, true)),
        Ok(Bytes::from_static(
            b"data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mock\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":64,\"total_tokens\":164}}\n\n",
        )),
        Ok(Bytes::from_static(b"data: [DONE]\n\n")),
    ]);
    let body = futures::stream::once(async { Ok(frame(None, false)) })
        .chain(content)
        .chain(tail);
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(body))
        .unwrap_or_default()
}
