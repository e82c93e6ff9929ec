//! Speech: the clients for an OpenAI-compatible speech-to-text (`/audio/transcriptions`, multipart)
//! and text-to-speech (`/audio/speech`, JSON) endpoint, and what the service knows about the audio
//! it is sent (its format; a WAV's length). Either side may be absent: the room then uses the
//! browser's own speech recognition or synthesis. Knows nothing of interviews.

pub mod audio;
pub mod stt;
pub mod tts;

use std::time::Duration;

pub use audio::AudioFormat;
pub use stt::{SttClient, Transcription};
pub use tts::{SpeechAudio, TtsClient};

use crate::llm::retry::RetryPolicy;

/// One OpenAI-compatible speech endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The `/v1` base URL.
    pub base_url: String,
    pub api_key: Option<String>,
    pub model: String,
}

/// The speech side of the service, as configured.
#[derive(Default)]
pub struct Speech {
    pub stt: Option<SttClient>,
    pub tts: Option<TtsClient>,
}

/// How each speech client talks to its server: the timeout (per attempt, for the whole response)
/// and the LLM client's retry policy.
#[derive(Debug, Clone, Copy)]
pub struct SpeechTiming {
    pub timeout: Duration,
    pub retries: usize,
    pub max_retry_after: Duration,
}

impl SpeechTiming {
    fn retry(&self) -> RetryPolicy {
        RetryPolicy {
            retries: self.retries,
            max_retry_after: self.max_retry_after,
            timeout: self.timeout,
        }
    }

    fn client(&self) -> anyhow::Result<reqwest::Client> {
        Ok(reqwest::Client::builder()
            .tcp_nodelay(true)
            .connect_timeout(self.timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()?)
    }
}

impl Speech {
    pub fn new(
        stt: Option<Endpoint>,
        tts: Option<(Endpoint, String)>,
        timing: SpeechTiming,
    ) -> anyhow::Result<Speech> {
        Ok(Speech {
            stt: stt.map(|e| SttClient::new(e, timing)).transpose()?,
            tts: tts
                .map(|(e, voice)| TtsClient::new(e, voice, timing))
                .transpose()?,
        })
    }
}

/// Why a speech call failed. Details are for the log; clients get the kind.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    /// Unreachable, kept failing, timed out, or refused the request.
    #[error("the speech server failed: {0}")]
    Upstream(String),
    /// It answered something that is not a transcription or audio.
    #[error("the speech server answered something unusable: {0}")]
    Protocol(String),
}

impl From<crate::llm::LlmError> for SpeechError {
    fn from(e: crate::llm::LlmError) -> Self {
        match e {
            // A status failure reads `400 Bad Request: <body>`, which `stt` looks into.
            crate::llm::LlmError::Unavailable(detail) => SpeechError::Upstream(detail),
            other => SpeechError::Upstream(other.to_string()),
        }
    }
}

/// `{base}/{path}` without a doubled slash.
fn url(base: &str, path: &str) -> String {
    format!("{}/{path}", base.trim_end_matches('/'))
}

/// The key to send, if any (an empty one is none).
fn key(endpoint: &Endpoint) -> Option<&str> {
    endpoint.api_key.as_deref().filter(|k| !k.is_empty())
}
