//! The OpenAI-compatible client: one reqwest client (pooled, `TCP_NODELAY`) and one retry policy
//! (`retry.rs`) for the interviewer's stream and the judge's completion. Lenient about what servers
//! send (`wire.rs`: missing `usage`, extra fields, a role-only first chunk, odd finish reasons, no
//! `response_format`), strict about time: the first token and every gap between chunks are bounded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{FutureExt, Stream, StreamExt};

use super::retry::RetryPolicy;
use super::wire::{self, Chunk, chunk_items};
use super::{Completion, CompletionRequest, Llm, LlmError, Message, ReplyChunk, ReplyStream};

#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    pub base_url: String,
    pub api_key: Option<String>,
    pub model: String,
    pub judge_model: String,
    /// For the first token and for any gap between chunks.
    pub timeout: Duration,
    /// Retries of connection errors, 429 and 5xx before the first token.
    pub retries: usize,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
}

pub struct OpenAiLlm {
    /// Streaming goes through reqwest + eventsource-stream directly, parsed in place: async-openai's
    /// client spawns a task and an unbounded channel per stream, a hop per token that the benchmark
    /// measured. Only its types are used (`wire.rs`).
    http: reqwest::Client,
    /// Parsed once: a request then clones it instead of parsing a string.
    chat_url: reqwest::Url,
    settings: OpenAiSettings,
    retry: RetryPolicy,
    /// Cleared once the server rejects `response_format`, so later judge calls skip it.
    json_mode: AtomicBool,
}

impl OpenAiLlm {
    pub fn new(settings: OpenAiSettings) -> anyhow::Result<OpenAiLlm> {
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .connect_timeout(settings.timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()?;
        let chat_url = format!(
            "{}/chat/completions",
            settings.base_url.trim_end_matches('/')
        );
        let chat_url = reqwest::Url::parse(&chat_url)
            .map_err(|e| anyhow::anyhow!("the model's base URL `{}`: {e}", settings.base_url))?;
        let retry = RetryPolicy {
            retries: settings.retries,
            max_retry_after: settings.max_retry_after,
            timeout: settings.timeout,
        };
        Ok(OpenAiLlm {
            http,
            chat_url,
            settings,
            retry,
            json_mode: AtomicBool::new(true),
        })
    }

    /// POSTs a chat-completions body under the retry policy, until a success status arrives.
    async fn post(
        &self,
        body: &impl serde::Serialize,
        retry: RetryPolicy,
    ) -> Result<reqwest::Response, LlmError> {
        // Serialised once; each attempt sends the same bytes.
        let body = bytes::Bytes::from(
            serde_json::to_vec(body).map_err(|e| LlmError::Protocol(e.to_string()))?,
        );
        let key = self.settings.api_key.as_deref().filter(|k| !k.is_empty());
        retry
            .send(|| {
                let req = self
                    .http
                    .post(self.chat_url.clone())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
                match key {
                    Some(key) => req.bearer_auth(key),
                    None => req,
                }
            })
            .await
    }

    async fn open(&self, messages: Vec<Message>) -> Result<ReplyStream, LlmError> {
        let secs = self.settings.timeout.as_secs();
        let request = wire::stream_request(&self.settings.model, messages);
        let resp = self.post(&request, self.retry).await?;
        drop(request);
        let mut upstream = chunks(resp);
        // Wait for the first piece of content, so a dead upstream fails before the client hears a word.
        let mut first: Vec<ReplyChunk> = Vec::new();
        loop {
            match tokio::time::timeout(self.settings.timeout, upstream.next()).await {
                Err(_) => return Err(LlmError::Timeout(secs)),
                Ok(None) => {
                    if first.iter().any(|c| matches!(c, ReplyChunk::Finished)) {
                        break;
                    }
                    return Err(LlmError::Unavailable(
                        "the stream ended before any content".into(),
                    ));
                }
                Ok(Some(Err(e))) => return Err(LlmError::Unavailable(e)),
                Ok(Some(Ok(None))) => {}
                Ok(Some(Ok(Some(chunk)))) => {
                    if let Some(err) = chunk.error {
                        return Err(LlmError::Unavailable(
                            err.to_string().chars().take(300).collect(),
                        ));
                    }
                    let items = chunk_items(chunk);
                    let has_content = items.iter().any(|c| matches!(c, ReplyChunk::Delta(_)));
                    first.extend(items);
                    if has_content {
                        break;
                    }
                }
            }
        }
        let rest = forward(upstream, self.settings.timeout);
        Ok(Box::pin(
            futures::stream::iter(first.into_iter().map(Ok)).chain(rest),
        ))
    }

    async fn completion(&self, req: CompletionRequest) -> Result<Completion, LlmError> {
        let json_mode = req.json_mode && self.json_mode.load(Ordering::Relaxed);
        match self.complete_once(&req, json_mode).await {
            Err(e) if json_mode => {
                // Many local servers reject `response_format`; try once without it and remember.
                tracing::info!(error = %e, "judge call failed with response_format; retrying without it");
                let r = self.complete_once(&req, false).await;
                if r.is_ok() {
                    self.json_mode.store(false, Ordering::Relaxed);
                }
                r
            }
            other => other,
        }
    }

    async fn complete_once(
        &self,
        req: &CompletionRequest,
        json_mode: bool,
    ) -> Result<Completion, LlmError> {
        let request =
            wire::completion_request(&self.settings.judge_model, req.messages.clone(), json_mode);
        // A judge reply is long and not streamed: allow several times the gap timeout, for the
        // headers of each attempt and for the whole call.
        let limit = self.settings.timeout * 4;
        let retry = RetryPolicy {
            timeout: limit,
            ..self.retry
        };
        let call = async {
            let resp = self.post(&request, retry).await?;
            let body = resp
                .bytes()
                .await
                .map_err(|e| LlmError::Unavailable(e.to_string()))?;
            wire::completion(&body)
        };
        tokio::time::timeout(limit, call)
            .await
            .map_err(|_| LlmError::Timeout(limit.as_secs()))?
    }
}

/// The upstream's SSE body as chunks, parsed in place (no task, no channel). `Ok(None)` is a chunk that
/// did not parse: skipped, with a warning. The stream ends at `[DONE]` or when the connection closes.
fn chunks(
    resp: reqwest::Response,
) -> impl Stream<Item = Result<Option<Chunk>, String>> + Send + Unpin + 'static {
    use eventsource_stream::Eventsource;
    resp.bytes_stream()
        .eventsource()
        .take_while(|ev| futures::future::ready(!matches!(ev, Ok(e) if e.data == "[DONE]")))
        .map(|ev| match ev {
            Ok(ev) => match serde_json::from_str::<Chunk>(&ev.data) {
                Ok(chunk) => Ok(Some(chunk)),
                Err(e) => {
                    tracing::warn!(error = %e, chunk = %ev.data.chars().take(200).collect::<String>(), "skipping a malformed chunk");
                    Ok(None)
                }
            },
            Err(e) => Err(e.to_string()),
        })
}

