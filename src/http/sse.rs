//! Turn streams as Server-Sent Events: named events, always with non-empty JSON data.

use std::convert::Infallible;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::interview::StreamEvent;
use crate::interview::service::EventStream;

pub fn event(e: StreamEvent) -> Event {
    let (name, data) = match e {
        StreamEvent::Turn(t) => ("turn", t.0.to_string()),
        StreamEvent::Phase { from, to } => ("phase", json!({ "from": from, "to": to }).to_string()),
        StreamEvent::Notice { code, message } => (
            "notice",
            json!({ "code": code, "message": message }).to_string(),
        ),
        // The hot path: one per upstream delta, formatted without building a JSON value.
        StreamEvent::Token(delta) => ("token", token_data(&delta)),
        StreamEvent::Done { turn_id, phase } => (
            "done",
            json!({ "turn_id": turn_id, "phase": phase }).to_string(),
        ),
        StreamEvent::Error { code, message } => (
            "error",
            json!({ "code": code, "message": message }).to_string(),
        ),
    };
    Event::default().event(name).data(data)
}

fn token_data(delta: &str) -> String {
    let mut out = String::with_capacity(delta.len() + 16);
    out.push_str("{\"delta\":");
    out.push_str(&serde_json::to_string(delta).unwrap_or_else(|_| "\"\"".into()));
    out.push('}');
    out
}

/// Wraps a turn stream as an SSE response that ends when the server shuts down.
pub fn respond(events: EventStream, shutdown: CancellationToken) -> Response {
    let stream = events
        .map(|e| Ok::<_, Infallible>(event(e)))
        .take_until(shutdown.cancelled_owned());
    sse(stream)
}

fn sse<S>(stream: S) -> Response
where
    S: Stream<Item = Result<Event, Infallible>> + Send + 'static,
{
    let mut resp = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    // Reverse proxies must not buffer the stream.
    resp.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    resp
}
