//! What every request must pass before any handler runs: a `Host` this server answers to (no DNS
//! rebinding), and for anything that changes state (POST, PUT, PATCH, DELETE) the same origin
//! (`Origin`, `Sec-Fetch-Site`), a body of the type the route takes (JSON unless the route is in
//! `BODY_RULES`) within its size, and a server that is not shutting down. A cross-site HTML form can
//! send only urlencoded, multipart or text/plain bodies, so the media-type rule alone stops it even
//! from a browser that sends no `Origin`.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::json::BODY_LIMIT_BYTES;
use crate::error::ApiError;

/// A route whose state-changing requests take a body other than JSON: its path pattern as routed
/// (`/api/sessions/{id}/audio`), the media types it takes and its size limit. Every other route
/// takes `application/json` up to `BODY_LIMIT_BYTES`.
#[derive(Debug, Clone, Copy)]
pub struct BodyRule {
    pub path: &'static str,
    pub media_types: &'static [&'static str],
    pub max_bytes: usize,
    /// The 415 for a media type the route does not take (given the type sent).
    pub refusal: fn(String) -> ApiError,
}

/// The routes with their own body rule (register a route here with its handler).
pub const BODY_RULES: &[BodyRule] = &[BodyRule {
    // A spoken answer: the recording as it is. Its size limit is `--max-audio-mb`, enforced by the
    // handler (`voice.rs`) before the body is read.
    path: "/api/sessions/{id}/audio",
    media_types: crate::speech::audio::ACCEPTED_TYPES,
    max_bytes: usize::MAX,
    refusal: ApiError::UnsupportedAudio,
}];

const JSON_RULE: BodyRule = BodyRule {
    path: "",
    media_types: &["application/json"],
    max_bytes: BODY_LIMIT_BYTES,
    refusal: |_| ApiError::UnsupportedMediaType,
};

/// The hosts and origins this server answers to, fixed once the listener is bound.
#[derive(Debug, Clone)]
pub struct Guard {
    hosts: HashSet<String>,
    origins: HashSet<String>,
    trust_forwarded_for: bool,
}

impl Guard {
    /// Loopback names on the bound port always; the bound address itself when it is a specific
    /// one; the public URL's host and origin; and any extra hosts given.
    pub fn new(
        bound: SocketAddr,
        public_url: Option<&reqwest::Url>,
        extra_hosts: &[String],
        trust_forwarded_for: bool,
    ) -> Guard {
        let port = bound.port();
        let mut hosts = HashSet::new();
        let mut origins = HashSet::new();
        let mut local = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        if !bound.ip().is_unspecified() {
            local.push(host_literal(bound.ip()));
        }
        for name in local {
            for host in with_port(&name, port, 80) {
                origins.insert(format!("http://{host}"));
                hosts.insert(host);
            }
        }
        if let Some(url) = public_url
            && let Some(host) = url.host_str()
        {
            let default = if url.scheme() == "https" { 443 } else { 80 };
            let port = url.port_or_known_default().unwrap_or(default);
            hosts.extend(with_port(&host.to_ascii_lowercase(), port, default));
            origins.insert(url.origin().ascii_serialization().to_ascii_lowercase());
        }
        for host in extra_hosts {
            let host = host.trim().to_ascii_lowercase();
            if host.is_empty() {
                continue;
            }
            origins.insert(format!("http://{host}"));
            origins.insert(format!("https://{host}"));
            hosts.insert(host);
        }
        Guard {
            hosts,
            origins,
            trust_forwarded_for,
        }
    }

    pub fn trust_forwarded_for(&self) -> bool {
        self.trust_forwarded_for
    }

    /// The `Host` (or HTTP/2 authority) must be one this server answers to: checked on every
    /// request, routed or not (`http::router`'s `edge`).
    pub fn check_host(&self, req: &Request) -> Result<(), ApiError> {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| req.uri().authority().map(|a| a.to_string()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if self.hosts.contains(&host) {
            Ok(())
        } else {
            Err(ApiError::HostNotAllowed(host))
        }
    }

    /// `Origin`, when sent, must be this server's; `Sec-Fetch-Site`, when sent, `same-origin` or
    /// `none` (typed by the user).
    fn check_same_origin(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
            if !self.origins.contains(&origin) {
                return Err(ApiError::CrossSite(format!("origin `{origin}`")));
            }
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            let site = site.to_str().unwrap_or("").to_ascii_lowercase();
            if site != "same-origin" && site != "none" {
                return Err(ApiError::CrossSite(format!("Sec-Fetch-Site `{site}`")));
            }
        }
        Ok(())
    }
}

