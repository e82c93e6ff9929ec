//! Our own `Llm` trait and message types. Two implementations: the offline interviewer (no model, no
//! network) and an OpenAI-compatible client (`openai.rs`, the only file that imports async-openai).

pub mod offline;
pub mod openai;

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::Serialize;

use crate::interview::directive::Directive;

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

/// One interviewer reply to produce. A model reads `messages`; the offline interviewer reads the
/// structured `directive` the orchestrator decided on.
#[derive(Debug, Clone)]
pub struct InterviewRequest {
    pub messages: Vec<Message>,
    pub directive: Arc<Directive>,
}

/// A judge call: grade a transcript, answer with JSON.
#[derive(Debug, Clone)]
pub struct JudgeRequest {
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

/// What plays the interviewer (and the judge).
pub trait Llm: Send + Sync + 'static {
    /// `offline` or `openai`.
    fn mode(&self) -> &'static str;
    /// The interviewer model, when there is one.
    fn model(&self) -> Option<&str>;
    /// The judge model, when there is one.
    fn judge_model(&self) -> Option<&str>;
    /// Whether this implementation reads `InterviewRequest::messages` (so the prompt must be rendered).
    fn reads_prompts(&self) -> bool;
    /// Starts a reply. Resolves once the first piece is available, so failures surface before any
    /// byte of the response is sent.
    fn interview(&self, req: InterviewRequest) -> BoxFuture<'_, Result<ReplyStream, LlmError>>;
    /// A non-streamed completion for the judge.
    fn judge(&self, req: JudgeRequest) -> BoxFuture<'_, Result<Completion, LlmError>>;
}
