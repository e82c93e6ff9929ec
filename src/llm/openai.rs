//! The OpenAI-compatible client, the only file that imports async-openai. Lenient about what servers
//! send (missing `usage`, extra fields, a role-only first chunk, odd finish reasons, no `response_format`),
//! strict about time (first token and every gap bounded), and it retries before the first token.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::retry::OpenAIRetryLayer;
use async_openai::middleware::{HttpRequestFactory, ReqwestService};
use futures::future::BoxFuture;
use futures::{FutureExt, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

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
    /// The judge's client (async-openai).
    client: Client<OpenAIConfig>,
    /// The streaming path's client: one pooled connection set, `TCP_NODELAY`. Streaming goes through
    /// reqwest + eventsource-stream directly because async-openai 0.43 spawns a task and an unbounded
    /// channel per stream, a hop per token that the benchmark measured.
    http: reqwest::Client,
    chat_url: String,
    settings: OpenAiSettings,
    /// Cleared once the server rejects `response_format`, so later judge calls skip it.
    json_mode: AtomicBool,
}

/// A chunk as servers really send it: every field optional.
#[derive(Debug, Default, Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<ChunkChoice>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: Option<u32>,
    #[serde(default)]
    completion_tokens: Option<u32>,
}

/// What one chunk means for the reply, in order.
/// The body of a streamed chat completion.
#[derive(Serialize)]
struct StreamingChat<'a> {
    model: &'a str,
    messages: &'a [Message],
    stream: bool,
    stream_options: StreamOptions,
}

#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

fn chunk_items(chunk: Chunk) -> Vec<ReplyChunk> {
    let mut out = Vec::with_capacity(2);
    for choice in chunk.choices {
        if let Some(text) = choice.delta.and_then(|d| d.content)
            && !text.is_empty()
        {
            out.push(ReplyChunk::Delta(text));
        }
        if choice.finish_reason.is_some_and(|r| !r.is_empty()) {
            out.push(ReplyChunk::Finished);
        }
    }
    if let Some(u) = chunk.usage {
        out.push(ReplyChunk::Usage {
            prompt: u.prompt_tokens.unwrap_or(0),
            completion: u.completion_tokens.unwrap_or(0),
        });
    }
    out
}

fn describe(e: &OpenAIError) -> String {
    let s = e.to_string();
    s.chars().take(300).collect()
}

/// Caps `Retry-After` on responses before the retry layer reads it.
#[derive(Clone)]
struct CapRetryAfter<S> {
    inner: S,
    max_secs: u64,
}

impl<S> tower::Service<HttpRequestFactory> for CapRetryAfter<S>
where
    S: tower::Service<HttpRequestFactory, Response = reqwest::Response, Error = OpenAIError>,
    S::Future: Send + 'static,
{
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = Pin<Box<dyn Future<Output = Result<reqwest::Response, OpenAIError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: HttpRequestFactory) -> Self::Future {
        let fut = self.inner.call(req);
        let max = self.max_secs;
        Box::pin(async move {
            let mut resp = fut.await?;
            let header = reqwest::header::RETRY_AFTER;
            let asked = resp
                .headers()
                .get(&header)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if asked.is_some_and(|secs| secs > max) {
                resp.headers_mut()
                    .insert(header, reqwest::header::HeaderValue::from(max));
            }
            Ok(resp)
        })
    }
}

