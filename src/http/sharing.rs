//! Sharing a session with coaches and commenting on it: the owner shares (by a coach's name or a
//! link) and revokes; a coach opens a link; the owner and the coaches it is shared with comment.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Caller;
use super::json::AppJson;
use crate::accounts::{Access, CommentView, NewShare, ShareView};
use crate::error::{ApiError, ErrorResponse};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(shares, share))
        .routes(routes!(revoke))
        .routes(routes!(open_link))
        .routes(routes!(comments, comment))
}

/// Lists the session's shares (its owner only).
#[utoipa::path(get, path = "/api/sessions/{id}/shares", tag = "sharing",
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The shares: coaches by name and links", body = Vec<ShareView>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not the owner, though allowed to see it (`forbidden`)",
            body = ErrorResponse),
        (status = 404, description = "No such session, or not the caller's (`session_not_found`)",
            body = ErrorResponse),
    ))]
async fn shares(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ShareView>>, ApiError> {
    state
        .accounts
        .authorize_existing(&caller, &id, Access::Manage)
        .await?;
    caller.account()?;
    Ok(Json(state.accounts.shares(&id).await?))
}

/// Shares the session with a coach by name (`{"coach": NAME}`) or makes a share link
/// (`{"link": true}`, its token in the answer, once).
#[utoipa::path(post, path = "/api/sessions/{id}/shares", tag = "sharing",
    params(("id" = String, Path, description = "The session's id")), request_body = NewShare,
    responses(
        (status = 201, description = "The share", body = ShareView),
        (status = 400, description = "Neither or both of `coach` and `link`, or the user is not a \
            coach (`invalid_input`)", body = ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not the owner (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "No such session (`session_not_found`) or coach \
            (`user_not_found`)", body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn share(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    AppJson(body): AppJson<NewShare>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize_existing(&caller, &id, Access::Manage)
        .await?;
    caller.account()?;
    let view = state.accounts.share(&id, body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Revokes a share: the coach, or every coach who opened the link, loses access at once.
#[utoipa::path(delete, path = "/api/sessions/{id}/shares/{share_id}", tag = "sharing",
    params(
        ("id" = String, Path, description = "The session's id"),
        ("share_id" = String, Path, description = "The share's id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not the owner (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "No such session (`session_not_found`) or share \
            (`share_not_found`)", body = ErrorResponse),
    ))]
async fn revoke(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize_existing(&caller, &id, Access::Manage)
        .await?;
    state.accounts.revoke_share(&id, &share_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
struct OpenLink {
    /// The share link's token.
    token: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct Opened {
    /// The session now readable by the coach.
    session_id: String,
}

/// A coach opens a share link and gains read and comment access to its session.
#[utoipa::path(post, path = "/api/shares/open", tag = "sharing", request_body = OpenLink,
    responses(
        (status = 200, description = "The session shared", body = Opened),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not a coach (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "Unknown or revoked link (`share_not_found`)", body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn open_link(
    State(state): State<AppState>,
    Caller(caller): Caller,
    AppJson(body): AppJson<OpenLink>,
) -> Result<Json<Opened>, ApiError> {
    let session_id = state
        .accounts
        .open_link(caller.account()?, &body.token)
        .await?;
    Ok(Json(Opened { session_id }))
}

/// The session's comments, oldest first.
#[utoipa::path(get, path = "/api/sessions/{id}/comments", tag = "sharing",
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The comments", body = Vec<CommentView>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
    ))]
async fn comments(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<CommentView>>, ApiError> {
    state
        .accounts
        .authorize_existing(&caller, &id, Access::Read)
        .await?;
    Ok(Json(state.accounts.comments(&id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct NewComment {
    /// Plain text, at most 4 KiB.
    body: String,
    /// The turn commented on; absent for the session as a whole.
    #[serde(default)]
    turn_id: Option<i64>,
}

/// Comments on the session or one of its turns (its owner, or a coach it is shared with).
#[utoipa::path(post, path = "/api/sessions/{id}/comments", tag = "sharing",
    params(("id" = String, Path, description = "The session's id")), request_body = NewComment,
    responses(
        (status = 201, description = "The comment", body = CommentView),
        (status = 400, description = "Empty, over 4 KiB, or a turn not in the session \
            (`invalid_input`)", body = ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "An admin who is not the owner (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "No such session, or not visible to the caller \
            (`session_not_found`)", body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn comment(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    AppJson(body): AppJson<NewComment>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .authorize_existing(&caller, &id, Access::Comment)
        .await?;
    let view = state
        .accounts
        .comment(caller.account()?, &id, body.turn_id, &body.body)
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
