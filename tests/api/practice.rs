//! `mock-interviewer practice` driven in a pseudo-terminal: the real binary, its line editor and its
//! rendering, through whole interviews against the embedded server (on the suite's database) and
//! against a separately started one (`--server`); then the stored session is checked over HTTP.

use std::path::Path;
use std::process::Command;

use mock_interviewer::storage::DbTarget;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

use crate::helpers::{TestApp, spawn_app};

/// A guard against a hung child, not a timing assertion: every step normally takes well under it.
const STEP_TIMEOUT_MS: u64 = 120_000;

const DIAGRAM: &str =
    "flowchart LR\n  U[User] --> G[Gateway]\n  G --> C[(Cache)]\n  G --> R[Retriever]\n";

fn db_arg(app: &TestApp) -> String {
    match &app.db {
        DbTarget::Sqlite(p) => p.display().to_string(),
        DbTarget::Postgres(url) => url.clone(),
    }
}

/// The binary in a pty, in `dir`, with a clean environment of its own (no colour, no model).
fn practice(dir: &Path, args: &[&str]) -> PtySession {
    practice_with_env(dir, args, &[])
}

fn practice_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"));
    cmd.arg("practice").args(args).current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("MOCK_INTERVIEWER_") || k.starts_with("OPENAI_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied());
    spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(STEP_TIMEOUT_MS))
            .strip_ansi_escape_codes(true),
    )
    .expect("the binary starts in a pty")
}

/// Waits for the answer prompt, then types a line (never while the editor is still setting up).
fn type_line(p: &mut PtySession, prompt: &str, line: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("prompt {prompt:?} before {line:?}: {e}"));
    p.send_line(line).expect("send");
}

/// Sends the answer written so far with an empty line and reads the reply up to the next prompt.
fn send_answer(p: &mut PtySession) -> String {
    type_line(p, "...> ", "");
    p.exp_string("interviewer> ").expect("the reply starts");
    p.exp_string("you> ")
        .expect("the reply ends at a fresh prompt")
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("the pty driver")
}

