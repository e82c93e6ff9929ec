//! The interviewer reading a candidate's Mermaid diagram, replayed through the same planner the
//! service runs: one scenario per diagram question, each asked once and never again, never in the
//! requirements phase, and a diagram's boxes never counted as explained.

use std::path::Path;
use std::sync::LazyLock;

use crate::analysis::coverage::{CandidateText, Coverage};
use crate::content::{Catalog, ContentRoot, Level};

use super::driver::{CandidateTurn, Sim};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
});

const Q: &str = "rag-customer-support";

fn design(question: &str) -> Sim<'static> {
    let entry = CATALOG.question(question).unwrap();
    let mut sim = Sim::new(entry, &CATALOG.lexicon, Level::Senior);
    sim.play(CandidateTurn::say(
        "How many articles and tickets are there, and what latency do we need?",
        1.0,
    ));
    while sim.phase_id() != "high_level_design" {
        sim.play(CandidateTurn::advance());
    }
    sim
}

fn say(sim: &mut Sim<'_>, text: &str) -> String {
    sim.play(CandidateTurn::say(text, 1.0));
    sim.last_reply().unwrap().text.clone()
}

fn with_diagram(text: &str, diagram: &str) -> String {
    format!("{text}\n\n```mermaid\n{diagram}\n```")
}

/// Every box is connected and the question's components are all drawn but one (ingestion).
const ALL_BUT_INGESTION: &str = "flowchart LR
  U([Customer widget]) --> GW[API gateway with auth and rate limiting]
  GW --> CS[Conversation state and query rewriting]
  CS --> R[Hybrid search retriever]
  R --> V[(Vector DB)]
  R --> RR[Cross-encoder reranker]
  RR --> L[LLM generation]
  L --> G[Guardrails and citations]
  G --> H[Escalation to a human agent]
  L --> T[Account tools]
  G --> M[Monitoring and evaluation]";

fn count(sim: &Sim<'_>, needle: &str) -> usize {
    sim.turns
        .iter()
        .filter(|t| t.by_interviewer && t.text.contains(needle))
        .count()
}

#[test]
fn a_component_the_diagram_leaves_out_is_asked_about_once() {
    let mut sim = design(Q);
    let r = say(
        &mut sim,
        &with_diagram("Here is my high-level design.", ALL_BUT_INGESTION),
    );
    assert!(
        r.contains("ingestion, parsing and chunking pipeline"),
        "the missing component is named: {r}"
    );
    assert!(r.contains("diagram"), "{r}");
    // The same diagram sent again, and later turns, do not bring the question back.
    say(
        &mut sim,
        &with_diagram(
            "Same picture, tidied.",
            &ALL_BUT_INGESTION.replace("LR", "TD"),
        ),
    );
    say(
        &mut sim,
        "The retriever runs a BM25 query and a vector query in parallel and fuses them with reciprocal rank fusion.",
    );
    let asked = count(&sim, "in your diagram") + count(&sim, "Your diagram leaves out");
    assert_eq!(asked, 1, "asked once");
}

#[test]
fn a_box_connected_to_nothing_is_asked_about() {
    let mut sim = design(Q);
    let diagram = format!("{ALL_BUT_INGESTION}\n  I[Ingestion pipeline] --> V\n  C[(Redis cache)]");
    let r = say(&mut sim, &with_diagram("My design.", &diagram));
    assert!(
        r.contains("the Redis cache isn't connected to anything")
            || r.contains("to or from the Redis cache"),
        "{r}"
    );
}

#[test]
fn an_arrow_is_asked_about_what_flows_and_what_fails() {
    let mut sim = design(Q);
    let diagram = format!("{ALL_BUT_INGESTION}\n  I[Ingestion pipeline] --> V");
    let r = say(&mut sim, &with_diagram("My design.", &diagram));
    // Nothing is missing or loose: the first arrow between two of the system's parts.
    assert!(
        r.contains("the API gateway with auth and rate limiting to the Conversation state and query rewriting")
            && r.contains("is down?"),
        "{r}"
    );
    assert!(
        !r.contains("Customer widget"),
        "an arrow from the user is not the one: {r}"
    );
}

#[test]
fn a_box_on_every_path_is_asked_about_as_a_single_point_of_failure() {
    let mut sim = design(Q);
    let diagram = format!("{ALL_BUT_INGESTION}\n  I[Ingestion pipeline] --> V");
    say(&mut sim, &with_diagram("My design.", &diagram));
    // Now the ingestion feeds the gateway too: every path goes through it.
    let r = say(
        &mut sim,
        &with_diagram(
            "Here it is again: ingestion now goes through the gateway as well.",
            &format!("{ALL_BUT_INGESTION}\n  I[Ingestion pipeline] --> GW"),
        ),
    );
    assert!(
        r.contains("single point of failure") || r.contains("on every path"),
        "{r}"
    );
    assert!(r.contains("API gateway"), "{r}");
}

#[test]
fn no_diagram_question_while_asking_about_requirements() {
    let entry = CATALOG.question(Q).unwrap();
    let mut sim = Sim::new(entry, &CATALOG.lexicon, Level::Senior);
    let r = say(
        &mut sim,
        &with_diagram("How many documents are there?", ALL_BUT_INGESTION),
    );
    assert!(!r.contains("diagram"), "{r}");
}

#[test]
fn a_diagram_names_components_but_does_not_explain_them() {
    let lexicon = &CATALOG.lexicon;
    let mut drawn = Coverage::default();
    let content = with_diagram("Here it is.", ALL_BUT_INGESTION);
    drawn.add_turn(
        lexicon,
        &CandidateText {
            turn_id: 2,
            phase: "high_level_design",
            content: &content,
        },
    );
    assert!(drawn.mentions.is_empty(), "{:?}", drawn.mentions);
    // The interviewer still asks the drawn components' own questions.
    let mut sim = design(Q);
    say(
        &mut sim,
        &with_diagram("Here is my design.", ALL_BUT_INGESTION),
    );
    let r = say(
        &mut sim,
        "Articles, PDF guides and tickets are pulled from the help centre every few minutes, parsed, chunked by heading and embedded.",
    );
    let entry = CATALOG.question(Q).unwrap();
    let drawn_follow_ups = entry
        .question
        .components
        .iter()
        .filter(|c| c.id != "ingestion")
        .any(|c| {
            r.contains(&c.follow_up)
                || sim
                    .turns
                    .iter()
                    .any(|t| t.by_interviewer && t.text.contains(&c.follow_up))
        });
    assert!(
        drawn_follow_ups,
        "a drawn component is still asked about: {r}"
    );
}
