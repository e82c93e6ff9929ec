//! The interviewer's reply on its way to the client: relayed piece by piece as it streams, then
//! committed, and `done` sent only after the commit. This is the one place that decides what a cut
//! reply means: a reply that ends without a finish, or with an upstream error, is stored marked
//! incomplete and the stream ends with an `error` event; a stream dropped mid-reply (client gone,
//! server gone) stores what was said so far, marked incomplete, from a tracked task. At shutdown the
//! reply stops where it is, is stored marked incomplete, and the stream ends with `shutting_down`,
//! so a client whose turn was acknowledged always hears how it ended.
//! The session's lock travels with the reply and is released only once it is stored.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::Clock;
use crate::content::Catalog;
use crate::domain::{ReplySource, TurnRole};
use crate::llm::{LlmError, ReplyChunk, ReplyStream};
use crate::storage::{NewTurn, Storage, TurnRow};
use crate::telemetry::Metrics;
use crate::tokens::{TokenCounter, count};

use super::events::{EventStream, StreamEvent};
use super::interviewer_prompt::PromptCount;
use super::memory::Repertoire;
use super::session_cache::SessionGuard;

/// Everything a reply stream needs once it has started.
pub(super) struct ReplyJob {
    pub storage: Storage,
    pub clock: Arc<dyn Clock>,
    pub tasks: TaskTracker,
    pub session_id: String,
    pub phase: String,
    pub source: ReplySource,
    pub prompt_tokens: PromptTokens,
    /// Count completion tokens ourselves when the server does not report usage (model replies only).
    pub count_completion: bool,
    pub warm: Option<WarmCounts>,
    /// The reply is a hint.
    pub hint: bool,
    /// The session's lock, with its snapshot: the stored reply is appended to it.
    pub guard: SessionGuard,
    /// What the interviewer's memory reads the stored reply with.
    pub reader: MemoryReader,
    /// The server's shutdown: the reply stops there, is stored incomplete, and the stream ends with
    /// `shutting_down`.
    pub shutdown: CancellationToken,
}

/// The question's repertoire and the catalog's lexicon: the stored reply is read into the snapshot's
/// memory once its last token is out, so the next turn does not read it before its first token.
pub(super) struct MemoryReader {
    pub repertoire: Arc<Repertoire>,
    pub catalog: Arc<Catalog>,
}

/// What the reply's metrics need: where to record, when the turn started, and the model label
/// (`offline` when the offline interviewer answered).
pub(super) struct ReplyMetrics {
    pub metrics: Arc<Metrics>,
    pub started: Instant,
    pub model: String,
}

/// Turns to count once the reply is stored, off the path to any first token, so that the next
/// turn's prompt fits on known counts instead of counting the transcript then.
pub(super) struct WarmCounts {
    pub counter: TokenCounter,
    pub candidate: Option<(i64, String)>,
}

/// The prompt's token count, for a server that reports no usage: counted only then.
pub(super) enum PromptTokens {
    /// No model read a prompt (the offline interviewer answered).
    None,
    Sent(PromptCount),
}

impl PromptTokens {
    fn resolve(&self) -> Option<i64> {
        match self {
            PromptTokens::None => None,
            PromptTokens::Sent(c) => Some(c.total() as i64),
        }
    }
}

impl ReplyJob {
    fn reply<'a>(
        &'a self,
        text: &'a str,
        incomplete: bool,
        tokens: (Option<i64>, Option<i64>),
    ) -> NewTurn<'a> {
        NewTurn {
            session_id: &self.session_id,
            role: TurnRole::Interviewer,
            phase: &self.phase,
            content: text,
            at: self.clock.now_ms(),
            incomplete,
            source: Some(self.source),
            prompt_tokens: tokens.0,
            completion_tokens: tokens.1,
            hint: self.hint,
            spoken: false,
            speech_ms: None,
        }
    }

    /// Keeps the session's snapshot in step with what was stored; a failed write drops the snapshot,
    /// so the next turn reads the session from SQLite.
    fn remember(&mut self, stored: &sqlx::Result<TurnRow>) {
        match stored {
            Ok(turn) => {
                if let Some(s) = self.guard.as_mut() {
                    s.remember_reply(turn);
                    s.catch_up_memory(&self.reader.repertoire, &self.reader.catalog.lexicon);
                }
            }
            Err(_) => *self.guard = None,
        }
    }
}

/// The reply as it streams; if the stream is dropped before it is committed, what was said so far
/// is stored, marked incomplete.
struct PartialReply {
    job: Option<ReplyJob>,
    text: String,
}

