//! Observability: every response carries a request id, error bodies name it, and `/metrics` is
//! Prometheus text counting requests by route and sessions by status.

use crate::helpers::*;

/// The value of the sample line starting with `prefix` (name and labels).
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn scrape(app: &TestApp) -> String {
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    r.text().await.unwrap()
}

#[tokio::test]
async fn an_error_body_names_the_request_id_sent_back_in_the_header() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/questions/no-such-question"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "question_not_found");
    assert_eq!(body["error"]["request_id"], id.as_str());
}

#[tokio::test]
async fn a_request_id_from_the_client_is_kept() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/sessions"))
        .header("x-request-id", "trace-me-42")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-request-id"], "trace-me-42");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "malformed_json");
    assert_eq!(body["error"]["request_id"], "trace-me-42");

    let ok = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "health-1")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.headers()["x-request-id"], "health-1");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_sessions_by_status() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    assert_eq!(
        sample(&before, "mock_interviewer_sessions{status=\"active\"}"),
        Some(0.0),
        "{before}"
    );
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap();
    for _ in 0..2 {
        let (status, _) = app.get(&format!("/api/sessions/{id}")).await;
        assert_eq!(status, 200);
    }
    let (status, _) = app.get("/api/sessions/nope").await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/no/such/route").await;
    assert_eq!(status, 404);

    let text = scrape(&app).await;
    let requests = |route: &str, status: u16| {
        sample(
            &text,
            &format!(
                "mock_interviewer_http_requests_total{{method=\"GET\",route=\"{route}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("/api/sessions/{id}", 200), Some(2.0), "{text}");
    assert_eq!(requests("/api/sessions/{id}", 404), Some(1.0), "{text}");
    assert_eq!(requests("unmatched", 404), Some(1.0), "{text}");
    assert!(!text.contains(id), "no series per session id");
    assert_eq!(
        sample(&text, "mock_interviewer_sessions{status=\"active\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "mock_interviewer_sessions{status=\"finished\"}"),
        Some(0.0)
    );
    assert_eq!(sample(&text, "mock_interviewer_live_streams"), Some(0.0));
}
