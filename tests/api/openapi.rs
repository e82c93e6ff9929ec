//! The OpenAPI document at `/api/openapi.json`: valid OpenAPI 3.1, every reference resolved, the
//! turn streams described event by event, and every route of the router in it (and in the README).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::*;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> (Value, oas3::Spec) {
    let r = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let text = r.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("parses as an OpenAPI 3.1 document");
    (serde_json::from_str(&text).unwrap(), spec)
}

/// Every `$ref` anywhere in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The (method, path) pairs the document describes.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|m| METHODS.contains(&m.as_str()))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1_with_every_reference_resolved() {
    let app = spawn_app().await;
    let (doc, spec) = document(&app).await;
    let version = spec.validate_version().expect("a 3.1 version");
    assert_eq!((version.major, version.minor), (3, 1));

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20, "the document uses its components");
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("an unexpected reference {r}"));
        assert!(schemas.contains_key(name), "{r} does not resolve");
    }
    for (path, method, op) in spec.operations() {
        let responses = op.responses.as_ref().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path} documents its success"
        );
        assert!(op.summary.is_some(), "{method} {path} says what it does");
    }
    // Every error names its body.
    let error = &doc["paths"]["/api/sessions/{id}"]["get"]["responses"]["404"];
    assert_eq!(
        error["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorResponse"
    );
}

#[tokio::test]
async fn turn_streams_are_documented_as_server_sent_events_with_a_schema_per_event() {
    let app = spawn_app().await;
    let (doc, _) = document(&app).await;
    for path in ["/api/sessions/{id}/turns", "/api/sessions/{id}/advance"] {
        let ok = &doc["paths"][path]["post"]["responses"]["200"]["content"];
        assert_eq!(
            ok["text/event-stream"]["schema"]["$ref"], "#/components/schemas/TurnStreamEvent",
            "{path}: {ok}"
        );
    }
    let schemas = &doc["components"]["schemas"];
    let events: Vec<(String, String)> = schemas["TurnStreamEvent"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["properties"]["event"]["enum"][0].as_str().unwrap();
            let data = e["properties"]["data"]["$ref"].as_str().unwrap();
            (
                name.to_string(),
                data.rsplit('/').next().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("turn", "TurnView"),
        ("phase", "PhaseData"),
        ("notice", "CodeData"),
        ("token", "TokenData"),
        ("done", "DoneData"),
        ("error", "CodeData"),
    ];
    assert_eq!(
        events,
        expected.map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        schemas["TokenData"]["required"],
        serde_json::json!(["delta"])
    );
    assert_eq!(
        schemas["DoneData"]["properties"]["turn_id"]["type"],
        "integer"
    );
}

/// axum lists no routes, but its `Debug` output names every path the router holds (and its own
/// catch-all for the fallback).
fn router_paths() -> BTreeSet<String> {
    let (router, _) = mock_interviewer::http::routes().split_for_parts();
    let debug = format!("{router:?}");
    debug
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with('/') && !s.contains("__private__axum"))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn every_route_of_the_router_is_in_the_document_with_its_methods() {
    let app = spawn_app().await;
    let (doc, _) = document(&app).await;
    let documented = operations(&doc);
    let doc_paths: BTreeSet<String> = documented.iter().map(|(_, p)| p.clone()).collect();
    let routed = router_paths();
    assert!(routed.len() >= 16, "{routed:?}");
    assert_eq!(routed, doc_paths);

    // Each path answers exactly the documented methods: others get 405, never the fallback.
    for path in &routed {
        let url = app.url(&path.replace("{id}", "no-such-id"));
        for method in METHODS {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app.client.request(m, &url).send().await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            if documented.contains(&(method.to_uppercase(), path.clone())) {
                assert_ne!(status, 405, "{method} {path}");
                assert_ne!(body["error"]["code"], "not_found", "{method} {path}");
            } else {
                assert_eq!(status, 405, "{method} {path} is routed but not documented");
            }
        }
    }
}

#[tokio::test]
async fn the_readme_api_table_lists_exactly_the_documented_routes() {
    let app = spawn_app().await;
    let (doc, _) = document(&app).await;
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let listed: BTreeSet<(String, String)> = readme
        .lines()
        .filter(|l| {
            l.starts_with("| `GET ") || l.starts_with("| `POST ") || l.starts_with("| `DELETE ")
        })
        .flat_map(|l| {
            // A row may name several routes: "| `GET /app.js`, `GET /app.css` | ...".
            let first_cell = l.split(" | ").next().unwrap_or_default();
            first_cell
                .split('`')
                .filter(|s| {
                    s.starts_with("GET /") || s.starts_with("POST /") || s.starts_with("DELETE /")
                })
                .map(|s| {
                    let (method, path) = s.split_once(' ').unwrap();
                    let path = path.split('?').next().unwrap();
                    (method.to_string(), path.to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(listed, operations(&doc));
}