fn session_id_in(text: &str) -> String {
    let at = text.find("Session ").expect("the session id is printed") + "Session ".len();
    text[at..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_whole_interview_in_the_terminal_is_stored_like_any_other() {
    let app = spawn_app().await;
    let db = db_arg(&app);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("arch.mmd"), DIAGRAM).unwrap();
    std::fs::write(
        work.path().join("typo.mmd"),
        "flowchart LR\n  G[Gateway] -->\n",
    )
    .unwrap();
    let dir = work.path().to_path_buf();

    let transcript = blocking(move || {
        let mut p = practice(&dir, &["--db", &db, "--llm", "offline"]);
        // The list, then a pick by number.
        let (_, number) = p
            .exp_regex(r"(\d+)\. Design a RAG system for customer support")
            .expect("the question list");
        let number = number.trim_start().split('.').next().unwrap().to_string();
        type_line(&mut p, "question (number or id)> ", &number);
        let intro = p.exp_string("you> ").expect("the opening and the prompt");
        assert!(intro.contains("== Clarification"), "{intro}");
        assert!(intro.contains("interviewer> "), "{intro}");

        // A two-line answer: each line adds, the empty line sends.
        p.send_line("How many documents are there,").unwrap();
        type_line(&mut p, "...> ", "and what is the latency target?");
        let reply = send_answer(&mut p);
        assert!(!reply.trim().is_empty());

        // Ctrl-C clears the answer being written; nothing is sent.
        p.send_line("this half-thought should never reach the server")
            .unwrap();
        p.exp_string("...> ").unwrap();
        p.send_control('c').unwrap();
        p.exp_string("(answer cleared)").expect("Ctrl-C clears");

        type_line(&mut p, "you> ", "/hint");
        p.exp_string("interviewer> ").expect("the hint streams");
        type_line(&mut p, "you> ", "/time");
        p.exp_regex(
            r"\(phase 1 of \d\): \d+:\d\d left in this phase, \d+:\d\d left in the interview",
        )
        .expect("/time shows the phase and the time left");

        type_line(&mut p, "you> ", "/next");
        p.exp_string("(phase 2 of")
            .expect("the phase change is shown");

        type_line(
            &mut p,
            "you> ",
            "The gateway sends each query to the cache first, then the retriever.",
        );
        // A diagram the interviewer could not read is refused, with its errors by line.
        type_line(&mut p, "...> ", "/diagram typo.mmd");
        p.exp_string("typo.mmd:2: ").expect("the error names the line");
        p.exp_string("(not attached").unwrap();
        type_line(&mut p, "...> ", "/diagram arch.mmd");
        p.exp_string("(attached arch.mmd as a ```mermaid diagram block, 4 line(s); the interviewer reads 4 box(es) and 3 arrow(s);")
            .expect("the diagram is attached");
        send_answer(&mut p);

        p.send_line("/bogus").unwrap();
        p.exp_string("unknown command `/bogus`").unwrap();

        type_line(&mut p, "you> ", "/finish");
        let card = p
            .exp_string("is saved.")
            .expect("the scorecard, then where to see it");
        p.exp_eof().expect("the program ends");
        card
    })
    .await;

    for want in [
        "== Scorecard ==",
        "Overall ",
        "/100: ",
        "/4",
        "Improvements",
    ] {
        assert!(transcript.contains(want), "{want:?} in:\n{transcript}");
    }
    let id = session_id_in(&transcript[transcript.rfind("Session ").unwrap()..]);

    // Stored like any other session: listed, finished, with the diagram in its turn.
    let (status, list) = app.get("/api/sessions").await;
    assert_eq!(status, 200);
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"));
    assert_eq!(listed["question_id"], "rag-customer-support");
    assert_eq!(listed["status"], "finished");
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    let turns = session["turns"].as_array().unwrap();
    let candidate: Vec<&str> = turns
        .iter()
        .filter(|t| t["role"] == "candidate")
        .map(|t| t["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        candidate[0],
        "How many documents are there,\nand what is the latency target?"
    );
    let with_diagram = format!(
        "The gateway sends each query to the cache first, then the retriever.\n```mermaid\n{}\n```",
        DIAGRAM.trim_end()
    );
    assert_eq!(candidate[1], with_diagram);
    assert_eq!(candidate.len(), 2, "the cleared answer was never sent");
    assert!(turns.iter().any(|t| t["hint"] == true), "{session}");
    let (status, card) = app.get(&format!("/api/sessions/{id}/scorecard")).await;
    assert_eq!(status, 200);
    assert_eq!(card["hints_used"], 1);
}

#[tokio::test]
async fn against_a_separate_server_a_session_left_with_quit_is_taken_up_again() {
    let app = spawn_app().await;
    let server = app.base.clone();
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("limiter.py"),
        "def allow(key):\n    return bucket(key).take()\n",
    )
    .unwrap();
    let dir = work.path().to_path_buf();

    let (server2, dir2) = (server.clone(), dir.clone());
    let left = blocking(move || {
        let mut p = practice(
            &dir2,
            &[
                "--server",
                &server2,
                "--question",
                "code-llm-rate-limiter",
                "--level",
                "staff",
            ],
        );
        type_line(&mut p, "you> ", "A token bucket per API key:");
        type_line(&mut p, "...> ", "/code limiter.py");
        p.exp_string("as a ```python code block")
            .expect("the code is attached");
        send_answer(&mut p);
        p.send_line("/quit").unwrap();
        let out = p
            .exp_string("In the web room:")
            .expect("where the session is");
        p.exp_eof().unwrap();
        out
    })
    .await;
    assert!(
        left.contains("Resume it with `mock-interviewer practice --session"),
        "{left}"
    );
    let id = session_id_in(&left[left.rfind("Session ").unwrap()..]);

    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(session["status"], "active");
    assert_eq!(session["level"], "staff");
    let answer = session["turns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["role"] == "candidate")
        .map(|t| t["content"].as_str().unwrap().to_string())
        .unwrap();
    assert_eq!(
        answer,
        "A token bucket per API key:\n```python\ndef allow(key):\n    return bucket(key).take()\n```"
    );

    let id2 = id.clone();
    let resumed = blocking(move || {
        let mut p = practice(&dir, &["--server", &server, "--session", &id2]);
        p.exp_string("you> A token bucket per API key:")
            .expect("the turns so far");
        p.exp_string("you> ").expect("then the prompt");
        p.send_line("/finish").unwrap();
        p.exp_eof().expect("the program ends")
    })
    .await;
    assert!(resumed.contains("== Scorecard =="), "{resumed}");
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(session["status"], "finished");
}

/// A server that requires accounts: 401 without `Bearer t0ken`, an empty question bank with it.
async fn locked_server() -> (String, tokio::task::JoinHandle<()>) {
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let locked = axum::Router::new().fallback(|headers: HeaderMap| async move {
        match headers.get("authorization").and_then(|v| v.to_str().ok()) {
            Some("Bearer t0ken") => axum::Json(serde_json::json!([])).into_response(),
            Some(_) => (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"error": {"code": "invalid_token", "message": "unknown token"}})),
            )
                .into_response(),
            None => (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"error": {"code": "unauthorized", "message": "sign in"}})),
            )
                .into_response(),
        }
    });
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, locked).await;
    });
    (url, server)
}