/// `name:port`, and the bare name too when `port` is the scheme's default.
fn with_port(name: &str, port: u16, default: u16) -> Vec<String> {
    let mut out = vec![format!("{name}:{port}")];
    if port == default {
        out.push(name.to_string());
    }
    out
}

fn host_literal(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// The request's route takes its method (else routing answers 405).
fn routed(req: &Request) -> bool {
    let Some(path) = req.extensions().get::<MatchedPath>() else {
        return false;
    };
    // The router answers a method the route does not take with 405, which these checks must not
    // turn into a 403 or a 415.
    super::openapi::METHODS_BY_PATH
        .get(path.as_str())
        .is_none_or(|methods| methods.contains(req.method()))
}

/// The body rule of the route a request was routed to.
fn body_rule(req: &Request) -> BodyRule {
    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str());
    BODY_RULES
        .iter()
        .find(|r| Some(r.path) == path)
        .copied()
        .unwrap_or(JSON_RULE)
}

/// The body's media type must be one the route takes (parameters such as `charset` aside).
fn check_body(req: &Request, rule: &BodyRule) -> Result<(), ApiError> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !rule.media_types.contains(&media.as_str()) {
        return Err((rule.refusal)(if media.is_empty() {
            "(no Content-Type)".to_string()
        } else {
            media
        }));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > rule.max_bytes as u64) {
        return Err(ApiError::BodyTooLarge {
            limit: rule.max_bytes,
        });
    }
    Ok(())
}

/// The second, on requests that reached a handler (a method a route does not take is its 405):
/// same origin, not shutting down, a body of the route's type and size.
pub async fn check_change(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match admit_change(&state, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn admit_change(state: &AppState, req: &Request) -> Result<(), ApiError> {
    if changes_state(req.method()) && routed(req) {
        state.guard.check_same_origin(req.headers())?;
        if state.shutdown.is_cancelled() {
            return Err(ApiError::ShuttingDown);
        }
        check_body(req, &body_rule(req))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

    fn guard(bound: &str, public: Option<&str>) -> Guard {
        let url = public.map(|u| reqwest::Url::parse(u).unwrap());
        Guard::new(bound.parse().unwrap(), url.as_ref(), &[], false)
    }

    fn req(host: &str) -> Request {
        Request::builder()
            .uri("/api/sessions")
            .header("host", host)
            .body(Body::empty())
            .unwrap()
    }

    #[test]
    fn loopback_names_on_the_bound_port_are_accepted_and_nothing_else() {
        let g = guard("127.0.0.1:4321", None);
        for ok in [
            "127.0.0.1:4321",
            "localhost:4321",
            "LOCALHOST:4321",
            "[::1]:4321",
        ] {
            assert!(g.check_host(&req(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "evil.example:4321",
            "localhost:80",
            "localhost",
            "127.0.0.1:4322",
            "",
        ] {
            assert!(g.check_host(&req(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_public_url_adds_its_host_and_origin() {
        let g = guard("0.0.0.0:8080", Some("https://Interview.Example.com"));
        for ok in [
            "interview.example.com",
            "interview.example.com:443",
            "localhost:8080",
        ] {
            assert!(g.check_host(&req(ok)).is_ok(), "{ok}");
        }
        assert!(g.check_host(&req("0.0.0.0:8080")).is_err());
        let mut h = HeaderMap::new();
        h.insert("origin", "https://interview.example.com".parse().unwrap());
        assert!(g.check_same_origin(&h).is_ok());
        h.insert("origin", "http://interview.example.com".parse().unwrap());
        assert!(g.check_same_origin(&h).is_err());
    }

    #[test]
    fn cross_site_origins_and_fetch_sites_are_refused() {
        let g = guard("127.0.0.1:8080", None);
        let mut h = HeaderMap::new();
        assert!(g.check_same_origin(&h).is_ok(), "curl sends neither");
        h.insert("origin", "http://localhost:8080".parse().unwrap());
        h.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(g.check_same_origin(&h).is_ok());
        h.insert("sec-fetch-site", "same-site".parse().unwrap());
        assert!(
            g.check_same_origin(&h).is_err(),
            "another port is another origin"
        );
        h.remove("sec-fetch-site");
        for bad in ["http://evil.example", "null", "http://localhost:8081"] {
            h.insert("origin", bad.parse().unwrap());
            assert!(g.check_same_origin(&h).is_err(), "{bad}");
        }
    }
}
