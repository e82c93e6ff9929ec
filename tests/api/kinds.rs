//! Every interview kind, offline: a scripted strong candidate outscores a weak one, and a natural
//! clarifying question about each hidden fact gets exactly that fact (fixtures in tests/fixtures/).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::helpers::*;

#[derive(Debug, Deserialize)]
struct Candidates {
    question: String,
    strong: Vec<String>,
    weak: Vec<String>,
    #[serde(default)]
    fact_questions: BTreeMap<String, String>,
}

fn fixture(name: &str) -> Candidates {
    let path = format!(
        "{}/tests/fixtures/candidates/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    toml::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn play(app: &TestApp, question: &str, turns: &[String], advance_between: bool) -> Value {
    let s = app.start(question).await;
    let id = s["id"].as_str().unwrap().to_string();
    let last_phase = s["phases"].as_array().unwrap().last().unwrap()["id"].clone();
    for t in turns {
        if t == "/advance" {
            app.advance(&id).await;
            continue;
        }
        app.say(&id, t).await;
        if advance_between {
            let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
            if s["phase"] != last_phase {
                app.advance(&id).await;
            }
        }
    }
    app.finish(&id).await
}

async fn strong_outscores_weak(name: &str) {
    let c = fixture(name);
    let app = spawn_app().await;
    let strong = play(&app, &c.question, &c.strong, false).await;
    let weak = play(&app, &c.question, &c.weak, true).await;
    let score = |card: &Value| card["overall"]["score"].as_u64().unwrap();
    assert!(
        score(&strong) > score(&weak) + 40,
        "{name}: strong {} vs weak {}",
        score(&strong),
        score(&weak)
    );
    let rec = strong["overall"]["recommendation"].as_str().unwrap();
    assert!(
        rec == "hire" || rec == "strong_hire",
        "{name} strong: {strong:#}"
    );
    let rec = weak["overall"]["recommendation"].as_str().unwrap();
    assert!(
        rec == "no_hire" || rec == "strong_no_hire",
        "{name} weak: {weak:#}"
    );
    assert!(max_dim(&weak) <= 2, "{name} weak: {weak:#}");
}

#[tokio::test]
async fn system_design_strong_outscores_weak() {
    strong_outscores_weak("semantic-search-ecommerce").await;
}

#[tokio::test]
async fn debugging_strong_outscores_weak() {
    strong_outscores_weak("debug-latency-spikes").await;
}

#[tokio::test]
async fn coding_strong_outscores_weak() {
    strong_outscores_weak("code-llm-rate-limiter").await;
}

#[tokio::test]
async fn behavioral_strong_outscores_weak() {
    strong_outscores_weak("behavioral-rag-evaluation").await;
}

#[tokio::test]
async fn a_clarifying_question_about_each_hidden_fact_gets_that_fact() {
    let app = spawn_app().await;
    for name in [
        "semantic-search-ecommerce",
        "debug-latency-spikes",
        "code-llm-rate-limiter",
    ] {
        let c = fixture(name);
        let (_, q) = app.get(&format!("/api/questions/{}", c.question)).await;
        assert_eq!(q["id"], c.question.as_str());
        assert!(!c.fact_questions.is_empty());
        for (fact, question) in &c.fact_questions {
            let s = app.start(&c.question).await;
            let id = s["id"].as_str().unwrap();
            let (_, reply) = app.say(id, question).await;
            let (_, s) = app.get(&format!("/api/sessions/{id}")).await;
            let revealed: Vec<&str> = s["requirements_revealed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap())
                .collect();
            assert_eq!(revealed, [fact.as_str()], "{name}: `{question}`");
            let answer = s["requirements_revealed"][0]["answer"].as_str().unwrap();
            assert!(reply.contains(answer), "{name}: the reply carries the fact");
        }
    }
}
