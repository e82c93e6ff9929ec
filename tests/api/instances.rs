//! Several instances on one PostgreSQL database: any instance serves any request of any session, one
//! turn of a session streams at a time across them, a killed or stopped instance leaves its sessions
//! usable on the others. Each test gets a database of its own; without a reachable PostgreSQL the
//! tests are skipped with a notice (`MOCK_INTERVIEWER_REQUIRE_PG=1` makes that a failure).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use mock_interviewer::config::{LlmMode, ServeArgs};
use mock_interviewer::storage::test_db::TestDatabase;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::interviews::{STRONG_CLARIFY, STRONG_DESIGN};
use crate::mock_openai::{Behavior, MockOpenAi, pieces};

const Q: &str = "rag-customer-support";
const REPLY: &str =
    "Thanks. Tell me how requests flow through the system, from ingestion to the answer.";

/// An in-process instance on `db`; the model is `mock` when given, else the offline interviewer.
async fn instance(db: &Arc<TestDatabase>, mock: Option<&MockOpenAi>) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let base = mock.map(|m| m.base_url.clone());
    spawn_on(dir, Some(db.clone()), START_MS, move |a: &mut ServeArgs| {
        if let Some(base) = base {
            a.llm = Some(LlmMode::Openai);
            a.llm_base_url = Some(base);
            a.llm_timeout = 30;
            a.llm_retries = 0;
        }
    })
    .await
}

async fn turns_of(app: &TestApp, id: &str) -> Vec<Value> {
    let (status, s) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(status, 200, "{s}");
    s["turns"].as_array().unwrap().clone()
}

#[tokio::test]
async fn turns_alternate_between_two_instances_and_both_tell_the_same_story() {
    let Some(db) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    let a = instance(&db, None).await;
    let b = instance(&db, None).await;
    let s = a.start(Q).await;
    let id = s["id"].as_str().unwrap();

    // Each write through one instance is seen by the next read on the other.
    b.say(id, STRONG_CLARIFY[0]).await;
    assert_eq!(turns_of(&a, id).await.len(), 3);
    a.say(id, STRONG_CLARIFY[1]).await;
    assert_eq!(turns_of(&b, id).await.len(), 5);
    // B moves the phase on; A's snapshot of the session is stale and must not be used.
    let events = b.advance(id).await;
    assert!(names(&events).contains(&"phase"), "{events:?}");
    let (_, turn_events) = {
        let (events, reply) = a.say(id, STRONG_DESIGN).await;
        (reply, events)
    };
    let turn = turn_events.iter().find(|e| e.event == "turn").unwrap();
    assert_eq!(
        turn.data["phase"], "high_level_design",
        "A wrote its turn in the phase B moved to"
    );
    b.say(
        id,
        "We would cache embeddings per tenant and shard the index.",
    )
    .await;

    let card = a.finish(id).await;
    let (_, card_b) = b.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!(card, card_b);
    let (_, view_a) = a.get(&format!("/api/sessions/{id}")).await;
    let (_, view_b) = b.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(view_a, view_b);
    assert_eq!(view_a["status"], "finished");
    let turns = view_a["turns"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        10,
        "the opening, 4 answers and their replies, the advance's"
    );
    let ids: Vec<i64> = turns.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order: {ids:?}");
    let transcript = |app: &TestApp| {
        app.client
            .get(app.url(&format!("/api/sessions/{id}/transcript")))
            .send()
    };
    let md_a = transcript(&a).await.unwrap().text().await.unwrap();
    let md_b = transcript(&b).await.unwrap().text().await.unwrap();
    assert_eq!(md_a, md_b);
    // Finished through A: B refuses another turn.
    let (status, events) = b
        .stream(
            &format!("/api/sessions/{id}/turns"),
            Some(json!({"content": "one more"})),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(events[0].data["error"]["code"], "session_finished");
}

#[tokio::test]
async fn a_turn_raced_on_two_instances_streams_once_and_the_other_gets_409() {
    let Some(db) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    let mock = MockOpenAi::start().await;
    let a = instance(&db, Some(&mock)).await;
    let b = instance(&db, Some(&mock)).await;
    let id = a.start_id(Q).await;
    // Whichever wins, its reply stalls after two pieces: the turn stays in flight.
    for _ in 0..2 {
        mock.push_stream(Behavior::Stall {
            pieces: pieces(REPLY),
            after: 2,
        });
    }
    let send = |app: &TestApp| {
        app.client
            .post(app.url(&format!("/api/sessions/{id}/turns")))
            .json(&json!({"content": "How many documents are there?"}))
            .send()
    };
    let (ra, rb) = tokio::join!(send(&a), send(&b));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "exactly one streams");
    let (winner, loser) = if ra.status() == 200 {
        (ra, rb)
    } else {
        (rb, ra)
    };
    let refused: Value = loser.json().await.unwrap();
    assert_eq!(refused["error"]["code"], "turn_in_progress");
    let mut events = Box::pin(winner.bytes_stream().eventsource());
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event, "turn");
    // While it streams, both instances say so, and neither takes another turn.
    for app in [&a, &b] {
        let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
        assert_eq!(s["streaming"], true, "{s}");
        let (status, _) = app
            .stream(&format!("/api/sessions/{id}/advance"), None)
            .await;
        assert_eq!(status, 409);
    }
    let candidate_turns = turns_of(&b, &id)
        .await
        .iter()
        .filter(|t| t["role"] == "candidate")
        .count();
    assert_eq!(candidate_turns, 1, "the refused turn was not stored");
}

