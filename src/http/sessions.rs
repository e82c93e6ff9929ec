//! Session routes: create, list, read, turns, advances and hints (SSE), finish, scorecard, transcript.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Caller;
use super::client::Client;
use super::json::AppJson;
use super::sse::TurnStreamEvent;
use crate::accounts::Access;
use crate::content::Level;
use crate::error::{ApiError, ErrorResponse};
use crate::interview::Quota;
use crate::interview::transcript::{self, Transcript};
use crate::interview::views::{ProgressView, SessionSummary, SessionView};
use crate::scoring::Scorecard;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(read))
        .routes(routes!(turn))
        .routes(routes!(advance))
        .routes(routes!(hint))
        .routes(routes!(finish))
        .routes(routes!(scorecard))
        .routes(routes!(transcript_of))
        .routes(routes!(progress))
}

/// The session in the path (documents it; the handlers extract `Path<String>`).
#[derive(IntoParams)]
#[into_params(parameter_in = Path, names("id"))]
#[allow(dead_code)]
struct SessionId(String);

#[derive(Debug, Deserialize, ToSchema)]
struct CreateSession {
    /// A question's id (`GET /api/questions`).
    question_id: String,
    /// `junior`, `senior` or `staff`; when absent, the question's own default.
    #[serde(default)]
    level: Option<String>,
}

/// Starts an interview: the session with the interviewer's opening turn.
#[utoipa::path(post, path = "/api/sessions", tag = "sessions", request_body = CreateSession,
    responses(
        (status = 201, description = "The new session, its opening turn in `turns`", body = SessionView),
        (status = 400, description = "Malformed JSON (`malformed_json`), or a level that is unknown or \
            not offered (`invalid_input`)", body = ErrorResponse),
        (status = 404, description = "No such question (`question_not_found`)", body = ErrorResponse),
        (status = 413, description = "The body is over 64 KiB (`body_too_large`)", body = ErrorResponse),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = ErrorResponse),
    ))]
async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    client: Client,
    AppJson(body): AppJson<CreateSession>,
) -> Result<Response, ApiError> {
    state.interviews.admit(&client.0, Quota::Session).await?;
    let level = match body.level.as_deref() {
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            ApiError::InvalidInput(format!(
                "unknown level `{l}` (levels: junior, senior, staff)"
            ))
        })?),
        None => None,
    };
    let view: SessionView = state
        .interviews
        .create_session(&body.question_id, level, caller.owner_id(), &client.0)
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// The sessions the caller may see, newest first: a candidate's own, a coach's own and those shared
/// with them, every session for an admin (and with `--auth none`).
#[utoipa::path(get, path = "/api/sessions", tag = "sessions",
    responses(
        (status = 200, description = "Sessions, newest first", body = Vec<SessionSummary>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
    ))]
async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    Ok(Json(
        state.interviews.list_sessions(&caller.list_scope()).await?,
    ))
}

/// A session: status, whether a reply is streaming, phase, time left, turns, the requirements
/// revealed, tokens.
#[utoipa::path(get, path = "/api/sessions/{id}", tag = "sessions", params(SessionId),
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
    ))]
async fn read(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<SessionView>, ApiError> {
    state.accounts.authorize(&caller, &id, Access::Read).await?;
    Ok(Json(state.interviews.session_view(&id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct NewTurn {
    /// The candidate's answer (Markdown), at most 16 KiB.
    content: String,
}

/// The candidate's answer; the interviewer's reply streams back as Server-Sent Events.
#[utoipa::path(post, path = "/api/sessions/{id}/turns", tag = "sessions", params(SessionId),
    request_body = NewTurn,
    responses(
        (status = 200, description = "Server-Sent Events, each a `TurnStreamEvent`: `turn`, then \
            `phase` and `notice` if any, `token`s, and `done` or `error` last",
            content_type = "text/event-stream", body = TurnStreamEvent),
        (status = 400, description = "Malformed JSON, or an empty answer", body = ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "Another turn of the session is streaming (`turn_in_progress`), \
            or the session is finished (`session_finished`)", body = ErrorResponse),
        (status = 413, description = "The answer is over 16 KiB (`answer_too_large`)", body = ErrorResponse),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = ErrorResponse),
    ))]
async fn turn(
    State(state): State<AppState>,
    Caller(caller): Caller,
    client: Client,
    Path(id): Path<String>,
    AppJson(body): AppJson<NewTurn>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize(&caller, &id, Access::Write)
        .await?;
    state.interviews.admit(&client.0, Quota::Turn).await?;
    let events = state.interviews.candidate_turn(&id, body.content).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

/// Moves to the next phase; the interviewer's transition streams back as Server-Sent Events.
#[utoipa::path(post, path = "/api/sessions/{id}/advance", tag = "sessions", params(SessionId),
    responses(
        (status = 200, description = "Server-Sent Events, each a `TurnStreamEvent`: `phase`, then \
            `token`s, and `done` or `error` last", content_type = "text/event-stream",
            body = TurnStreamEvent),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "A turn is streaming (`turn_in_progress`), the session is \
            finished (`session_finished`), or it is in its last phase (`last_phase`)",
            body = ErrorResponse),
    ))]
