//! Transcripts and scorecards survive a restart and a `kill -9`.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::interviews::{STRONG_CLARIFY, STRONG_DESIGN};

#[tokio::test]
async fn transcripts_and_scorecards_survive_a_restart() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut app = spawn_in(dir.clone(), START_MS, |_| {}).await;
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap().to_string();
    app.say(&id, STRONG_CLARIFY[0]).await;
    app.advance(&id).await;
    app.say(&id, STRONG_DESIGN).await;
    let card = app.finish(&id).await;
    let (_, before) = app.get(&format!("/api/sessions/{id}")).await;
    let md_before = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app.stop().await;

    let app = spawn_in(dir, START_MS + 60_000, |_| {}).await;
    let (_, after) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(before, after);
    let (_, card_after) = app.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!(card, card_after);
    let r = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert_eq!(r.text().await.unwrap(), md_before);
}

#[tokio::test]
async fn the_transcript_comes_as_markdown_or_json() {
    let app = spawn_app().await;
    let s = app.start("rag-customer-support").await;
    let id = s["id"].as_str().unwrap();
    app.say(id, "How many documents are there?").await;
    app.clock.advance_secs(90);
    app.advance(id).await;
    app.say(id, STRONG_DESIGN).await;
    app.finish(id).await;
    let md = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "# ",
        "### Clarification",
        "### High-level design",
        "**Candidate**",
        "**Interviewer**",
        "## Scorecard",
        "How many documents are there?",
        "_Scored by rules, without a language model: this card credits what you covered",
        "_How reliable is this recommendation? On ",
    ] {
        assert!(md.contains(needle), "markdown lacks {needle}:\n{md}");
    }
    let (status, t) = app
        .get(&format!("/api/sessions/{id}/transcript?format=json"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(t["session"]["question"]["id"], "rag-customer-support");
    let phases = t["phases"].as_array().unwrap();
    assert_eq!(phases[0]["id"], "clarification");
    assert_eq!(phases[0]["time_used_seconds"], 90);
    assert!(t["scorecard"]["overall"]["score"].is_u64());
    assert_eq!(
        t["scorecard"]["reliability"]["recommendation"],
        t["scorecard"]["overall"]["recommendation"]
    );
    assert_eq!(t["session"]["turns"].as_array().unwrap().len(), 6);
    let (status, _) = app
        .get(&format!("/api/sessions/{id}/transcript?format=pdf"))
        .await;
    assert_eq!(status, 400);
}

/// Starts the real binary on a free port with the given database; returns the child and its base URL.
fn start_binary(db: &std::path::Path) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--db",
            db.to_str().unwrap(),
            "--llm",
            "offline",
        ])
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_API_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    (child, format!("http://127.0.0.1:{port}"))
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} never became ready");
}

#[tokio::test]
async fn acknowledged_turns_survive_kill_dash_nine() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested").join("kill.db");
    let client = reqwest::Client::new();
    let (mut child, base) = start_binary(&db);
    wait_ready(&client, &base).await;
    let s: Value = client
        .post(format!("{base}/api/sessions"))
        .json(&json!({"question_id": "rag-customer-support"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = s["id"].as_str().unwrap().to_string();
    let body = client
        .post(format!("{base}/api/sessions/{id}/turns"))
        .json(&json!({"content": "How many documents are there, and what is the latency target?"}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("event: done"));
    let card: Value = client
        .post(format!("{base}/api/sessions/{id}/finish"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    child.kill().expect("SIGKILL"); // kill -9: no chance to flush anything
    child.wait().unwrap();

    let (mut child, base) = start_binary(&db);
    wait_ready(&client, &base).await;
    let after: Value = client
        .get(format!("{base}/api/sessions/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let turns = after["turns"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        3,
        "opening, candidate turn and reply all survived"
    );
    assert_eq!(
        turns[1]["content"],
        "How many documents are there, and what is the latency target?"
    );
    assert_eq!(after["requirements_revealed"].as_array().unwrap().len(), 2);
    let stored: Value = client
        .get(format!("{base}/api/sessions/{id}/scorecard"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored, card);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let (mut child, base) = start_binary(&dir.path().join("term.db"));
    wait_ready(&client, &base).await;
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "clean exit on SIGTERM: {exit}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
