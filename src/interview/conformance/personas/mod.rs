//! Scripted candidates, one per way real candidates behave: strong, terse, rambling, designs before
//! asking, asks everything at once, goes silent, tries to extract the answer key. Each writes its
//! turns from the question's own content (fact examples, components, the lexicon's phrases) and
//! reacts to what the interviewer just asked, and says what it meant, so the checks can hold the
//! interviewer to it.

use crate::content::{Level, PhaseMode};

use super::super::directive::Closing;
use super::super::memory::{Item, ItemKind, PhaseSlot, fits_phase};
use super::driver::{CandidateTurn, Sim};
use super::speech::{answer_item, ask_fact, code_for, cover_component, phrase_for};

/// A simulated candidate.
pub trait Persona {
    fn name(&self) -> &'static str;
    /// The level it interviews at, among those the question offers.
    fn level(&self, offered: &[Level]) -> Level {
        if offered.contains(&Level::Senior) {
            Level::Senior
        } else {
            offered[0]
        }
    }
    /// Its next turn, or `None` when it has nothing more to do.
    fn next(&mut self, sim: &Sim<'_>, items: &[Item]) -> Option<CandidateTurn>;
}

/// Every persona, fresh.
pub fn all() -> Vec<Box<dyn Persona>> {
    vec![
        Box::new(Strong::default()),
        Box::new(Terse::default()),
        Box::new(Rambling::default()),
        Box::new(DesignsFirst::default()),
        Box::new(AllAtOnce::default()),
        Box::new(Silent),
        Box::new(Extractor::default()),
    ]
}

/// Where the interview stands, as a candidate reads it.
struct Seen<'s> {
    slot: PhaseSlot<'s>,
    coding: bool,
    debugging: bool,
    /// Candidate turns so far in this phase.
    in_phase: usize,
    invited: bool,
}

fn seen<'s>(sim: &'s Sim<'_>) -> Seen<'s> {
    let phase = sim.phase_id();
    let in_phase = sim
        .turns
        .iter()
        .filter(|t| !t.by_interviewer && t.phase == phase)
        .count();
    Seen {
        slot: PhaseSlot::of(&sim.entry.plan, sim.state.index),
        coding: sim.entry.question.kind == "coding",
        debugging: sim.entry.question.kind == "debugging",
        in_phase,
        invited: sim
            .last_reply()
            .and_then(|t| t.directive.as_ref())
            .is_some_and(|d| d.closing == Closing::Invite),
    }
}

/// Answers whatever the interviewer just asked: a follow-up, the skipped components before moving
/// on, a challenge, an ambiguous question's options.
fn answer_last(sim: &Sim<'_>, items: &[Item], minutes: f64) -> Option<CandidateTurn> {
    let d = sim.last_reply()?.directive.as_ref()?;
    let entry = sim.entry;
    if !d.before_moving_on.is_empty() {
        let comps: Vec<_> = entry
            .question
            .components
            .iter()
            .filter(|c| d.before_moving_on.contains(&c.name.to_lowercase()))
            .collect();
        let text = comps
            .iter()
            .map(|c| cover_component(sim.lexicon, c))
            .collect::<Vec<_>>()
            .join(" ");
        let mut t = CandidateTurn::say(text, minutes);
        t.covers = comps.iter().map(|c| c.id.clone()).collect();
        t.answers = comps
            .iter()
            .map(|c| format!("components.{}", c.id))
            .collect();
        return Some(t);
    }
    if d.challenge.is_some() {
        return Some(CandidateTurn::say(
            "Fair point. I'd work that number out properly rather than guess it.",
            minutes,
        ));
    }
    if let Some(topic) = d.which_one.first() {
        let fact = entry
            .question
            .facts
            .iter()
            .find(|f| f.topic.to_lowercase() == *topic)?;
        let mut t = CandidateTurn::say(ask_fact(fact, 0), minutes);
        t.asks = vec![fact.id.clone()];
        return Some(t);
    }
    let f = d.follow_up.as_ref()?;
    let item = items.iter().find(|i| i.id == f.item)?;
    let mut t = CandidateTurn::say(answer_item(entry, sim.lexicon, item), minutes);
    t.answers = vec![item.id.clone()];
    if item.kind == ItemKind::Component {
        t.covers = vec![item.group.clone()];
    }
    Some(t)
}

