//! The data of each turn-stream event as a typed struct: the SSE encoder (`sse.rs`) serialises these,
//! and the OpenAPI document describes the same types.

use serde::Serialize;
use utoipa::ToSchema;

use crate::interview::views::TurnView;

/// `phase`: the interview moved on, from one phase to the next (phase ids).
#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseData {
    pub from: String,
    pub to: String,
}

/// `notice`: something to tell the candidate, such as `offline_fallback` (the offline interviewer
/// answers because the model is unavailable).
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeData {
    pub code: &'static str,
    pub message: String,
}

/// `token`: the next piece of the interviewer's reply (Markdown).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenData {
    pub delta: String,
}

/// `done`: the reply is committed; the stream ends.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoneData {
    /// The phase the reply was given in.
    pub phase: String,
    pub turn_id: i64,
}

/// `error`: the turn failed after the stream began (`upstream_timeout`, `upstream_incomplete`,
/// `storage_failed`, ...); what was said so far is kept, marked incomplete. The stream ends.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorData {
    pub code: &'static str,
    pub message: String,
}

/// One event of a turn stream. On the wire each is `event: <event>` and `data: <data as one line of
/// JSON>`, then a blank line; comment lines (`:`) keep an idle stream open. A turn stream opens with
/// `turn` (the candidate's committed turn; an advance has none), then `phase` and `notice` if any,
/// `token` events, and ends with `done` or `error`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum TurnStreamEvent {
    Turn(TurnView),
    Phase(PhaseData),
    Notice(NoticeData),
    Token(TokenData),
    Done(DoneData),
    Error(ErrorData),
}
