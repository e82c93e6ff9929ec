use std::path::Path;
use std::sync::LazyLock;

use super::*;
use crate::analysis::coverage::CandidateText;
use crate::content::{Catalog, ContentRoot};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
});

/// Plans the reply to one candidate turn in the first phase of a fresh session.
fn first_reply(question: &str, text: &str) -> Plan {
    let entry = CATALOG.question(question).unwrap();
    let mut coverage = Coverage::default();
    coverage.add_turn(
        &CATALOG.lexicon,
        &CandidateText {
            turn_id: 2,
            phase: &entry.plan.phases[0].id,
            content: text,
        },
    );
    let turns = [
        Spoken {
            id: 1,
            by_interviewer: true,
            phase: &entry.plan.phases[0].id,
            text: "Welcome.",
            hint: false,
        },
        Spoken {
            id: 2,
            by_interviewer: false,
            phase: &entry.plan.phases[0].id,
            text,
            hint: false,
        },
    ];
    let repertoire = Repertoire::new(entry, &CATALOG.lexicon);
    plan(
        &Session {
            entry,
            lexicon: &CATALOG.lexicon,
            level: Level::Senior,
            state: PhaseState {
                index: 0,
                started_at: 0,
            },
            now: 60_000,
            turns: &turns,
            coverage: &coverage,
            revealed: &[],
            repertoire: &repertoire,
            memory: &Memory::recall(&repertoire, &turns, &CATALOG.lexicon),
        },
        Request::Answer(text),
    )
    .unwrap()
}

#[test]
fn designing_before_asking_is_stopped_without_revealing_anything() {
    let p = first_reply(
        "rag-customer-support",
        "I'll put the documents in a vector database with embeddings, use an LLM to generate answers and cache them in Redis.",
    );
    assert!(p.directive.nudge_to_clarify, "{:?}", p.directive);
    assert!(p.reveals.is_empty());
}
