//! A scripted OpenAI-compatible speech server on loopback: `/v1/audio/transcriptions` (multipart,
//! parsed here) and `/v1/audio/speech` (JSON). Each request takes the next behaviour from its
//! queue, and every upload and speech request is recorded for assertions. Also used by the browser
//! test (`tests/browser.rs` includes this file).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub enum Heard {
    /// A transcription; with `duration` (seconds) when the request asked for `verbose_json`.
    Text { text: String, duration: Option<f64> },
    /// 400 when `verbose_json` is asked for (as OpenAI's gpt-4o-transcribe), else this text.
    TextWithoutVerbose(String),
    /// A status code with an error body.
    Status(u16),
}

#[derive(Debug, Clone)]
pub enum Said {
    /// These bytes as `audio/mpeg`.
    Audio(Vec<u8>),
    Status(u16),
}

/// One multipart upload as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub file: Vec<u8>,
    pub file_name: String,
    pub file_type: String,
    pub model: String,
    pub response_format: String,
    pub authorization: Option<String>,
}

#[derive(Default)]
struct Script {
    heard: VecDeque<Heard>,
    said: VecDeque<Said>,
    uploads: Vec<Upload>,
    speech_requests: Vec<Value>,
}

#[derive(Clone)]
pub struct MockSpeech {
    pub base_url: String,
    state: Arc<Mutex<Script>>,
}

impl MockSpeech {
    pub async fn start() -> MockSpeech {
        let state: Arc<Mutex<Script>> = Arc::default();
        let app = Router::new()
            .route("/v1/audio/transcriptions", post(transcriptions))
            .route("/v1/audio/speech", post(speech))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        MockSpeech {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            state,
        }
    }

    pub fn push_heard(&self, h: Heard) {
        self.state.lock().unwrap().heard.push_back(h);
    }

    pub fn push_said(&self, s: Said) {
        self.state.lock().unwrap().said.push_back(s);
    }

    pub fn uploads(&self) -> Vec<Upload> {
        self.state.lock().unwrap().uploads.clone()
    }

    pub fn speech_requests(&self) -> Vec<Value> {
        self.state.lock().unwrap().speech_requests.clone()
    }
}

fn error(status: u16, message: &str) -> Response {
    let body = json!({ "error": { "message": message, "type": "invalid_request_error" } });
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

async fn transcriptions(
    State(state): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(mut upload) = parse_multipart(content_type, &body) else {
        return error(400, "not a multipart/form-data body");
    };
    upload.authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let verbose = upload.response_format == "verbose_json";
    let behavior = {
        let mut s = state.lock().unwrap();
        s.uploads.push(upload);
        match s.heard.front() {
            // Refused without being used up: the client is expected to ask again with `json`.
            Some(Heard::TextWithoutVerbose(_)) if verbose => s.heard.front().cloned(),
            _ => s.heard.pop_front(),
        }
    };
    let Some(behavior) = behavior else {
        return error(500, "the mock has no transcription scripted");
    };
    match behavior {
        Heard::Text { text, duration } if verbose => axum::Json(json!({
            "task": "transcribe", "language": "english", "duration": duration, "text": text, "segments": [],
        }))
        .into_response(),
        Heard::Text { text, .. } => axum::Json(json!({ "text": text })).into_response(),
        Heard::TextWithoutVerbose(_) if verbose => error(
            400,
            "response_format 'verbose_json' is not compatible with this model",
        ),
        Heard::TextWithoutVerbose(text) => axum::Json(json!({ "text": text })).into_response(),
        Heard::Status(code) => error(code, "scripted failure"),
    }
}

async fn speech(State(state): State<Arc<Mutex<Script>>>, body: axum::Json<Value>) -> Response {
    let behavior = {
        let mut s = state.lock().unwrap();
        s.speech_requests.push(body.0);
        s.said.pop_front()
    };
    match behavior {
        Some(Said::Audio(bytes)) => ([(header::CONTENT_TYPE, "audio/mpeg")], bytes).into_response(),
        Some(Said::Status(code)) => error(code, "scripted failure"),
        None => error(500, "the mock has no speech scripted"),
    }
}

/// The parts of a `multipart/form-data` body: the file and the text fields.
fn parse_multipart(content_type: &str, body: &[u8]) -> Option<Upload> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut upload = Upload::default();
    for part in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        if part.starts_with(b"--") {
            break;
        }
        let part = part.strip_prefix(b"\r\n")?;
        let head_end = find(part, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&part[..head_end]).ok()?;
        let content = part[head_end + 4..].strip_suffix(b"\r\n")?;
        let name = field(head, "name")?;
        match name.as_str() {
            "file" => {
                upload.file = content.to_vec();
                upload.file_name = field(head, "filename").unwrap_or_default();
                upload.file_type = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("Content-Type: ")
                            .or(l.strip_prefix("content-type: "))
                    })
                    .unwrap_or_default()
                    .trim()
                    .to_string();
            }
            "model" => upload.model = String::from_utf8_lossy(content).into_owned(),
            "response_format" => {
                upload.response_format = String::from_utf8_lossy(content).into_owned()
            }
            _ => {}
        }
    }
    Some(upload)
}

fn field(head: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = head.find(&key)? + key.len();
    let end = head[start..].find('"')? + start;
    Some(head[start..end].to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut hay: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(i) = find(hay, delimiter) {
        out.push(&hay[..i]);
        hay = &hay[i + delimiter.len()..];
    }
    out.push(hay);
    out
}
