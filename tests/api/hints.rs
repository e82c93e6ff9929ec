//! Hints on request: streamed like a reply, a few per phase, stored and shown as hints, counted on
//! the scorecard; never a hidden figure.

use serde_json::json;

use crate::helpers::*;

const Q: &str = "rag-customer-support";

#[tokio::test]
async fn a_hint_streams_like_a_reply_and_is_stored_as_a_hint() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let (status, events) = app.stream(&format!("/api/sessions/{id}/hint"), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        names(&events),
        ["token", "done"],
        "no candidate turn, no phase change"
    );
    let hint = reply_text(&events);
    assert!(hint.contains("haven't asked about"), "a direction: {hint}");
    assert!(
        !hint.chars().any(|c| c.is_ascii_digit()),
        "a topic, never a figure: {hint}"
    );
    let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
    let turns = s["turns"].as_array().unwrap();
    let last = turns.last().unwrap();
    assert_eq!(last["role"], "interviewer");
    assert_eq!(last["hint"], true);
    assert!(turns[0].get("hint").is_none(), "other turns carry no flag");
    assert!(s["requirements_revealed"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn hints_are_limited_per_phase_with_a_stable_error_then_counted_on_the_scorecard() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let path = format!("/api/sessions/{id}/hint");
    let (a, first) = app.stream(&path, None).await;
    let (b, second) = app.stream(&path, None).await;
    assert_eq!((a, b), (200, 200));
    assert_ne!(
        reply_text(&first),
        reply_text(&second),
        "a second hint points somewhere else"
    );
    let (status, body) = app.post(&path, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("hint_limit_reached")),
        "{body}"
    );
    // A new phase has hints again.
    app.advance(id).await;
    let (status, _) = app.stream(&path, None).await;
    assert_eq!(status, 200);

    let card = app.finish(id).await;
    assert_eq!(card["hints_used"], 3);
    let md = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(md.matches("(hint)").count(), 3, "{md}");
    assert!(md.contains("Hints used: 3"));
}

#[tokio::test]
async fn asking_for_a_hint_in_words_is_a_hint_too() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let (_, reply) = app.say(id, "Can I get a hint?").await;
    assert!(!reply.contains("specific figure"), "{reply}");
    let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
    let last = s["turns"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["hint"], true);
}