impl OpenAiLlm {
    pub fn new(settings: OpenAiSettings) -> anyhow::Result<OpenAiLlm> {
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .connect_timeout(settings.timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()?;
        let config = OpenAIConfig::new()
            .with_api_base(settings.base_url.trim_end_matches('/'))
            .with_api_key(settings.api_key.clone().unwrap_or_default());
        let service = tower::ServiceBuilder::new()
            .layer(OpenAIRetryLayer::new(settings.retries))
            .service(CapRetryAfter {
                inner: ReqwestService::new(http.clone()),
                max_secs: settings.max_retry_after.as_secs(),
            });
        let client = Client::with_config(config).with_http_service(service);
        let chat_url = format!(
            "{}/chat/completions",
            settings.base_url.trim_end_matches('/')
        );
        Ok(OpenAiLlm {
            client,
            http,
            chat_url,
            settings,
            json_mode: AtomicBool::new(true),
        })
    }

    /// Sends the streaming request, retrying connection errors, 429 (honouring a bounded `Retry-After`)
    /// and 5xx with exponential backoff, until a 200 arrives.
    async fn send_with_retries(&self, body: bytes::Bytes) -> Result<reqwest::Response, LlmError> {
        let secs = self.settings.timeout.as_secs();
        let mut backoff = Duration::from_millis(100);
        let mut attempt = 0;
        loop {
            let mut req = self
                .http
                .post(&self.chat_url)
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(key) = self.settings.api_key.as_deref().filter(|k| !k.is_empty()) {
                req = req.bearer_auth(key);
            }
            let wait = match tokio::time::timeout(self.settings.timeout, req.send()).await {
                Err(_) => return Err(LlmError::Timeout(secs)),
                Ok(Err(e))
                    if (e.is_connect() || e.is_request()) && attempt < self.settings.retries =>
                {
                    None
                }
                Ok(Err(e)) => return Err(LlmError::Unavailable(e.to_string())),
                Ok(Ok(resp)) if resp.status().is_success() => return Ok(resp),
                Ok(Ok(resp)) => {
                    let status = resp.status();
                    let retry_after = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s).min(self.settings.max_retry_after));
                    let text = resp.text().await.unwrap_or_default();
                    // A 429 for an exhausted quota will not pass by waiting.
                    let retryable = (status.as_u16() == 429
                        && !text.contains("insufficient_quota"))
                        || status.is_server_error();
                    if !retryable || attempt >= self.settings.retries {
                        let snippet: String = text.chars().take(200).collect();
                        return Err(LlmError::Unavailable(format!("{status}: {snippet}")));
                    }
                    retry_after
                }
            };
            tokio::time::sleep(wait.unwrap_or(backoff)).await;
            backoff = (backoff * 2).min(Duration::from_secs(8));
            attempt += 1;
        }
    }

    async fn open(&self, messages: Vec<Message>) -> Result<ReplyStream, LlmError> {
        let secs = self.settings.timeout.as_secs();
        // Serialised straight from the messages: no intermediate JSON value copying the prompt.
        let body = StreamingChat {
            model: &self.settings.model,
            messages: &messages,
            stream: true,
            stream_options: StreamOptions {
                include_usage: true,
            },
        };
        let body = bytes::Bytes::from(
            serde_json::to_vec(&body).map_err(|e| LlmError::Protocol(e.to_string()))?,
        );
        let resp = self.send_with_retries(body).await?;
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
        let mut body = json!({
            "model": self.settings.judge_model,
            "messages": req.messages,
            "stream": false,
        });
        if json_mode {
            body["response_format"] = json!({ "type": "json_object" });
        }
        // A judge reply is long and not streamed: allow several times the gap timeout.
        let limit = self.settings.timeout * 4;
        let chat = self.client.chat();
        let resp: Value = tokio::time::timeout(limit, chat.create_byot::<Value, Value>(body))
            .await
            .map_err(|_| LlmError::Timeout(limit.as_secs()))?
            .map_err(|e| LlmError::Unavailable(describe(&e)))?;
        let text = resp["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| {
                LlmError::Protocol("the reply has no choices[0].message.content".into())
            })?
            .to_string();
        let usage = |k: &str| resp["usage"][k].as_u64().map(|v| v as u32);
        Ok(Completion {
            text,
            prompt_tokens: usage("prompt_tokens"),
            completion_tokens: usage("completion_tokens"),
        })
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
