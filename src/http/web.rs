//! The browser interview room: static assets embedded in the binary, served at `/`, and the vendored
//! libraries it loads (mermaid, CodeMirror) under `/vendor/`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use crate::embedded::MERMAID;
use crate::error::{ApiError, ErrorResponse};

const INDEX: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const APP_CSS: &str = include_str!("../../web/app.css");
const CODEMIRROR: &str = include_str!("../../web/vendor/codemirror.min.js");

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(app_js))
        .routes(routes!(app_css))
        .routes(routes!(codemirror))
        .routes(routes!(mermaid))
        .routes(routes!(mermaid_chunk))
}

/// The interview room: home, room, scorecard and review, progress.
#[utoipa::path(get, path = "/", tag = "web",
    responses((status = 200, description = "The page", content_type = "text/html", body = String)))]
async fn index() -> impl IntoResponse {
    page(INDEX, "text/html; charset=utf-8")
}

/// The room's script (one ES module).
#[utoipa::path(get, path = "/app.js", tag = "web",
    responses((status = 200, description = "The script", content_type = "text/javascript", body = String)))]
async fn app_js() -> impl IntoResponse {
    page(APP_JS, "text/javascript; charset=utf-8")
}

/// The room's stylesheet.
#[utoipa::path(get, path = "/app.css", tag = "web",
    responses((status = 200, description = "The stylesheet", content_type = "text/css", body = String)))]
async fn app_css() -> impl IntoResponse {
    page(APP_CSS, "text/css; charset=utf-8")
}

/// The code editor and highlighter (CodeMirror 6, one ES module; see `web/vendor/README.md`).
#[utoipa::path(get, path = "/vendor/codemirror.min.js", tag = "web",
    responses(
        (status = 200, description = "The script", content_type = "text/javascript", body = String),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
    ))]
async fn codemirror(headers: HeaderMap) -> Response {
    static TAG: LazyLock<String> = LazyLock::new(|| etag(CODEMIRROR.as_bytes()));
    vendored(&headers, CODEMIRROR.as_bytes(), &TAG, false)
}

/// The diagram renderer's entry module (mermaid; it loads its chunks from the path below).
#[utoipa::path(get, path = "/vendor/mermaid/mermaid.esm.min.mjs", tag = "web",
    responses(
        (status = 200, description = "The script", content_type = "text/javascript", body = String),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 500, description = "The binary was built without it (`internal`)", body = ErrorResponse),
    ))]
async fn mermaid(headers: HeaderMap) -> Result<Response, ApiError> {
    static TAG: LazyLock<String> = LazyLock::new(|| {
        etag(
            MERMAID
                .get_file("mermaid.esm.min.mjs")
                .map_or(&[], |f| f.contents()),
        )
    });
    let file = MERMAID
        .get_file("mermaid.esm.min.mjs")
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("mermaid is not embedded")))?;
    Ok(vendored(&headers, file.contents(), &TAG, false))
}

/// One of mermaid's chunks (content-hashed names, cached for good).
#[utoipa::path(get, path = "/vendor/mermaid/chunks/mermaid.esm.min/{file}", tag = "web",
    params(("file" = String, Path, description = "A chunk's file name, as mermaid imports it")),
    responses(
        (status = 200, description = "The script", content_type = "text/javascript", body = String),
        (status = 404, description = "No such chunk (`asset_not_found`)", body = ErrorResponse),
    ))]
async fn mermaid_chunk(headers: HeaderMap, Path(file): Path<String>) -> Result<Response, ApiError> {
    let found = (file.ends_with(".mjs") && !file.contains('/'))
        .then(|| MERMAID.get_file(format!("chunks/mermaid.esm.min/{file}")))
        .flatten()
        .ok_or(ApiError::AssetNotFound(file))?;
    Ok(vendored(&headers, found.contents(), "", true))
}

fn etag(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

/// A vendored script: revalidated by its tag, or (content-hashed names) cached for a year.
fn vendored(headers: &HeaderMap, body: &'static [u8], tag: &str, immutable: bool) -> Response {
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if !immutable
        && headers
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(tag)
        && !tag.is_empty()
    {
        h.insert(header::ETAG, v);
    }
    response
}

fn page(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // The security headers (CSP, nosniff, framing) are on every response: `headers.rs`.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}
