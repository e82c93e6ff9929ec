//! Phases over HTTP: budgets, time running out, moving on in plain words or with /advance.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_session_opens_in_clarification_with_the_seeds_budgets() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    assert_eq!(s["phase"], "clarification");
    let phases = named_counts(&s["phases"], "id", "minutes");
    let ids: Vec<&str> = phases.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "clarification",
            "high_level_design",
            "deep_dive",
            "tradeoffs_scaling",
            "qa"
        ]
    );
    let ranges = [(5, 8), (10, 15), (20, 30), (5, 10), (5, 5)];
    for ((id, m), (lo, hi)) in phases.iter().zip(ranges) {
        assert!(
            (lo..=hi).contains(m),
            "{id}: {m} min outside the seeds' {lo}-{hi}"
        );
    }
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0]["role"], "interviewer");
    assert!(
        turns[0]["content"]
            .as_str()
            .unwrap()
            .contains("customer support")
    );
    assert_eq!(s["phase_time_left_seconds"], 7 * 60);
}

#[tokio::test]
async fn when_time_is_up_the_interviewer_says_so_at_the_next_turn() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap();
    app.clock.advance_secs(3 * 60);
    let (events, _) = app.say(id, "How many documents are there?").await;
    assert!(!events.iter().any(|e| e.event == "phase"));
    app.clock.advance_secs(5 * 60);
    let (events, reply) = app.say(id, "What is the latency target?").await;
    assert_eq!(names(&events), ["turn", "phase", "token", "done"]);
    let phase = events.iter().find(|e| e.event == "phase").unwrap();
    assert_eq!(
        phase.data,
        json!({ "from": "clarification", "to": "high_level_design" })
    );
    assert!(reply.contains("out of time"), "{reply}");
    let done = events.last().unwrap();
    assert_eq!(done.data["phase"], "high_level_design");
    // The candidate's turn stays in the phase it was said in; the reply opens the next one.
    assert_eq!(events[0].data["phase"], "clarification");
    let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(s["phase"], "high_level_design");
    assert_eq!(s["phase_time_left_seconds"], 12 * 60);
}

#[tokio::test]
async fn asking_in_plain_words_moves_on() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap();
    let (events, reply) = app
        .say(id, "I have enough to start. Let's move on to the design.")
        .await;
    assert!(events.iter().any(|e| e.event == "phase"));
    assert!(reply.contains("high-level design"), "{reply}");
}

#[tokio::test]
async fn advance_walks_all_phases_then_refuses_with_409() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap();
    let mut seen = vec!["clarification".to_string()];
    for _ in 0..4 {
        let events = app.advance(id).await;
        assert_eq!(names(&events), ["phase", "token", "done"]);
        seen.push(events[0].data["to"].as_str().unwrap().to_string());
    }
    assert_eq!(
        seen,
        [
            "clarification",
            "high_level_design",
            "deep_dive",
            "tradeoffs_scaling",
            "qa"
        ]
    );
    let (status, body) = app
        .post(&format!("/api/sessions/{id}/advance"), json!({}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("last_phase"))
    );
    let (_, reply) = app.say(id, "What does the team look like?").await;
    assert!(
        reply.contains("engineers"),
        "the question is answered: {reply}"
    );
    assert!(
        !reply.contains("scorecard"),
        "with time left, the interview does not close on its own: {reply}"
    );
    let (_, reply) = app.say(id, "That's all from me, thanks.").await;
    assert!(reply.contains("your scorecard"), "done closes: {reply}");
}

#[tokio::test]
async fn sessions_are_listed_newest_first_with_scores_once_finished() {
    let app = spawn_app().await;
    let a = app.start("rag-customer-support").await;
    app.clock.advance_secs(10);
    let b = app.start("semantic-search-ecommerce").await;
    app.finish(a["id"].as_str().unwrap()).await;
    let (status, list) = app.get("/api/sessions").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(list[0]["id"], b["id"]);
    assert_eq!(list[1]["id"], a["id"]);
    assert_eq!(list[1]["status"], "finished");
    assert!(list[1]["overall_score"].is_u64());
    assert!(list[0].get("overall_score").is_none());
}
