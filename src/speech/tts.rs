//! Text to speech: an interviewer's words to `/audio/speech` as JSON (`model`, `input`, `voice`,
//! `response_format: mp3`), under the LLM client's retry policy; the audio comes back whole.

use bytes::Bytes;
use serde::Serialize;

use super::{Endpoint, SpeechError, SpeechTiming, key, url};
use crate::llm::retry::RetryPolicy;

/// OpenAI's limit on `input`; longer text is cut at a sentence end before it.
pub const MAX_INPUT_CHARS: usize = 4_096;

pub struct TtsClient {
    http: reqwest::Client,
    endpoint: Endpoint,
    voice: String,
    speech_url: String,
    retry: RetryPolicy,
}

/// Audio to play, with its `Content-Type`.
#[derive(Debug, Clone)]
pub struct SpeechAudio {
    pub content_type: String,
    pub bytes: Bytes,
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    input: &'a str,
    voice: &'a str,
    response_format: &'static str,
}

impl TtsClient {
    pub fn new(
        endpoint: Endpoint,
        voice: String,
        timing: SpeechTiming,
    ) -> anyhow::Result<TtsClient> {
        Ok(TtsClient {
            http: timing.client()?,
            speech_url: url(&endpoint.base_url, "audio/speech"),
            endpoint,
            voice,
            retry: timing.retry(),
        })
    }

    pub fn model(&self) -> &str {
        &self.endpoint.model
    }

    pub fn voice(&self) -> &str {
        &self.voice
    }

    /// The audio of `text` (plain text; cut to `MAX_INPUT_CHARS`).
    pub async fn speak(&self, text: &str) -> Result<SpeechAudio, SpeechError> {
        let input = clip(text, MAX_INPUT_CHARS);
        let body = Bytes::from(
            serde_json::to_vec(&Request {
                model: &self.endpoint.model,
                input,
                voice: &self.voice,
                response_format: "mp3",
            })
            .map_err(|e| SpeechError::Protocol(e.to_string()))?,
        );
        let resp = self
            .retry
            .send(|| {
                let req = self
                    .http
                    .post(&self.speech_url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
                match key(&self.endpoint) {
                    Some(k) => req.bearer_auth(k),
                    None => req,
                }
            })
            .await?;
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("audio/mpeg")
            .to_string();
        if !content_type.starts_with("audio/") && content_type != "application/octet-stream" {
            return Err(SpeechError::Protocol(format!(
                "expected audio, got `{content_type}`"
            )));
        }
        let bytes = tokio::time::timeout(self.retry.timeout, resp.bytes())
            .await
            .map_err(|_| SpeechError::Upstream("timed out reading the audio".into()))?
            .map_err(|e| SpeechError::Upstream(e.to_string()))?;
        if bytes.is_empty() {
            return Err(SpeechError::Protocol("the audio is empty".into()));
        }
        let content_type = if content_type.starts_with("audio/") {
            content_type
        } else {
            "audio/mpeg".to_string()
        };
        Ok(SpeechAudio {
            content_type,
            bytes,
        })
    }
}

/// At most `max` characters, cut after the last sentence end that fits (or at `max`).
fn clip(text: &str, max: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text;
    };
    let head = &text[..cut];
    match head.rfind(['.', '!', '?']) {
        Some(end) if end > cut / 2 => &head[..=end],
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_sentence_end() {
        assert_eq!(clip("Short.", 10), "Short.");
        assert_eq!(clip("One two. Three four five", 12), "One two.");
        assert_eq!(clip("ñññññ", 3), "ñññ");
    }
}
