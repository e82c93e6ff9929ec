//! The browser interview room: static assets embedded in the binary, served at `/`.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

const INDEX: &str = include_str!("../../web/index.html");
const APP_JS: &str = include_str!("../../web/app.js");
const APP_CSS: &str = include_str!("../../web/app.css");

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(app_js))
        .routes(routes!(app_css))
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
