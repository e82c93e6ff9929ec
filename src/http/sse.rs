//! Turn streams as Server-Sent Events through axum's `Sse`: named events, always with non-empty JSON
//! data, a keep-alive comment while nothing else is sent, and the stream cut when the server shuts
//! down. Each event's data has its own type here, so the wire format is written down in one place;
//! the OpenAPI document describes the same types (`TurnStreamEvent`).

use std::convert::Infallible;
use std::time::Duration;

use axum::http::HeaderName;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;

use crate::interview::views::TurnView;
use crate::interview::{EventStream, StreamEvent};

/// While nothing else is sent, a comment line this often keeps proxies from closing the stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `token`: a piece of the interviewer's reply (Markdown).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenData<'a> {
    pub delta: &'a str,
}

/// `phase`: the interview moved from one phase to the next (phase ids).
#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseData<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

/// `notice` and `error`: a stable code and a message for people. Notices: `offline_fallback` (the
/// offline interviewer answers because the model is unavailable). Errors end the stream:
/// `upstream_timeout`, `upstream_incomplete`, `storage_failed`, ...; what was said so far is kept,
/// marked incomplete.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeData<'a> {
    pub code: &'a str,
    pub message: &'a str,
}

/// `done`: the interviewer's reply is committed as this turn; the stream ends.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoneData<'a> {
    pub phase: &'a str,
    pub turn_id: i64,
}

