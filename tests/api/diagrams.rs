//! Diagrams over the API: `POST /api/diagrams/parse`, a diagram submitted in a turn (stored in the
//! content, parsed in the session view and the JSON transcript, kept fenced in the Markdown one), and
//! the vendored scripts the room loads.

use serde_json::{Value, json};

use crate::helpers::*;

pub const DIAGRAM: &str = "flowchart LR\n  U([User]) --> GW[API gateway]\n  GW -->|lookup| C[(Redis cache)]\n  subgraph rag [Retrieval]\n    R[Retriever] -.-> V[(Vector DB)]\n  end\n  GW --> R\n  M[Monitoring]\n";

#[tokio::test]
async fn a_flowchart_parses_into_nodes_edges_and_subgraphs() {
    let app = spawn_app().await;
    let (status, body) = app
        .post("/api/diagrams/parse", json!({ "source": DIAGRAM }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], true);
    let d = &body["diagram"];
    assert_eq!(d["direction"], "LR");
    let labels: Vec<&str> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "User",
            "API gateway",
            "Redis cache",
            "Retriever",
            "Vector DB",
            "Monitoring"
        ]
    );
    assert_eq!(d["nodes"][2]["shape"], "cylinder");
    assert_eq!(d["edges"][1]["label"], "lookup");
    assert_eq!(d["edges"][2]["style"], "dotted");
    assert_eq!(d["subgraphs"][0]["title"], "Retrieval");
    assert_eq!(d["subgraphs"][0]["nodes"], json!(["R", "V"]));
    assert_eq!(body["unconnected"], json!(["M"]));
    assert_eq!(body["single_points_of_failure"], json!(["GW"]));
    assert_eq!(body["errors"], json!([]));
}

#[tokio::test]
async fn what_cannot_be_read_comes_back_by_line() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/diagrams/parse",
            json!({ "source": "flowchart TD\nA[Gateway --> B\nB -- text C" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], false);
    assert_eq!(body["diagram"], Value::Null);
    let lines: Vec<u64> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3]);
    let (_, body) = app
        .post("/api/diagrams/parse", json!({ "source": "pie\n\"a\": 1" }))
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`pie` diagrams are not supported"),
        "{body}"
    );
    let (status, body) = app
        .post("/api/diagrams/parse", json!({ "text": "x" }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_input"))
    );
}

#[tokio::test]
async fn a_diagram_sent_in_a_turn_is_kept_with_that_turn_and_parsed_in_the_views() {
    let app = spawn_app().await;
    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap();
    let content = format!("Here is my first sketch.\n\n```mermaid\n{DIAGRAM}```");
    app.say(id, &content).await;
    let (_, view) = app.get(&format!("/api/sessions/{id}")).await;
    let turn = &view["turns"][1];
    assert_eq!(turn["content"], content.as_str());
    assert_eq!(turn["diagrams"][0]["source"], DIAGRAM);
    assert_eq!(
        turn["diagrams"][0]["parsed"]["nodes"][1]["label"],
        "API gateway"
    );
    assert!(
        turn["html"]
            .as_str()
            .unwrap()
            .contains("<code class=\"language-mermaid\">flowchart LR"),
        "{turn}"
    );
    assert!(
        view["turns"][0].get("diagrams").is_none(),
        "no diagram, no field"
    );

    let (_, json) = app
        .get(&format!("/api/sessions/{id}/transcript?format=json"))
        .await;
    assert_eq!(
        json["session"]["turns"][1]["diagrams"][0]["source"],
        DIAGRAM
    );
    let markdown = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        markdown.contains(&format!("```mermaid\n{DIAGRAM}```")),
        "{markdown}"
    );
}

#[tokio::test]
async fn the_vendored_scripts_are_served_from_the_binary() {
    let app = spawn_app().await;
    for path in [
        "/vendor/codemirror.min.js",
        "/vendor/mermaid/mermaid.esm.min.mjs",
    ] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        let tag = r.headers()["etag"].clone();
        assert!(r.text().await.unwrap().len() > 10_000, "{path}");
        let again = app
            .client
            .get(app.url(path))
            .header("if-none-match", tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    // Every chunk the entry module imports is there.
    let entry = app
        .client
        .get(app.url("/vendor/mermaid/mermaid.esm.min.mjs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let chunks: Vec<&str> = entry
        .split("./chunks/mermaid.esm.min/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(!chunks.is_empty());
    for chunk in chunks {
        let r = app
            .client
            .get(app.url(&format!("/vendor/mermaid/chunks/mermaid.esm.min/{chunk}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{chunk}");
        assert!(
            r.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    }
    let (status, body) = app
        .get("/vendor/mermaid/chunks/mermaid.esm.min/nope.mjs")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("asset_not_found"))
    );
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
}

/// Plays the same answers in each phase: a requirements question, then `answer` in the design phase.
async fn interview(app: &TestApp, answer: &str) -> Value {
    let session = app.start("rag-customer-support").await;
    let id = session["id"].as_str().unwrap().to_string();
    app.say(
        &id,
        "How many documents are there, and what latency do we need?",
    )
    .await;
    app.advance(&id).await;
    app.say(&id, answer).await;
    app.advance(&id).await;
    app.say(&id, answer).await;
    app.finish(&id).await
}

#[tokio::test]
async fn a_diagram_alone_scores_no_more_than_naming_the_same_components() {
    let app = spawn_app().await;
    let drawn = interview(
        &app,
        "Here it is.\n\n```mermaid\nflowchart LR\n  U([Customer]) --> GW[API gateway with auth and rate limiting]\n  GW --> Q[Query rewriting]\n  Q --> R[Hybrid search: BM25 and vector DB]\n  R --> RR[Cross-encoder reranker]\n  RR --> L[LLM generation with citations]\n  L --> G[Guardrails]\n  G --> H[Escalation to human agents]\n  I[Ingestion: parsing, chunking, embeddings] --> R\n  L --> M[Monitoring and evaluation]\n```",
    )
    .await;
    let named = interview(
        &app,
        "Here it is: API gateway with auth and rate limiting, query rewriting, hybrid search with BM25 and a vector DB, a cross-encoder reranker, LLM generation with citations, guardrails, escalation to human agents, ingestion with parsing, chunking and embeddings, monitoring and evaluation.",
    )
    .await;
    for d in drawn["dimensions"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        assert!(
            dim(&drawn, id) <= dim(&named, id),
            "{id}: the diagram earned {} where naming earned {}",
            dim(&drawn, id),
            dim(&named, id)
        );
    }
    assert!(
        drawn["overall"]["score"].as_u64() <= named["overall"]["score"].as_u64(),
        "overall: {} vs {}",
        drawn["overall"]["score"],
        named["overall"]["score"]
    );
}
