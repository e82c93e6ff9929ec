//! Accounts (`--auth password|token`): signing in and out, the cookie's attributes, API tokens,
//! disabling users and revoking tokens (at once), shares by name and by link (revocable), comments,
//! the admin routes, the `users` command, and the start-up refusal to serve a network without
//! accounts. Both backends.

use mock_interviewer::accounts::{Accounts, AuthMode};
use mock_interviewer::clock::SystemClock;
use mock_interviewer::domain::UserRole;
use mock_interviewer::storage::{Storage, StorageOptions};
use serde_json::{Value, json};

use crate::helpers::*;

pub const QUESTION: &str = "rag-customer-support";
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in client: a bearer token, or a login cookie.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    /// `Authorization` or `Cookie`, with its value; `None` for an anonymous client.
    pub credential: Option<(&'static str, String)>,
}

impl Client {
    pub fn anonymous(app: &TestApp) -> Client {
        Client {
            base: app.base.clone(),
            http: reqwest::Client::new(),
            credential: None,
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let changes = method != reqwest::Method::GET;
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some((name, value)) = &self.credential {
            req = req.header(*name, value);
        }
        // Anything that changes state is JSON (the guard refuses other bodies with 415).
        match body {
            Some(b) => req = req.json(&b),
            None if changes => req = req.json(&json!({})),
            None => {}
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        // A stream's events are drained; only the status matters to callers of `send`.
        let text = r.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends raw bytes of a type (a recording) with this client's credential.
    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("content-type", content_type)
            .body(body);
        if let Some((name, value)) = &self.credential {
            req = req.header(*name, value);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// Starts a session on the default question.
    pub async fn start(&self) -> String {
        let (status, body) = self
            .post("/api/sessions", json!({ "question_id": QUESTION }))
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }
}

/// The accounts of the app's database, as the `users` command sees them.
pub async fn accounts_of(app: &TestApp) -> Accounts {
    let storage = Storage::connect(&app.db, StorageOptions::default())
        .await
        .expect("the test database opens");
    Accounts::new(
        AuthMode::Password,
        storage,
        std::sync::Arc::new(SystemClock),
    )
}

/// Adds a user with the test password and returns a client holding a new API token of theirs.
pub async fn user(app: &TestApp, name: &str, role: UserRole) -> Client {
    let accounts = accounts_of(app).await;
    accounts
        .add_user(name, role, Some(PASSWORD.to_string()))
        .await
        .expect("user added");
    let token = accounts
        .issue_token(name)
        .await
        .expect("token")
        .token
        .unwrap();
    Client {
        base: app.base.clone(),
        http: reqwest::Client::new(),
        credential: Some(("authorization", format!("Bearer {token}"))),
    }
}

pub async fn spawn_with_auth(mode: AuthMode) -> TestApp {
    spawn_app_with(|a| a.auth.mode = mode).await
}

/// Signs in with a password; the client then holds the session cookie.
async fn login(app: &TestApp, name: &str, password: &str) -> (u16, Value, Option<String>) {
    let r = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "name": name, "password": password }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    (status, r.json().await.unwrap_or(Value::Null), cookie)
}

fn cookie_client(app: &TestApp, set_cookie: &str) -> Client {
    let pair = set_cookie.split(';').next().unwrap().to_string();
    Client {
        base: app.base.clone(),
        http: reqwest::Client::new(),
        credential: Some(("cookie", pair)),
    }
}

#[tokio::test]
async fn a_password_login_sets_a_strict_http_only_cookie_and_logout_ends_it() {
    let app = spawn_with_auth(AuthMode::Password).await;
    user(&app, "alice", UserRole::Candidate).await;

    let (status, body, cookie) = login(&app, "alice", "wrong password").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    assert!(cookie.is_none());
    let (status, body, _) = login(&app, "nobody", PASSWORD).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("invalid_credentials"))
    );

    let (status, body, cookie) = login(&app, "alice", PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["name"], "alice");
    assert_eq!(body["auth"], "password");
    let cookie = cookie.expect("a session cookie");
    assert!(cookie.starts_with("mi_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let alice = cookie_client(&app, &cookie);
    let (status, me) = alice.get("/api/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["user"]["role"], "candidate");
    let id = alice.start().await;
    let (status, _) = alice.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(status, 200);

    let (status, _) = alice.post("/api/auth/logout", json!({})).await;
    assert_eq!(status, 204);
    let (status, body) = alice.get("/api/me").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    let (status, _) = alice.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn disabling_a_user_stops_their_cookie_and_their_tokens_at_once() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let alice_token = user(&app, "alice", UserRole::Candidate).await;
    let admin = user(&app, "root", UserRole::Admin).await;
    let (_, _, cookie) = login(&app, "alice", PASSWORD).await;
    let alice_cookie = cookie_client(&app, &cookie.unwrap());
    assert_eq!(alice_cookie.get("/api/sessions").await.0, 200);
    assert_eq!(alice_token.get("/api/sessions").await.0, 200);

    let (status, body) = admin
        .post("/api/admin/users/alice/disable", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["disabled"], true);
    for client in [&alice_cookie, &alice_token] {
        let (status, body) = client.get("/api/sessions").await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthenticated"))
        );
    }
    let (status, _, _) = login(&app, "alice", PASSWORD).await;
    assert_eq!(status, 401, "a disabled user cannot sign in");

    let (status, _) = admin.post("/api/admin/users/alice/enable", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(alice_token.get("/api/sessions").await.0, 200);
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once_and_tokens_are_stored_hashed() {
    let app = spawn_with_auth(AuthMode::Token).await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let (status, made) = alice.post("/api/me/tokens", json!({})).await;
    assert_eq!(status, 201, "{made}");
    let token = made["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("mit_") && token.len() == 68, "{token}");
    let second = Client {
        credential: Some(("authorization", format!("Bearer {token}"))),
        ..Client::anonymous(&app)
    };
    assert_eq!(second.get("/api/me").await.0, 200);
    let (_, listed) = alice.get("/api/me/tokens").await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        listed.to_string().find(&token).is_none(),
        "never listed again"
    );

    let (status, _) = alice
        .delete(&format!("/api/me/tokens/{}", made["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, 204);
    let (status, body) = second.get("/api/me").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(
        alice.get("/api/me").await.0,
        200,
        "the other token still works"
    );

    // Password login is off in token mode.
    let (status, body, _) = login(&app, "alice", PASSWORD).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("accounts_off"))
    );
}

#[tokio::test]
async fn a_share_by_name_and_a_share_link_give_a_coach_access_until_revoked() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let bob = user(&app, "bob", UserRole::Candidate).await;
    let carol = user(&app, "carol", UserRole::Coach).await;
    let dave = user(&app, "dave", UserRole::Coach).await;
    let id = alice.start().await;
    let session = format!("/api/sessions/{id}");
    for coach in [&carol, &dave] {
        assert_eq!(coach.get(&session).await.0, 404);
        assert_eq!(coach.get("/api/sessions").await.1, json!([]));
    }

    // By name: only coaches.
    let (status, body) = alice
        .post(&format!("{session}/shares"), json!({"coach": "bob"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, body) = alice
        .post(&format!("{session}/shares"), json!({"coach": "zed"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("user_not_found"))
    );
    let (status, by_name) = alice
        .post(&format!("{session}/shares"), json!({"coach": "carol"}))
        .await;
    assert_eq!(status, 201, "{by_name}");
    assert_eq!(by_name["kind"], "coach");
    assert_eq!(carol.get(&session).await.0, 200);
    assert_eq!(carol.get("/api/sessions").await.1[0]["id"], id.as_str());
    assert_eq!(dave.get(&session).await.0, 404);

    // By link: a coach who opens it gains access; a candidate cannot use one.
    let (status, link) = alice
        .post(&format!("{session}/shares"), json!({"link": true}))
        .await;
    assert_eq!(status, 201, "{link}");
    let token = link["token"].as_str().unwrap();
    let (status, body) = bob.post("/api/shares/open", json!({"token": token})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    assert_eq!(bob.get(&session).await.0, 404);
    let (status, body) = dave
        .post("/api/shares/open", json!({"token": "mis_nonsense"}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("share_not_found"))
    );
    let (status, opened) = dave.post("/api/shares/open", json!({"token": token})).await;
    assert_eq!(
        (status, opened["session_id"].as_str()),
        (200, Some(id.as_str()))
    );
    assert_eq!(dave.get(&session).await.0, 200);
    let (_, shares) = alice.get(&format!("{session}/shares")).await;
    assert_eq!(shares.as_array().unwrap().len(), 2);
    assert!(
        shares.to_string().find(token).is_none(),
        "the link's token is shown once"
    );
    let listed_link = shares
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "link")
        .unwrap();
    assert_eq!(listed_link["opened"], 1);

    // Revoking either takes the access away at once.
    let (status, _) = alice
        .delete(&format!(
            "{session}/shares/{}",
            link["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 204);
    assert_eq!(dave.get(&session).await.0, 404);
    assert_eq!(dave.get("/api/sessions").await.1, json!([]));
    let (status, _) = dave.post("/api/shares/open", json!({"token": token})).await;
    assert_eq!(status, 404, "a revoked link opens nothing");
    assert_eq!(carol.get(&session).await.0, 200, "the other share stands");
    let (status, _) = alice
        .delete(&format!(
            "{session}/shares/{}",
            by_name["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 204);
    assert_eq!(carol.get(&session).await.0, 404);
    let (status, body) = alice
        .delete(&format!(
            "{session}/shares/{}",
            by_name["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("share_not_found"))
    );
}

#[tokio::test]
async fn coaches_comment_beside_the_turns_and_cannot_write_turns() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let carol = user(&app, "carol", UserRole::Coach).await;
    let admin = user(&app, "root", UserRole::Admin).await;
    let id = alice.start().await;
    let other = alice.start().await;
    let session = format!("/api/sessions/{id}");
    alice
        .post(&format!("{session}/shares"), json!({"coach": "carol"}))
        .await;
    let (status, _) = alice
        .post(
            &format!("{session}/turns"),
            json!({"content": "How many documents are there?"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, view) = carol.get(&session).await;
    let turn_id = view["turns"][1]["id"].as_i64().unwrap();
    let (_, other_view) = alice.get(&format!("/api/sessions/{other}")).await;
    let other_turn = other_view["turns"][0]["id"].as_i64().unwrap();

    let (status, c) = carol
        .post(
            &format!("{session}/comments"),
            json!({"body": "Good first question.", "turn_id": turn_id}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(
        (c["author"].as_str(), c["author_role"].as_str()),
        (Some("carol"), Some("coach"))
    );
    let (status, _) = alice
        .post(&format!("{session}/comments"), json!({"body": "Thanks!"}))
        .await;
    assert_eq!(status, 201);
    for (body, why) in [
        (json!({"body": "  "}), "empty"),
        (json!({"body": "x".repeat(5000)}), "too long"),
        (
            json!({"body": "wrong turn", "turn_id": other_turn}),
            "another session's turn",
        ),
    ] {
        let (status, r) = carol.post(&format!("{session}/comments"), body).await;
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (400, Some("invalid_input")),
            "{why}"
        );
    }
    let (_, comments) = alice.get(&format!("{session}/comments")).await;
    let comments = comments.as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["turn_id"], turn_id);
    assert_eq!(comments[1]["turn_id"], Value::Null);

    // A coach reads and comments, never writes; an admin reads only.
    for path in ["turns", "advance", "hint", "finish"] {
        let body = json!({"content": "I am the coach"});
        for who in [&carol, &admin] {
            let (status, r) = who.post(&format!("{session}/{path}"), body.clone()).await;
            assert_eq!(
                (status, r["error"]["code"].as_str()),
                (403, Some("forbidden")),
                "{path}"
            );
        }
    }
    let (status, _) = admin
        .post(&format!("{session}/comments"), json!({"body": "hi"}))
        .await;
    assert_eq!(status, 403);
    assert_eq!(admin.get(&format!("{session}/comments")).await.0, 200);
    assert_eq!(
        app.stored_turns(&id).await.len(),
        3,
        "nothing written by the coach or admin"
    );
}

#[tokio::test]
async fn admins_manage_users_and_see_usage_per_user() {
    let app = spawn_with_auth(AuthMode::Token).await;
    let admin = user(&app, "root", UserRole::Admin).await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let id = alice.start().await;
    alice
        .post(
            &format!("/api/sessions/{id}/turns"),
            json!({"content": "What is the latency target?"}),
        )
        .await;

    let (status, made) = admin
        .post(
            "/api/admin/users",
            json!({"name": "erin", "role": "coach", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(
        (made["role"].as_str(), made["has_password"].as_bool()),
        (Some("coach"), Some(true))
    );
    assert!(made.get("password_hash").is_none());
    let (status, r) = admin
        .post("/api/admin/users", json!({"name": "erin", "role": "coach"}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("user_exists"))
    );
    let (status, r) = admin
        .post(
            "/api/admin/users",
            json!({"name": "fay", "role": "coach", "password": "short"}),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, r) = admin
        .post("/api/admin/users/nobody/disable", json!({}))
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (404, Some("user_not_found"))
    );

    let (_, users) = admin.get("/api/admin/users").await;
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "erin", "root"]);
    let (status, usage) = admin.get("/api/admin/usage").await;
    assert_eq!(status, 200);
    let a = usage
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "alice")
        .unwrap();
    assert_eq!(
        (a["sessions"].as_i64(), a["turns"].as_i64()),
        (Some(1), Some(3)),
        "{a}"
    );

    for path in ["/api/admin/users", "/api/admin/usage"] {
        let (status, r) = alice.get(path).await;
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (403, Some("forbidden")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn with_auth_none_comments_and_shares_say_accounts_are_off() {
    let app = spawn_app().await;
    let id = app.start_id(QUESTION).await;
    let (status, me) = app.get("/api/me").await;
    assert_eq!(
        (status, me["auth"].as_str(), me["user"].is_null()),
        (200, Some("none"), true)
    );
    let (status, r) = app
        .post(
            &format!("/api/sessions/{id}/comments"),
            json!({"body": "x"}),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("accounts_off"))
    );
    let (status, r) = app.get("/api/sessions/no-such/comments").await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (404, Some("session_not_found"))
    );
    let (_, health) = app.get("/healthz").await;
    assert_eq!(health["auth"], "none");
}

#[tokio::test]
async fn listening_beyond_loopback_without_accounts_needs_the_explicit_flag() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut args = mock_interviewer::config::ServeArgs::for_tests(dir.path().join("t.db"));
    args.addr = "0.0.0.0:0".parse().unwrap();
    let refused = mock_interviewer::startup::Application::build(&args).await;
    let message = format!("{:#}", refused.err().expect("refused"));
    assert!(message.contains("--insecure-public-no-auth"), "{message}");
    args.auth.insecure_public_no_auth = true;
    assert!(
        mock_interviewer::startup::Application::build(&args)
            .await
            .is_ok()
    );
    args.auth.insecure_public_no_auth = false;
    args.auth.mode = AuthMode::Token;
    assert!(
        mock_interviewer::startup::Application::build(&args)
            .await
            .is_ok()
    );
}

/// `mock-interviewer users ...` against the app's database, run as the binary.
fn users_command(app: &TestApp, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let db = match &app.db {
        mock_interviewer::storage::DbTarget::Sqlite(path) => path.display().to_string(),
        mock_interviewer::storage::DbTarget::Postgres(url) => url.clone(),
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["users"])
        .args(args)
        .args(["--db", &db])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn the_users_command_adds_lists_disables_and_issues_tokens() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let (ok, _, err) = users_command(
        &app,
        &["add", "gina", "--role", "candidate", "--password-stdin"],
        Some("a fine password\n"),
    );
    assert!(ok, "{err}");
    let (ok, _, err) = users_command(
        &app,
        &["add", "gina", "--role", "coach", "--password-stdin"],
        Some("a fine password\n"),
    );
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = users_command(
        &app,
        &["add", "hal", "--role", "boss", "--password-stdin"],
        Some("x\n"),
    );
    assert!(!ok && err.contains("candidate, coach or admin"), "{err}");
    let (ok, _, err) = users_command(&app, &["add", "ivy", "--role", "coach"], None);
    assert!(
        !ok && err.contains("--password-stdin"),
        "no terminal to ask on: {err}"
    );

    let (ok, token, err) = users_command(&app, &["token", "gina"], None);
    assert!(ok, "{err}");
    let token = token.strip_suffix('\n').expect("one line");
    assert!(
        token.starts_with("mit_") && !token.contains(char::is_whitespace),
        "{token:?}"
    );
    let gina = Client {
        credential: Some(("authorization", format!("Bearer {token}"))),
        ..Client::anonymous(&app)
    };
    assert_eq!(gina.get("/api/me").await.1["user"]["name"], "gina");
    let (status, _, _) = login(&app, "gina", "a fine password").await;
    assert_eq!(status, 200, "the password from standard input signs in");

    let (ok, list, _) = users_command(&app, &["list"], None);
    assert!(ok);
    assert_eq!(list, "gina\tcandidate\tactive\n");
    let (ok, _, _) = users_command(&app, &["disable", "gina"], None);
    assert!(ok);
    assert_eq!(gina.get("/api/me").await.0, 401);
    let (ok, list, _) = users_command(&app, &["list"], None);
    assert!(ok && list.contains("disabled"));
    let (ok, _, err) = users_command(&app, &["token", "nobody"], None);
    assert!(!ok && err.contains("nobody"), "{err}");
}

#[tokio::test]
async fn limits_count_a_signed_in_user_as_themselves_not_their_address() {
    let app = spawn_app_with(|a| {
        a.auth.mode = AuthMode::Token;
        a.guard.sessions_per_hour = 1;
    })
    .await;
    let alice = user(&app, "alice", UserRole::Candidate).await;
    let bob = user(&app, "bob", UserRole::Candidate).await;
    alice.start().await;
    let (status, body) = alice
        .post("/api/sessions", json!({ "question_id": QUESTION }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );
    // Bob connects from the same address, and has his own allowance.
    bob.start().await;
}

#[tokio::test]
async fn retention_also_deletes_the_shares_links_and_comments_of_a_finished_session() {
    const DAY_MS: i64 = 24 * 3600 * 1000;
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut first = spawn_in(dir.clone(), START_MS, |a| a.auth.mode = AuthMode::Password).await;
    let alice = user(&first, "alice", UserRole::Candidate).await;
    let carol = user(&first, "carol", UserRole::Coach).await;
    let dave = user(&first, "dave", UserRole::Coach).await;
    let id = alice.start().await;
    let session = format!("/api/sessions/{id}");
    let by_name = alice
        .post(&format!("{session}/shares"), json!({"coach": "carol"}))
        .await;
    assert_eq!(by_name.0, 201, "{}", by_name.1);
    let (status, link) = alice
        .post(&format!("{session}/shares"), json!({"link": true}))
        .await;
    assert_eq!(status, 201, "{link}");
    let token = link["token"].as_str().unwrap();
    assert_eq!(
        dave.post("/api/shares/open", json!({"token": token}))
            .await
            .0,
        200
    );
    let (status, c) = carol
        .post(
            &format!("{session}/comments"),
            json!({"body": "Good start."}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(
        alice.post(&format!("{session}/finish"), json!({})).await.0,
        200
    );
    first.stop().await;

    // Eight days on, with seven kept: the session goes at start-up, with what accounts hung on it.
    let second = spawn_in(dir.clone(), START_MS + 8 * DAY_MS, |a| {
        a.auth.mode = AuthMode::Password;
        a.guard.retain_days = 7;
    })
    .await;
    let alice = Client {
        base: second.base.clone(),
        ..alice
    };
    assert_eq!(alice.get(&session).await.0, 404);
    assert!(second.stored_turns(&id).await.is_empty());
    assert_eq!(alice.get("/api/sessions").await.1, json!([]));
}
