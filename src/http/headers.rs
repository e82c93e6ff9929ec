//! The security headers every response carries (API, streams, transcripts, the page, its assets,
//! errors): one Content-Security-Policy that the page works under (its own script, style and
//! connections; no inline code, no framing, no plugins), nosniff, no framing for older browsers, and
//! no referrer leaving the room.

use axum::http::{HeaderName, HeaderValue, Response};

/// The policy of every response: the page loads only its own files (`data:` images for the
/// favicon), talks only to this server, may not be framed, and sets no base or form target
/// elsewhere. Styles allow `'unsafe-inline'` (scripts do not, nor eval)
/// because mermaid writes a `<style>` element and `style` attributes into every SVG it renders (its
/// ids and theme are computed per diagram, so no hash or nonce can name them).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Every security header, by name and value (also written by hand on the raw 503 a connection
/// over the limit gets).
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
];

/// Sets every security header on a response (`http::router` maps every response through it).
pub fn secure<B>(mut response: Response<B>) -> Response<B> {
    let headers = response.headers_mut();
    headers.reserve(SECURITY_HEADERS.len());
    for (name, value) in SECURITY_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}
