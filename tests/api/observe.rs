//! Observability: every response carries a request id, error bodies name it, and `/metrics` is
//! Prometheus text: turn timings, tokens and upstream errors per model, live streams, requests by
//! route and sessions by status.

use mock_interviewer::config::LlmMode;

use crate::helpers::*;
use crate::llm::{llm_app, session, stalled_turn};
use crate::mock_openai::{Behavior, MockOpenAi, pieces};

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

#[tokio::test]
async fn after_a_turn_metrics_show_the_time_to_first_token_and_turn_histograms() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    let (events, _) = app
        .say(s["id"].as_str().unwrap(), "How many documents are there?")
        .await;
    assert_eq!(events.last().unwrap().event, "done");

    let text = scrape(&app).await;
    for name in [
        "mock_interviewer_time_to_first_token_seconds",
        "mock_interviewer_turn_seconds",
    ] {
        assert!(
            text.contains(&format!("# TYPE {name} histogram")),
            "{name} in {text}"
        );
        assert_eq!(
            sample(&text, &format!("{name}_count{{model=\"offline\"}}")),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                &format!("{name}_bucket{{model=\"offline\",le=\"+Inf\"}}")
            ),
            Some(1.0),
            "{text}"
        );
    }
    assert_eq!(
        sample(&text, "mock_interviewer_live_streams"),
        Some(0.0),
        "the finished stream is no longer live"
    );
}

#[tokio::test]
async fn metrics_count_tokens_per_model_and_upstream_errors_by_kind() {
    let mock = MockOpenAi::start().await;
    let base = mock.base_url.clone();
    let app = spawn_app_with(move |a| {
        a.llm = Some(LlmMode::Openai);
        a.llm_base_url = Some(base);
        a.model = "interviewer-model".into();
        a.llm_retries = 0;
    })
    .await;
    let id = app.start_id("rag-customer-support").await;
    let reply = pieces("About twelve thousand articles. What else?");
    mock.push_stream(Behavior::Stream {
        pieces: reply.clone(),
        usage: true,
    });
    app.say(&id, "How many documents are there?").await;
    // Down: the offline interviewer stands in, and the failure is counted by kind.
    mock.push_stream(Behavior::Status(503));
    let (events, _) = app.say(&id, "What is the latency target?").await;
    assert!(events.iter().any(|e| e.event == "notice"));

    let text = scrape(&app).await;
    let model = "{model=\"interviewer-model\"}";
    assert_eq!(
        sample(&text, &format!("mock_interviewer_tokens_in_total{model}")),
        Some(1234.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, &format!("mock_interviewer_tokens_out_total{model}")),
        Some(reply.len() as f64)
    );
    assert_eq!(
        sample(
            &text,
            "mock_interviewer_upstream_errors_total{kind=\"upstream_unavailable\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            &format!("mock_interviewer_time_to_first_token_seconds_count{model}")
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            "mock_interviewer_time_to_first_token_seconds_count{model=\"offline\"}"
        ),
        Some(1.0),
        "the stand-in reply is timed as the offline interviewer's"
    );
}

#[tokio::test]
async fn a_stream_counts_as_live_while_it_is_open() {
    let mock = MockOpenAi::start().await;
    let app = llm_app(&mock, |_| {}).await;
    let id = session(&app).await;
    let events = stalled_turn(&app, &mock, &id).await;
    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, "mock_interviewer_live_streams"),
        Some(1.0),
        "{text}"
    );
    drop(events);
    // The stream ends when the server notices the closed connection, or when the stalled upstream
    // times out (2 s): wait for it, bounded.
    let mut live = None;
    for _ in 0..100 {
        live = sample(&scrape(&app).await, "mock_interviewer_live_streams");
        if live == Some(0.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(live, Some(0.0));
}
