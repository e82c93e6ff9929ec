//! Spawning the app on port 0 with its own database, and a small client for JSON and SSE.
//!
//! The database is a SQLite file in a temporary folder, or, with `MOCK_INTERVIEWER_TEST_BACKEND=postgres`,
//! a PostgreSQL database of its own created for the test (see `storage::test_db`) and dropped after:
//! the whole suite runs on either backend. Apps spawned in the same folder share one database.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};

use eventsource_stream::Eventsource;
use futures::StreamExt;
use mock_interviewer::clock::ManualClock;
use mock_interviewer::config::ServeArgs;
use mock_interviewer::startup::Application;
use mock_interviewer::storage::test_db::TestDatabase;
use mock_interviewer::storage::{DbTarget, Storage, StorageOptions, TurnRow};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub struct TestApp {
    pub db: DbTarget,
    pub base: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub shutdown: CancellationToken,
    pub server: Option<tokio::task::JoinHandle<()>>,
    _dir: Arc<tempfile::TempDir>,
    _pg: Option<Arc<TestDatabase>>,
}

/// The backend the suite runs on: `MOCK_INTERVIEWER_TEST_BACKEND=postgres`, or SQLite.
pub fn on_postgres() -> bool {
    std::env::var("MOCK_INTERVIEWER_TEST_BACKEND").is_ok_and(|v| v == "postgres" || v == "pg")
}

/// The PostgreSQL database of a test folder, so that apps spawned in one folder (a restart) share it.
static PG_BY_DIR: Mutex<Option<HashMap<PathBuf, Weak<TestDatabase>>>> = Mutex::new(None);

async fn pg_for(dir: &std::path::Path) -> Option<Arc<TestDatabase>> {
    if let Some(db) = PG_BY_DIR
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(dir)
        .and_then(Weak::upgrade)
    {
        return Some(db);
    }
    // Without a reachable server (and not required), the notice is printed and SQLite stands in.
    let db = Arc::new(TestDatabase::create().await?);
    PG_BY_DIR
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(dir.to_path_buf(), Arc::downgrade(&db));
    Some(db)
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Sse {
    pub event: String,
    pub data: Value,
}

pub const START_MS: i64 = 1_800_000_000_000;

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("tempdir"));
    spawn_in(dir, START_MS, configure).await
}

pub async fn spawn_in(
    dir: Arc<tempfile::TempDir>,
    start_ms: i64,
    configure: impl FnOnce(&mut ServeArgs),
) -> TestApp {
    let pg = if on_postgres() {
        pg_for(dir.path()).await
    } else {
        None
    };
    spawn_on(dir, pg, start_ms, configure).await
}

/// Spawns an app on `pg` when given (several apps on one database are several instances), else on
/// the SQLite file in `dir`.
pub async fn spawn_on(
    dir: Arc<tempfile::TempDir>,
    pg: Option<Arc<TestDatabase>>,
    start_ms: i64,
    configure: impl FnOnce(&mut ServeArgs),
) -> TestApp {
    let mut args = ServeArgs::for_tests(dir.path().join("data").join("test.db"));
    if let Some(pg) = &pg {
        args.db = DbTarget::Postgres(pg.url.clone());
        args.db_connections = 4;
    }
    args.llm_base_url = None;
    args.api_key = None;
    configure(&mut args);
    let db = args.db.clone();
    let clock = ManualClock::new(start_ms);
    let app = Application::build_with_clock(&args, Arc::new(clock.clone()))
        .await
        .expect("app builds");
    let port = app.port();
    let shutdown = app.shutdown_token();
    let server = tokio::spawn(async move {
        app.run_until_stopped().await.expect("server runs");
    });
    TestApp {
        db: db.clone(),
        base: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        clock,
        shutdown,
        server: Some(server),
        _dir: dir,
        _pg: pg,
    }
}

