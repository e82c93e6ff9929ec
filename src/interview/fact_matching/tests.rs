use std::path::Path;
use std::sync::LazyLock;

use super::*;
use crate::content::{Catalog, ContentRoot};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
});

fn asked(question: &str, text: &str) -> Vec<String> {
    let entry = CATALOG.question(question).unwrap();
    fact_ids_asked(entry, text, PhaseMode::Clarify)
}

#[test]
fn growth_is_not_latency() {
    assert_eq!(
        asked(
            "enterprise-knowledge-base",
            "How many documents are in the knowledge base, and how fast does it grow?"
        ),
        vec!["corpus_size"]
    );
    assert_eq!(
        asked(
            "enterprise-knowledge-base",
            "How fast should answers come back?"
        ),
        vec!["latency"]
    );
}

#[test]
fn a_question_about_when_is_answered_with_when() {
    assert_eq!(
        asked(
            "debug-latency-spikes",
            "What day and time did the P95/P99 shift begin?"
        ),
        vec!["when_started"]
    );
}

#[test]
fn a_listed_question_gets_every_fact_it_lists() {
    assert_eq!(
        asked(
            "enterprise-knowledge-base",
            "What are the latency, availability and budget targets?"
        ),
        vec!["latency", "availability", "budget"]
    );
}

#[test]
fn statements_and_process_questions_ask_for_nothing() {
    for text in [
        "Can we move on?",
        "How did I do?",
        "I'll assume the latency target is about a second.",
        "We shard the index by tenant and cache query embeddings.",
    ] {
        assert!(
            asked("enterprise-knowledge-base", text).is_empty(),
            "{text}"
        );
    }
}

/// A short follow-up points back at the last topic; a question with its own subject does not, even
/// when the sentence before it named a fact ("The eval set has no questions ...").
#[test]
fn a_pronoun_refers_back_only_in_a_short_follow_up() {
    let entry = CATALOG.question("rag-customer-support").unwrap();
    let facts = |text: &str| {
        let u = understand(
            text,
            reading_context(&entry.question.kind, PhaseMode::Clarify, false),
        );
        turn_facts(entry, &u)
            .asked
            .iter()
            .map(|a| entry.question.facts[a.fact].id.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        facts("The eval set has no questions in the new languages. How do agents feel about the assistant today - would they be willing to review distilled Q&A entries weekly?")
            .is_empty()
    );
    assert_eq!(
        facts("The eval set is thin. Who maintains it?"),
        vec!["quality".to_string()]
    );
}