#[tokio::test]
async fn stopping_one_instance_keeps_its_partial_reply_and_frees_the_session_for_the_other() {
    let Some(db) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    let mock = MockOpenAi::start().await;
    let mut a = instance(&db, Some(&mock)).await;
    let b = instance(&db, Some(&mock)).await;
    let id = a.start_id(Q).await;
    mock.push_stream(Behavior::Stall {
        pieces: pieces(REPLY),
        after: 2,
    });
    let resp = a
        .client
        .post(a.url(&format!("/api/sessions/{id}/turns")))
        .json(&json!({"content": "How many documents are there?"}))
        .send()
        .await
        .unwrap();
    let mut events = Box::pin(resp.bytes_stream().eventsource());
    let mut tokens = 0;
    while tokens < 2 {
        if events.next().await.unwrap().unwrap().event == "token" {
            tokens += 1;
        }
    }
    tokio::time::timeout(Duration::from_secs(10), a.stop())
        .await
        .expect("A stops despite the open stream");
    // The lease went with A's graceful stop: B takes the next turn at once.
    mock.push_stream(Behavior::Stream {
        pieces: pieces(REPLY),
        usage: true,
    });
    let (_, reply) = b
        .say(&id, "We have about 12,000 articles; what is the budget?")
        .await;
    assert_eq!(reply, REPLY);
    let turns = turns_of(&b, &id).await;
    let partial = &turns[2];
    assert_eq!(partial["role"], "interviewer");
    assert_eq!(partial["content"], pieces(REPLY)[..2].concat());
    assert_eq!(partial["incomplete"], true);
    assert_eq!(turns.len(), 5);
}

/// Starts the real binary on a free port with `args`; returns the child and its base URL.
fn start_binary(args: &[&str]) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["serve", "--addr", &addr])
        .args(args)
        .env_remove("OPENAI_BASE_URL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("MOCK_INTERVIEWER_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    (child, format!("http://{addr}"))
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..400 {
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

/// Kills the child on drop, so a failing test leaves no server behind.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn kill_dash_nine_mid_stream_leaves_the_session_usable_on_the_other_instance() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let mock = MockOpenAi::start().await;
    let args = [
        "--db",
        db.url.as_str(),
        "--turn-lease-secs",
        "2",
        "--llm",
        "openai",
        "--llm-base-url",
        mock.base_url.as_str(),
        "--llm-timeout",
        "60",
        "--llm-retries",
        "0",
    ];
    let client = reqwest::Client::new();
    // Both start at once: the migrations run once, under PostgreSQL's advisory lock.
    let (a, base_a) = start_binary(&args);
    let (b, base_b) = start_binary(&args);
    let mut a = Killed(a);
    let _b = Killed(b);
    wait_ready(&client, &base_a).await;
    wait_ready(&client, &base_b).await;

    let s: Value = client
        .post(format!("{base_a}/api/sessions"))
        .json(&json!({"question_id": Q}))
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
    let resp = client
        .post(format!("{base_a}/api/sessions/{id}/turns"))
        .json(&json!({"content": "How many documents are there, and what is the latency target?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut events = Box::pin(resp.bytes_stream().eventsource());
    let mut acknowledged = None;
    let mut tokens = 0;
    while tokens < 2 {
        let e = events.next().await.unwrap().unwrap();
        match e.event.as_str() {
            "turn" => acknowledged = Some(serde_json::from_str::<Value>(&e.data).unwrap()),
            "token" => tokens += 1,
            _ => {}
        }
    }
    let acknowledged = acknowledged.expect("the candidate's turn was acknowledged");
    a.0.kill().expect("SIGKILL"); // kill -9 mid-stream: no lease released, no partial stored
    a.0.wait().unwrap();

    // B refuses the session while the dead instance's lease lives, then takes it once it expires.
    mock.push_stream(Behavior::Stream {
        pieces: pieces(REPLY),
        usage: true,
    });
    let mut refused = 0;
    let body = loop {
        let r = client
            .post(format!("{base_b}/api/sessions/{id}/turns"))
            .json(&json!({"content": "And what is the budget per query?"}))
            .send()
            .await
            .unwrap();
        match r.status().as_u16() {
            200 => break r.text().await.unwrap(),
            409 => {
                let v: Value = r.json().await.unwrap();
                assert_eq!(v["error"]["code"], "turn_in_progress");
                refused += 1;
                assert!(refused < 200, "the session stayed stuck");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("unexpected {other}: {}", r.text().await.unwrap()),
        }
    };
    assert!(body.contains("event: done"), "{body}");
    let after: Value = client
        .get(format!("{base_b}/api/sessions/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let turns = after["turns"].as_array().unwrap();
    assert_eq!(
        turns[1]["id"], acknowledged["id"],
        "the acknowledged turn is there"
    );
    assert_eq!(turns[1]["content"], acknowledged["content"]);
    assert_eq!(turns.last().unwrap()["content"], REPLY);
    assert_eq!(after["streaming"], false);
    let revealed: Vec<&str> = after["requirements_revealed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        revealed.contains(&"corpus_size") && revealed.contains(&"latency"),
        "the acknowledged turn's reveals are there: {revealed:?}"
    );
}
