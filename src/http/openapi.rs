//! The OpenAPI 3.1 document: generated from the handlers' `#[utoipa::path]` annotations and the
//! types they return (`http::routes` registers each route from its annotation), with the schemas of
//! the turn stream's events; served at `GET /api/openapi.json`.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::{Method, header};
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

/// The whole document, with the responses the guard and the limits add to the handlers' own.
/// Each documented path's methods, in the order an `Allow` header lists them (GET brings HEAD):
/// what routing takes, read once from the document, which holds every route.
pub static METHODS_BY_PATH: LazyLock<HashMap<String, Vec<Method>>> = LazyLock::new(|| {
    document()
        .paths
        .paths
        .iter()
        .map(|(path, item)| {
            let methods = [
                (item.get.is_some(), Method::GET),
                (item.get.is_some() || item.head.is_some(), Method::HEAD),
                (item.post.is_some(), Method::POST),
                (item.put.is_some(), Method::PUT),
                (item.patch.is_some(), Method::PATCH),
                (item.delete.is_some(), Method::DELETE),
            ]
            .into_iter()
            .filter_map(|(has, m)| has.then_some(m))
            .collect();
            (path.clone(), methods)
        })
        .collect()
});

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = super::routes().split_for_parts().1;
    guard_responses(&mut doc);
    doc
}

/// The routes a request of which counts against a limit (`interview::Quota`).
const LIMITED: [&str; 4] = [
    "/api/sessions",
    "/api/sessions/{id}/turns",
    "/api/sessions/{id}/advance",
    "/api/sessions/{id}/hint",
];

/// Adds what the layers in front of every handler may answer (`guard.rs`, the limits): 403 on
/// every operation, and on state-changing ones 415 (not JSON), 413 (over the body limit), 503
/// (shutting down), and 429 where a limit counts.
fn guard_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorResponse")))
                    .build(),
            )
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let limited = LIMITED.contains(&path.as_str());
        let operations = [
            (false, item.get.as_mut()),
            (false, item.head.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.patch.as_mut()),
            (true, item.delete.as_mut()),
        ];
        for (changes, op) in operations {
            let Some(op) = op else { continue };
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description).into());
            };
            if !changes {
                add(
                    "403",
                    "The `Host` is not one this server answers to (`host_not_allowed`)",
                );
                continue;
            }
            add(
                "403",
                "The `Host` is not this server's (`host_not_allowed`), or the request is \
                 cross-site: a foreign `Origin` or `Sec-Fetch-Site` (`cross_site_request`)",
            );
            add("413", "The body is over the limit (`body_too_large`)");
            add(
                "415",
                "Not `Content-Type: application/json` (`unsupported_media_type`)",
            );
            add(
                "503",
                "The server is shutting down (`shutting_down`); `Retry-After` says when to retry",
            );
            if limited {
                add(
                    "429",
                    "Over a limit of this client (`rate_limited`); `Retry-After` says in how many \
                     seconds to retry",
                );
            }
        }
    }
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
