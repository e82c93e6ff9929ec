//! The spoken use-cases: an answer given as a recording (transcribed, then taken like a typed answer
//! and marked spoken) and an interviewer turn read aloud. Without a speech server each refuses with
//! `speech_unavailable`, and the room uses the browser's own recognition and synthesis.

use bytes::Bytes;

use crate::error::ApiError;
use crate::speech::audio::wav_duration_ms;
use crate::speech::{AudioFormat, SpeechAudio};
use crate::storage::Voice;

use super::events::EventStream;
use super::orchestrator::Interviews;

impl Interviews {
    /// A spoken answer: transcribed, then committed and answered exactly like a typed one, its
    /// `turn` event carrying the text and `"spoken": true`. A failed or empty transcription stores
    /// nothing.
    pub async fn spoken_turn(
        &self,
        session_id: &str,
        audio: Bytes,
        format: AudioFormat,
    ) -> Result<EventStream, ApiError> {
        let stt = self
            .speech
            .stt
            .as_ref()
            .ok_or(ApiError::SpeechUnavailable("speech-to-text"))?;
        // Checked before paying for a transcription; the turn checks again under its lock.
        if self.load(session_id).await?.is_finished() {
            return Err(ApiError::SessionFinished);
        }
        let heard = stt.transcribe(audio.clone(), format).await.map_err(|e| {
            tracing::warn!(error = %e, session = session_id, "transcription failed");
            ApiError::SpeechFailed("speech-to-text")
        })?;
        if heard.text.trim().is_empty() {
            return Err(ApiError::EmptyTranscription);
        }
        // The server's measure when it gives one (verbose_json), else the WAV header's.
        let speech_ms = heard.duration_ms.or_else(|| match format {
            AudioFormat::Wav => wav_duration_ms(&audio),
            _ => None,
        });
        self.answer(session_id, heard.text, Some(Voice { speech_ms }))
            .await
    }

    /// A turn of the session read aloud (its Markdown as plain words).
    pub async fn turn_speech(
        &self,
        session_id: &str,
        turn_id: i64,
    ) -> Result<SpeechAudio, ApiError> {
        let tts = self
            .speech
            .tts
            .as_ref()
            .ok_or(ApiError::SpeechUnavailable("text-to-speech"))?;
        self.load(session_id).await?;
        let turns = self.storage.turns(session_id).await?;
        let turn =
            turns
                .iter()
                .find(|t| t.id == turn_id)
                .ok_or_else(|| ApiError::TurnNotFound {
                    session: session_id.to_string(),
                    turn: turn_id,
                })?;
        let text = crate::markdown::to_plain_text(&turn.content);
        if text.is_empty() {
            return Err(ApiError::InvalidInput(format!(
                "turn {turn_id} has no words to read aloud"
            )));
        }
        tts.speak(&text).await.map_err(|e| {
            tracing::warn!(error = %e, session = session_id, "speech synthesis failed");
            ApiError::SpeechFailed("text-to-speech")
        })
    }
}
