//! Turn streams as Server-Sent Events: named events, always with non-empty JSON data. Events that are
//! ready together (a turn's opening events, the offline interviewer's whole reply) go out in one write
//! instead of one write each; a model's tokens, arriving one by one, still go out as they come.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use futures::StreamExt;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::interview::{EventStream, StreamEvent};

/// While nothing else is sent, a comment line this often keeps proxies from closing the stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// At most this many ready events in one write.
const BATCH: usize = 64;

/// An event's name and its data: one line of JSON (serde_json escapes every line break).
pub fn event(e: StreamEvent) -> (&'static str, String) {
    match e {
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
    }
}

fn token_data(delta: &str) -> String {
    let mut out = String::with_capacity(delta.len() + 16);
    out.push_str("{\"delta\":");
    out.push_str(&serde_json::to_string(delta).unwrap_or_else(|_| "\"\"".into()));
    out.push('}');
    out
}

/// Appends one event in the SSE wire format.
fn encode(out: &mut Vec<u8>, (name, data): (&str, String)) {
    debug_assert!(!data.contains(['\n', '\r']), "SSE data must be one line");
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\ndata: ");
    out.extend_from_slice(data.as_bytes());
    out.extend_from_slice(b"\n\n");
}

/// Wraps a turn stream as an SSE response that ends when the server shuts down.
pub fn respond(events: EventStream, shutdown: CancellationToken) -> Response {
    let mut batches = Box::pin(
        events
            .ready_chunks(BATCH)
            .take_until(shutdown.cancelled_owned()),
    );
    let body = async_stream::stream! {
        loop {
            match tokio::time::timeout(KEEP_ALIVE, batches.next()).await {
                Ok(Some(batch)) => {
                    let mut out = Vec::with_capacity(96 * batch.len());
                    for e in batch {
                        encode(&mut out, event(e));
                    }
                    yield Ok::<_, Infallible>(Bytes::from(out));
                }
                Ok(None) => break,
                Err(_) => yield Ok(Bytes::from_static(b":\n\n")),
            }
        }
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        // Reverse proxies must not buffer the stream.
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(body))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_ready_together_go_out_in_one_write_in_the_wire_format() {
        let events: EventStream = Box::pin(futures::stream::iter([
            StreamEvent::Token("Good ".into()),
            StreamEvent::Token("question.\n\"Next\"".into()),
            StreamEvent::Done {
                turn_id: 7,
                phase: "clarify".into(),
            },
        ]));
        let resp = respond(events, CancellationToken::new());
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
        let mut frames = resp.into_body().into_data_stream();
        let first = frames.next().await.unwrap().unwrap();
        assert!(
            frames.next().await.is_none(),
            "one write for three ready events"
        );
        let text = std::str::from_utf8(&first).unwrap();
        assert_eq!(
            text,
            "event: token\ndata: {\"delta\":\"Good \"}\n\n\
             event: token\ndata: {\"delta\":\"question.\\n\\\"Next\\\"\"}\n\n\
             event: done\ndata: {\"phase\":\"clarify\",\"turn_id\":7}\n\n"
        );
    }

    #[tokio::test]
    async fn events_that_come_apart_go_out_apart() {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let events: EventStream = Box::pin(tokio_stream_from(rx));
        let resp = respond(events, CancellationToken::new());
        let mut frames = resp.into_body().into_data_stream();
        tx.send(StreamEvent::Token("one".into())).unwrap();
        let first = frames.next().await.unwrap().unwrap();
        assert_eq!(&first[..], b"event: token\ndata: {\"delta\":\"one\"}\n\n");
        tx.send(StreamEvent::Token("two".into())).unwrap();
        drop(tx);
        let second = frames.next().await.unwrap().unwrap();
        assert_eq!(&second[..], b"event: token\ndata: {\"delta\":\"two\"}\n\n");
        assert!(frames.next().await.is_none());
    }

    fn tokio_stream_from(
        mut rx: tokio::sync::mpsc::UnboundedReceiver<StreamEvent>,
    ) -> impl futures::Stream<Item = StreamEvent> + Send {
        futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
    }
}
