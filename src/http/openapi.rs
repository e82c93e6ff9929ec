//! The OpenAPI 3.1 document: generated from the handlers' `#[utoipa::path]` annotations and the
//! types they return (`http::routes` registers each route from its annotation), with the schemas of
//! the turn stream's events; served at `GET /api/openapi.json`.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::sse::{CodeData, DoneData, PhaseData, TokenData, TurnStreamEvent};
use crate::error::{ApiError, ErrorBody, ErrorResponse};

/// What the document holds beyond the routes: its header, its tags, and schemas no route names
/// directly (each event's data type).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "mock-interviewer",
        description = "AI/ML system-design mock interviews over HTTP and Server-Sent Events. Turns \
                       answer with a `text/event-stream` of named events (`TurnStreamEvent`). Every \
                       response carries an `x-request-id` header, echoed in error bodies."
    ),
    components(schemas(
        ErrorResponse,
        ErrorBody,
        TurnStreamEvent,
        PhaseData,
        CodeData,
        TokenData,
        DoneData
    )),
    tags(
        (name = "questions", description = "The question bank"),
        (name = "sessions", description = "Interviews: sessions, turns (SSE), scorecards, transcripts"),
        (name = "diagrams", description = "Mermaid flowcharts as the interviewer reads them"),
        (name = "operations", description = "Health, metrics and this document"),
        (name = "web", description = "The browser interview room"),
    )
)]
struct Base;

/// The document's header, tags and extra schemas, before the routes are added.
pub fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    super::routes().split_for_parts().1
}

/// The document as served: the same for every application, rendered once.
static JSON: LazyLock<Result<String, String>> =
    LazyLock::new(|| document().to_json().map_err(|e| e.to_string()));

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API",
        content_type = "application/json", body = Object)))]
async fn openapi_json() -> Result<Response, ApiError> {
    match &*JSON {
        Ok(json) => {
            Ok(([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response())
        }
        Err(e) => Err(ApiError::Internal(anyhow::anyhow!(
            "cannot render the OpenAPI document: {e}"
        ))),
    }
}