async fn advance(
    State(state): State<AppState>,
    Caller(caller): Caller,
    client: Client,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize(&caller, &id, Access::Write)
        .await?;
    state.interviews.admit(&client.0, Quota::Turn).await?;
    let events = state.interviews.advance(&id).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

/// A hint, streamed like a turn's reply (409 `hint_limit_reached` once the phase's hints are used).
#[utoipa::path(post, path = "/api/sessions/{id}/hint", tag = "sessions", params(SessionId),
    responses(
        (status = 200, description = "Server-Sent Events, each a `TurnStreamEvent`: `token`s, and \
            `done` or `error` last", content_type = "text/event-stream", body = TurnStreamEvent),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "A turn is streaming (`turn_in_progress`), the session is \
            finished (`session_finished`), or this phase's hints are used (`hint_limit_reached`)",
            body = ErrorResponse),
    ))]
async fn hint(
    State(state): State<AppState>,
    Caller(caller): Caller,
    client: Client,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize(&caller, &id, Access::Write)
        .await?;
    state.interviews.admit(&client.0, Quota::Turn).await?;
    let events = state.interviews.hint(&id).await?;
    Ok(super::sse::respond(events, state.shutdown.clone()))
}

/// Ends the interview and scores it; finishing again returns the same card.
#[utoipa::path(post, path = "/api/sessions/{id}/finish", tag = "sessions", params(SessionId),
    responses(
        (status = 200, description = "The scorecard", body = Scorecard),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "A turn is streaming (`turn_in_progress`)", body = ErrorResponse),
    ))]
async fn finish(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Scorecard>, ApiError> {
    state
        .accounts
        .authorize(&caller, &id, Access::Write)
        .await?;
    Ok(Json(state.interviews.finish(&id).await?))
}

/// The stored scorecard of a finished session.
#[utoipa::path(get, path = "/api/sessions/{id}/scorecard", tag = "sessions", params(SessionId),
    responses(
        (status = 200, description = "The scorecard", body = Scorecard),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "Not finished yet (`not_finished`)", body = ErrorResponse),
    ))]
async fn scorecard(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Scorecard>, ApiError> {
    state.accounts.authorize(&caller, &id, Access::Read).await?;
    Ok(Json(state.interviews.scorecard(&id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TranscriptFormat {
    /// `markdown` (the default) or `json`.
    format: Option<String>,
}

/// The session for review: phases with the time used, turns, and the scorecard once finished.
#[utoipa::path(get, path = "/api/sessions/{id}/transcript", tag = "sessions",
    params(SessionId, TranscriptFormat),
    responses(
        (status = 200, description = "Markdown, or JSON with `?format=json`", content(
            (String = "text/markdown"),
            (Transcript = "application/json"),
        )),
        (status = 400, description = "An unknown format (`invalid_input`)", body = ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
    ))]
async fn transcript_of(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(q): Query<TranscriptFormat>,
) -> Result<Response, ApiError> {
    state.accounts.authorize(&caller, &id, Access::Read).await?;
    let t: Transcript = state.interviews.transcript(&id).await?;
    match q.format.as_deref() {
        None | Some("markdown") | Some("md") => Ok((
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            transcript::markdown(&t),
        )
            .into_response()),
        Some("json") => Ok(Json(t).into_response()),
        Some(other) => Err(ApiError::InvalidInput(format!(
            "unknown transcript format `{other}` (markdown or json)"
        ))),
    }
}

/// Each of the caller's finished sessions' dimension scores, oldest first.
#[utoipa::path(get, path = "/api/progress", tag = "sessions",
    responses(
        (status = 200, description = "Progress over time", body = ProgressView),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
    ))]
async fn progress(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<ProgressView>, ApiError> {
    Ok(Json(
        state.interviews.progress(&caller.progress_scope()).await?,
    ))
}
