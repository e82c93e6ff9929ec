//! Which hidden facts a candidate's question asks for, by what the question is about rather than by
//! any word it shares with a fact. "How fast does it grow?" asks about growth: the vague "how fast"
//! gives way to the telling "grow". "What day did the P99 shift begin?" asks when, not for the P99:
//! a wh-question asks about what follows its question word, a cue in a subordinate clause ("when
//! latency spiked") or one the candidate read in the prompt is context. Several facts are answered
//! together only when the question lists them ("latency, availability and cost"). A question whose
//! only cues are vague and point at several facts is ambiguous: the interviewer asks which one.
//!
//! `fact_ids_asked` is the one entry point for anyone replaying transcripts (the scorer, `calibrate`).

mod clause;
mod grammar;
#[cfg(test)]
mod tests;

use crate::content::{PhaseMode, QuestionEntry};

use super::understanding::{Act, Clause, ReadingContext, Understanding, understand};

pub use clause::clause_facts;
use grammar::is_list_joiner;

/// What one question clause asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseFacts {
    /// These facts (indices into the question's facts), in the order asked.
    Facts(Vec<usize>),
    /// Vague: it could be any of these.
    Ambiguous(Vec<usize>),
    /// No fact answers it.
    None,
}

/// A fact asked for in a turn, with the clause that asked.
#[derive(Debug, Clone, PartialEq)]
pub struct FactAsk {
    pub fact: usize,
    pub quote: String,
    /// Asked by a bare topic ("Latency."), not a question.
    pub bare: bool,
}

/// What a turn's questions ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnFacts {
    pub asked: Vec<FactAsk>,
    /// Vague questions, each with the facts it could mean.
    pub ambiguous: Vec<(String, Vec<usize>)>,
    /// Questions about the scenario that no fact answers.
    pub unanswered: Vec<String>,
}

/// What a turn's asking clauses ask for.
pub fn turn_facts(entry: &QuestionEntry, understanding: &Understanding) -> TurnFacts {
    let mut out = TurnFacts::default();
    // A sentence naming topics asks about them in a phase for asking, in a turn that asks or is
    // short; in a design written too early, "Next, step limits and loop detection." does not.
    let clarifying = understanding.context.is_some_and(|c| c.clarifying)
        && (understanding.has(Act::Ask) || understanding.prose_words <= 30);
    // The facts the last clause was about, for a question that refers back ("how are they
    // modelled?").
    let mut topic: Vec<usize> = Vec::new();
    for clause in &understanding.clauses {
        let asking = clause.act == Act::Ask || (clarifying && is_topic_list(entry, clause));
        let found = clause_facts(entry, clause.list_words(), clause.wh);
        if !asking {
            if let ClauseFacts::Facts(f) = &found
                && has_specific_cue(entry, clause.list_words())
            {
                topic = f.clone();
            }
            continue;
        }
        let found = match found {
            ClauseFacts::None | ClauseFacts::Ambiguous(_)
                if clause.question && refers_back(&clause.words) && !topic.is_empty() =>
            {
                ClauseFacts::Facts(topic.clone())
            }
            other => other,
        };
        if let ClauseFacts::Facts(f) = &found {
            topic = f.clone();
        }
        match found {
            ClauseFacts::Facts(facts) => {
                for fact in facts {
                    if !out.asked.iter().any(|a| a.fact == fact) {
                        out.asked.push(FactAsk {
                            fact,
                            quote: clause.text.clone(),
                            bare: clause.bare,
                        });
                    }
                }
            }
            ClauseFacts::Ambiguous(facts) => out.ambiguous.push((clause.text.clone(), facts)),
            ClauseFacts::None => {
                if is_about_the_scenario(clause) && !clause.bare {
                    out.unanswered.push(clause.text.clone());
                }
            }
        }
    }
    // A fact asked plainly elsewhere in the turn settles a vague question about it.
    out.ambiguous
        .retain(|(_, facts)| !facts.iter().any(|f| out.asked.iter().any(|a| a.fact == *f)));
    out
}

