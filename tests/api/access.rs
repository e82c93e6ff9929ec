//! The access-control matrix: every route of the OpenAPI document, for every role, on a session the
//! caller owns, has had shared with them, or has nothing to do with, and anonymously. The table
//! below must name every documented route, so a new route without an entry (and a check) fails.
//!
//! | session access | owner | coach shared with | admin | other candidate | other coach | anonymous |
//! |---|---|---|---|---|---|---|
//! | read | allowed | allowed | allowed | 404 | 404 | 401 |
//! | write | allowed | 403 | 403 | 404 | 404 | 401 |
//! | comment | allowed | allowed | 403 | 404 | 404 | 401 |
//! | manage (shares) | allowed | 403 | 403 | 404 | 404 | 401 |

use std::collections::BTreeSet;

use mock_interviewer::accounts::AuthMode;
use mock_interviewer::domain::UserRole;
use reqwest::Method;
use serde_json::{Value, json};

use crate::accounts::{Client, spawn_with_auth, user};
use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Admins only (others signed in: 403).
    Admin,
    /// A coach only (others signed in: 403).
    Coach,
    /// A session route needing this access.
    Read,
    Write,
    Comment,
    Manage,
}

/// Every documented route: (method, path, rule, body). Ordered so that the owner's writes come
/// after every read (finish last but one, then the scorecard it makes).
const ROUTES: &[(&str, &str, Rule)] = &[
    ("GET", "/", Rule::Public),
    ("GET", "/app.js", Rule::Public),
    ("GET", "/app.css", Rule::Public),
    ("GET", "/vendor/codemirror.min.js", Rule::Public),
    ("GET", "/vendor/mermaid/mermaid.esm.min.mjs", Rule::Public),
    (
        "GET",
        "/vendor/mermaid/chunks/mermaid.esm.min/{file}",
        Rule::Public,
    ),
    ("GET", "/healthz", Rule::Public),
    ("GET", "/metrics", Rule::Public),
    ("GET", "/api/openapi.json", Rule::Public),
    ("GET", "/api/questions", Rule::Public),
    ("GET", "/api/questions/{id}", Rule::Public),
    ("POST", "/api/auth/login", Rule::Public),
    ("POST", "/api/auth/logout", Rule::Public),
    ("GET", "/api/me", Rule::SignedIn),
    ("GET", "/api/me/tokens", Rule::SignedIn),
    ("POST", "/api/me/tokens", Rule::SignedIn),
    ("DELETE", "/api/me/tokens/{token_id}", Rule::SignedIn),
    ("GET", "/api/sessions", Rule::SignedIn),
    ("POST", "/api/sessions", Rule::SignedIn),
    ("GET", "/api/progress", Rule::SignedIn),
    ("POST", "/api/diagrams/parse", Rule::SignedIn),
    ("POST", "/api/shares/open", Rule::Coach),
    ("GET", "/api/admin/users", Rule::Admin),
    ("POST", "/api/admin/users", Rule::Admin),
    ("POST", "/api/admin/users/{name}/disable", Rule::Admin),
    ("POST", "/api/admin/users/{name}/enable", Rule::Admin),
    ("GET", "/api/admin/usage", Rule::Admin),
    ("GET", "/api/sessions/{id}", Rule::Read),
    ("GET", "/api/sessions/{id}/transcript", Rule::Read),
    ("GET", "/api/sessions/{id}/comments", Rule::Read),
    ("POST", "/api/sessions/{id}/comments", Rule::Comment),
    ("GET", "/api/sessions/{id}/shares", Rule::Manage),
    ("POST", "/api/sessions/{id}/shares", Rule::Manage),
    (
        "DELETE",
        "/api/sessions/{id}/shares/{share_id}",
        Rule::Manage,
    ),
    ("POST", "/api/sessions/{id}/turns", Rule::Write),
    ("POST", "/api/sessions/{id}/hint", Rule::Write),
    ("POST", "/api/sessions/{id}/advance", Rule::Write),
    ("POST", "/api/sessions/{id}/finish", Rule::Write),
    ("GET", "/api/sessions/{id}/scorecard", Rule::Read),
];

