//! What every request passes through to be observable: a request id (`x-request-id`, kept from the
//! client or made here, and echoed in the response), a trace span carrying it, the id in error bodies,
//! the HTTP request counter; and `GET /metrics`, the Prometheus scrape.

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use crate::error::{ApiError, ErrorBody, ErrorResponse};

/// The Prometheus text format's content type.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scrape))
}

/// Wraps every route (and the fallback) of `router` in the request id, trace and metrics layers.
pub fn wrap(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(from_fn_with_state(state.clone(), stamp_and_count))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
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
                }))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
}

/// Puts the request id into an error body, and counts the request by route and status.
async fn stamp_and_count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    // The pattern, not the path: session ids must not each make a new series.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let request_id = req.extensions().get::<RequestId>().cloned();
    let mut response = next.run(req).await;
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
