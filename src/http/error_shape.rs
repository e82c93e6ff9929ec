//! The safety net under every route: a 4xx or 5xx that is not already our JSON error (axum's own
//! rejections of a path or query it cannot parse, a 405 from routing, ...) is rewritten into the
//! documented shape, `{"error":{"code","message"}}`, with a code for its status.

use axum::body::to_bytes;
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ErrorBody;

/// The most of a foreign error body read back as the message.
const MESSAGE_BYTES: usize = 2_048;

pub async fn shape(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ErrorBody>().is_some()
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, MESSAGE_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, message) = describe(status, &method, &parts.headers, route.as_ref(), text);
    let mut shaped = ErrorBody {
        code,
        message,
        request_id: None,
    }
    .response(status);
    // Keep what the status needs (`Allow` on a 405, `Retry-After`, ...), not the old body's type.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    shaped
}

fn describe(
    status: StatusCode,
    method: &Method,
    headers: &axum::http::HeaderMap,
    route: Option<&MatchedPath>,
    text: String,
) -> (&'static str, String) {
    let or = |fallback: &str| {
        if text.is_empty() {
            fallback.to_string()
        } else {
            text.clone()
        }
    };
    match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            ("invalid_input", or("the request is not valid"))
        }
        StatusCode::NOT_FOUND => ("not_found", or("no route for this path")),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                // axum puts `Allow` on a 405 outside this layer: the route's methods are read from
                // the document instead.
                .or_else(|| {
                    let methods = super::openapi::METHODS_BY_PATH.get(route?.as_str())?;
                    Some(
                        methods
                            .iter()
                            .map(Method::as_str)
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                })
                .unwrap_or_else(|| "see the Allow header".to_string());
            (
                "method_not_allowed",
                format!("{method} is not allowed here (allowed: {allowed})"),
            )
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", or("the request body is too large")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", or("unsupported Content-Type"))
        }
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", or("the request took too long")),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", or("too many requests")),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", or("the service is unavailable")),
        s if s.is_server_error() => {
            tracing::error!(status = %s, body = %text, "an error response outside ApiError");
            ("internal", "internal error".to_string())
        }
        _ => ("http_error", or("the request failed")),
    }
}