fn body_for(path: &str) -> Option<Value> {
    Some(match path {
        "/api/sessions" => json!({ "question_id": crate::accounts::QUESTION }),
        "/api/auth/login" => json!({ "name": "nobody", "password": "whatever it is" }),
        "/api/shares/open" => json!({ "token": "mis_unknown" }),
        "/api/diagrams/parse" => json!({ "source": "flowchart LR\n  a --> b" }),
        "/api/admin/users" => json!({ "name": "newcomer", "role": "candidate" }),
        p if p.ends_with("/turns") => json!({ "content": "How many documents are there?" }),
        p if p.ends_with("/comments") => json!({ "body": "A comment." }),
        p if p.ends_with("/shares") => json!({ "link": true }),
        _ => json!({}),
    })
}

/// The documented (method, path) pairs.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let (_, doc) = app.get("/api/openapi.json").await;
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_table_names_every_documented_route() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented(&app).await,
        listed,
        "a route was added or removed: give it a rule (and a check) in the table"
    );
}

struct World {
    owner: Client,
    coach: Client,
    admin: Client,
    stranger: Client,
    other_coach: Client,
    anonymous: Client,
    session: String,
    share: String,
    token_id: String,
}

async fn world(app: &TestApp) -> World {
    let owner = user(app, "alice", UserRole::Candidate).await;
    let coach = user(app, "carol", UserRole::Coach).await;
    let admin = user(app, "root", UserRole::Admin).await;
    let stranger = user(app, "bob", UserRole::Candidate).await;
    let other_coach = user(app, "dave", UserRole::Coach).await;
    let session = owner.start().await;
    let (status, _) = owner
        .post(
            &format!("/api/sessions/{session}/shares"),
            json!({"coach": "carol"}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, link) = owner
        .post(
            &format!("/api/sessions/{session}/shares"),
            json!({"link": true}),
        )
        .await;
    let (_, token) = owner.post("/api/me/tokens", json!({})).await;
    World {
        anonymous: Client::anonymous(app),
        owner,
        coach,
        admin,
        stranger,
        other_coach,
        share: link["id"].as_str().unwrap().to_string(),
        token_id: token["id"].as_str().unwrap().to_string(),
        session,
    }
}

fn concrete(path: &str, w: &World) -> String {
    path.replace("/api/questions/{id}", "/api/questions/rag-customer-support")
        .replace("{id}", &w.session)
        .replace("{share_id}", &w.share)
        .replace("{token_id}", &w.token_id)
        .replace("{name}", "bob")
        .replace("{file}", "no-such-chunk.mjs")
}

async fn call(who: &Client, method: &str, path: &str) -> (u16, Value) {
    let m = Method::from_bytes(method.as_bytes()).unwrap();
    let body = if method == "GET" || method == "DELETE" {
        None
    } else {
        body_for(path)
    };
    // The body is chosen by the route's template, the URL by the world.
    who.send(m, path, body).await
}

fn code(v: &Value) -> Option<&str> {
    v["error"]["code"].as_str()
}

#[tokio::test]
async fn every_route_for_every_role_on_owned_shared_and_foreign_sessions() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let w = world(&app).await;
    let before = app.stored_turns(&w.session).await.len();

    // Everyone but the owner first: none of this may change the session.
    for &(method, template, rule) in ROUTES {
        let path = concrete(template, &w);
        let (status, body) = call(&w.anonymous, method, &path).await;
        if rule == Rule::Public {
            assert!(
                code(&body) != Some("unauthenticated") && status != 403,
                "anonymous {method} {template}: {status} {body}"
            );
        } else {
            assert_eq!(
                (status, code(&body)),
                (401, Some("unauthenticated")),
                "anonymous {method} {template}"
            );
        }
        let expect_session =
            |who: &str, status: u16, body: &Value, allowed: bool, forbidden: bool| {
                if allowed {
                    assert!(
                        ![401, 403, 404].contains(&status),
                        "{who} {method} {template}: {status} {body}"
                    );
                } else if forbidden {
                    assert_eq!(
                        (status, code(body)),
                        (403, Some("forbidden")),
                        "{who} {method} {template}"
                    );
                } else {
                    assert_eq!(
                        (status, code(body)),
                        (404, Some("session_not_found")),
                        "{who} {method} {template}"
                    );
                }
            };
        match rule {
            Rule::Read | Rule::Write | Rule::Comment | Rule::Manage => {
                for (who, client) in [("bob", &w.stranger), ("dave", &w.other_coach)] {
                    let (status, body) = call(client, method, &path).await;
                    expect_session(who, status, &body, false, false);
                }
                let (status, body) = call(&w.coach, method, &path).await;
                expect_session(
                    "coach",
                    status,
                    &body,
                    matches!(rule, Rule::Read | Rule::Comment),
                    true,
                );
                let (status, body) = call(&w.admin, method, &path).await;
                expect_session("admin", status, &body, rule == Rule::Read, true);
            }
            Rule::Admin => {
                for client in [&w.stranger, &w.coach] {
                    let (status, body) = call(client, method, &path).await;
                    assert_eq!(
                        (status, code(&body)),
                        (403, Some("forbidden")),
                        "{method} {template}"
                    );
                }
            }
            Rule::Coach => {
                let (status, body) = call(&w.stranger, method, &path).await;
                assert_eq!(
                    (status, code(&body)),
                    (403, Some("forbidden")),
                    "{method} {template}"
                );
                let (status, body) = call(&w.other_coach, method, &path).await;
                assert_eq!(
                    (status, code(&body)),
                    (404, Some("share_not_found")),
                    "{method} {template}"
                );
            }
            Rule::Public | Rule::SignedIn => {}
        }
    }
    assert_eq!(
        app.stored_turns(&w.session).await.len(),
        before,
        "nobody but the owner wrote turns"
    );

    // The owner may do everything to their session, in the table's order (finish near the end).
    for &(method, template, rule) in ROUTES {
        if !matches!(
            rule,
            Rule::Read | Rule::Write | Rule::Comment | Rule::Manage
        ) {
            continue;
        }
        let path = concrete(template, &w);
        let (status, body) = call(&w.owner, method, &path).await;
        assert!(
            ![401, 403, 404].contains(&status),
            "owner {method} {template}: {status} {body}"
        );
    }
    // A session's id in another route's body is no way around: the stranger still sees nothing.
    let (status, _) = w
        .stranger
        .get(&format!(
            "/api/sessions/{}/transcript?format=json",
            w.session
        ))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn lists_and_progress_show_only_what_the_caller_may_see() {
    let app = spawn_with_auth(AuthMode::Password).await;
    let w = world(&app).await;
    let theirs = w.stranger.start().await;
    let coach_own = w.coach.start().await;
    let ids = |v: Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let set = |xs: &[&String]| -> BTreeSet<String> { xs.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        ids(w.owner.get("/api/sessions").await.1),
        set(&[&w.session])
    );
    assert_eq!(
        ids(w.stranger.get("/api/sessions").await.1),
        set(&[&theirs])
    );
    assert_eq!(
        ids(w.coach.get("/api/sessions").await.1),
        set(&[&w.session, &coach_own])
    );
    assert_eq!(ids(w.other_coach.get("/api/sessions").await.1), set(&[]));
    assert_eq!(
        ids(w.admin.get("/api/sessions").await.1),
        set(&[&w.session, &theirs, &coach_own])
    );

    w.owner
        .post(&format!("/api/sessions/{}/finish", w.session), json!({}))
        .await;
    w.stranger
        .post(&format!("/api/sessions/{theirs}/finish"), json!({}))
        .await;
    let progress = |v: Value| -> BTreeSet<String> {
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["session_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        progress(w.owner.get("/api/progress").await.1),
        set(&[&w.session])
    );
    assert_eq!(
        progress(w.stranger.get("/api/progress").await.1),
        set(&[&theirs])
    );
    assert_eq!(progress(w.coach.get("/api/progress").await.1), set(&[]));
}
