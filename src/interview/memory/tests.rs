//! The interviewer's memory: quoted texts found in one pass, openings kept, diagrams and catch-up.

use std::path::Path;

use super::*;
use crate::content::{Catalog, ContentRoot};

/// A turn of a transcript, not a hint.
fn spoken<'a>(id: i64, by_interviewer: bool, phase: &'a str, text: &'a str) -> Spoken<'a> {
    Spoken {
        id,
        by_interviewer,
        phase,
        text,
        hint: false,
    }
}

/// One pass of the automaton finds exactly what a search for each text finds, overlaps and
/// texts quoted inside others included.
#[test]
fn quoted_texts_are_found_as_a_search_for_each_finds_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
    let mut hits = 0;
    for entry in catalog.questions.values() {
        let rep = Repertoire::new(entry, &catalog.lexicon);
        let texts: Vec<&str> = rep.quotable_texts().collect();
        // Turns that quote one, two or all of them, and one that quotes none.
        let all = texts.join(" And ");
        let pair = format!("So: {} Also, {}", texts[0], texts[texts.len() - 1]);
        for turn in [all.as_str(), pair.as_str(), "Nothing quoted here."] {
            let expected: Vec<bool> = texts.iter().map(|t| turn.contains(t)).collect();
            assert_eq!(rep.quoted_in(turn), expected, "{}", entry.question.id);
            hits += expected.iter().filter(|h| **h).count();
        }
    }
    assert!(hits > 0);
}

/// An opening read once per process leaves the memory that reading it leaves: a second
/// session that opens with the same words gets the same memory, and so does every turn after.
#[test]
fn a_kept_opening_reads_as_the_opening_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
    let entry = catalog.question("rag-customer-support").unwrap();
    let rep = Repertoire::new(entry, &catalog.lexicon);
    // An opening that quotes an item and a fact's answer, so the reading leaves something.
    let opening = format!(
        "Welcome. {} {}",
        rep.quotable_texts().next().unwrap(),
        rep.fact_answers[0]
    );
    let turns = [
        spoken(1, true, "clarification", &opening),
        spoken(
            2,
            false,
            "clarification",
            "How many tickets a day, and in which languages?",
        ),
    ];
    let mut by_hand = Memory::default();
    for t in &turns {
        by_hand.absorb(&rep, t, &catalog.lexicon, None);
    }
    by_hand.read = turns.len();
    assert!(!by_hand.asked.is_empty() && by_hand.turns_with_facts == 1);
    let first = Memory::recall(&rep, &turns, &catalog.lexicon);
    assert_eq!(rep.openings.read().unwrap().len(), 1);
    let second = Memory::recall(&rep, &turns, &catalog.lexicon);
    assert_eq!(first, by_hand);
    assert_eq!(second, by_hand);
    assert_eq!(rep.openings.read().unwrap().len(), 1);
}

/// The memory knows the newest candidate turn with a diagram, through a provisional id's
/// renumbering, and a turn without one does not replace it.
#[test]
fn the_newest_turn_with_a_diagram_is_remembered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
    let entry = catalog.question("rag-customer-support").unwrap();
    let rep = Repertoire::new(entry, &catalog.lexicon);
    let drawn = "Here is the design.\n\n```mermaid\nflowchart LR\nA --> B\n```\n";
    let spoken = |id: i64, text: &'static str| spoken(id, false, "high_level_design", text);
    let mut m = Memory::default();
    m.catch_up(&rep, &[spoken(3, "No diagram yet.")], &catalog.lexicon);
    assert_eq!(m.last_diagram, None);
    let turns = [spoken(3, "No diagram yet."), spoken(0, drawn)];
    m.catch_up(&rep, &turns, &catalog.lexicon);
    assert_eq!(m.last_diagram, Some(0));
    m.renumber(0, 5);
    assert_eq!(m.last_diagram, Some(5));
    let turns = [
        spoken(3, "No diagram yet."),
        spoken(5, drawn),
        spoken(7, "Text only."),
    ];
    m.catch_up(&rep, &turns, &catalog.lexicon);
    assert_eq!(m.last_diagram, Some(5));
}

/// A reply is read when it is stored and the memory is caught up again before the next plan:
/// reading in several steps, with repeats, leaves the memory a single full read would make.
#[test]
fn catching_up_in_steps_and_again_equals_one_full_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
    let entry = catalog.question("rag-customer-support").unwrap();
    let rep = Repertoire::new(entry, &catalog.lexicon);
    let asked = rep
        .quotable_texts()
        .next()
        .unwrap_or("How big is the corpus?");
    let texts = [
        (
            true,
            "Welcome. Design a customer-support assistant over the help center.",
        ),
        (
            false,
            "How many articles are there, and how many queries per day?",
        ),
        (true, asked),
        (
            false,
            "I would cache answers to repeated questions in Redis.",
        ),
        (
            true,
            "Before we move on: you haven't said anything about monitoring.",
        ),
    ];
    let turns: Vec<Spoken<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, (by_interviewer, text))| {
            spoken(i as i64 + 1, *by_interviewer, "clarification", text)
        })
        .collect();
    let whole = Memory::recall(&rep, &turns, &catalog.lexicon);
    let mut kept = Memory::default();
    for n in 1..=turns.len() {
        // Stored: read now; then the next turn's start catches up again, reading nothing new.
        kept.catch_up(&rep, &turns[..n], &catalog.lexicon);
        assert!(kept.has_read(n) && !kept.has_read(n + 1));
        kept.catch_up(&rep, &turns[..n], &catalog.lexicon);
    }
    assert_eq!(kept, whole);
}
