//! What plays the interviewer: the offline interviewer (the directive in words, no model) or a model
//! reading the rendered prompt. The choice is made here, not in the model client: `llm::Llm` knows
//! only messages. A model that cannot be reached before its first token is stood in for by the
//! offline interviewer (announced by a notice), or fails the turn, as configured.

use std::sync::Arc;

use crate::domain::{InterviewerMode, ReplySource};
use crate::llm::{Llm, LlmError, Message, ReplyStream};
use crate::telemetry::Metrics;

use super::events::StreamEvent;
use super::offline_interviewer;
use super::settings::UpstreamFailure;

pub enum Interviewer {
    /// The offline interviewer: no model, no network.
    Offline,
    /// A model plays the interviewer (and the judge).
    Model(Arc<dyn Llm>),
}

/// A reply as it was opened: its stream, who produces it, and the notice to send when the offline
/// interviewer stands in for the model.
pub struct OpenedReply {
    pub stream: Result<ReplyStream, LlmError>,
    pub source: ReplySource,
    pub notice: Option<StreamEvent>,
}

impl Interviewer {
    pub fn mode(&self) -> InterviewerMode {
        match self {
            Interviewer::Offline => InterviewerMode::Offline,
            Interviewer::Model(_) => InterviewerMode::Openai,
        }
    }

    /// The model, when one plays the interviewer.
    pub fn llm(&self) -> Option<&Arc<dyn Llm>> {
        match self {
            Interviewer::Offline => None,
            Interviewer::Model(llm) => Some(llm),
        }
    }

    pub fn model(&self) -> Option<&str> {
        self.llm().map(|l| l.model())
    }

    pub fn judge_model(&self) -> Option<&str> {
        self.llm().map(|l| l.judge_model())
    }

    /// Opens the interviewer's reply. `messages` is the model's prompt (`None` for the offline
    /// interviewer); `offline_words` chooses the offline interviewer's words for this turn, called
    /// only when it speaks (it plays the interviewer, or stands in for a model that failed).
    pub async fn open(
        &self,
        messages: Option<Vec<Message>>,
        offline_words: impl FnOnce() -> String,
        on_failure: UpstreamFailure,
        session_id: &str,
        metrics: &Metrics,
    ) -> OpenedReply {
        let (llm, messages) = match (self, messages) {
            (Interviewer::Model(llm), Some(messages)) => (llm, messages),
            // The offline interviewer (a model is always given its prompt: `turns.rs` renders it
            // whenever `llm()` is `Some`).
            _ => {
                return OpenedReply {
                    stream: Ok(offline_interviewer::stream(offline_words())),
                    source: ReplySource::Offline,
                    notice: None,
                };
            }
        };
        let opened = llm.stream(messages).await;
        if let Err(e) = &opened {
            metrics.upstream_error(e.code());
        }
        match opened {
            Ok(stream) => OpenedReply {
                stream: Ok(stream),
                source: ReplySource::Openai,
                notice: None,
            },
            Err(e) if on_failure == UpstreamFailure::FallBackOffline => {
                tracing::warn!(error = %e, session = %session_id, "upstream failed; the offline interviewer answers");
                OpenedReply {
                    stream: Ok(offline_interviewer::stream(offline_words())),
                    source: ReplySource::OfflineFallback,
                    notice: Some(StreamEvent::Notice {
                        code: "offline_fallback",
                        message: format!(
                            "The language model is unavailable ({e}); the offline interviewer answers this turn."
                        ),
                    }),
                }
            }
            Err(e) => OpenedReply {
                stream: Err(e),
                source: ReplySource::Openai,
                notice: None,
            },
        }
    }
}
