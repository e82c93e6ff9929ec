//! HTTP routes and handlers only: extract, call one interview function, map the result.

pub mod admin;
pub mod auth;
pub mod client;
pub mod diagrams;
mod error_shape;
pub mod guard;
pub mod headers;
pub mod json;
pub mod observe;
pub mod openapi;
pub mod sessions;
pub mod sharing;
pub mod sse;
pub mod voice;
pub mod web;

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::accounts::{Accounts, AuthMode};
use crate::content::Level;
use crate::domain::InterviewerMode;
use crate::error::{ApiError, ErrorResponse};
use crate::interview::Interviews;
use crate::interview::views::QuestionView;

/// What every handler and layer reads. Cloned for each request by every layer and extractor that
/// takes `State`, so it is one `Arc` (one count to bump) rather than a handful.
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl AppState {
    pub fn new(parts: AppParts) -> AppState {
        AppState(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// The parts of `AppState`.
pub struct AppParts {
    pub interviews: Arc<Interviews>,
    pub accounts: Arc<Accounts>,
    pub shutdown: CancellationToken,
    /// The largest recording `POST /api/sessions/{id}/audio` reads (`--max-audio-mb`).
    pub max_audio_bytes: usize,
    /// Login cookies carry `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// The hosts and origins this server answers to.
    pub guard: Arc<guard::Guard>,
}

/// The application: every route behind the guard (host, origin, media type, shutdown), errors in
/// one shape, the request id and trace around them, the security headers on every response.
///
/// Everything around the routes is one layer: each `Router::layer` boxes its service again and
/// clones it (with the state) for every request, and each `from_fn` boxes a future, so the stack is
/// built once with `ServiceBuilder` and the per-request checks share one middleware (`edge`).
pub fn router(state: AppState) -> Router {
    let (routes, _) = routes().split_for_parts();
    let routes = routes
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check_change,
        ))
        .fallback(|| async { ApiError::NotFound });
    // The login cookie's session (`--auth password`), inside the error shape so that a store failure
    // answers in it too.
    let routes = if state.accounts.mode == AuthMode::Password {
        routes.layer(auth::login_layer(&state))
    } else {
        routes
    };
    routes
        .layer(
            tower::ServiceBuilder::new()
                .map_response(headers::secure)
                .layer(axum::extract::DefaultBodyLimit::max(json::BODY_LIMIT_BYTES))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(observe::request_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn_with_state(state.clone(), edge)),
        )
        .with_state(state)
}

/// What every request passes through once it has its id and span, outermost first: counted, with
/// the id put into an error body (`observe`); its `Host` checked (`guard`); a foreign error
/// rewritten into the documented shape (`error_shape`).
async fn edge(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    observe::stamp_and_count(&state, req, async |req| {
        match state.guard.check_host(&req) {
            Ok(()) => error_shape::shape(req, next).await,
            Err(e) => axum::response::IntoResponse::into_response(e),
        }
    })
    .await
}

/// Every route, each registered from its handler's `#[utoipa::path]`: the router and the OpenAPI
/// document (`openapi::document`) are built from the same list, so neither can miss a route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(healthz))
        .routes(routes!(list_questions))
        .routes(routes!(get_question))
        .merge(sessions::router())
        .merge(voice::router())
        .merge(auth::router())
        .merge(sharing::router())
        .merge(admin::router())
        .merge(diagrams::router())
        .merge(observe::router())
        .merge(openapi::router())
        .merge(web::router())
}

/// `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// Always `ok` (a broken database is a 500).
    status: &'static str,
    llm: HealthLlm,
    /// Questions in the bank.
    questions: usize,
    /// The `--auth` mode: `none`, `password` (the page shows a login form) or `token`.
    auth: AuthMode,
    speech: HealthSpeech,
}

