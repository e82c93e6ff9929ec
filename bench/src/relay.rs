//! The baseline: the thinnest streaming relay there is (one pooled client, TCP_NODELAY on both sides,
//! the upstream's bytes passed on as they arrive, no parsing), run as its own process by this same
//! binary (`bench relay PORT UPSTREAM`). S1 and S2 measure it beside the service in the same run, so
//! what any extra process on the path costs on this machine is measured, not assumed.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt;

struct Upstream {
    client: reqwest::Client,
    url: String,
}

/// `bench relay PORT UPSTREAM`: serves the relay until killed.
pub async fn serve(port: u16, upstream: String) -> anyhow::Result<()> {
    let state = Arc::new(Upstream {
        client: reqwest::Client::builder().tcp_nodelay(true).build()?,
        url: format!("{upstream}/chat/completions"),
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(forward))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, app.into_make_service()).await?;
    Ok(())
}

async fn forward(State(up): State<Arc<Upstream>>, body: Bytes) -> Response {
    match up
        .client
        .post(&up.url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
    {
        Ok(r) => Response::builder()
            .status(r.status().as_u16())
            .header("content-type", "text/event-stream")
            .body(Body::from_stream(r.bytes_stream()))
            .unwrap_or_default(),
        Err(e) => (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}

/// The relay running as a child process.
pub struct Relay {
    _child: tokio::process::Child,
    pub pid: u32,
    /// Its OpenAI-compatible base URL.
    pub url: String,
}

impl Relay {
    pub async fn start(upstream: &str) -> anyhow::Result<Relay> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = tokio::process::Command::new(std::env::current_exe()?)
            .args(["relay", &port.to_string(), upstream])
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow::anyhow!("the relay exited at once"))?;
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(Relay {
                    _child: child,
                    pid,
                    url: format!("http://127.0.0.1:{port}/v1"),
                });
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        anyhow::bail!("the baseline relay did not start")
    }
}