/// In a phase for asking, a sentence that only names topics ("A few more: budget and GPU prices;
/// privacy") asks about them. One that states a figure or speaks for the candidate ("we'd shard")
/// does not.
fn is_topic_list(entry: &QuestionEntry, clause: &Clause) -> bool {
    if clause.act != Act::Statement
        || clause.words.iter().any(|w| {
            w.chars().any(|c| c.is_ascii_digit()) || matches!(w.as_str(), "i" | "we" | "let")
        })
    {
        return false;
    }
    let matches = entry.fact_cues.matches(clause.list_words());
    if matches.iter().filter(|m| m.cue.specific).count() < 2 {
        return false;
    }
    // Mostly topics: "Traffic, latency and budget." - not "In my experience latency always matters
    // more than people think."
    let mut in_cue = vec![false; clause.list_words().len()];
    for m in &matches {
        for w in in_cue.iter_mut().skip(m.start).take(m.len) {
            *w = true;
        }
    }
    let content: Vec<bool> = clause
        .list_words()
        .iter()
        .zip(&in_cue)
        .filter(|(w, _)| !is_list_joiner(w))
        .map(|(_, c)| *c)
        .collect();
    let cued = content.iter().filter(|c| **c).count();
    cued * 10 >= content.len() * 6
}

fn has_specific_cue(entry: &QuestionEntry, words: &[String]) -> bool {
    entry
        .fact_cues
        .matches(words)
        .iter()
        .any(|m| m.cue.specific)
}

/// A question that points back at the topic before it: a short follow-up ("How are they
/// modelled?", "And those?"). In a question with a subject of its own ("how do agents feel about the
/// assistant - would they be willing to review ...?") the pronoun is that subject, not the last topic.
fn refers_back(words: &[String]) -> bool {
    let pronoun = |w: &String| {
        matches!(
            w.as_str(),
            "they" | "them" | "it" | "those" | "these" | "that" | "this"
        )
    };
    let own = words
        .iter()
        .filter(|w| !pronoun(w) && !crate::content::fact_cues::is_frame_word(w))
        .count();
    (words.iter().any(pronoun) && own <= MAX_OWN_WORDS_TO_REFER_BACK)
        || words
            .iter()
            .all(|w| crate::content::fact_cues::is_frame_word(w))
}

/// Content words a follow-up may carry and still point back ("how are they sharded and replicated?").
const MAX_OWN_WORDS_TO_REFER_BACK: usize = 4;

/// Whether a question with no fact behind it is still about the scenario (and deserves "no
/// specific figure: assume one"), rather than a bare "why?" or "and then?".
fn is_about_the_scenario(clause: &Clause) -> bool {
    clause
        .words
        .iter()
        .filter(|w| !crate::content::fact_cues::is_frame_word(w))
        .count()
        >= 1
}

/// How a phase of a kind reads candidate turns.
pub fn reading_context(kind: &str, mode: PhaseMode, last_phase: bool) -> ReadingContext {
    ReadingContext {
        clarifying: mode == PhaseMode::Clarify,
        evidence_on_request: kind == "debugging",
        last_phase,
    }
}

/// The ids of the hidden facts a candidate's text asks for, in a phase of the given mode: what the
/// interviewer would answer. For replaying transcripts (the scorer, `calibrate`).
pub fn fact_ids_asked(entry: &QuestionEntry, text: &str, mode: PhaseMode) -> Vec<String> {
    let u = understand(text, reading_context(&entry.question.kind, mode, false));
    turn_facts(entry, &u)
        .asked
        .into_iter()
        .map(|a| entry.question.facts[a.fact].id.clone())
        .collect()
}

/// Whether a clause is one that may be answered with facts.
pub fn asks(clause: &Clause) -> bool {
    clause.act == Act::Ask
}
