//! Speech to text: the recording goes to `/audio/transcriptions` as multipart (`file`, `model`,
//! `response_format`), under the LLM client's retry policy. `verbose_json` is asked for first, for
//! the spoken duration (the pace); a server that refuses it gets plain `json` from then on.

use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;

use super::{AudioFormat, Endpoint, SpeechError, SpeechTiming, key, url};
use crate::llm::retry::RetryPolicy;

pub struct SttClient {
    http: reqwest::Client,
    endpoint: Endpoint,
    transcriptions_url: String,
    retry: RetryPolicy,
    /// Cleared once the server refuses `verbose_json`.
    verbose: AtomicBool,
}

/// What the server heard.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcription {
    pub text: String,
    /// The audio's length as the server measured it (`verbose_json`), in milliseconds.
    pub duration_ms: Option<i64>,
}

/// Both `json` and `verbose_json` bodies; anything else they carry is ignored.
#[derive(Debug, Deserialize)]
struct Body {
    text: String,
    #[serde(default)]
    duration: Option<f64>,
}

impl SttClient {
    pub fn new(endpoint: Endpoint, timing: SpeechTiming) -> anyhow::Result<SttClient> {
        Ok(SttClient {
            http: timing.client()?,
            transcriptions_url: url(&endpoint.base_url, "audio/transcriptions"),
            endpoint,
            retry: timing.retry(),
            verbose: AtomicBool::new(true),
        })
    }

    pub fn model(&self) -> &str {
        &self.endpoint.model
    }

    /// Transcribes one recording.
    pub async fn transcribe(
        &self,
        audio: Bytes,
        format: AudioFormat,
    ) -> Result<Transcription, SpeechError> {
        let verbose = self.verbose.load(Ordering::Relaxed);
        match self.send(audio.clone(), format, verbose).await {
            Err(SpeechError::Upstream(e)) if verbose && refuses_verbose(&e) => {
                tracing::info!("the transcription server refuses verbose_json; using json");
                self.verbose.store(false, Ordering::Relaxed);
                self.send(audio, format, false).await
            }
            other => other,
        }
    }

    async fn send(
        &self,
        audio: Bytes,
        format: AudioFormat,
        verbose: bool,
    ) -> Result<Transcription, SpeechError> {
        let response_format = if verbose { "verbose_json" } else { "json" };
        let resp = self
            .retry
            .send(|| {
                let file = Part::stream_with_length(
                    reqwest::Body::from(audio.clone()),
                    audio.len() as u64,
                )
                .file_name(format.file_name())
                .mime_str(format.mime())
                // The mime types above are constants that parse.
                .unwrap_or_else(|_| Part::bytes(Vec::new()));
                let form = Form::new()
                    .part("file", file)
                    .text("model", self.endpoint.model.clone())
                    .text("response_format", response_format);
                let req = self.http.post(&self.transcriptions_url).multipart(form);
                match key(&self.endpoint) {
                    Some(k) => req.bearer_auth(k),
                    None => req,
                }
            })
            .await?;
        let raw = tokio::time::timeout(self.retry.timeout, resp.bytes())
            .await
            .map_err(|_| SpeechError::Upstream("timed out reading the transcription".into()))?
            .map_err(|e| SpeechError::Upstream(e.to_string()))?;
        parse(&raw)
    }
}

/// A JSON transcription body; a server that sends plain text (`response_format` ignored) is read
/// as the text itself.
fn parse(raw: &[u8]) -> Result<Transcription, SpeechError> {
    match serde_json::from_slice::<Body>(raw) {
        Ok(b) => Ok(Transcription {
            text: b.text.trim().to_string(),
            duration_ms: b
                .duration
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| (d * 1000.0).round() as i64),
        }),
        Err(e) => {
            let text =
                std::str::from_utf8(raw).map_err(|_| SpeechError::Protocol(e.to_string()))?;
            let t = text.trim();
            if t.starts_with('{') || t.starts_with('[') {
                return Err(SpeechError::Protocol(format!("not a transcription: {e}")));
            }
            Ok(Transcription {
                text: t.to_string(),
                duration_ms: None,
            })
        }
    }
}

/// A 4xx that names the response format: the server does not do `verbose_json`.
fn refuses_verbose(error: &str) -> bool {
    error.starts_with("4") && (error.contains("response_format") || error.contains("verbose_json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbose_and_plain_bodies_are_read() {
        let v = parse(br#"{"task":"transcribe","language":"english","duration":3.25,"text":" Hello there. ","segments":[]}"#).unwrap();
        assert_eq!(v.text, "Hello there.");
        assert_eq!(v.duration_ms, Some(3_250));
        let j = parse(br#"{"text":"Hola"}"#).unwrap();
        assert_eq!(j.duration_ms, None);
        let t = parse(b"just words\n").unwrap();
        assert_eq!(t.text, "just words");
        assert!(parse(br#"{"error":"nope"}"#).is_err());
    }

    #[test]
    fn a_refused_response_format_is_recognised() {
        assert!(refuses_verbose(
            "400 Bad Request: response_format 'verbose_json' is not compatible"
        ));
        assert!(!refuses_verbose(
            "500 Internal Server Error: response_format"
        ));
    }
}
