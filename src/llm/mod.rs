//! The model client only: messages in, tokens (or one completion) out. The `Llm` trait knows nothing
//! of interviews; `openai.rs` implements it for any OpenAI-compatible server, with one retry policy
//! (`retry.rs`) and async-openai's types for the wire format (`wire.rs`, the only file importing it).

pub mod openai;
pub mod retry;
mod wire;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
        }
    }
}

/// A non-streamed completion (the judge's), answered with JSON when asked.
#[derive(Debug, Clone)]
pub struct CompletionRequest {
    pub messages: Vec<Message>,
    /// Ask for `response_format: json_object` (dropped for servers that reject it).
    pub json_mode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReplyChunk {
    /// A piece of the reply, forwarded at once.
    Delta(String),
    /// Token usage, when the server reports it.
    Usage { prompt: u32, completion: u32 },
    /// The reply finished normally (the server sent a finish reason).
    Finished,
}

pub type ReplyStream = BoxStream<'static, Result<ReplyChunk, LlmError>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub text: String,
    pub prompt_tokens: Option<u32>,
    pub completion_tokens: Option<u32>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum LlmError {
    /// Could not reach the server, or it kept failing (connection refused, 5xx, 429 after retries).
    #[error("upstream unavailable: {0}")]
    Unavailable(String),
    /// No first token, or no next chunk, within the timeout.
    #[error("upstream timed out after {0} s")]
    Timeout(u64),
    /// The stream ended without a finish reason, or broke mid-reply.
    #[error("upstream stream cut: {0}")]
    Cut(String),
    /// The server answered something we cannot use.
    #[error("upstream protocol error: {0}")]
    Protocol(String),
}

impl LlmError {
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::Unavailable(_) => "upstream_unavailable",
            LlmError::Timeout(_) => "upstream_timeout",
            LlmError::Cut(_) => "upstream_incomplete",
            LlmError::Protocol(_) => "upstream_protocol",
        }
    }
}

/// A chat model: the interviewer's (streamed) and the judge's (one completion).
pub trait Llm: Send + Sync + 'static {
    /// The model that streams replies.
    fn model(&self) -> &str;
    /// The model that completes judge requests.
    fn judge_model(&self) -> &str;
    /// Starts a streamed reply to `messages`. Resolves once the first piece is available, so failures
    /// surface before any byte of the response is sent.
    fn stream(&self, messages: Vec<Message>) -> BoxFuture<'_, Result<ReplyStream, LlmError>>;
    /// A non-streamed completion with the judge model.
    fn complete(&self, req: CompletionRequest) -> BoxFuture<'_, Result<Completion, LlmError>>;
}
