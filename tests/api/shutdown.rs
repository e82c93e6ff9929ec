//! At shutdown every open stream ends with an `error` event (`shutting_down`) after what was said is
//! stored, and work that arrives meanwhile gets 503 `shutting_down`: in-process with the shutdown
//! token, and with the real binary and SIGTERM.

use std::process::{Command, Stdio};
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use mock_interviewer::storage::{DbTarget, Storage, StorageOptions};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::llm::llm_app;
use crate::mock_openai::{Behavior, MockOpenAi, pieces};

const Q: &str = "rag-customer-support";
const REPLY: &str =
    "We have about twelve thousand help articles and the latency target is two seconds.";

/// Reads events from a streaming response until `tokens` tokens arrived.
async fn until_tokens(
    events: &mut (
             impl futures::Stream<Item = Result<eventsource_stream::Event, impl std::fmt::Debug>> + Unpin
         ),
    tokens: usize,
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut n = 0;
    while n < tokens {
        let e = events.next().await.expect("more events").unwrap();
        if e.event == "token" {
            n += 1;
        }
        seen.push(e.event);
    }
    seen
}

#[tokio::test]
async fn at_shutdown_an_open_stream_ends_with_shutting_down_after_storing_what_was_said() {
    let mock = MockOpenAi::start().await;
    let mut app = llm_app(&mock, |a| a.llm_timeout = 60).await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap().to_string();
    mock.push_stream(Behavior::Stall {
        pieces: pieces(REPLY),
        after: 3,
    });
    let r = app
        .client
        .post(app.url(&format!("/api/sessions/{id}/turns")))
        .json(&json!({ "content": "How many documents are there?" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut events = r.bytes_stream().eventsource();
    let seen = until_tokens(&mut events, 3).await;
    assert_eq!(seen.first().map(String::as_str), Some("turn"));
    app.shutdown.cancel();
    let mut rest = Vec::new();
    while let Some(e) = events.next().await {
        let e = e.unwrap();
        rest.push((e.event, serde_json::from_str::<Value>(&e.data).unwrap()));
    }
    let (last, data) = rest.last().expect("an event after the shutdown");
    assert_eq!(last, "error", "{rest:?}");
    assert_eq!(data["code"], "shutting_down");
    app.stop().await;
    let stored = app.stored_turns(&id).await;
    assert_eq!(stored.len(), 3, "opening, answer, partial reply");
    let reply = stored.last().unwrap();
    assert!(reply.incomplete);
    assert_eq!(reply.content, pieces(REPLY)[..3].concat());
}

#[tokio::test]
async fn a_request_arriving_during_shutdown_gets_503_shutting_down_and_stores_nothing() {
    let mut app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap().to_string();
    let addr = app.base.trim_start_matches("http://").to_string();
    let body = json!({ "content": "How many documents are there?" }).to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // The headers reach the server before it stops; the body after.
    tcp.write_all(
        format!(
            "POST /api/sessions/{id}/turns HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.shutdown.cancel();
    tcp.write_all(body.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tcp.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(
        response.contains("\"code\":\"shutting_down\""),
        "{response}"
    );
    app.stop().await;
    assert_eq!(app.stored_turns(&id).await.len(), 1, "only the opening");
}

#[tokio::test]
async fn sigterm_ends_every_open_stream_with_shutting_down_and_keeps_what_was_said() {
    let mock = MockOpenAi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("term.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--db")
        .arg(&db)
        .args(["--llm", "openai", "--llm-base-url", &mock.base_url])
        .args(["--model", "m", "--llm-timeout", "60"])
        .env_remove("OPENAI_API_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..400 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the binary serves");
    let mut ids = Vec::new();
    let mut streams = Vec::new();
    for _ in 0..3 {
        let s: Value = client
            .post(format!("{base}/api/sessions"))
            .json(&json!({ "question_id": Q }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = s["id"].as_str().unwrap().to_string();
        mock.push_stream(Behavior::Stall {
            pieces: pieces(REPLY),
            after: 2,
        });
        let r = client
            .post(format!("{base}/api/sessions/{id}/turns"))
            .json(&json!({ "content": "How many documents are there?" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let mut events = r.bytes_stream().eventsource();
        until_tokens(&mut events, 2).await;
        ids.push(id);
        streams.push(events);
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for mut events in streams {
        let mut last = None;
        while let Some(Ok(e)) = events.next().await {
            last = Some((e.event, e.data));
        }
        let (name, data) = last.expect("an event after SIGTERM");
        assert_eq!(name, "error");
        assert!(data.contains("shutting_down"), "{data}");
    }
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "clean exit: {exit}");
    let storage = Storage::connect(&DbTarget::Sqlite(db), StorageOptions::default())
        .await
        .unwrap();
    for id in ids {
        let turns = storage.turns(&id).await.unwrap();
        assert_eq!(turns.len(), 3, "opening, answer, partial reply");
        let reply = turns.last().unwrap();
        assert!(reply.incomplete);
        assert_eq!(reply.content, pieces(REPLY)[..2].concat());
    }
}
