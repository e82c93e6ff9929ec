//! Limits and quotas per client, kept in the database (so they hold across instances), and
//! retention; on either backend.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::llm::llm_app;
use crate::mock_openai::{Behavior, MockOpenAi, pieces};

const Q: &str = "rag-customer-support";
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

fn code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// POSTs JSON and returns the status, the `Retry-After` seconds and the body.
async fn post_with_retry_after(
    app: &TestApp,
    path: &str,
    body: Value,
) -> (u16, Option<u64>, Value) {
    let r = app
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body = if r
        .headers()
        .get("content-type")
        .is_some_and(|v| v == "application/json")
    {
        r.json().await.unwrap()
    } else {
        let _ = r.bytes().await;
        Value::Null
    };
    (status, retry, body)
}

#[tokio::test]
async fn sessions_over_the_hourly_limit_get_429_with_retry_after_and_change_nothing() {
    let app = spawn_app_with(|a| a.guard.sessions_per_hour = 3).await;
    for _ in 0..3 {
        app.start(Q).await;
    }
    let (status, retry, body) =
        post_with_retry_after(&app, "/api/sessions", json!({ "question_id": Q })).await;
    assert_eq!((status, code(&body)), (429, "rate_limited"));
    let retry = retry.expect("Retry-After");
    assert!((1..=2 * HOUR as u64).contains(&retry), "{retry}");
    let (_, list) = app.get("/api/sessions").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        3,
        "the refused one created nothing"
    );
    // Once the hours have passed, sessions may be created again.
    app.clock.advance_secs(2 * HOUR);
    app.start(Q).await;
}

#[tokio::test]
async fn turns_over_the_minute_limit_are_refused_and_store_nothing() {
    let app = spawn_app_with(|a| a.guard.turns_per_minute = 3).await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    app.say(id, "How many documents are there?").await;
    app.advance(id).await;
    let (status, _) = app.stream(&format!("/api/sessions/{id}/hint"), None).await;
    assert_eq!(status, 200);
    let before = app.get(&format!("/api/sessions/{id}")).await.1;
    for path in ["turns", "advance", "hint"] {
        let (status, retry, body) = post_with_retry_after(
            &app,
            &format!("/api/sessions/{id}/{path}"),
            json!({ "content": "What is the latency target?" }),
        )
        .await;
        assert_eq!((status, code(&body)), (429, "rate_limited"), "{path}");
        assert!(retry.is_some_and(|r| (1..=120).contains(&r)), "{retry:?}");
    }
    let after = app.get(&format!("/api/sessions/{id}")).await.1;
    assert_eq!(before["turns"], after["turns"]);
    assert_eq!(before["phase"], after["phase"]);
    // Reads are never limited.
    assert_eq!(app.get(&format!("/api/sessions/{id}")).await.0, 200);
    app.clock.advance_secs(120);
    app.say(id, "What is the latency target?").await;
}

#[tokio::test]
async fn limits_hold_across_two_instances_on_one_database() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let a = spawn_in(dir.clone(), START_MS, |a| a.guard.sessions_per_hour = 2).await;
    let b = spawn_in(dir.clone(), START_MS, |a| a.guard.sessions_per_hour = 2).await;
    a.start(Q).await;
    b.start(Q).await;
    for app in [&a, &b] {
        let (status, _, body) =
            post_with_retry_after(app, "/api/sessions", json!({ "question_id": Q })).await;
        assert_eq!((status, code(&body)), (429, "rate_limited"));
    }
    assert_eq!(a.get("/api/sessions").await.1.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn many_quick_session_creations_from_one_client_are_limited() {
    let app = spawn_app_with(|a| a.guard.sessions_per_hour = 60).await;
    let mut statuses = Vec::new();
    let tasks: Vec<_> = (0..150)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url("/api/sessions");
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({ "question_id": Q }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        (created, limited),
        (60, 90),
        "exactly the limit, even at once"
    );
    assert_eq!(
        app.get("/api/sessions").await.1.as_array().unwrap().len(),
        60
    );
}

#[tokio::test]
async fn the_token_quota_counts_the_tokens_stored_with_the_clients_turns() {
    let mock = MockOpenAi::start().await;
    // The mock reports 1,234 prompt tokens a turn: the second turn is over 2,000.
    let app = llm_app(&mock, |a| a.guard.tokens_per_day = 2_000).await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    mock.push_stream(Behavior::Stream {
        pieces: pieces("About twelve thousand articles. "),
        usage: true,
    });
    app.say(id, "How many documents are there?").await;
    mock.push_stream(Behavior::Stream {
        pieces: pieces("Two seconds. "),
        usage: true,
    });
    app.say(id, "What is the latency target?").await;
    let (status, retry, body) = post_with_retry_after(
        &app,
        &format!("/api/sessions/{id}/turns"),
        json!({ "content": "And the budget?" }),
    )
    .await;
    assert_eq!((status, code(&body)), (429, "rate_limited"));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tokens")
    );
    assert!(retry.is_some_and(|r| r <= DAY as u64));
    let turns = app.get(&format!("/api/sessions/{id}")).await.1["turns"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(turns, 5, "the refused turn stored nothing");
    // A day later the tokens have aged out.
    app.clock.advance_secs(DAY + 60);
    mock.push_stream(Behavior::Stream {
        pieces: pieces("Modest. "),
        usage: true,
    });
    app.say(id, "And the budget?").await;
}

#[tokio::test]
async fn retention_deletes_finished_sessions_past_it_with_everything_they_hold() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut first = spawn_in(dir.clone(), START_MS, |_| {}).await;
    let old = first.start_id(Q).await;
    first.say(&old, "How many documents are there?").await;
    first.finish(&old).await;
    let open = first.start_id(Q).await;
    first.clock.advance_secs(6 * DAY);
    let recent = first.start_id(Q).await;
    first.finish(&recent).await;
    first.stop().await;
    // Eight days after the first finish, with seven days kept: at start-up it goes.
    let later = START_MS + 8 * DAY * 1000;
    let second = spawn_in(dir.clone(), later, |a| a.guard.retain_days = 7).await;
    assert_eq!(second.get(&format!("/api/sessions/{old}")).await.0, 404);
    assert_eq!(
        second
            .get(&format!("/api/sessions/{old}/transcript?format=json"))
            .await
            .0,
        404
    );
    assert!(second.stored_turns(&old).await.is_empty());
    for kept in [&open, &recent] {
        assert_eq!(second.get(&format!("/api/sessions/{kept}")).await.0, 200);
    }
    assert_eq!(
        second
            .get(&format!("/api/sessions/{recent}/scorecard"))
            .await
            .0,
        200
    );
    let list = second.get("/api/sessions").await.1;
    assert_eq!(list.as_array().unwrap().len(), 2);
}