#[tokio::test]
async fn a_server_that_requires_an_account_gets_a_clear_message_and_the_token() {
    let (url, server) = locked_server().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &'static [&'static str], token: Option<&'static str>| {
        let (url, dir) = (url.clone(), dir.path().to_path_buf());
        blocking(move || {
            let mut args = vec!["--server", url.as_str()];
            args.extend_from_slice(extra);
            let mut p = match token {
                Some(t) => practice_with_env(&dir, &args, &[("MOCK_INTERVIEWER_TOKEN", t)]),
                None => practice(&dir, &args),
            };
            p.exp_eof().expect("the program ends")
        })
    };
    let without = run(&[], None).await;
    assert!(
        without.contains("requires an account: pass --token TOKEN (or set MOCK_INTERVIEWER_TOKEN)"),
        "{without}"
    );
    let wrong = run(&["--token", "nope"], None).await;
    assert!(
        wrong.contains("refused the token (unknown token)"),
        "{wrong}"
    );
    // The right token (from the environment) gets through: this bank is empty.
    let right = run(&[], Some("t0ken")).await;
    assert!(right.contains("the server has no questions"), "{right}");
    server.abort();
}

#[tokio::test]
async fn help_a_pasted_block_and_ctrl_d_which_leaves_the_session_active() {
    let app = spawn_app().await;
    let server = app.base.clone();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_path_buf();
    let out = blocking(move || {
        let mut p = practice(
            &dir,
            &["--server", &server, "--question", "debug-latency-spikes"],
        );
        type_line(&mut p, "you> ", "/help");
        p.exp_string("/diagram FILE")
            .expect("the commands are listed");
        // A bracketed paste of three lines, one blank: one entry, nothing sent until the empty line.
        p.exp_string("you> ").unwrap();
        p.send("\x1b[200~When did the P99 shift begin?\n\nWas there a deploy?\x1b[201~")
            .unwrap();
        p.send_line("").unwrap();
        send_answer(&mut p);
        p.send_control('d').unwrap();
        p.exp_eof().expect("Ctrl-D leaves")
    })
    .await;
    assert!(out.contains("Resume it with"), "{out}");
    let id = session_id_in(&out[out.rfind("Session ").unwrap()..]);
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(session["status"], "active");
    let candidate: Vec<&str> = session["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["role"] == "candidate")
        .map(|t| t["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        candidate,
        ["When did the P99 shift begin?\n\nWas there a deploy?"]
    );
}

#[tokio::test]
async fn a_server_gone_mid_interview_is_an_error_that_keeps_the_session() {
    let mut app = spawn_app().await;
    let server = app.base.clone();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_path_buf();
    let rt = tokio::runtime::Handle::current();
    let out = blocking(move || {
        let mut p = practice(
            &dir,
            &["--server", &server, "--question", "rag-customer-support"],
        );
        p.exp_string("you> ").unwrap();
        rt.block_on(app.stop());
        p.send_line("How many documents are there?").unwrap();
        type_line(&mut p, "...> ", "");
        p.exp_eof().expect("the program ends")
    })
    .await;
    assert!(out.contains("error: cannot reach the server at"), "{out}");
    assert!(
        out.contains("Resume it with `mock-interviewer practice --session"),
        "{out}"
    );
}

/// The embedded server takes the model settings `serve` takes; Ctrl-C while a reply streams stops it
/// and returns to the prompt, and the server keeps the part that was said, marked incomplete.
#[tokio::test]
async fn with_a_model_ctrl_c_stops_a_streaming_reply_and_the_prompt_returns() {
    use crate::mock_openai::{Behavior, MockOpenAi, pieces};
    let app = spawn_app().await;
    let db = db_arg(&app);
    let mock = MockOpenAi::start().await;
    mock.push_stream(Behavior::Stream {
        pieces: pieces("Around two million documents, growing slowly. "),
        usage: true,
    });
    mock.push_stream(Behavior::Stall {
        pieces: pieces("Latency matters: the answer should start "),
        after: 3,
    });
    let base_url = mock.base_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().to_path_buf();
    let out = blocking(move || {
        let mut p = practice(
            &dir,
            &[
                "--db",
                &db,
                "--llm-base-url",
                &base_url,
                "--llm-timeout",
                "600",
                "--question",
                "rag-customer-support",
            ],
        );
        p.exp_string("you> ").unwrap();
        p.send_line("How many documents are there?").unwrap();
        let first = send_answer(&mut p);
        assert!(first.contains("Around two million documents"), "{first}");
        p.send_line("And the latency target?").unwrap();
        type_line(&mut p, "...> ", "");
        p.exp_string("interviewer> Latency matters: the ")
            .expect("the reply streams");
        p.send_control('c').unwrap();
        p.exp_string("(reply interrupted").expect("Ctrl-C stops it");
        type_line(&mut p, "you> ", "/quit");
        p.exp_eof().expect("the program ends")
    })
    .await;
    let id = session_id_in(&out[out.rfind("Session ").unwrap()..]);
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    let last = session["turns"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["role"], "interviewer", "{session}");
    assert_eq!(last["incomplete"], true, "{last}");
    assert_eq!(last["content"], "Latency matters: the ");
    assert_eq!(mock.stream_requests().len(), 2);
}