/// Forwards the rest of the stream as it comes, with a bound on every gap. Malformed chunks are skipped;
/// a mid-stream error or a stall ends the reply.
fn forward<S>(
    mut upstream: S,
    gap: Duration,
) -> impl Stream<Item = Result<ReplyChunk, LlmError>> + Send + 'static
where
    S: Stream<Item = Result<Option<Chunk>, String>> + Send + Unpin + 'static,
{
    async_stream::stream! {
        loop {
            match tokio::time::timeout(gap, upstream.next()).await {
                Err(_) => {
                    yield Err(LlmError::Timeout(gap.as_secs()));
                    break;
                }
                Ok(None) => break,
                Ok(Some(Ok(None))) => {}
                Ok(Some(Err(e))) => {
                    yield Err(LlmError::Cut(e));
                    break;
                }
                Ok(Some(Ok(Some(chunk)))) => {
                    if let Some(err) = chunk.error {
                        yield Err(LlmError::Cut(err.to_string().chars().take(300).collect()));
                        break;
                    }
                    for item in chunk_items(chunk) {
                        yield Ok(item);
                    }
                }
            }
        }
    }
}

/// Fuzzing entry point: an upstream's SSE body read exactly as a reply stream reads it after its
/// first chunk (events, `[DONE]`, chunk JSON, chunk items, errors). Any input must end without a panic.
#[cfg(feature = "fuzzing")]
pub fn read_upstream_body(body: Vec<u8>) -> Vec<Result<ReplyChunk, LlmError>> {
    let resp = reqwest::Response::from(http::Response::new(body));
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    else {
        return Vec::new();
    };
    rt.block_on(forward(chunks(resp), Duration::from_secs(5)).collect())
}

/// Fuzzing entry point: a judge's completion body, as `complete` reads it.
#[cfg(feature = "fuzzing")]
pub fn read_completion_body(body: &[u8]) -> Result<Completion, LlmError> {
    wire::completion(body)
}

impl Llm for OpenAiLlm {
    fn model(&self) -> &str {
        &self.settings.model
    }

    fn judge_model(&self) -> &str {
        &self.settings.judge_model
    }

    fn stream(&self, messages: Vec<Message>) -> BoxFuture<'_, Result<ReplyStream, LlmError>> {
        self.open(messages).boxed()
    }

    fn complete(&self, req: CompletionRequest) -> BoxFuture<'_, Result<Completion, LlmError>> {
        self.completion(req).boxed()
    }
}