/// One event of a turn stream, for the OpenAPI document. On the wire each is `event: <event>` and
/// `data: <data as one line of JSON>`, then a blank line; comment lines (`:`) keep an idle stream
/// open. A turn stream opens with `turn` (the candidate's committed turn; an advance has none), then
/// `phase` and `notice` if any, `token` events, and ends with `done` or `error`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum TurnStreamEvent {
    Turn(TurnView),
    Phase(PhaseData<'static>),
    Notice(CodeData<'static>),
    Token(TokenData<'static>),
    Done(DoneData<'static>),
    Error(CodeData<'static>),
}

fn named(name: &'static str, data: impl Serialize) -> Event {
    Event::default()
        .event(name)
        .json_data(data)
        // Serialising these plain structs cannot fail; if it ever did, the client still gets an
        // event with data, as every event must have.
        .unwrap_or_else(|_| Event::default().event(name).data("{}"))
}

/// The SSE event for a stream event: its name and its data as one line of JSON.
pub fn event(e: &StreamEvent) -> Event {
    match e {
        StreamEvent::Turn(t) => named("turn", &t.0),
        StreamEvent::Phase { from, to } => named("phase", PhaseData { from, to }),
        StreamEvent::Notice { code, message } => named("notice", CodeData { code, message }),
        StreamEvent::Token(delta) => named("token", TokenData { delta }),
        StreamEvent::Done { turn_id, phase } => named(
            "done",
            DoneData {
                phase,
                turn_id: *turn_id,
            },
        ),
        StreamEvent::Error { code, message } => named("error", CodeData { code, message }),
    }
}

/// How long a stream may go on once the server shuts down. The reply stream itself ends at once with
/// `shutting_down` after storing what was said; this only cuts a stream that failed to.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Wraps a turn stream as an SSE response. At shutdown the stream ends itself (with
/// `shutting_down`); one still open `SHUTDOWN_GRACE` later is cut.
pub fn respond(events: EventStream, shutdown: CancellationToken) -> Response {
    respond_with_grace(events, shutdown, SHUTDOWN_GRACE)
}

fn respond_with_grace(
    events: EventStream,
    shutdown: CancellationToken,
    grace: Duration,
) -> Response {
    let cut = async move {
        shutdown.cancelled().await;
        tokio::time::sleep(grace).await;
    };
    let events = events
        .take_until(cut)
        .map(|e| Ok::<_, Infallible>(event(&e)));
    let sse = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE));
    // Reverse proxies must not buffer the stream.
    ([(HeaderName::from_static("x-accel-buffering"), "no")], sse).into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;
    use crate::interview::events::TurnViewJson;

    async fn body_of(events: Vec<StreamEvent>, shutdown: CancellationToken) -> (Response, String) {
        let resp = respond(Box::pin(futures::stream::iter(events)), shutdown);
        let (parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        (Response::from_parts(parts, axum::body::Body::empty()), text)
    }

    #[tokio::test]
    async fn every_event_goes_out_named_with_one_line_of_json() {
        let events = vec![
            StreamEvent::Turn(Box::new(TurnViewJson(serde_json::json!({ "id": 3 })))),
            StreamEvent::Phase {
                from: "clarify".into(),
                to: "design".into(),
            },
            StreamEvent::Notice {
                code: "offline_fallback",
                message: "m".into(),
            },
            StreamEvent::Token("Good ".into()),
            StreamEvent::Token("question.\n\"Next\"".into()),
            StreamEvent::Done {
                turn_id: 7,
                phase: "clarify".into(),
            },
            StreamEvent::Error {
                code: "upstream_timeout",
                message: "late".into(),
            },
        ];
        let (resp, text) = body_of(events, CancellationToken::new()).await;
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
        assert_eq!(resp.headers()["x-accel-buffering"], "no");
        assert_eq!(
            text,
            "event: turn\ndata: {\"id\":3}\n\n\
             event: phase\ndata: {\"from\":\"clarify\",\"to\":\"design\"}\n\n\
             event: notice\ndata: {\"code\":\"offline_fallback\",\"message\":\"m\"}\n\n\
             event: token\ndata: {\"delta\":\"Good \"}\n\n\
             event: token\ndata: {\"delta\":\"question.\\n\\\"Next\\\"\"}\n\n\
             event: done\ndata: {\"phase\":\"clarify\",\"turn_id\":7}\n\n\
             event: error\ndata: {\"code\":\"upstream_timeout\",\"message\":\"late\"}\n\n"
        );
    }

    /// The wire and the documented `TurnStreamEvent` agree on every event's name and data.
    #[tokio::test]
    async fn every_event_goes_out_as_its_documented_name_and_data() {
        let turn = TurnView {
            id: 3,
            role: crate::domain::TurnRole::Candidate,
            phase: "clarification".into(),
            content: "How many users?".into(),
            html: String::new(),
            created_at: "2026-01-01T00:00:00Z".into(),
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
            hint: false,
            spoken: true,
            speech_ms: Some(2_500),
            diagrams: Vec::new(),
        };
        let sent = vec![
            StreamEvent::Turn(Box::new(TurnViewJson::of(&turn).unwrap())),
            StreamEvent::Phase {
                from: "a".into(),
                to: "b".into(),
            },
            StreamEvent::Notice {
                code: "offline_fallback",
                message: "m".into(),
            },
            StreamEvent::Token("a \"quoted\"\nline ✓".into()),
            StreamEvent::Done {
                turn_id: 4,
                phase: "p".into(),
            },
            StreamEvent::Error {
                code: "upstream_timeout",
                message: "m".into(),
            },
        ];
        let documented = [
            TurnStreamEvent::Turn(turn.clone()),
            TurnStreamEvent::Phase(PhaseData { from: "a", to: "b" }),
            TurnStreamEvent::Notice(CodeData {
                code: "offline_fallback",
                message: "m",
            }),
            TurnStreamEvent::Token(TokenData {
                delta: "a \"quoted\"\nline ✓",
            }),
            TurnStreamEvent::Done(DoneData {
                phase: "p",
                turn_id: 4,
            }),
            TurnStreamEvent::Error(CodeData {
                code: "upstream_timeout",
                message: "m",
            }),
        ];
        let (_, text) = body_of(sent, CancellationToken::new()).await;
        let frames: Vec<&str> = text.split("\n\n").filter(|f| !f.is_empty()).collect();
        assert_eq!(frames.len(), documented.len(), "{text}");
        for (frame, doc) in frames.iter().zip(documented) {
            let doc = serde_json::to_value(&doc).unwrap();
            let (name, data) = frame.split_once('\n').unwrap();
            assert_eq!(
                Some(doc["event"].as_str().unwrap()),
                name.strip_prefix("event: ")
            );
            let data: serde_json::Value =
                serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap();
            assert_eq!(doc["data"], data, "{name}");
        }
    }

    #[tokio::test]
    async fn a_stream_still_open_after_the_grace_is_cut() {
        let shutdown = CancellationToken::new();
        let events = futures::stream::iter([StreamEvent::Token("one".into())])
            .chain(futures::stream::pending());
        let resp = respond_with_grace(Box::pin(events), shutdown.clone(), Duration::ZERO);
        let mut frames = resp.into_body().into_data_stream();
        let first = frames.next().await.unwrap().unwrap();
        assert_eq!(&first[..], b"event: token\ndata: {\"delta\":\"one\"}\n\n");
        shutdown.cancel();
        assert!(frames.next().await.is_none(), "the body ends");
    }
}
