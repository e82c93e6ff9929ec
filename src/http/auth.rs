//! Who is asking (the `Caller` extractor) and the routes to sign in and out: `POST /api/auth/login`,
//! `POST /api/auth/logout`, `GET /api/me`, and the caller's own API tokens. A bearer token wins over
//! the login cookie; with `--auth none` every request is the one local user.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::client::ClientUser;
use super::json::AppJson;
use crate::accounts::{self, AuthMode, LoginStore, TokenView, User};
use crate::error::{ApiError, ErrorResponse};

/// The login session's key for the signed-in user's id.
const USER_KEY: &str = "user_id";

/// Who is asking; rejects with 401 `unauthenticated` when accounts are on and nobody signed in
/// (or the user is disabled, or the token revoked).
#[derive(Debug, Clone)]
pub struct Caller(pub accounts::Caller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(known) = parts.extensions.get::<Caller>() {
            return Ok(known.clone());
        }
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::to_string);
        let session_user = match (&bearer, parts.extensions.get::<Session>()) {
            (None, Some(session)) => session
                .get::<String>(USER_KEY)
                .await
                .map_err(|e| ApiError::Internal(e.into()))?,
            _ => None,
        };
        let caller = state
            .accounts
            .resolve(bearer.as_deref(), session_user.as_deref())
            .await?;
        if let Some(user) = caller.user() {
            // The limits and quotas count a signed-in user as themselves, wherever they connect from.
            parts.extensions.insert(ClientUser(user.name.clone()));
        }
        let caller = Caller(caller);
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// How long a login lasts without a request.
const LOGIN_IDLE_DAYS: i64 = 7;

/// The login sessions' cookie (`--auth password`): `mi_session`, HttpOnly, SameSite=Strict, Secure
/// when the public URL is https, kept in the database (`storage::LoginStore`).
pub fn login_layer(state: &AppState) -> SessionManagerLayer<LoginStore> {
    SessionManagerLayer::new(LoginStore::new(state.accounts.storage().clone()))
        .with_name("mi_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(LOGIN_IDLE_DAYS)))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(my_tokens, new_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Login {
    name: String,
    password: String,
}

/// The caller as `GET /api/me` shows them.
#[derive(Debug, Serialize, ToSchema)]
struct Me {
    /// The server's `--auth` mode.
    auth: AuthMode,
    /// The signed-in user; `null` with `--auth none`.
    user: Option<User>,
}

/// Signs in with a name and password (`--auth password`): sets the HttpOnly, SameSite=Strict
/// session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = Login,
    responses(
        (status = 200, description = "Signed in", body = Me),
        (status = 401, description = "Wrong name or password, or a disabled account \
            (`invalid_credentials`)", body = ErrorResponse),
        (status = 409, description = "Password login is off: `--auth none` or `--auth token` \
            (`accounts_off`)", body = ErrorResponse),
    ))]
async fn login(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    AppJson(body): AppJson<Login>,
) -> Result<Json<Me>, ApiError> {
    let Some(Extension(session)) = session else {
        return Err(ApiError::AccountsOff);
    };
    let user = state.accounts.login(&body.name, body.password).await?;
    // A new session id at sign-in: a cookie planted before it is worth nothing after.
    session
        .cycle_id()
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    session
        .insert(USER_KEY, &user.id)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Json(Me {
        auth: state.accounts.mode,
        user: Some(user),
    }))
}

/// Signs out: the login session is deleted and its cookie cleared.
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts",
    responses((status = 204, description = "Signed out (or was not signed in)")))]
async fn logout(session: Option<Extension<Session>>) -> Result<Response, ApiError> {
    if let Some(Extension(session)) = session {
        session
            .flush()
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Who the caller is, and the server's auth mode.
#[utoipa::path(get, path = "/api/me", tag = "accounts",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
    ))]
async fn me(State(state): State<AppState>, Caller(caller): Caller) -> Json<Me> {
    Json(Me {
        auth: state.accounts.mode,
        user: caller.user().cloned(),
    })
}

/// The caller's API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/me/tokens", tag = "accounts",
    responses(
        (status = 200, description = "The caller's tokens", body = Vec<TokenView>),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn my_tokens(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    Ok(Json(state.accounts.tokens(caller.account()?).await?))
}

/// A new API token for the caller, shown once in `token`.
#[utoipa::path(post, path = "/api/me/tokens", tag = "accounts",
    responses(
        (status = 201, description = "The token (`token` holds it; only its hash is stored)",
            body = TokenView),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn new_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Response, ApiError> {
    let user = caller.account()?;
    let token = state.accounts.issue_token(&user.name).await?;
    Ok((StatusCode::CREATED, Json(token)).into_response())
}

/// Revokes one of the caller's tokens: it stops working at once.
#[utoipa::path(delete, path = "/api/me/tokens/{token_id}", tag = "accounts",
    params(("token_id" = String, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 404, description = "No such token of the caller's (`token_not_found`)",
            body = ErrorResponse),
        (status = 409, description = "`--auth none` (`accounts_off`)", body = ErrorResponse),
    ))]
async fn revoke_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(token_id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .revoke_token(caller.account()?, &token_id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
