//! The events of a turn stream, before they become SSE: what the client hears, in order.

use futures::stream::BoxStream;

use super::views::TurnView;

/// One event of a turn stream.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The candidate's turn, sent once it is committed.
    Turn(Box<TurnViewJson>),
    Phase {
        from: String,
        to: String,
    },
    Notice {
        code: &'static str,
        message: String,
    },
    /// A piece of the interviewer's reply.
    Token(String),
    /// The reply is committed.
    Done {
        turn_id: i64,
        phase: String,
    },
    Error {
        code: &'static str,
        message: String,
    },
}

/// A committed turn, serialised once.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnViewJson(pub serde_json::Value);

impl TurnViewJson {
    pub fn of(view: &TurnView) -> serde_json::Result<TurnViewJson> {
        serde_json::to_value(view).map(TurnViewJson)
    }
}

pub type EventStream = BoxStream<'static, StreamEvent>;
