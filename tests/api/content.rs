//! The content bank: every built-in file loads; a user's own folder is validated field by field, and
//! added beside the built-in questions with `--content-dir`.

use std::path::{Path, PathBuf};
use std::process::Command;

use mock_interviewer::content::{Catalog, ContentRoot};

use crate::helpers::*;

fn builtin() -> ContentRoot {
    ContentRoot::embedded()
}

#[test]
fn every_built_in_question_plan_and_rubric_loads_and_validates() {
    let catalog = Catalog::load(&builtin(), &[]).unwrap_or_else(|e| panic!("{e}"));
    let count = |kind: &str| {
        catalog
            .questions
            .values()
            .filter(|q| q.question.kind == kind)
            .count()
    };
    assert!(count("system_design") >= 14, "{}", count("system_design"));
    assert_eq!(count("debugging"), 5);
    assert_eq!(count("coding"), 5);
    assert_eq!(count("behavioral"), 5);
    for kind in ["system_design", "debugging", "coding", "behavioral"] {
        let plan = &catalog.plans[kind];
        assert!(
            catalog.rubrics.contains_key(&plan.rubric),
            "{kind} has its rubric"
        );
        assert!(plan.phases.len() >= 4, "{kind} has a real phase plan");
    }
    let ids: Vec<&str> = catalog.plans["system_design"]
        .phases
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "clarification",
            "high_level_design",
            "deep_dive",
            "tradeoffs_scaling",
            "qa"
        ]
    );
    // Every system the seeds name.
    for id in [
        "rag-customer-support",
        "semantic-search-ecommerce",
        "rag-legal-search",
        "code-generation-api",
        "sentiment-analysis-pipeline",
        "multi-agent-customer-support",
        "document-classification-service",
        "chatgpt-like-chat",
        "recommendation-engine",
        "content-moderation",
        "enterprise-knowledge-base",
        "multi-tenant-rag",
        "realtime-rag-streaming",
        "multimodal-rag",
        "debug-latency-spikes",
        "debug-quality-degradation",
        "debug-memory-leak",
        "debug-rate-limiting",
        "debug-cost-overrun",
        "code-semantic-search-rerank",
        "code-prompt-cache",
        "code-embedding-service",
        "code-llm-rate-limiter",
        "code-agent-tool-calling",
        "behavioral-production-issue",
        "behavioral-embedding-tradeoffs",
        "behavioral-rag-evaluation",
        "behavioral-high-latency",
        "behavioral-cost-optimization",
    ] {
        let q = catalog
            .question(id)
            .unwrap_or_else(|| panic!("missing question {id}"));
        assert!(
            q.question.facts.iter().filter(|f| f.important).count() >= 3,
            "{id} has important hidden facts"
        );
    }
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub const GOOD_QUESTION: &str = r#"
id = "my-question"
kind = "system_design"
title = "Design a URL shortener with an LLM summary"
summary = "A small practice question."
prompt = "Design it."
reference_outline = "Keys, cache, summaries."
[[facts]]
id = "scale"
topic = "Scale"
asked_by = ["how many users"]
answer = "About 1M users."
important = true
[[components]]
id = "cache"
name = "Cache"
concepts = ["caching"]
follow_up = "Where do you cache?"
[[deep_dives]]
id = "cache"
name = "Cache"
concepts = ["caching"]
probes = ["What TTL?"]
[[tradeoffs]]
id = "ttl"
question = "Short or long TTL?"
concepts = ["caching"]
"#;

fn check(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["content", "check"])
        .arg(dir)
        .output()
        .expect("binary runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn content_check_accepts_the_source_trees_content_folder_as_the_built_in_one() {
    let (ok, out) = check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert!(ok, "{out}");
}

#[test]
fn content_check_accepts_a_good_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "questions/my-question.toml", GOOD_QUESTION);
    let (ok, out) = check(dir.path());
    assert!(ok, "{out}");
}

