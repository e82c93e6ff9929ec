//! What every request passes through to be observable: a request id (`x-request-id`, kept from the
//! client or made here, and echoed in the response), a trace span carrying it, the id in error bodies,
//! the HTTP request counter; and `GET /metrics`, the Prometheus scrape.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use tower_http::request_id::RequestId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use crate::error::{ApiError, ErrorBody, ErrorResponse};

/// The Prometheus text format's content type.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scrape))
}

/// The trace span of a request, carrying its method, path and request id (`http::router` puts
/// the id on the request before the span is made).
pub fn request_span(req: &Request) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
    )
}

/// Runs `inner` on the request, then puts the request id into an error body and counts the request
/// by route and status.
pub async fn stamp_and_count(
    state: &AppState,
    req: Request,
    inner: impl AsyncFnOnce(Request) -> Response,
) -> Response {
    let method = method_label(req.method());
    // The pattern, not the path: session ids must not each make a new series.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let request_id = req.extensions().get::<RequestId>().cloned();
    let mut response = inner(req).await;
    if let Some(mut body) = response.extensions_mut().remove::<ErrorBody>() {
        body.request_id = request_id
            .as_ref()
            .and_then(|id| id.header_value().to_str().ok())
            .map(str::to_owned);
        match serde_json::to_vec(&ErrorResponse { error: body }) {
            Ok(bytes) => {
                // The length of the new body is known to hyper; a stale header would not be.
                response.headers_mut().remove(header::CONTENT_LENGTH);
                *response.body_mut() = Body::from(bytes);
            }
            Err(e) => tracing::error!(error = %e, "cannot render an error body"),
        }
    }
    state.interviews.metrics.http_request(
        method,
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
    );
    response
}

/// A bounded set of method labels: anything unusual is `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Every metric in the Prometheus text format, with the session counts read from the database now.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Time to first token and turn latency (histograms, by \
        model), tokens in and out per model, upstream errors by kind, live streams, sessions by status, \
        HTTP requests by method, route and status", content_type = "text/plain; version=0.0.4",
        body = String)))]
async fn scrape(State(state): State<AppState>) -> Result<Response, ApiError> {
    let interviews = &state.interviews;
    interviews
        .metrics
        .sessions(&interviews.sessions_by_status().await?);
    Ok((
        [(header::CONTENT_TYPE, PROMETHEUS_TEXT)],
        interviews.metrics.render(),
    )
        .into_response())
}