/// The facts a persona has not asked yet, important first.
fn unasked<'e>(sim: &'e Sim<'_>, asked: &[String]) -> Vec<&'e crate::content::Fact> {
    let q = &sim.entry.question;
    q.facts
        .iter()
        .filter(|f| f.important)
        .chain(q.facts.iter().filter(|f| !f.important))
        .filter(|f| !asked.contains(&f.id))
        .collect()
}

fn ask_facts(
    sim: &Sim<'_>,
    asked: &mut Vec<String>,
    n: usize,
    variant: usize,
) -> Option<CandidateTurn> {
    let facts: Vec<_> = unasked(sim, asked).into_iter().take(n).collect();
    if facts.is_empty() {
        return None;
    }
    let text = facts
        .iter()
        .map(|f| ask_fact(f, variant))
        .collect::<Vec<_>>()
        .join(" ");
    let mut t = CandidateTurn::say(text, 1.5);
    t.asks = facts.iter().map(|f| f.id.clone()).collect();
    asked.extend(t.asks.iter().cloned());
    Some(t)
}

/// Covers every component of the current phase.
fn cover_phase(sim: &Sim<'_>, items: &[Item], slot: PhaseSlot<'_>, share: f64) -> CandidateTurn {
    let comps: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Component && fits_phase(i, slot))
        .collect();
    let take = ((comps.len() as f64) * share).ceil() as usize;
    let chosen: Vec<_> = comps
        .iter()
        .take(take)
        .filter_map(|i| {
            sim.entry
                .question
                .components
                .iter()
                .find(|c| c.id == i.group)
        })
        .collect();
    let text = if chosen.is_empty() {
        "Let me walk you through how I'd approach it, step by step, with the reasoning behind each choice.".to_string()
    } else {
        chosen
            .iter()
            .map(|c| cover_component(sim.lexicon, c))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut t = CandidateTurn::say(text, 3.0);
    t.covers = chosen.iter().map(|c| c.id.clone()).collect();
    t.answers = chosen
        .iter()
        .map(|c| format!("components.{}", c.id))
        .collect();
    t
}

fn qa_question(sim: &Sim<'_>) -> String {
    sim.entry
        .question
        .qa
        .first()
        .and_then(|a| a.asked_by.first())
        .map(|p| {
            format!(
                "One question from me: what about the {}?",
                p.trim_end_matches('*')
            )
        })
        .unwrap_or_else(|| "One question from me: what does the team look like?".to_string())
}

const DONE: &str = "That's all from me, thanks.";
const MOVE_ON: &str = "I think that covers it. Let's move on.";

/// The end of an interview: ask one question when invited, then say done.
fn finish(sim: &Sim<'_>, asked_qa: &mut bool) -> CandidateTurn {
    if !*asked_qa {
        *asked_qa = true;
        return CandidateTurn::say(qa_question(sim), 0.8);
    }
    CandidateTurn::say(DONE, 0.3)
}

/// The phrase that answers an item before it is asked, from its content (`answered_by`), if any.
fn pre_answer(sim: &Sim<'_>, item: &Item) -> String {
    let q = &sim.entry.question;
    let phrase = match item.kind {
        ItemKind::Probe => q
            .deep_dives
            .iter()
            .flat_map(|d| d.probes.iter())
            .find(|p| p.ask() == item.text)
            .and_then(|p| p.answered_by().first()),
        ItemKind::Tradeoff => q
            .tradeoffs
            .iter()
            .find(|t| t.id == item.group)
            .and_then(|t| t.answered_by.first()),
        _ => None,
    };
    phrase
        .map(|p| p.trim_end_matches('*').to_string())
        .unwrap_or_default()
}

mod difficult;
mod steady;

pub use difficult::{AllAtOnce, DesignsFirst, Extractor, Rambling, Silent};
pub use steady::{Strong, Terse};
