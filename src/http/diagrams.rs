//! `POST /api/diagrams/parse`: a Mermaid flowchart as the interviewer reads it (nodes, edges,
//! subgraphs) or the lines it cannot read; the room calls it as the candidate types.

use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Caller;
use super::json::AppJson;
use crate::diagram::{self, Diagram, ParseError};
use crate::error::{ApiError, ErrorResponse};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(parse))
}

#[derive(Debug, Deserialize, ToSchema)]
struct ParseRequest {
    /// The flowchart's Mermaid source (what goes inside a ```mermaid block), at most 16 KiB.
    source: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct ParseResult {
    /// The source was read whole.
    valid: bool,
    /// The flowchart, when valid.
    diagram: Option<Diagram>,
    /// What could not be read, each with its 1-based line; empty when valid.
    errors: Vec<ParseError>,
    /// Ids of nodes drawn but joined to nothing.
    unconnected: Vec<String>,
    /// Ids of nodes every request path goes through, with no replica drawn.
    single_points_of_failure: Vec<String>,
}

/// Parses a Mermaid flowchart the way the interviewer reads it. A source that cannot be read is
/// still a 200, with `valid: false` and its errors by line.
#[utoipa::path(post, path = "/api/diagrams/parse", tag = "diagrams", request_body = ParseRequest,
    responses(
        (status = 200, description = "The parse: the diagram, or the lines it cannot read", body = ParseResult),
        (status = 400, description = "Malformed JSON (`malformed_json`) or no `source` (`invalid_input`)", body = ErrorResponse),
        (status = 401, description = "Accounts are on and the caller is not signed in (`unauthenticated`)", body = ErrorResponse),
        (status = 413, description = "The body is over 64 KiB (`body_too_large`)", body = ErrorResponse),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = ErrorResponse),
    ))]
async fn parse(
    // Signed in when accounts are on: the parser is part of the room, not a public service.
    _caller: Caller,
    AppJson(body): AppJson<ParseRequest>,
) -> Result<Json<ParseResult>, ApiError> {
    Ok(Json(match diagram::parse(&body.source) {
        Ok(d) => ParseResult {
            valid: true,
            unconnected: ids(diagram::graph::unconnected(&d)),
            single_points_of_failure: ids(diagram::graph::single_points_of_failure(&d)),
            diagram: Some(d),
            errors: Vec::new(),
        },
        Err(errors) => ParseResult {
            valid: false,
            diagram: None,
            errors,
            unconnected: Vec::new(),
            single_points_of_failure: Vec::new(),
        },
    }))
}

fn ids(nodes: Vec<&diagram::Node>) -> Vec<String> {
    nodes.into_iter().map(|n| n.id.clone()).collect()
}
