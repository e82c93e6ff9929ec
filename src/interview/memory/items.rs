//! Every question the interviewer can ask of a question entry (component follow-ups, probes, trade-offs,
//! failure, scaling and closing questions, coding edge cases), and the phase each belongs to.

use std::collections::BTreeSet;

use crate::analysis::lexicon::{ConceptIdx, Lexicon};
use crate::analysis::text::{PhraseSet, words};
use crate::content::{PhaseMode, QuestionEntry};

/// What kind of question an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Component,
    Probe,
    Tradeoff,
    Failure,
    Scaling,
    Closing,
    EdgeCase,
}

/// A question the interviewer can ask.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable within the question: `components.caching`, `deep_dives.retrieval.probes[1]`.
    pub id: String,
    pub kind: ItemKind,
    pub text: String,
    /// The phase it belongs to, when the content says so.
    pub phase: Option<String>,
    /// The component, deep dive or trade-off it belongs to.
    pub group: String,
    /// Concepts that show the candidate has covered it.
    pub concepts: Vec<ConceptIdx>,
    /// Phrases that show the candidate has answered it.
    pub answered_by: PhraseSet,
    /// How many concepts one candidate turn must cover to answer it.
    pub concepts_needed: usize,
    /// A component's name, lower-case: a question that names it (with others) asks about it.
    pub name: Option<String>,
}

/// Concepts too broad to show that one particular question was answered.
pub(super) fn is_broad(id: &str) -> bool {
    matches!(
        id,
        "tradeoff_reasoning"
            | "cost"
            | "latency_target"
            | "monitoring"
            | "testing"
            | "complexity"
            | "reflection"
            | "evaluation"
            | "scale_qps"
    )
}

/// Every question the interviewer can ask about an interview question, in content order.
pub fn items(entry: &QuestionEntry, lexicon: &Lexicon) -> Vec<Item> {
    let q = &entry.question;
    let idx = |ids: &[String]| -> Vec<ConceptIdx> {
        ids.iter().filter_map(|c| lexicon.index(c)).collect()
    };
    let mut out = Vec::new();
    for c in &q.components {
        out.push(Item {
            id: format!("components.{}", c.id),
            kind: ItemKind::Component,
            text: c.follow_up.clone(),
            phase: c.phase.clone(),
            group: c.id.clone(),
            concepts: idx(&c.concepts),
            answered_by: PhraseSet::default(),
            concepts_needed: 1,
            name: Some(c.name.to_lowercase()),
        });
    }
    for d in &q.deep_dives {
        for (i, p) in d.probes.iter().enumerate() {
            // A probe's own concepts are those its words name beyond the topic's: "inject a clock"
            // names test doubles. Without any, only its phrases (or being asked) settle it.
            let topic: BTreeSet<ConceptIdx> = idx(&d.concepts).into_iter().collect();
            let own: Vec<ConceptIdx> = lexicon
                .concepts_in(&words(p.ask()))
                .into_iter()
                .filter(|c| !topic.contains(c) && !is_broad(&lexicon.get(*c).id))
                .collect();
            out.push(Item {
                id: format!("deep_dives.{}.probes[{i}]", d.id),
                kind: ItemKind::Probe,
                text: p.ask().to_string(),
                phase: d.phase.clone(),
                group: d.id.clone(),
                concepts_needed: own.len().min(2),
                concepts: own,
                answered_by: PhraseSet::compile(p.answered_by()),
                name: None,
            });
        }
    }
    for t in &q.tradeoffs {
        let specific: Vec<ConceptIdx> = t
            .concepts
            .iter()
            .filter(|c| !is_broad(c))
            .filter_map(|c| lexicon.index(c))
            .collect();
        out.push(Item {
            id: format!("tradeoffs.{}", t.id),
            kind: ItemKind::Tradeoff,
            text: t.question.clone(),
            phase: t.phase.clone(),
            group: t.id.clone(),
            concepts_needed: specific.len().clamp(usize::from(!specific.is_empty()), 2),
            concepts: specific,
            answered_by: PhraseSet::compile(&t.answered_by),
            name: None,
        });
    }
    for (kind, list, name) in [
        (ItemKind::Failure, &q.failure_questions, "failure_questions"),
        (ItemKind::Scaling, &q.scaling_questions, "scaling_questions"),
    ] {
        for (i, text) in list.iter().enumerate() {
            out.push(Item {
                id: format!("{name}[{i}]"),
                kind,
                text: text.clone(),
                phase: None,
                group: name.to_string(),
                concepts: Vec::new(),
                answered_by: PhraseSet::default(),
                concepts_needed: 0,
                name: None,
            });
        }
    }
    for (i, c) in entry.plan.closing_questions.iter().enumerate() {
        out.push(Item {
            id: format!("closing_questions[{i}]"),
            kind: ItemKind::Closing,
            text: c.ask.clone(),
            phase: None,
            group: "closing".into(),
            concepts_needed: usize::from(!c.concepts.is_empty()),
            concepts: idx(&c.concepts),
            answered_by: PhraseSet::default(),
            name: None,
        });
    }
    for e in &q.edge_cases {
        out.push(Item {
            id: format!("edge_cases.{}", e.id),
            kind: ItemKind::EdgeCase,
            text: e.question.clone(),
            phase: None,
            group: e.id.clone(),
            concepts: Vec::new(),
            answered_by: PhraseSet::compile(&e.covered_by),
            concepts_needed: 0,
            name: None,
        });
    }
    out
}
/// Where a phase sits among the phases of its mode (debugging has two design phases, coding two
/// trade-off phases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseSlot<'a> {
    pub id: &'a str,
    pub mode: PhaseMode,
    pub first_of_mode: bool,
    pub last_of_mode: bool,
    /// The last phase of the interview.
    pub last: bool,
}

impl<'a> PhaseSlot<'a> {
    pub fn of(plan: &'a crate::content::PhasePlan, index: usize) -> PhaseSlot<'a> {
        let phase = &plan.phases[index];
        let same: Vec<usize> = plan
            .phases
            .iter()
            .enumerate()
            .filter(|(_, p)| p.mode == phase.mode)
            .map(|(i, _)| i)
            .collect();
        PhaseSlot {
            id: &phase.id,
            mode: phase.mode,
            first_of_mode: same.first() == Some(&index),
            last_of_mode: same.last() == Some(&index),
            last: index + 1 == plan.phases.len(),
        }
    }
}

/// Whether an item belongs in a phase: its own phase if the content gives one, otherwise the
/// phases of the mode that asks its kind (failure questions in the first trade-off phase, scaling
/// questions in the last, edge cases when testing starts).
pub fn fits_phase(item: &Item, slot: PhaseSlot<'_>) -> bool {
    match &item.phase {
        Some(p) => p == slot.id,
        None => match item.kind {
            ItemKind::Component => slot.mode == PhaseMode::Design && slot.first_of_mode,
            ItemKind::Probe => slot.mode == PhaseMode::DeepDive,
            ItemKind::Tradeoff => slot.mode == PhaseMode::Tradeoffs,
            ItemKind::Failure => slot.mode == PhaseMode::Tradeoffs && slot.first_of_mode,
            ItemKind::Scaling => slot.mode == PhaseMode::Tradeoffs && slot.last_of_mode,
            ItemKind::Closing => {
                slot.mode == PhaseMode::Qa || (slot.last && slot.mode != PhaseMode::Clarify)
            }
            ItemKind::EdgeCase => slot.mode == PhaseMode::Tradeoffs && slot.first_of_mode,
        },
    }
}