#[test]
fn content_check_names_file_field_and_problem_for_each_kind_of_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "questions/syntax.toml",
        "id = \"syntax\"\ntitle = \"unterminated\n",
    );
    write(
        d,
        "questions/unknown-field.toml",
        &GOOD_QUESTION
            .replace("my-question", "unknown-field")
            .replace("summary =", "sumary ="),
    );
    write(
        d,
        "questions/bad-concept.toml",
        &GOOD_QUESTION.replace("my-question", "bad-concept").replace(
            "concepts = [\"caching\"]\nfollow_up",
            "concepts = [\"telepathy\"]\nfollow_up",
        ),
    );
    write(
        d,
        "questions/bad-kind.toml",
        &GOOD_QUESTION
            .replace("my-question", "bad-kind")
            .replace("kind = \"system_design\"", "kind = \"poetry\""),
    );
    write(
        d,
        "questions/bad-red-flag.toml",
        &format!(
            "{}\n[[red_flags]]\ntext = \"Caches everything forever\"\ndimensions = [\"charisma\"]\nsaid_as = [\"cache everything forever\"]\n",
            GOOD_QUESTION.replace("my-question", "bad-red-flag")
        ),
    );
    write(d, "questions/wrong-name.toml", GOOD_QUESTION);
    write(
        d,
        "questions/empty-answer.toml",
        &GOOD_QUESTION
            .replace("my-question", "empty-answer")
            .replace("About 1M users.", " "),
    );
    write(
        d,
        "questions/bad-phase.toml",
        &GOOD_QUESTION.replace("my-question", "bad-phase").replace(
            "follow_up = \"Where do you cache?\"",
            "follow_up = \"Where do you cache?\"\nphase = \"lunch\"",
        ),
    );
    write(
        d,
        "questions/rag-customer-support.toml",
        &GOOD_QUESTION.replace("my-question", "rag-customer-support"),
    );
    write(
        d,
        "rubrics/mine.toml",
        r#"
id = "mine"
version = "1"
name = "Mine"
[[dimensions]]
id = "depth"
name = "Depth"
measure = "components"
thresholds = [0.5, 0.4, 0.9]
descriptors = { 1 = "a", 2 = "b", 4 = "d" }
phase_share = 0.5
"#,
    );
    write(
        d,
        "plans/mine.toml",
        r#"
kind = "mine"
name = "Mine"
rubric = "missing-rubric"
[[phases]]
id = "only"
name = "Only"
minutes = 5
mode = "dance"
goals = ["g"]
intro = "i"
"#,
    );
    write(
        d,
        "lexicon/extra.toml",
        "[[concepts]]\nid = \"caching\"\nname = \"Again\"\nphrases = [\"cache\"]\n",
    );

    let (ok, out) = check(d);
    assert!(!ok, "a broken folder fails the check");
    let expect = [
        ("syntax.toml", "", "line"),
        ("unknown-field.toml", "sumary", "unknown field"),
        (
            "bad-concept.toml",
            "components.cache.concepts",
            "unknown concept `telepathy`",
        ),
        ("bad-kind.toml", "kind", "no phase plan `poetry`"),
        ("wrong-name.toml", "id", "must equal the file name"),
        (
            "bad-red-flag.toml",
            "red_flags[0].dimensions",
            "`charisma` is not a dimension of rubric `system_design`",
        ),
        (
            "empty-answer.toml",
            "facts.scale.answer",
            "must not be empty",
        ),
        (
            "bad-phase.toml",
            "components.cache.phase",
            "`lunch` is not a phase",
        ),
        (
            "questions/rag-customer-support.toml",
            "id",
            "already exists",
        ),
        ("mine.toml", "dimensions.depth.descriptors.3", "descriptor"),
        ("mine.toml", "dimensions.depth.thresholds", "rise"),
        (
            "mine.toml",
            "dimensions.depth.phase_share",
            "on a dimension with phases",
        ),
        ("plans/mine.toml", "mode", "unknown variant `dance`"),
        ("extra.toml", "concepts.caching.id", "duplicate concept id"),
    ];
    for (file, field, problem) in expect {
        assert!(
            out.lines()
                .any(|l| l.contains(file) && l.contains(field) && l.contains(problem)),
            "expected a line naming {file}, {field} and `{problem}` in:\n{out}"
        );
    }
}

#[tokio::test]
async fn a_content_dir_adds_its_questions_beside_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "questions/my-question.toml", GOOD_QUESTION);
    let path: PathBuf = dir.path().to_path_buf();
    let app = spawn_app_with(move |a| a.content_dirs = vec![path]).await;
    let (status, q) = app.get("/api/questions/my-question").await;
    assert_eq!(status, 200, "{q}");
    let (_, all) = app.get("/api/questions").await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == "rag-customer-support")
    );
    let s = app.start("my-question").await;
    let (_, reply) = app
        .say(s["id"].as_str().unwrap(), "How many users do we have?")
        .await;
    assert!(reply.contains("About 1M users."), "{reply}");
}

