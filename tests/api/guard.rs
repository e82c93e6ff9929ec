//! Local safety: only this server's hosts, same-origin JSON for anything that changes state, the
//! security headers on every response, every error in the documented shape, and the connection-level
//! protections (slow and idle clients cut off, a connection limit, the 413 always delivered).

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

const Q: &str = "rag-customer-support";

fn code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection (a hang guard, not a timing assertion).
async fn read_to_close(tcp: &mut TcpStream) -> std::io::Result<String> {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), tcp.read_to_end(&mut out))
        .await
        .expect("the server closed the connection")?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn json_body(response: &str) -> Value {
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {response}"))
}

#[tokio::test]
async fn a_foreign_host_is_refused_with_403_and_changes_nothing() {
    let app = spawn_app().await;
    let port = addr(&app).rsplit(':').next().unwrap().to_string();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let r = app
            .client
            .post(app.url("/api/sessions"))
            .header("host", &host)
            .json(&json!({ "question_id": Q }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{host}");
        assert_eq!(r.headers()["content-type"], "application/json");
        let body: Value = r.json().await.unwrap();
        assert_eq!(code(&body), "host_not_allowed");
        let r = app
            .client
            .get(app.url("/api/sessions"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "reads too: a rebinding page reads nothing");
    }
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let r = app
            .client
            .get(app.url("/api/sessions"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{host}");
    }
    let (_, list) = app.get("/api/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_public_url_is_answered_by_its_host_and_origin() {
    let app = spawn_app_with(|a| {
        a.guard.public_url = Some("https://interview.example.com".parse().unwrap());
    })
    .await;
    let r = app
        .client
        .post(app.url("/api/sessions"))
        .header("host", "interview.example.com")
        .header("origin", "https://interview.example.com")
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "question_id": Q }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = app
        .client
        .post(app.url("/api/sessions"))
        .header("host", "interview.example.com")
        .header("origin", "https://evil.example")
        .json(&json!({ "question_id": Q }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_cross_site_form_post_changes_nothing() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let before = app.get(&format!("/api/sessions/{id}")).await.1;
    for path in ["advance", "finish", "hint", "turns"] {
        for (ct, body) in [
            ("application/x-www-form-urlencoded", "content=hello"),
            (
                "multipart/form-data; boundary=x",
                "--x\r\n\r\nhello\r\n--x--",
            ),
            ("text/plain", "{\"content\":\"hello\"}"),
        ] {
            // With the Origin a browser sends on a cross-site form: refused for the origin.
            let r = app
                .client
                .post(app.url(&format!("/api/sessions/{id}/{path}")))
                .header("origin", "http://evil.example")
                .header("sec-fetch-site", "cross-site")
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{path} {ct}");
            let b: Value = r.json().await.unwrap();
            assert_eq!(code(&b), "cross_site_request");
            // From a browser that sends neither header: refused for the media type.
            let (status, b) = app
                .post_raw(&format!("/api/sessions/{id}/{path}"), body, ct)
                .await;
            assert_eq!(
                (status, code(&b)),
                (415, "unsupported_media_type"),
                "{path}"
            );
        }
        // No body and no type at all, as `/advance` and `/finish` used to accept.
        let r = app
            .client
            .post(app.url(&format!("/api/sessions/{id}/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415, "{path}");
        // JSON from another origin is refused too.
        let r = app
            .client
            .post(app.url(&format!("/api/sessions/{id}/{path}")))
            .header("origin", "http://localhost:1")
            .json(&json!({ "content": "hello" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let after = app.get(&format!("/api/sessions/{id}")).await.1;
    assert_eq!(before["turns"], after["turns"]);
    assert_eq!(before["phase"], after["phase"]);
    assert_eq!(after["status"], "active");
    // The room's own requests pass: same origin, JSON.
    let r = app
        .client
        .post(app.url(&format!("/api/sessions/{id}/advance")))
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let requests = [
        app.client.get(app.url("/")),
        app.client.get(app.url("/app.js")),
        app.client.get(app.url("/app.css")),
        app.client.get(app.url("/api/questions")),
        app.client.get(app.url("/api/nothing")),
        app.client
            .get(app.url(&format!("/api/sessions/{id}/transcript"))),
        app.client.get(app.url("/metrics")),
        app.client
            .post(app.url(&format!("/api/sessions/{id}/turns")))
            .json(&json!({ "content": "How many documents are there?" })),
        app.client
            .post(app.url("/api/sessions"))
            .header("content-type", "text/plain")
            .body("x"),
        app.client
            .get(app.url("/api/sessions"))
            .header("host", "evil.example"),
    ];
    for req in requests {
        let r = req.send().await.unwrap();
        let h = r.headers();
        let what = format!("{} {:?}", r.url(), h.get("content-type"));
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{what}");
        assert!(csp.contains("default-src 'self'"), "{what}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
        let _ = r.bytes().await;
    }
}

#[tokio::test]
async fn routing_and_extractor_errors_have_the_documented_shape() {
    let app = spawn_app().await;
    let s = app.start(Q).await;
    let id = s["id"].as_str().unwrap();
    let cases = [
        (
            app.client
                .get(app.url(&format!("/api/sessions/{id}/turns"))),
            405,
            "method_not_allowed",
        ),
        (
            app.client.delete(app.url("/api/questions")),
            405,
            "method_not_allowed",
        ),
        (
            app.client.get(app.url("/api/sessions/%ff%fe")),
            400,
            "invalid_input",
        ),
        (
            app.client
                .get(app.url("/api/questions?level=junior&level=senior")),
            400,
            "invalid_input",
        ),
        (
            app.client
                .post(app.url("/api/sessions"))
                .header("content-type", "application/json")
                .body(vec![b' '; 70 * 1024]),
            413,
            "body_too_large",
        ),
        (app.client.get(app.url("/nowhere")), 404, "not_found"),
    ];
    for (req, status, expected) in cases {
        let r = req.send().await.unwrap();
        let what = r.url().to_string();
        assert_eq!(r.status().as_u16(), status, "{what}");
        assert_eq!(r.headers()["content-type"], "application/json", "{what}");
        let allow = r
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_string());
        let body: Value = r.json().await.unwrap();
        assert_eq!(code(&body), expected, "{what}: {body}");
        if status == 405 {
            // The message names the methods the path takes, as the `Allow` header does.
            let methods = |list: &str| {
                let mut m: Vec<String> = list.split(',').map(|x| x.trim().to_string()).collect();
                m.sort();
                m
            };
            let message = body["error"]["message"].as_str().unwrap();
            let listed = message
                .split("(allowed: ")
                .nth(1)
                .and_then(|rest| rest.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{what}: {message}"));
            assert_eq!(
                methods(listed),
                methods(&allow.unwrap()),
                "{what}: {message}"
            );
        }
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(body["error"]["request_id"].is_string(), "{body}");
    }
}

/// Sends a chunked JSON body of `total` bytes, `piece` bytes per chunk, pausing between chunks when
/// `slow`; then reads the whole response.
async fn chunked_upload(app: &TestApp, total: usize, piece: usize, slow: bool) -> String {
    let mut tcp = TcpStream::connect(addr(app)).await.unwrap();
    let head = format!(
        "POST /api/sessions HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\n\r\n",
        addr(app)
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut sent = 0;
    while sent < total {
        let chunk = format!("{:x}\r\n{}\r\n", piece, " ".repeat(piece));
        if tcp.write_all(chunk.as_bytes()).await.is_err() {
            break; // the server may stop reading once it has answered: what counts is the answer
        }
        sent += piece;
        if slow {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    read_to_close(&mut tcp)
        .await
        .expect("the 413 is read, not a reset")
}

#[tokio::test]
async fn an_oversized_chunked_upload_always_gets_its_413() {
    let app = spawn_app().await;
    for (total, piece, slow) in [
        (200 * 1024, 16 * 1024, false),
        (1024 * 1024, 64 * 1024, false),
        (100 * 1024, 1024, true),
    ] {
        let response = chunked_upload(&app, total, piece, slow).await;
        assert!(response.starts_with("HTTP/1.1 413"), "{response}");
        assert_eq!(code(&json_body(&response)), "body_too_large");
    }
    let (_, list) = app.get("/api/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_slowloris_client_is_cut_off_and_an_idle_one_closed() {
    let app = spawn_app_with(|a| {
        a.guard.header_read_timeout_secs = 1;
        a.guard.idle_timeout_secs = 2;
    })
    .await;
    // Headers sent a line at a time, never finished.
    let mut slow = TcpStream::connect(addr(&app)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let dripping = async {
        for i in 0.. {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let line = format!("x-drip-{i}: 1\r\n");
            if slow.write_all(line.as_bytes()).await.is_err() {
                return;
            }
            let mut probe = [0u8; 1];
            if let Ok(Ok(0)) =
                tokio::time::timeout(Duration::from_millis(1), slow.read(&mut probe)).await
            {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), dripping)
        .await
        .expect("the slow client was cut off");
    // A connection that never sends anything is closed after the idle timeout.
    let mut idle = TcpStream::connect(addr(&app)).await.unwrap();
    let rest = read_to_close(&mut idle).await.unwrap_or_default();
    assert_eq!(rest, "", "closed without a word");
    // So is a keep-alive connection after its request.
    let mut kept = TcpStream::connect(addr(&app)).await.unwrap();
    kept.write_all(format!("GET /healthz HTTP/1.1\r\nhost: {}\r\n\r\n", addr(&app)).as_bytes())
        .await
        .unwrap();
    let answered = read_to_close(&mut kept).await.unwrap();
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    // A body that stops arriving is cut off too.
    let mut body = TcpStream::connect(addr(&app)).await.unwrap();
    body.write_all(
        format!(
            "POST /api/sessions HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
             content-length: 100\r\n\r\n{{\"question_id\"",
            addr(&app)
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let _ = read_to_close(&mut body).await;
    // The server still serves.
    assert_eq!(app.get("/healthz").await.0, 200);
}

#[tokio::test]
async fn a_connection_over_the_limit_gets_503_too_many_connections() {
    let app = spawn_app_with(|a| a.guard.max_connections = 2).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut tcp = TcpStream::connect(addr(&app)).await.unwrap();
        // A request answered proves the connection holds a slot.
        tcp.write_all(format!("GET /healthz HTTP/1.1\r\nhost: {}\r\n\r\n", addr(&app)).as_bytes())
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        tcp.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(tcp);
    }
    let mut third = TcpStream::connect(addr(&app)).await.unwrap();
    let response = read_to_close(&mut third).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(response.contains("x-frame-options: DENY"), "{response}");
    assert_eq!(code(&json_body(&response)), "too_many_connections");
    drop(held);
    // Slots come back once connections close.
    let mut ok = false;
    for _ in 0..200 {
        if let Ok(r) = app.client.get(app.url("/healthz")).send().await
            && r.status() == 200
        {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "served again");
}

#[tokio::test]
async fn two_thousand_idle_connections_do_not_stop_healthz() {
    let app = spawn_app().await;
    let mut idle = Vec::new();
    for _ in 0..2_000 {
        idle.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    let fresh = reqwest::Client::new();
    let r = fresh.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // They were all accepted and held, not refused: none has been answered or closed.
    let mut probe = [0u8; 1];
    for tcp in idle.iter_mut().step_by(97) {
        assert!(
            tokio::time::timeout(Duration::from_millis(5), tcp.read(&mut probe))
                .await
                .is_err(),
            "an idle connection was closed or refused"
        );
    }
}

#[tokio::test]
async fn the_document_lists_what_the_guard_and_the_limits_answer() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json").await;
    let paths = &doc["paths"];
    for (path, statuses) in [
        ("/api/sessions", &["403", "413", "415", "429", "503"][..]),
        (
            "/api/sessions/{id}/turns",
            &["403", "413", "415", "429", "503"][..],
        ),
        (
            "/api/sessions/{id}/advance",
            &["403", "415", "429", "503"][..],
        ),
        ("/api/sessions/{id}/hint", &["403", "415", "429", "503"][..]),
        ("/api/sessions/{id}/finish", &["403", "415", "503"][..]),
    ] {
        let responses = &paths[path]["post"]["responses"];
        for status in statuses {
            assert!(
                responses[*status].is_object(),
                "{path} {status}: {responses}"
            );
        }
    }
    assert!(paths["/api/sessions/{id}/finish"]["post"]["responses"]["429"].is_null());
    assert!(paths["/api/sessions"]["get"]["responses"]["403"].is_object());
}
