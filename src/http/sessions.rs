//! Session routes: create, list, read, turns, advances and hints (SSE), finish, scorecard, transcript.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppState;
use super::json::AppJson;
use crate::content::Level;
use crate::error::ApiError;
use crate::interview::transcript;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/sessions", post(create).get(list))
        .route("/api/sessions/{id}", get(read))
        .route("/api/sessions/{id}/turns", post(turn))
        .route("/api/sessions/{id}/advance", post(advance))
        .route("/api/sessions/{id}/hint", post(hint))
        .route("/api/sessions/{id}/finish", post(finish))
        .route("/api/sessions/{id}/scorecard", get(scorecard))
        .route("/api/sessions/{id}/transcript", get(transcript_of))
        .route("/api/progress", get(progress))
}

#[derive(Debug, Deserialize)]
struct CreateSession {
    question_id: String,
    #[serde(default)]
    level: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    AppJson(body): AppJson<CreateSession>,
) -> Result<Response, ApiError> {
    let level = match body.level.as_deref() {
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            ApiError::InvalidInput(format!(
                "unknown level `{l}` (levels: junior, senior, staff)"
            ))
        })?),
        None => None,
    };
    let view = state
        .interviews
        .create_session(&body.question_id, level)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(view)).into_response())
}

async fn list(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    Ok(axum::Json(state.interviews.list_sessions().await?))
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(axum::Json(state.interviews.session_view(&id).await?))
}

#[derive(Debug, Deserialize)]
struct NewTurn {
    content: String,
}

async fn turn(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<NewTurn>,
) -> Result<Response, ApiError> {
    let events = state.interviews.candidate_turn(&id, body.content).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

async fn advance(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let events = state.interviews.advance(&id).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

/// A hint, streamed like a turn's reply (409 `hint_limit_reached` once the phase's hints are used).
async fn hint(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let events = state.interviews.hint(&id).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

async fn finish(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(axum::Json(state.interviews.finish(&id).await?))
}

async fn scorecard(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(axum::Json(state.interviews.scorecard(&id).await?))
}

#[derive(Debug, Deserialize)]
struct TranscriptFormat {
    format: Option<String>,
}

async fn transcript_of(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TranscriptFormat>,
) -> Result<Response, ApiError> {
    let t = state.interviews.transcript(&id).await?;
    match q.format.as_deref() {
        None | Some("markdown") | Some("md") => Ok((
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            transcript::markdown(&t),
        )
            .into_response()),
        Some("json") => Ok(axum::Json(t).into_response()),
        Some(other) => Err(ApiError::InvalidInput(format!(
            "unknown transcript format `{other}` (markdown or json)"
        ))),
    }
}

async fn progress(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    Ok(axum::Json(state.interviews.progress().await?))
}
