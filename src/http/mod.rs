//! HTTP routes and handlers only: extract, call one interview function, map the result.

pub mod json;
pub mod sessions;
pub mod sse;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::content::Level;
use crate::error::ApiError;
use crate::interview::Interviews;
use crate::interview::views::QuestionView;

#[derive(Clone)]
pub struct AppState {
    pub interviews: Arc<Interviews>,
    pub shutdown: CancellationToken,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/questions", get(list_questions))
        .route("/api/questions/{id}", get(get_question))
        .merge(sessions::router())
        .merge(web::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(axum::extract::DefaultBodyLimit::max(json::BODY_LIMIT_BYTES))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    state.interviews.storage.ping().await?;
    let interviewer = &state.interviews.interviewer;
    Ok(axum::Json(serde_json::json!({
        "status": "ok",
        "llm": {
            "mode": interviewer.mode(),
            "model": interviewer.model(),
            "judge_model": interviewer.judge_model(),
        },
        "questions": state.interviews.catalog.questions.len(),
    })))
}

#[derive(Debug, Deserialize)]
struct QuestionFilter {
    kind: Option<String>,
    level: Option<String>,
}

async fn list_questions(
    State(state): State<AppState>,
    Query(filter): Query<QuestionFilter>,
) -> Result<impl IntoResponse, ApiError> {
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
    Ok(axum::Json(list))
}

async fn get_question(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let entry = state
        .interviews
        .catalog
        .question(&id)
        .ok_or(ApiError::QuestionNotFound(id))?;
    Ok(axum::Json(QuestionView::new(entry)))
}
