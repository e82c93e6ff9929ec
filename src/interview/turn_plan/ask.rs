//! What to ask next: components of this phase not yet covered or asked, the phase gate ("before we
//! move on"), and the topic a question names.

use crate::content::{PhaseMode, QuestionEntry};

use crate::interview::follow_ups::skipped_earlier;
use crate::interview::memory::{Item, ItemKind, Memory, PhaseSlot, fits_phase};
use crate::interview::phrasebook::GATE_MARKERS;
use crate::interview::understanding::{Act, Understanding};

use super::Session;

/// Components of this design phase not covered and never asked about, unless this phase's
/// "before we move on" was already asked.
pub(super) fn unasked_here(
    entry: &QuestionEntry,
    s: &Session<'_>,
    all: &[Item],
    memory: &Memory,
    slot: PhaseSlot<'_>,
) -> Vec<String> {
    if slot.mode != PhaseMode::Design {
        return Vec::new();
    }
    let gated_before = s.turns.iter().any(|t| {
        t.by_interviewer && t.phase == slot.id && GATE_MARKERS.iter().any(|m| t.text.contains(m))
    });
    if gated_before {
        return Vec::new();
    }
    all.iter()
        .filter(|i| i.kind == ItemKind::Component && fits_phase(i, slot) && memory.open(i))
        .filter_map(|i| {
            entry
                .question
                .components
                .iter()
                .find(|c| c.id == i.group)
                .map(|c| c.name.to_lowercase())
        })
        .collect()
}

/// Components of the current design phase the candidate skipped and was never asked about: asked
/// once, together, before the phase ends. Applies when the candidate asks to move on from a design
/// phase, or says they are done in the last phase, and only once per phase.
pub(super) fn gate(
    entry: &QuestionEntry,
    s: &Session<'_>,
    all: &[Item],
    memory: &Memory,
    u: &Understanding,
    slot: PhaseSlot<'_>,
) -> Vec<String> {
    let leaving = (u.has(Act::MoveOn) && !slot.last) || (u.has(Act::Done) && slot.last);
    if !leaving {
        return Vec::new();
    }
    let mut names = unasked_here(entry, s, all, memory, slot);
    if !names.is_empty() {
        names.extend(skipped_earlier(entry, all, memory, slot));
    }
    names
}

/// Whether a phase opening asks something: a question, or a request ("Walk me through...").
pub(super) fn asks(intro: &str) -> bool {
    intro.contains('?')
        || crate::analysis::text::sentences(intro).iter().any(|s| {
            let w: Vec<&str> = s.words.iter().take(2).map(String::as_str).collect();
            matches!(
                w.as_slice(),
                ["tell", "me"]
                    | ["walk", "me"]
                    | ["talk", "me"]
                    | ["take", "me"]
                    | ["go", "ahead"]
                    | ["write", _]
                    | ["ask", "me"]
                    | ["give", "me"]
                    | ["show", "me"]
            ) || s.text.to_lowercase().contains("i'd like you to")
                || s.text.to_lowercase().contains("i want you to")
        })
}

/// The first deep-dive topic the candidate named when saying what they want to go deep on, in
/// their latest turns of this phase.
pub(super) fn named_topic(s: &Session<'_>) -> Option<String> {
    let phase = &s.entry.plan.phases[s.state.index].id;
    let chose = s
        .turns
        .iter()
        .rev()
        .take_while(|t| t.phase == phase.as_str())
        .filter(|t| !t.by_interviewer)
        .take(3)
        .find(|t| {
            let lower = t.text.to_lowercase();
            [
                "deep dive",
                "go deep",
                "deep on",
                "go deeper",
                "focus on",
                "dig into",
            ]
            .iter()
            .any(|w| lower.contains(w))
        })?;
    let here = s.coverage.concepts_in_turn(chose.id);
    s.entry
        .question
        .deep_dives
        .iter()
        .find(|d| {
            d.concepts
                .iter()
                .filter_map(|c| s.lexicon.index(c))
                .any(|c| here.contains(&c))
        })
        .map(|d| d.name.to_lowercase())
}
