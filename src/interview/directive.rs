//! What the interviewer should do this turn, decided from the plan, the ledger and the coverage. The
//! offline interviewer turns it into words; the LLM interviewer receives it in its prompt.

use serde::Serialize;

use crate::content::Lexicon;
use crate::content::{Level, PhaseMode, PhaseSpec, QuestionEntry};

use super::ledger::Asked;
use super::phases::{Transition, Trigger};
use crate::analysis::coverage::Coverage;

/// Below this many words a candidate turn is too thin to be an answer.
const THIN_TURN_WORDS: usize = 8;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactAnswer {
    pub topic: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TransitionNote {
    pub from_id: String,
    pub from_name: String,
    pub to_id: String,
    pub to_name: String,
    pub time_up: bool,
    pub intro: String,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Directive {
    pub transition: Option<TransitionNote>,
    /// Hidden facts the candidate asked for: reveal exactly these.
    pub answers: Vec<FactAnswer>,
    /// The candidate asked something no hidden fact answers: invite a stated assumption.
    pub unanswerable_question: bool,
    /// Concept names the candidate covered for the first time in this turn.
    pub newly_covered: Vec<String>,
    /// The turn was too short to count as an answer.
    pub thin: bool,
    /// The candidate is designing before asking any clarifying question.
    pub nudge_to_clarify: bool,
    /// The question to ask next.
    pub follow_up: Option<String>,
    /// A short answer to the candidate's question in Q&A.
    pub qa_answer: Option<String>,
    /// The interview is in its last phase and should close.
    pub closing: bool,
    /// The whole interview is over its time.
    pub overtime: bool,
}

pub struct TurnInputs<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub phase: &'a PhaseSpec,
    pub transition: Option<(Transition, &'a PhaseSpec)>,
    /// The candidate's turn (id and text); `None` for an explicit advance.
    pub candidate: Option<(i64, &'a str)>,
    pub asked: &'a Asked,
    pub coverage: &'a Coverage,
    /// Facts revealed so far in the session, this turn included.
    pub revealed: &'a [String],
    /// What the interviewer said before, to avoid asking the same thing twice.
    pub interviewer_history: &'a [&'a str],
    pub overtime: bool,
    /// The target level: how deep the interviewer probes.
    pub level: Level,
}

fn already_asked(history: &[&str], question: &str) -> bool {
    history.iter().any(|h| h.contains(question))
}

pub fn decide(input: &TurnInputs<'_>) -> Directive {
    let q = &input.entry.question;
    let mut d = Directive {
        overtime: input.overtime,
        ..Directive::default()
    };
    if let Some((t, from)) = input.transition {
        d.transition = Some(TransitionNote {
            from_id: from.id.clone(),
            from_name: from.name.clone(),
            to_id: input.phase.id.clone(),
            to_name: input.phase.name.clone(),
            time_up: t.trigger == Trigger::TimeUp,
            intro: input.phase.intro.clone(),
        });
    }
    d.answers = input
        .asked
        .hits
        .iter()
        .map(|h| FactAnswer {
            topic: q.facts[h.fact].topic.clone(),
            answer: q.facts[h.fact].answer.clone(),
        })
        .collect();
    d.unanswerable_question = input.asked.unmatched_questions > 0;

    if let Some((turn_id, text)) = input.candidate {
        let word_count = crate::analysis::text::words(text).len();
        d.thin = word_count < THIN_TURN_WORDS && input.asked.questions == 0;
        let earlier: std::collections::BTreeSet<_> = input
            .coverage
            .mentions
            .iter()
            .filter(|m| m.turn_id != turn_id)
            .map(|m| m.concept)
            .collect();
        // Acknowledge what matters for this question, not every word the lexicon knows.
        let relevant: std::collections::BTreeSet<_> = q
            .components
            .iter()
            .flat_map(|c| &c.concepts)
            .chain(q.deep_dives.iter().flat_map(|d| &d.concepts))
            .chain(q.tradeoffs.iter().flat_map(|t| &t.concepts))
            .filter_map(|id| input.lexicon.index(id))
            .collect();
        d.newly_covered = input
            .coverage
            .concepts_in_turn(turn_id)
            .into_iter()
            .filter(|c| !earlier.contains(c) && relevant.contains(c))
            .map(|c| input.lexicon.get(c).name.clone())
            .collect();
        if input.phase.mode == PhaseMode::Clarify && input.transition.is_none() {
            let designing = input.coverage.concepts_in_turn(turn_id).len() >= 2 || word_count >= 40;
            d.nudge_to_clarify =
                input.revealed.is_empty() && input.asked.questions == 0 && designing;
        }
        if input.phase.mode == PhaseMode::Qa && input.asked.questions > 0 {
            let words = crate::analysis::text::words(text);
            d.qa_answer = input
                .entry
                .qa_matchers
                .iter()
                .position(|m| m.found_in(&words))
                .map(|i| q.qa[i].answer.clone());
        }
    }

    // A transition's intro already asks the phase's opening question.
    if d.transition.is_none() {
        d.follow_up = follow_up(input, &d);
    }
    d.closing = input.phase.mode == PhaseMode::Qa && input.candidate.is_some();
    d
}

fn follow_up(input: &TurnInputs<'_>, d: &Directive) -> Option<String> {
    let q = &input.entry.question;
    let history = input.interviewer_history;
    let in_phase = |phase: &Option<String>| phase.as_ref().is_none_or(|p| *p == input.phase.id);
    let fresh = |s: &str| !already_asked(history, s);
    match input.phase.mode {
        PhaseMode::Clarify => {
            if d.nudge_to_clarify {
                return None;
            }
            let important: Vec<_> = q.facts.iter().filter(|f| f.important).collect();
            let known = important
                .iter()
                .filter(|f| input.revealed.contains(&f.id))
                .count();
            let enough = important.is_empty() || known * 10 >= important.len() * 7;
            Some(if enough {
                "You have a good picture of the requirements. Anything else, or shall we move on?".to_string()
            } else if d.answers.is_empty() {
                "What else would you want to pin down before you design anything?".to_string()
            } else {
                "What else would you like to know?".to_string()
            })
        }
        PhaseMode::Design => q
            .components
            .iter()
            .filter(|c| in_phase(&c.phase))
            .find(|c| !input.coverage.covers_any(input.lexicon, &c.concepts) && fresh(&c.follow_up))
            .map(|c| c.follow_up.clone())
            .or_else(|| {
                let wrap = "That covers the main components. Which two or three would you like to go deep on, and why those?";
                fresh(wrap).then(|| wrap.to_string())
            }),
        PhaseMode::DeepDive => {
            let topics: Vec<_> = q.deep_dives.iter().filter(|t| in_phase(&t.phase)).collect();
            // Stay with the topic the candidate just spoke about; otherwise the least covered one.
            let current = input.candidate.and_then(|(turn_id, _)| {
                let here = input.coverage.concepts_in_turn(turn_id);
                topics.iter().find(|t| {
                    t.concepts
                        .iter()
                        .filter_map(|c| input.lexicon.index(c))
                        .any(|c| here.contains(&c))
                        && t.probes.iter().any(|p| fresh(p.ask()))
                })
            });
            let mut ordered: Vec<_> = topics.clone();
            ordered.sort_by_key(|t| input.coverage.mentions_of_any(input.lexicon, &t.concepts).len());
            // A junior candidate gets the first two probes of a topic; senior and staff all of them.
            let depth = if input.level == Level::Junior { 2 } else { usize::MAX };
            current
                .into_iter()
                .chain(ordered.iter())
                .flat_map(|t| t.probes.iter().take(depth))
                .map(|p| p.ask())
                .find(|p| fresh(p))
                .map(str::to_string)
        }
        PhaseMode::Tradeoffs => {
            let mut tradeoffs: Vec<_> = q.tradeoffs.iter().filter(|t| in_phase(&t.phase)).collect();
            tradeoffs.sort_by_key(|t| input.coverage.covers_any(input.lexicon, &t.concepts));
            let asked: Vec<&String> = tradeoffs.iter().map(|t| &t.question).collect();
            // Staff candidates are pushed on scale before failures; juniors are not asked the 10x questions.
            let then: Vec<&String> = match input.level {
                Level::Junior => q.failure_questions.iter().collect(),
                Level::Senior => q.failure_questions.iter().chain(q.scaling_questions.iter()).collect(),
                Level::Staff => q.scaling_questions.iter().chain(q.failure_questions.iter()).collect(),
            };
            asked.into_iter().chain(then).find(|p| fresh(p)).cloned()
        }
        PhaseMode::Qa => None,
    }
}