/// Who hears and who speaks: a server (`server`) or the browser's own (`browser`).
#[derive(Debug, Serialize, ToSchema)]
struct HealthSpeech {
    /// `server`: `POST /api/sessions/{id}/audio` transcribes; `browser`: the room uses the browser's
    /// speech recognition.
    stt: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stt_model: Option<String>,
    /// `server`: `GET /api/sessions/{id}/turns/{turn_id}/speech` speaks; `browser`: the room uses
    /// the browser's speech synthesis.
    tts: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tts_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tts_voice: Option<String>,
    /// The largest recording accepted, in bytes.
    max_audio_bytes: usize,
}

#[derive(Debug, Serialize, ToSchema)]
struct HealthLlm {
    mode: InterviewerMode,
    /// `null` in offline mode.
    model: Option<String>,
    judge_model: Option<String>,
}

/// Liveness and configuration: the interviewer mode and the size of the bank.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "Serving, with the database reachable", body = Health),
        (status = 500, description = "The database is unreachable", body = ErrorResponse),
    ))]
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.interviews.storage.ping().await?;
    let interviewer = &state.interviews.interviewer;
    Ok(Json(Health {
        status: "ok",
        llm: HealthLlm {
            mode: interviewer.mode(),
            model: interviewer.model().map(str::to_string),
            judge_model: interviewer.judge_model().map(str::to_string),
        },
        questions: state.interviews.catalog.questions.len(),
        speech: health_speech(&state),
        auth: state.accounts.mode,
    }))
}

fn health_speech(state: &AppState) -> HealthSpeech {
    let speech = &state.interviews.speech;
    let side = |on: bool| if on { "server" } else { "browser" };
    HealthSpeech {
        stt: side(speech.stt.is_some()),
        stt_model: speech.stt.as_ref().map(|c| c.model().to_string()),
        tts: side(speech.tts.is_some()),
        tts_model: speech.tts.as_ref().map(|c| c.model().to_string()),
        tts_voice: speech.tts.as_ref().map(|c| c.voice().to_string()),
        max_audio_bytes: state.max_audio_bytes,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct QuestionFilter {
    /// Only questions of this kind (`system_design`, `debugging`, `coding`, `behavioral`).
    kind: Option<String>,
    /// Only questions offered at this level (`junior`, `senior`, `staff`).
    level: Option<String>,
}

/// The question bank, never with the hidden requirements.
#[utoipa::path(get, path = "/api/questions", tag = "questions", params(QuestionFilter),
    responses(
        (status = 200, description = "The questions that match", body = Vec<QuestionView>),
        (status = 400, description = "Unknown kind or level (`invalid_input`)", body = ErrorResponse),
    ))]
async fn list_questions(
    State(state): State<AppState>,
    Query(filter): Query<QuestionFilter>,
) -> Result<Json<Vec<QuestionView>>, ApiError> {
    let catalog = &state.interviews.catalog;
    if let Some(kind) = &filter.kind
        && !catalog.plans.contains_key(kind)
    {
        return Err(ApiError::InvalidInput(format!(
            "unknown kind `{kind}` (kinds: {})",
            catalog.plans.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let level = match &filter.level {
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            ApiError::InvalidInput(format!(
                "unknown level `{l}` (levels: junior, senior, staff)"
            ))
        })?),
        None => None,
    };
    let list: Vec<QuestionView> = catalog
        .questions
        .values()
        .filter(|e| filter.kind.as_ref().is_none_or(|k| &e.question.kind == k))
        .filter(|e| level.is_none_or(|l| e.question.levels.contains(&l)))
        .map(|e| QuestionView::new(e))
        .collect();
    Ok(Json(list))
}

/// One question: prompt, kind, levels, duration and phases.
#[utoipa::path(get, path = "/api/questions/{id}", tag = "questions",
    params(("id" = String, Path, description = "The question's id")),
    responses(
        (status = 200, description = "The question", body = QuestionView),
        (status = 404, description = "No such question (`question_not_found`)", body = ErrorResponse),
    ))]
async fn get_question(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<QuestionView>, ApiError> {
    let entry = state
        .interviews
        .catalog
        .question(&id)
        .ok_or(ApiError::QuestionNotFound(id))?;
    Ok(Json(QuestionView::new(entry)))
}