impl Drop for PartialReply {
    fn drop(&mut self) {
        let Some(mut job) = self.job.take() else {
            return;
        };
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let tasks = job.tasks.clone();
        if tokio::runtime::Handle::try_current().is_ok() {
            tasks.spawn(async move {
                let stored = {
                    let r = job.reply(&text, true, (job.prompt_tokens.resolve(), None));
                    job.storage.commit_reply(&r).await
                };
                if let Err(e) = &stored {
                    tracing::error!(error = %e, "could not store a partial reply");
                }
                job.remember(&stored);
                // The session's claim and lock are released here, once the reply is stored.
                job.guard.release_lease().await;
                drop(job);
            });
        }
    }
}

/// Relays the reply after the `prelude` events, then commits it.
pub(super) fn stream_reply(
    prelude: Vec<StreamEvent>,
    upstream: Result<ReplyStream, LlmError>,
    job: ReplyJob,
    m: ReplyMetrics,
) -> EventStream {
    let live = m.metrics.live_stream();
    let shutdown = job.shutdown.clone();
    let stream = async_stream::stream! {
        // Counted live until the stream ends or is dropped.
        let _live = live;
        for e in prelude {
            yield e;
        }
        let mut upstream = match upstream {
            Ok(s) => s,
            Err(e) => {
                yield StreamEvent::Error { code: e.code(), message: e.to_string() };
                return;
            }
        };
        let mut partial = PartialReply { job: Some(job), text: String::new() };
        let mut finished = false;
        let mut failure: Option<LlmError> = None;
        let mut usage: Option<(u32, u32)> = None;
        let mut stopped = false;
        loop {
            let item = tokio::select! {
                biased;
                _ = shutdown.cancelled() => {
                    stopped = true;
                    break;
                }
                item = upstream.next() => item,
            };
            let Some(item) = item else { break };
            match item {
                Ok(ReplyChunk::Delta(d)) => {
                    if d.is_empty() {
                        continue;
                    }
                    if partial.text.is_empty() {
                        m.metrics.time_to_first_token(&m.model, m.started.elapsed());
                    }
                    partial.text.push_str(&d);
                    yield StreamEvent::Token(d);
                }
                Ok(ReplyChunk::Usage { prompt, completion }) => usage = Some((prompt, completion)),
                Ok(ReplyChunk::Finished) => finished = true,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        drop(upstream);
        let Some(mut job) = partial.job.take() else { return };
        let text = std::mem::take(&mut partial.text);
        if failure.is_none() && !finished && !stopped {
            failure = Some(LlmError::Cut("the stream ended without a finish reason".into()));
        }
        let incomplete = failure.is_some() || stopped;
        let tokens = match usage {
            Some((p, c)) if job.count_completion => (Some(i64::from(p)), Some(i64::from(c))),
            _ if job.count_completion => (job.prompt_tokens.resolve(), Some(count(&text) as i64)),
            _ => (None, None),
        };
        m.metrics.turn(&m.model, m.started.elapsed());
        if let (Some(p), Some(c)) = tokens {
            m.metrics.tokens(&m.model, p.max(0) as u64, c.max(0) as u64);
        }
        if let Some(e) = &failure {
            m.metrics.upstream_error(e.code());
        }
        let committed = if text.is_empty() {
            None
        } else {
            let stored = job.storage.commit_reply(&job.reply(&text, incomplete, tokens)).await;
            job.remember(&stored);
            if let (Ok(turn), Some(w)) = (&stored, job.warm.take()) {
                let reply = (turn.id, turn.content.clone());
                job.tasks.spawn(async move {
                    w.counter.turn(reply.0, &reply.1);
                    if let Some((id, text)) = w.candidate {
                        w.counter.turn(id, &text);
                    }
                });
            }
            Some(stored)
        };
        // Released before the last event: a client that heard it may start the next turn on any
        // instance at once.
        job.guard.release_lease().await;
        match (failure, committed) {
            (_, Some(Err(e))) => {
                tracing::error!(error = %e, "could not store the interviewer's reply");
                yield StreamEvent::Error { code: "storage_failed", message: "the reply could not be stored".into() };
            }
            _ if stopped => yield StreamEvent::Error {
                code: "shutting_down",
                message: "the server is shutting down; what was said is stored, marked incomplete".into(),
            },
            (Some(e), _) => yield StreamEvent::Error { code: e.code(), message: e.to_string() },
            (None, Some(Ok(turn))) => yield StreamEvent::Done { turn_id: turn.id, phase: job.phase.clone() },
            (None, None) => yield StreamEvent::Error { code: "empty_reply", message: "the interviewer said nothing".into() },
        }
        // The session's lock is released with the job, after the reply is stored.
        drop(job);
    };
    Box::pin(stream)
}
