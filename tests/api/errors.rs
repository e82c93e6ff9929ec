//! Bad input gets a JSON error with a stable code, and loses nothing.

use serde_json::{Value, json};

use crate::helpers::*;

fn code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

#[tokio::test]
async fn health_and_questions_never_expose_hidden_content() {
    let app = spawn_app().await;
    let (status, health) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(health["llm"]["mode"], "offline");

    let (status, list) = app.get("/api/questions").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert!(list.iter().any(|q| q["id"] == "rag-customer-support"));
    assert!(list.iter().any(|q| q["id"] == "semantic-search-ecommerce"));
    let (status, one) = app.get("/api/questions/rag-customer-support").await;
    assert_eq!(status, 200);
    for body in [json!(list), one] {
        let text = body.to_string();
        for hidden in [
            "\"facts\"",
            "\"answer\"",
            "reference_outline",
            "red_flags",
            "asked_by",
            "\"probes\"",
        ] {
            assert!(!text.contains(hidden), "{hidden} leaked");
        }
    }
}

#[tokio::test]
async fn unknown_things_are_404_with_codes() {
    let app = spawn_app().await;
    let (s, b) = app.get("/api/questions/nope").await;
    assert_eq!((s, code(&b)), (404, "question_not_found"));
    let (s, b) = app
        .post("/api/sessions", json!({ "question_id": "nope" }))
        .await;
    assert_eq!((s, code(&b)), (404, "question_not_found"));
    let (s, b) = app.get("/api/sessions/nope").await;
    assert_eq!((s, code(&b)), (404, "session_not_found"));
    let (s, b) = app
        .post("/api/sessions/nope/turns", json!({ "content": "hi" }))
        .await;
    assert_eq!((s, code(&b)), (404, "session_not_found"));
    let (s, b) = app.post("/api/sessions/nope/advance", json!({})).await;
    assert_eq!((s, code(&b)), (404, "session_not_found"));
    let (s, b) = app.post("/api/sessions/nope/finish", json!({})).await;
    assert_eq!((s, code(&b)), (404, "session_not_found"));
    let (s, b) = app.get("/api/nothing-here").await;
    assert_eq!((s, code(&b)), (404, "not_found"));
}

#[tokio::test]
async fn malformed_and_wrong_json_is_400() {
    let app = spawn_app().await;
    let (s, b) = app
        .post_raw("/api/sessions", "{\"question_id\": ", "application/json")
        .await;
    assert_eq!((s, code(&b)), (400, "malformed_json"));
    let (s, b) = app.post("/api/sessions", json!({ "question": 1 })).await;
    assert_eq!((s, code(&b)), (400, "invalid_input"));
    let (s, b) = app
        .post(
            "/api/sessions",
            json!({ "question_id": "rag-customer-support", "level": "wizard" }),
        )
        .await;
    assert_eq!((s, code(&b)), (400, "invalid_input"));
    let (s, b) = app
        .post_raw("/api/sessions", "question_id=x", "text/plain")
        .await;
    assert_eq!((s, code(&b)), (415, "unsupported_media_type"));

    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap();
    let (s, b) = app
        .post_raw(
            &format!("/api/sessions/{id}/turns"),
            "not json",
            "application/json",
        )
        .await;
    assert_eq!((s, code(&b)), (400, "malformed_json"));
    let (s, b) = app
        .post(
            &format!("/api/sessions/{id}/turns"),
            json!({ "content": "   " }),
        )
        .await;
    assert_eq!((s, code(&b)), (400, "invalid_input"));
    let (_, after) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(
        after["turns"].as_array().unwrap().len(),
        1,
        "bad input stores nothing"
    );
}

#[tokio::test]
async fn an_oversized_answer_is_413_before_any_work() {
    let app = spawn_app().await;
    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap();
    let long = "a".repeat(16 * 1024 + 1);
    let (s, b) = app
        .post(
            &format!("/api/sessions/{id}/turns"),
            json!({ "content": long }),
        )
        .await;
    assert_eq!((s, code(&b)), (413, "answer_too_large"));
    let huge = "b".repeat(200 * 1024);
    let (s, b) = app
        .post(
            &format!("/api/sessions/{id}/turns"),
            json!({ "content": huge }),
        )
        .await;
    assert_eq!((s, code(&b)), (413, "body_too_large"));
    let (_, after) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(after["turns"].as_array().unwrap().len(), 1);
    // Exactly at the limit is fine.
    let (events, _) = app.say(id, &"word ".repeat(16 * 1024 / 5)).await;
    assert_eq!(events.first().unwrap().event, "turn");
}

#[tokio::test]
async fn a_finished_session_refuses_turns_and_advances_with_409() {
    let app = spawn_app().await;
    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap();
    app.say(id, "How many documents are there?").await;
    let first = app.finish(id).await;
    let (s, b) = app
        .post(
            &format!("/api/sessions/{id}/turns"),
            json!({ "content": "one more thing" }),
        )
        .await;
    assert_eq!((s, code(&b)), (409, "session_finished"));
    let (s, b) = app
        .post(&format!("/api/sessions/{id}/advance"), json!({}))
        .await;
    assert_eq!((s, code(&b)), (409, "session_finished"));
    // Finishing again returns the same scorecard.
    let again = app.finish(id).await;
    assert_eq!(first, again);
    let (s, stored) = app.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!((s, &stored), (200, &first));
}

#[tokio::test]
async fn a_scorecard_before_finishing_is_409() {
    let app = spawn_app().await;
    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap();
    let (s, b) = app.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!((s, code(&b)), (409, "not_finished"));
}