#[tokio::test]
async fn questions_filter_by_kind_and_level_and_describe_themselves() {
    let app = spawn_app().await;
    let (status, list) = app.get("/api/questions?kind=debugging").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 5);
    for q in list {
        assert_eq!(q["kind"], "debugging");
        assert!(q["duration_minutes"].as_u64().unwrap() >= 30);
        assert!(q["phases"].as_array().unwrap().len() >= 4);
        assert!(!q["levels"].as_array().unwrap().is_empty());
    }
    let (_, staff) = app.get("/api/questions?level=staff").await;
    let (_, junior) = app
        .get("/api/questions?kind=system_design&level=junior")
        .await;
    for q in junior.as_array().unwrap() {
        assert_eq!(q["kind"], "system_design");
        assert!(
            q["levels"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("junior"))
        );
    }
    assert!(!staff.as_array().unwrap().is_empty());
    let (status, body) = app.get("/api/questions?kind=poetry").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, _) = app.get("/api/questions?level=wizard").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_level_outside_the_question_range_is_refused_and_the_level_is_recorded() {
    let app = spawn_app().await;
    let (_, list) = app.get("/api/questions").await;
    let senior_only = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            !q["levels"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("junior"))
        })
        .expect("some question is not for juniors");
    let (status, body) = app
        .post(
            "/api/sessions",
            serde_json::json!({ "question_id": senior_only["id"], "level": "junior" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, s) = app
        .post(
            "/api/sessions",
            serde_json::json!({ "question_id": "rag-customer-support", "level": "staff" }),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(s["level"], "staff");
    assert!(
        s["turns"][0]["content"]
            .as_str()
            .unwrap()
            .contains("staff-level")
    );
}

#[test]
fn content_check_flags_a_follow_up_or_example_that_would_leak_or_miss() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "questions/leaky.toml",
        &GOOD_QUESTION
            .replace("my-question", "leaky")
            .replace(
                "About 1M users.",
                "About 1.2 million users, in six languages.",
            )
            .replace(
                "Where do you cache?",
                "With 1.2 million users, where do you cache?",
            )
            .replace(
                "asked_by = [\"how many users\"]",
                "asked_by = [\"how many users\"]\nexamples = [\"What's the budget?\"]",
            ),
    );
    let (ok, out) = check(dir.path());
    assert!(!ok, "{out}");
    assert!(
        out.contains("components.cache.follow_up") && out.contains("hidden figure of fact `scale`"),
        "{out}"
    );
    assert!(
        out.contains("facts.scale.examples[0]") && out.contains("matched to no fact"),
        "{out}"
    );
}

#[test]
fn content_check_flags_a_red_flag_its_examples_do_not_raise_or_its_counter_examples_do() {
    let dir = tempfile::tempdir().unwrap();
    let flag = r#"
[[red_flags]]
text = "Caches every answer forever"
dimensions = ["technical_depth"]
said_as = []
cues = ["i d | we ll + cache + forever | with no expiry"]
examples = [
  "We'll cache every answer forever, it's simpler.",
  "Answers are kept around for good.",
]
counter_examples = [
  "I'd never cache an answer forever: prices change.",
  "We'll cache answers for an hour, never forever.",
  "I'd cache the answers with no expiry at all.",
]
"#;
    write(
        dir.path(),
        "questions/flagged.toml",
        &format!("{}{flag}", GOOD_QUESTION.replace("my-question", "flagged")),
    );
    let (ok, out) = check(dir.path());
    assert!(!ok, "{out}");
    let findings: Vec<&str> = out.lines().filter(|l| l.contains("red_flags[0]")).collect();
    assert_eq!(findings.len(), 2, "{out}");
    assert!(
        out.contains("the example \"Answers are kept around for good.\" does not raise the flag"),
        "{out}"
    );
    assert!(
        out.contains(
            "the counter-example \"I'd cache the answers with no expiry at all.\" raises the flag"
        ),
        "{out}"
    );
}

#[test]
fn content_simulate_interviews_a_folder_with_every_persona_and_prints_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "questions/my-question.toml", GOOD_QUESTION);
    let out = Command::new(env!("CARGO_BIN_EXE_mock-interviewer"))
        .args(["content", "simulate"])
        .arg(dir.path())
        .output()
        .expect("binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("leaks") && text.contains("answered"),
        "{text}"
    );
    let total = text.lines().find(|l| l.starts_with("total")).unwrap();
    // Seven personas, one question.
    assert!(total.split_whitespace().nth(1) == Some("7"), "{total}");
}
