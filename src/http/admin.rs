//! Admin routes: users (list, create, disable, enable) and usage per user. An admin only (with
//! `--auth none`, the local user).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Caller;
use super::json::AppJson;
use crate::accounts::{UsageView, UserView};
use crate::domain::UserRole;
use crate::error::{ApiError, ErrorResponse};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(users, create))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(usage))
}

/// Every user, by name.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin",
    responses(
        (status = 200, description = "The users", body = Vec<UserView>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not an admin (`forbidden`)", body = ErrorResponse),
    ))]
async fn users(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<UserView>>, ApiError> {
    caller.admin()?;
    Ok(Json(state.accounts.users().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct NewUser {
    name: String,
    role: UserRole,
    /// At least 8 characters; absent for an account that signs in with tokens only.
    #[serde(default)]
    password: Option<String>,
}

/// Adds a user.
#[utoipa::path(post, path = "/api/admin/users", tag = "admin", request_body = NewUser,
    responses(
        (status = 201, description = "The user", body = UserView),
        (status = 400, description = "A bad name or a short password (`invalid_input`)",
            body = ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not an admin (`forbidden`)", body = ErrorResponse),
        (status = 409, description = "The name is taken (`user_exists`)", body = ErrorResponse),
    ))]
async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    AppJson(body): AppJson<NewUser>,
) -> Result<Response, ApiError> {
    caller.admin()?;
    let user = state
        .accounts
        .add_user(&body.name, body.role, body.password)
        .await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

/// Disables a user: their login sessions and tokens stop working at once.
#[utoipa::path(post, path = "/api/admin/users/{name}/disable", tag = "admin",
    params(("name" = String, Path, description = "The user's name")),
    responses(
        (status = 200, description = "The user, disabled", body = UserView),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not an admin (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "No such user (`user_not_found`)", body = ErrorResponse),
    ))]
async fn disable(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    caller.admin()?;
    Ok(Json(state.accounts.set_disabled(&name, true).await?))
}

/// Enables a disabled user again.
#[utoipa::path(post, path = "/api/admin/users/{name}/enable", tag = "admin",
    params(("name" = String, Path, description = "The user's name")),
    responses(
        (status = 200, description = "The user, enabled", body = UserView),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not an admin (`forbidden`)", body = ErrorResponse),
        (status = 404, description = "No such user (`user_not_found`)", body = ErrorResponse),
    ))]
async fn enable(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    caller.admin()?;
    Ok(Json(state.accounts.set_disabled(&name, false).await?))
}

/// Sessions, turns and model tokens per user.
#[utoipa::path(get, path = "/api/admin/usage", tag = "admin",
    responses(
        (status = 200, description = "Usage per user", body = Vec<UsageView>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 403, description = "Not an admin (`forbidden`)", body = ErrorResponse),
    ))]
async fn usage(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<UsageView>>, ApiError> {
    caller.admin()?;
    Ok(Json(state.accounts.usage().await?))
}
