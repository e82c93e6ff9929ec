//! The voice routes: a spoken answer (the recording as the body, answered with a turn's event
//! stream) and an interviewer turn read aloud.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Caller;
use super::client::Client;
use super::sse::TurnStreamEvent;
use crate::accounts::Access;
use crate::error::{ApiError, ErrorResponse};
use crate::interview::Quota;
use crate::speech::AudioFormat;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audio))
        .routes(routes!(speech))
}

/// A spoken answer: the recording is transcribed and taken like a typed answer, marked spoken; the
/// interviewer's reply streams back as Server-Sent Events.
#[utoipa::path(post, path = "/api/sessions/{id}/audio", tag = "voice",
    params(("id" = String, Path, description = "The session's id")),
    request_body(description = "The recording (at most `--max-audio-mb`, 25 MiB by default)", content(
        (Vec<u8> = "audio/wav"), (Vec<u8> = "audio/webm"), (Vec<u8> = "audio/ogg"), (Vec<u8> = "audio/mpeg"),
    )),
    responses(
        (status = 200, description = "Server-Sent Events, each a `TurnStreamEvent`, as for a typed \
            turn: `turn` (the transcription, with `\"spoken\": true`), then `phase` and `notice` if \
            any, `token`s, and `done` or `error` last", content_type = "text/event-stream",
            body = TurnStreamEvent),
        (status = 400, description = "Nothing was heard in the recording (`empty_transcription`)",
            body = ErrorResponse),
        (status = 404, description = "No such session (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "Another turn of the session is streaming (`turn_in_progress`), \
            or the session is finished (`session_finished`)", body = ErrorResponse),
        (status = 413, description = "The recording is over the limit (`audio_too_large`), or its \
            transcription over 16 KiB (`answer_too_large`)", body = ErrorResponse),
        (status = 415, description = "Not audio/wav, audio/webm, audio/ogg or audio/mpeg \
            (`unsupported_media_type`)", body = ErrorResponse),
        (status = 502, description = "The transcription server failed; nothing was stored \
            (`speech_upstream_failed`)", body = ErrorResponse),
        (status = 503, description = "No transcription server is configured (`speech_unavailable`): \
            the room uses the browser's speech recognition", body = ErrorResponse),
    ))]
async fn audio(
    State(state): State<AppState>,
    Caller(caller): Caller,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize(&caller, &id, Access::Write)
        .await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let format = AudioFormat::from_content_type(&content_type).ok_or_else(|| {
        ApiError::UnsupportedAudio(if content_type.is_empty() {
            "(no Content-Type)".to_string()
        } else {
            content_type.clone()
        })
    })?;
    let limit = state.max_audio_bytes;
    let too_large = ApiError::AudioTooLarge { limit };
    // A declared length over the limit is refused before a byte is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large);
    }
    let recording = axum::body::to_bytes(body, limit).await.map_err(|e| {
        if e.to_string().contains("length limit") {
            too_large
        } else {
            ApiError::InvalidInput(format!("the recording could not be read: {e}"))
        }
    })?;
    if recording.is_empty() {
        return Err(ApiError::InvalidInput("the recording is empty".into()));
    }
    state.interviews.admit(&client.0, Quota::Turn).await?;
    let events = state.interviews.spoken_turn(&id, recording, format).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

/// A turn read aloud by the text-to-speech server (its words, without the Markdown).
#[utoipa::path(get, path = "/api/sessions/{id}/turns/{turn_id}/speech", tag = "voice",
    params(
        ("id" = String, Path, description = "The session's id"),
        ("turn_id" = i64, Path, description = "The turn's id"),
    ),
    responses(
        (status = 200, description = "The audio (MP3 unless the server says otherwise)",
            content_type = "audio/mpeg", body = Vec<u8>),
        (status = 404, description = "No such session (`session_not_found`) or turn \
            (`turn_not_found`)", body = ErrorResponse),
        (status = 502, description = "The speech server failed (`speech_upstream_failed`)",
            body = ErrorResponse),
        (status = 503, description = "No speech server is configured (`speech_unavailable`): the \
            room uses the browser's speech synthesis", body = ErrorResponse),
    ))]
async fn speech(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, turn_id)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    state.accounts.authorize(&caller, &id, Access::Read).await?;
    let audio = state.interviews.turn_speech(&id, turn_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, audio.content_type),
            // A stored turn never changes, so neither does its audio.
            (header::CACHE_CONTROL, "private, max-age=86400".to_string()),
        ],
        audio.bytes,
    )
        .into_response())
}
