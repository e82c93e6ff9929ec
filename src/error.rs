//! The API's one error type: a stable `code`, an HTTP status, and the same body as an SSE `error` event.
//! The request id is added to the body on the way out (`http::observe`), where it is known.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    MalformedJson(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("request body is larger than the limit of {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("the answer is {len} bytes; the limit is {limit} bytes")]
    AnswerTooLarge { len: usize, limit: usize },
    #[error("requests must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("no question with id `{0}`")]
    QuestionNotFound(String),
    #[error("no session with id `{0}`")]
    SessionNotFound(String),
    #[error("another turn of this session is still streaming")]
    TurnInProgress,
    #[error("the session is finished")]
    SessionFinished,
    #[error("the interview is already in its last phase")]
    LastPhase,
    #[error("no more hints in this phase (at most {limit} per phase)")]
    HintLimit { limit: usize },
    #[error("the session has no scorecard yet: finish it first")]
    NotFinished,
    #[error("no route for this path")]
    NotFound,
    #[error(
        "sign in first: a session cookie (POST /api/auth/login) or an `Authorization: Bearer` token"
    )]
    Unauthenticated,
    #[error("wrong name or password")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("this needs accounts: start the server with --auth password or --auth token")]
    AccountsOff,
    #[error("no user named `{0}`")]
    UserNotFound(String),
    #[error("a user named `{0}` already exists")]
    UserExists(String),
    #[error("no such share (revoked, or never made)")]
    ShareNotFound,
    #[error("no such token")]
    TokenNotFound,
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error(
        "this server does not answer to the host `{0}` (its operator can add it with --public-url or --allowed-host)"
    )]
    HostNotAllowed(String),
    #[error("cross-site requests may not change anything ({0})")]
    CrossSite(String),
    #[error("too many requests: {what}; retry in {retry_after_secs} s")]
    RateLimited {
        what: &'static str,
        retry_after_secs: u64,
    },
    #[error("the server is shutting down; retry on another instance or once it is back")]
    ShuttingDown,
    #[error("no vendored file `{0}`")]
    AssetNotFound(String),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

/// Every error response: `{"error": {...}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable: `invalid_input`, `session_not_found`, `turn_in_progress`, ... (see the README).
    pub code: &'static str,
    /// For people; may change.
    pub message: String,
    /// The request's `x-request-id`, to find its log lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ErrorBody {
    /// The response for this body.
    pub fn response(self, status: StatusCode) -> Response {
        let mut response = (
            status,
            Json(ErrorResponse {
                error: self.clone(),
            }),
        )
            .into_response();
        // Kept beside the rendered body, so the request-id layer can render it again with the id.
        response.extensions_mut().insert(self);
        response
    }
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidInput(_) => "invalid_input",
            ApiError::BodyTooLarge { .. } => "body_too_large",
            ApiError::AnswerTooLarge { .. } => "answer_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::QuestionNotFound(_) => "question_not_found",
            ApiError::SessionNotFound(_) => "session_not_found",
            ApiError::TurnInProgress => "turn_in_progress",
            ApiError::SessionFinished => "session_finished",
            ApiError::LastPhase => "last_phase",
            ApiError::HintLimit { .. } => "hint_limit_reached",
            ApiError::NotFinished => "not_finished",
            ApiError::NotFound => "not_found",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::AccountsOff => "accounts_off",
            ApiError::UserNotFound(_) => "user_not_found",
            ApiError::UserExists(_) => "user_exists",
            ApiError::ShareNotFound => "share_not_found",
            ApiError::TokenNotFound => "token_not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::HostNotAllowed(_) => "host_not_allowed",
            ApiError::CrossSite(_) => "cross_site_request",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::AssetNotFound(_) => "asset_not_found",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            ApiError::BodyTooLarge { .. } | ApiError::AnswerTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::QuestionNotFound(_)
            | ApiError::SessionNotFound(_)
            | ApiError::NotFound
            | ApiError::UserNotFound(_)
            | ApiError::ShareNotFound
            | ApiError::TokenNotFound
            | ApiError::AssetNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TurnInProgress
            | ApiError::SessionFinished
            | ApiError::LastPhase
            | ApiError::HintLimit { .. }
            | ApiError::NotFinished
            | ApiError::AccountsOff
            | ApiError::UserExists(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::HostNotAllowed(_) | ApiError::CrossSite(_) => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body sent to clients; internal details go to the log only.
    pub fn body(&self) -> ErrorBody {
        let message = match self {
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        ErrorBody {
            code: self.code(),
            message,
            request_id: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.body().response(self.status());
        let headers = response.headers_mut();
        match &self {
            ApiError::RateLimited {
                retry_after_secs, ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            ApiError::ShuttingDown => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            // The rest of an oversized body is not read: the connection cannot be reused.
            ApiError::BodyTooLarge { .. } => {
                headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            _ => {}
        }
        response
    }
}
