//! `mock-interviewer db migrate`: a SQLite file copied into PostgreSQL loses nothing, a rerun copies
//! nothing twice, and a target holding other data is refused unless forced.

use std::process::{Command, Output};
use std::sync::Arc;

use mock_interviewer::content::Level;
use mock_interviewer::domain::InterviewerMode;
use mock_interviewer::storage::test_db::TestDatabase;
use mock_interviewer::storage::{NewSession, Storage};

use crate::helpers::*;
use crate::interviews::{STRONG_CLARIFY, STRONG_DESIGN};

fn migrate(from: &std::path::Path, to: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["db", "migrate", "--from"])
        .arg(format!("sqlite:{}", from.display()))
        .args(["--to", to])
        .args(extra)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn a_sqlite_file_with_a_thousand_sessions_moves_to_postgres_whole_and_a_rerun_copies_nothing()
{
    let Some(pg) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    // The source: one whole interview through the app, and 1,000 opened sessions beside it.
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let stt = crate::mock_speech::MockSpeech::start().await;
    let stt_url = stt.base_url.clone();
    let mut app = spawn_on(dir.clone(), None, START_MS, move |a| {
        a.speech.stt_base_url = Some(stt_url)
    })
    .await;
    let id = app.start_id("rag-customer-support").await;
    app.say(&id, STRONG_CLARIFY[0]).await;
    // One answer spoken: its mark and length move with it.
    stt.push_heard(crate::mock_speech::Heard::Text {
        text: STRONG_CLARIFY[1].to_string(),
        duration: Some(7.5),
    });
    let (status, events) = app
        .stream_bytes(
            &format!("/api/sessions/{id}/audio"),
            crate::voice::tone_wav(0.2),
            "audio/wav",
        )
        .await;
    assert_eq!(status, 200, "{events:?}");
    app.advance(&id).await;
    app.say(&id, STRONG_DESIGN).await;
    let card = app.finish(&id).await;
    let (_, view) = app.get(&format!("/api/sessions/{id}")).await;
    app.stop().await;
    let file = dir.path().join("data").join("test.db");
    let storage = Storage::open(&file).await.unwrap();
    for i in 0..1_000 {
        storage
            .create_session(
                &NewSession {
                    id: &format!("bulk-{i:04}"),
                    question_id: "rag-customer-support",
                    kind: "system_design",
                    level: Level::Senior,
                    first_phase: "clarification",
                    now: START_MS + i,
                    interviewer: InterviewerMode::Offline,
                    interviewer_model: None,
                    judge: None,
                    prompt_versions: "{}",
                    owner_id: None,
                    client: None,
                },
                "Welcome.",
            )
            .await
            .unwrap();
    }
    drop(storage);

    let first = migrate(&file, &pg.url, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    assert!(out.contains("every count matches"), "{out}");
    for (table, rows) in [
        ("sessions", Some(1_001)),
        ("turns", Some(1_008)),
        ("reveals", None),
        ("phase_changes", Some(1_002)),
        ("scorecards", Some(1)),
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(table))
            .unwrap_or_else(|| panic!("no count for {table}: {out}"));
        let numbers: Vec<u64> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        assert_eq!(numbers.len(), 2, "{line}");
        assert_eq!(numbers[0], numbers[1], "{line}");
        assert!(numbers[0] > 0, "{line}");
        if let Some(rows) = rows {
            assert_eq!(numbers[0], rows, "{line}");
        }
    }

    // A rerun finds everything there and writes nothing.
    let again = migrate(&file, &pg.url, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("0 rows written"),
        "{}",
        stdout(&again)
    );

    // Served from PostgreSQL, the session reads as it did from SQLite, and takes new turns.
    let pg_app = spawn_on(
        Arc::new(tempfile::tempdir().unwrap()),
        Some(pg.clone()),
        START_MS,
        |_| {},
    )
    .await;
    let (_, moved) = pg_app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(moved, view);
    assert_eq!(moved["turns"][3]["spoken"], true, "{moved}");
    assert_eq!(moved["turns"][3]["speech_ms"], 7_500);
    let (_, moved_card) = pg_app.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!(moved_card, card);
    let (_, list) = pg_app.get("/api/sessions").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1_000,
        "listed up to the page size"
    );
    let (_, reply) = pg_app
        .say("bulk-0007", "How many documents are there?")
        .await;
    assert!(!reply.is_empty());
    let turns = pg_app.stored_turns("bulk-0007").await;
    assert_eq!(turns.len(), 3);
    assert!(
        turns[1].id > 1_008,
        "new ids continue past the copied ones: {}",
        turns[1].id
    );
}