impl TestApp {
    /// The session's turns as stored, read through a store of its own (works after `stop`).
    pub async fn stored_turns(&self, session_id: &str) -> Vec<TurnRow> {
        let storage = Storage::connect(&self.db, StorageOptions::default())
            .await
            .expect("the test database opens");
        storage.turns(session_id).await.expect("turns read")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_raw(
        &self,
        path: &str,
        body: &'static str,
        content_type: &str,
    ) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Starts a session and returns its id.
    pub async fn start_id(&self, question_id: &str) -> String {
        self.start(question_id).await["id"]
            .as_str()
            .expect("a session id")
            .to_string()
    }

    pub async fn start(&self, question_id: &str) -> Value {
        let (status, body) = self
            .post("/api/sessions", json!({ "question_id": question_id }))
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// POSTs and reads the whole SSE stream; every event must carry non-empty JSON data.
    pub async fn stream(&self, path: &str, body: Option<Value>) -> (u16, Vec<Sse>) {
        // Every state-changing request is JSON, an advance's or a hint's empty object too.
        let req = self
            .client
            .post(self.url(path))
            .json(&body.unwrap_or_else(|| json!({})));
        read_stream(req).await
    }

    /// POSTs raw bytes (a recording) and reads the SSE stream, as `stream` does.
    pub async fn stream_bytes(
        &self,
        path: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> (u16, Vec<Sse>) {
        let req = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        read_stream(req).await
    }

    /// Sends a candidate turn and returns the events and the interviewer's reply text.
    pub async fn say(&self, id: &str, content: &str) -> (Vec<Sse>, String) {
        let (status, events) = self
            .stream(
                &format!("/api/sessions/{id}/turns"),
                Some(json!({ "content": content })),
            )
            .await;
        assert_eq!(status, 200, "{events:?}");
        let reply = reply_text(&events);
        (events, reply)
    }

    pub async fn advance(&self, id: &str) -> Vec<Sse> {
        let (status, events) = self
            .stream(&format!("/api/sessions/{id}/advance"), None)
            .await;
        assert_eq!(status, 200, "{events:?}");
        events
    }

    pub async fn finish(&self, id: &str) -> Value {
        let (status, card) = self
            .post(&format!("/api/sessions/{id}/finish"), json!({}))
            .await;
        assert_eq!(status, 200, "{card}");
        card
    }

    pub async fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(h) = self.server.take() {
            h.await.expect("server stops cleanly");
        }
    }
}

/// Reads a streamed answer: its status, and every event (each must carry non-empty JSON data).
async fn read_stream(req: reqwest::RequestBuilder) -> (u16, Vec<Sse>) {
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    if status != 200 {
        let v: Value = r.json().await.unwrap_or(Value::Null);
        return (
            status,
            vec![Sse {
                event: "http_error".into(),
                data: v,
            }],
        );
    }
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut events = Vec::new();
    let mut stream = r.bytes_stream().eventsource();
    while let Some(e) = stream.next().await {
        let e = e.expect("well-formed SSE");
        assert!(!e.data.is_empty(), "event {} has empty data", e.event);
        let data: Value = serde_json::from_str(&e.data).expect("event data is JSON");
        events.push(Sse {
            event: e.event,
            data,
        });
    }
    (status, events)
}

pub fn reply_text(events: &[Sse]) -> String {
    events
        .iter()
        .filter(|e| e.event == "token")
        .map(|e| e.data["delta"].as_str().unwrap_or_default())
        .collect()
}

pub fn names(events: &[Sse]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for e in events {
        if out.last() != Some(&e.event.as_str()) {
            out.push(&e.event);
        }
    }
    out
}

pub fn dim(card: &Value, id: &str) -> u64 {
    card["dimensions"]
        .as_array()
        .and_then(|d| d.iter().find(|x| x["id"] == id))
        .and_then(|d| d["score"].as_u64())
        .unwrap_or_else(|| panic!("no dimension {id} in {card}"))
}

/// Every dimension's id and score, in the card's order.
pub fn dim_scores(card: &Value) -> Vec<(String, u64)> {
    named_counts(&card["dimensions"], "id", "score")
}

/// Each object of a JSON array as (its `name` string, its `count` number), in order.
pub fn named_counts(items: &Value, name: &str, count: &str) -> Vec<(String, u64)> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|x| {
            (
                x[name].as_str().unwrap().to_string(),
                x[count].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn max_dim(card: &Value) -> u64 {
    card["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["score"].as_u64().unwrap())
        .max()
        .unwrap()
}

/// Every evidence quote must be a verbatim substring of one of the candidate's turns.
pub fn assert_quotes_verbatim(card: &Value, session: &Value) {
    let turns = session["turns"].as_array().unwrap();
    for d in card["dimensions"].as_array().unwrap() {
        for e in d["evidence"].as_array().unwrap() {
            let turn = turns
                .iter()
                .find(|t| t["id"] == e["turn_id"])
                .unwrap_or_else(|| panic!("evidence points at unknown turn: {e}"));
            assert_eq!(
                turn["role"], "candidate",
                "evidence must quote the candidate: {e}"
            );
            let quote = e["quote"].as_str().unwrap();
            assert!(
                turn["content"].as_str().unwrap().contains(quote),
                "not verbatim: {quote}"
            );
        }
    }
}
