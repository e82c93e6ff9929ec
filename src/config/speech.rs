//! The speech flags (`--stt-*`, `--tts-*`, `--max-audio-mb`) and where each speech side is served.

use clap::Args;

use super::{DEFAULT_LLM_BASE_URL, LlmMode, ServeArgs};

/// Speech to text and text to speech. Each side is served by the given base URL, else by the LLM's
/// (when the LLM mode is on), else left to the browser; `browser` as a base URL forces the browser.
#[derive(Debug, Clone, Args)]
pub struct SpeechArgs {
    /// OpenAI-compatible `/v1` base URL for `/audio/transcriptions` (whisper.cpp's server,
    /// faster-whisper servers, OpenAI); `browser` leaves speech recognition to the browser.
    #[arg(
        long = "stt-base-url",
        env = "MOCK_INTERVIEWER_STT_BASE_URL",
        global = true
    )]
    pub stt_base_url: Option<String>,

    /// Transcription model.
    #[arg(
        long = "stt-model",
        env = "MOCK_INTERVIEWER_STT_MODEL",
        default_value = "whisper-1",
        global = true
    )]
    pub stt_model: String,

    /// API key for the transcription server (defaults to `--api-key`).
    #[arg(
        long = "stt-api-key",
        env = "MOCK_INTERVIEWER_STT_API_KEY",
        hide_env_values = true,
        global = true
    )]
    pub stt_api_key: Option<String>,

    /// OpenAI-compatible `/v1` base URL for `/audio/speech`; `browser` leaves speech synthesis to
    /// the browser.
    #[arg(
        long = "tts-base-url",
        env = "MOCK_INTERVIEWER_TTS_BASE_URL",
        global = true
    )]
    pub tts_base_url: Option<String>,

    /// Speech model.
    #[arg(
        long = "tts-model",
        env = "MOCK_INTERVIEWER_TTS_MODEL",
        default_value = "tts-1",
        global = true
    )]
    pub tts_model: String,

    /// The interviewer's voice.
    #[arg(
        long = "tts-voice",
        env = "MOCK_INTERVIEWER_TTS_VOICE",
        default_value = "alloy",
        global = true
    )]
    pub tts_voice: String,

    /// API key for the speech server (defaults to `--api-key`).
    #[arg(
        long = "tts-api-key",
        env = "MOCK_INTERVIEWER_TTS_API_KEY",
        hide_env_values = true,
        global = true
    )]
    pub tts_api_key: Option<String>,

    /// The largest recording accepted by `POST /api/sessions/{id}/audio`, in MiB (413 above).
    #[arg(
        long = "max-audio-mb",
        env = "MOCK_INTERVIEWER_MAX_AUDIO_MB",
        default_value_t = 25,
        global = true
    )]
    pub max_audio_mb: usize,
}

/// One speech side as configured: where it is served and with which key, or `None` for the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechServer {
    pub base_url: String,
    pub api_key: Option<String>,
}

impl ServeArgs {
    /// The transcription server, if any: `--stt-base-url`, else the LLM's when its mode is on.
    pub fn stt_server(&self) -> Option<SpeechServer> {
        let s = &self.speech;
        self.speech_server(s.stt_base_url.as_deref(), s.stt_api_key.as_deref())
    }

    /// The speech server, if any: `--tts-base-url`, else the LLM's when its mode is on.
    pub fn tts_server(&self) -> Option<SpeechServer> {
        let s = &self.speech;
        self.speech_server(s.tts_base_url.as_deref(), s.tts_api_key.as_deref())
    }

    fn speech_server(&self, base_url: Option<&str>, key: Option<&str>) -> Option<SpeechServer> {
        let base_url = match base_url.map(str::trim) {
            Some("browser") | Some("") => return None,
            Some(url) => url.to_string(),
            None if self.llm_mode() == LlmMode::Openai => self
                .llm_base_url
                .clone()
                .unwrap_or_else(|| DEFAULT_LLM_BASE_URL.to_string()),
            None => return None,
        };
        Some(SpeechServer {
            base_url,
            api_key: key.map(str::to_string).or_else(|| self.api_key.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::config::Cli;

    fn args(flags: &[&str]) -> ServeArgs {
        let mut all = vec!["mock-interviewer"];
        all.extend_from_slice(flags);
        Cli::parse_from(all).serve
    }

    #[test]
    fn speech_follows_the_llm_server_and_key_unless_set_apart() {
        // Offline and nothing given: the browser hears and speaks.
        let offline = args(&[]);
        assert_eq!(offline.stt_server(), None);
        assert_eq!(offline.tts_server(), None);
        // The LLM's server and key by default.
        let llm = args(&["--llm-base-url", "http://h:1/v1", "--api-key", "k"]);
        let expected = Some(SpeechServer {
            base_url: "http://h:1/v1".into(),
            api_key: Some("k".into()),
        });
        assert_eq!(llm.stt_server(), expected);
        assert_eq!(llm.tts_server(), expected);
        // Set apart, with a key of their own; or left to the browser.
        let apart = args(&[
            "--api-key",
            "k",
            "--stt-base-url",
            "http://w:8178/v1",
            "--stt-api-key",
            "s",
            "--tts-base-url",
            "browser",
        ]);
        assert_eq!(
            apart.stt_server(),
            Some(SpeechServer {
                base_url: "http://w:8178/v1".into(),
                api_key: Some("s".into()),
            })
        );
        assert_eq!(apart.tts_server(), None);
        // A speech server alone, with the offline interviewer.
        let only = args(&["--tts-base-url", "http://t/v1"]);
        assert_eq!(only.stt_server(), None);
        assert_eq!(only.tts_server().unwrap().base_url, "http://t/v1");
        assert_eq!(only.speech.tts_model, "tts-1");
        assert_eq!(only.speech.tts_voice, "alloy");
        assert_eq!(only.speech.stt_model, "whisper-1");
    }
}