#[tokio::test]
async fn a_target_holding_other_sessions_is_refused_unless_forced() {
    let Some(pg) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    // The target already serves a session of its own, its turn ids far from the source's.
    let admin = mock_interviewer::storage::Storage::open_postgres(
        &pg.url,
        mock_interviewer::storage::StorageOptions::default(),
    )
    .await
    .unwrap();
    drop(admin);
    let pool = sqlx::PgPool::connect(&pg.url).await.unwrap();
    sqlx::query("SELECT setval(pg_get_serial_sequence('turns', 'id'), 1000000)")
        .execute(&pool)
        .await
        .unwrap();
    let pg_app = spawn_on(
        Arc::new(tempfile::tempdir().unwrap()),
        Some(pg.clone()),
        START_MS,
        |_| {},
    )
    .await;
    let theirs = pg_app.start_id("rag-customer-support").await;
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut app = spawn_on(dir.clone(), None, START_MS, |_| {}).await;
    let ours = app.start_id("rag-customer-support").await;
    app.stop().await;
    let file = dir.path().join("data").join("test.db");

    let refused = migrate(&file, &pg.url, &[]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let (status, _) = pg_app.get(&format!("/api/sessions/{ours}")).await;
    assert_eq!(status, 404, "nothing was copied");

    let forced = migrate(&file, &pg.url, &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    for id in [&ours, &theirs] {
        let (status, _) = pg_app.get(&format!("/api/sessions/{id}")).await;
        assert_eq!(status, 200, "{id}");
    }
    // Another file's turn ids overlap those the target now holds: even a forced copy is refused.
    let other = Arc::new(tempfile::tempdir().unwrap());
    let mut source = spawn_on(other.clone(), None, START_MS, |_| {}).await;
    source.start("rag-customer-support").await;
    source.stop().await;
    let overlap = migrate(
        &other.path().join("data").join("test.db"),
        &pg.url,
        &["--force"],
    );
    assert!(!overlap.status.success());
    assert!(
        stderr(&overlap).contains("turn ids"),
        "{}",
        stderr(&overlap)
    );
}

#[tokio::test]
async fn migrate_names_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let missing = migrate(
        &dir.path().join("none.db"),
        "postgres://postgres@127.0.0.1:5432/postgres",
        &[],
    );
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("no SQLite database"),
        "{}",
        stderr(&missing)
    );
    let wrong = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["db", "migrate", "--from", "x.db", "--to", "mysql://h/db"])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("postgres://"), "{}", stderr(&wrong));
}

#[tokio::test]
async fn accounts_shares_comments_and_ownership_move_to_postgres_and_keep_working() {
    use mock_interviewer::accounts::AuthMode;
    use mock_interviewer::domain::UserRole;
    use serde_json::json;

    use crate::accounts::{Client, user};

    let Some(pg) = TestDatabase::create().await.map(Arc::new) else {
        return;
    };
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut app = spawn_on(dir.clone(), None, START_MS, |a| {
        a.auth.mode = AuthMode::Password
    })
    .await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let carol = user(&app, "carol", UserRole::Coach).await;
    let dave = user(&app, "dave", UserRole::Coach).await;
    let bob = user(&app, "bob", UserRole::Candidate).await;
    let id = alice.start().await;
    let session = format!("/api/sessions/{id}");
    alice
        .post(
            &format!("{session}/turns"),
            json!({"content": STRONG_CLARIFY[0]}),
        )
        .await;
    alice
        .post(&format!("{session}/shares"), json!({"coach": "carol"}))
        .await;
    let (_, link) = alice
        .post(&format!("{session}/shares"), json!({"link": true}))
        .await;
    dave.post("/api/shares/open", json!({"token": link["token"]}))
        .await;
    let (_, view) = alice.get(&session).await;
    let turn = view["turns"][1]["id"].as_i64().unwrap();
    carol
        .post(
            &format!("{session}/comments"),
            json!({"body": "Nice.", "turn_id": turn}),
        )
        .await;
    let (_, comments) = alice.get(&format!("{session}/comments")).await;
    app.stop().await;

    let file = dir.path().join("data").join("test.db");
    let first = migrate(&file, &pg.url, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    for (table, rows) in [
        ("users", 4),
        ("api_tokens", 4),
        ("shares", 2),
        ("share_access", 1),
        ("comments", 1),
    ] {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("no count for {table}: {out}"));
        let numbers: Vec<u64> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        assert_eq!(numbers, [rows, rows], "{line}");
    }
    let again = migrate(&file, &pg.url, &[]);
    assert!(
        stdout(&again).contains("0 rows written"),
        "{}",
        stdout(&again)
    );

    // The same tokens, owners, shares and comments, served from PostgreSQL.
    let pg_app = spawn_on(
        Arc::new(tempfile::tempdir().unwrap()),
        Some(pg.clone()),
        START_MS,
        |a| a.auth.mode = AuthMode::Password,
    )
    .await;
    let moved = |c: &Client| Client {
        base: pg_app.base.clone(),
        http: reqwest::Client::new(),
        credential: c.credential.clone(),
    };
    let (alice, carol, dave, bob) = (moved(&alice), moved(&carol), moved(&dave), moved(&bob));
    assert_eq!(alice.get(&session).await.1, view);
    assert_eq!(alice.get("/api/sessions").await.1[0]["id"], id.as_str());
    assert_eq!(carol.get(&format!("{session}/comments")).await.1, comments);
    assert_eq!(
        dave.get(&session).await.0,
        200,
        "the opened link still gives access"
    );
    assert_eq!(bob.get(&session).await.0, 404);
    let (status, c) = carol
        .post(&format!("{session}/comments"), json!({"body": "Again."}))
        .await;
    assert_eq!(status, 201);
    assert!(
        c["id"].as_i64().unwrap() > 1,
        "comment ids continue past the copied ones"
    );
}
