//! A scripted OpenAI-compatible server on loopback: each request takes the next behaviour from its
//! queue (streamed chat or judge), and every request body is recorded for assertions.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::StreamExt;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub enum Behavior {
    /// A normal stream: a role-only first chunk, one chunk per piece, a finish chunk, `[DONE]`.
    Stream { pieces: Vec<String>, usage: bool },
    /// Streams the first `after` pieces, then closes the connection without finishing.
    Cut { pieces: Vec<String>, after: usize },
    /// Streams the first `after` pieces, then goes silent forever.
    Stall { pieces: Vec<String>, after: usize },
    /// A chunk of invalid JSON in the middle of an otherwise normal stream.
    Malformed { pieces: Vec<String> },
    /// A plain status code with an error body.
    Status(u16),
    /// 429 with `Retry-After` seconds.
    RateLimited { retry_after: u64 },
    /// A judge reply: this text as the message content.
    Judge(String),
    /// 400 when the request asks for `response_format`, else a judge reply with this text.
    JudgeWithoutResponseFormat(String),
}

#[derive(Default)]
struct Script {
    stream: VecDeque<Behavior>,
    judge: VecDeque<Behavior>,
    requests: Vec<Value>,
}

#[derive(Clone)]
pub struct MockOpenAi {
    pub base_url: String,
    state: Arc<Mutex<Script>>,
}

pub fn pieces(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_string).collect()
}

impl MockOpenAi {
    pub async fn start() -> MockOpenAi {
        let state: Arc<Mutex<Script>> = Arc::default();
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        MockOpenAi {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            state,
        }
    }

    pub fn push_stream(&self, b: Behavior) {
        self.state.lock().unwrap().stream.push_back(b);
    }

    pub fn push_judge(&self, b: Behavior) {
        self.state.lock().unwrap().judge.push_back(b);
    }

    pub fn requests(&self) -> Vec<Value> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn stream_requests(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r["stream"] == true)
            .collect()
    }

    pub fn judge_requests(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r["stream"] != true)
            .collect()
    }
}

fn chunk(delta: Value, finish: Option<&str>) -> String {
    let c = json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "mock",
        "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }],
        "system_fingerprint": "extra-field",
    });
    format!("data: {c}\n\n")
}

fn sse(frames: Vec<String>, then: Tail) -> Response {
    let head = futures::stream::iter(
        frames
            .into_iter()
            .map(|f| Ok::<_, Infallible>(Bytes::from(f))),
    )
    .then(|f| async move {
        tokio::time::sleep(Duration::from_millis(2)).await;
        f
    });
    let body = match then {
        Tail::End => Body::from_stream(head),
        Tail::Hang => Body::from_stream(head.chain(futures::stream::pending())),
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(body)
        .unwrap()
}

enum Tail {
    End,
    Hang,
}

fn frames(pieces: &[String]) -> Vec<String> {
    let mut out = vec![chunk(json!({ "role": "assistant" }), None)];
    out.extend(pieces.iter().map(|p| chunk(json!({ "content": p }), None)));
    out
}

fn error(status: u16, message: &str) -> Response {
    let body = json!({ "error": { "message": message, "type": "server_error", "param": null, "code": null } });
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

async fn chat(State(state): State<Arc<Mutex<Script>>>, body: axum::Json<Value>) -> Response {
    let body = body.0;
    let streaming = body["stream"] == true;
    let behavior = {
        let mut s = state.lock().unwrap();
        s.requests.push(body.clone());
        if streaming {
            s.stream.pop_front()
        } else {
            s.judge.pop_front()
        }
    };
    let Some(behavior) = behavior else {
        return error(500, "the mock has no behaviour scripted for this request");
    };
    match behavior {
        Behavior::Stream { pieces, usage } => {
            let mut f = frames(&pieces);
            f.push(chunk(json!({}), Some("stop")));
            if usage {
                let u = json!({ "id": "c", "object": "chat.completion.chunk", "created": 1, "model": "mock", "choices": [],
                    "usage": { "prompt_tokens": 1234, "completion_tokens": pieces.len(), "total_tokens": 1234 + pieces.len() } });
                f.push(format!("data: {u}\n\n"));
            }
            f.push("data: [DONE]\n\n".into());
            sse(f, Tail::End)
        }
        Behavior::Cut { pieces, after } => sse(frames(&pieces[..after]), Tail::End),
        Behavior::Stall { pieces, after } => sse(frames(&pieces[..after]), Tail::Hang),
        Behavior::Malformed { pieces } => {
            let mut f = frames(&pieces);
            f.insert(2, "data: {\"choices\": [ this is not json\n\n".into());
            f.push(chunk(json!({}), Some("stop")));
            f.push("data: [DONE]\n\n".into());
            sse(f, Tail::End)
        }
        Behavior::Status(code) => error(code, "scripted failure"),
        Behavior::RateLimited { retry_after } => {
            let mut r = error(429, "rate limited");
            r.headers_mut()
                .insert(header::RETRY_AFTER, retry_after.into());
            r
        }
        Behavior::Judge(text) => judge_reply(&text),
        Behavior::JudgeWithoutResponseFormat(text) => {
            if body.get("response_format").is_some() {
                error(400, "response_format is not supported")
            } else {
                judge_reply(&text)
            }
        }
    }
}

fn judge_reply(text: &str) -> Response {
    // No `usage`, an extra field: servers that are only roughly compatible.
    axum::Json(json!({
        "id": "c", "object": "chat.completion", "created": 1, "model": "mock", "extra": true,
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": text }, "finish_reason": "stop" }],
    }))
    .into_response()
}
