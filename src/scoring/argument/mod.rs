//! What the candidate argued: every sentence of the candidate's visible prose, classified (a working
//! sentence, a question, a name-drop, filler, an echo, a repetition, admitted ignorance, text for the
//! grader), and the concepts each working sentence earns. A concept is credited once, in the first
//! working sentence that asserts it; one the interviewer or the prompt raised first is credited only
//! when the candidate's sentence adds a mechanism, a figure, a reason or a comparison of its own.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::content::{ConceptIdx, Lexicon};

use super::clean::Hidden;
use super::input::ScoringInput;
use super::lang::is_function_word;

/// What a sentence does for the candidate's case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Asserts something specific of the candidate's own: it can earn credit.
    Working,
    Question,
    Grader,
    Ignorance,
    /// A list or keyword string: names without an argument.
    NameDrop,
    /// Reasoning-shaped words with nothing specific in them, or a template repeated with other nouns.
    Filler,
    /// The interviewer's or the prompt's words handed back.
    Echo,
    Repeated,
    /// An ordinary sentence that asserts nothing specific (transitions, acknowledgements).
    Plain,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub turn_id: i64,
    /// Index of the turn in the transcript.
    pub turn_index: usize,
    pub phase: String,
    /// The sentence verbatim from the turn.
    pub quote: String,
    /// False when hidden text sat inside the sentence, so the quote would show it.
    pub quotable: bool,
    pub words: Vec<String>,
    pub class: Class,
    /// Concepts this sentence earned (working sentences only, each concept in one sentence only).
    pub credited: Vec<ConceptIdx>,
    /// Concepts asserted here, whether or not an earlier sentence already earned them.
    pub asserted: Vec<ConceptIdx>,
    /// Concepts mentioned at all (for relevance).
    pub mentioned: Vec<ConceptIdx>,
    /// Asserted concepts the interviewer or the prompt had raised before this sentence.
    pub echoed: Vec<ConceptIdx>,
    pub figure: bool,
    pub mechanism: bool,
    pub reason: bool,
    pub comparison: bool,
    /// Content words the interviewer had not used.
    pub novel: usize,
    /// Mentions something of this question (a concept or the question's own vocabulary).
    pub relevant: bool,
}

impl Sentence {
    pub fn depth(&self) -> usize {
        usize::from(self.figure)
            + usize::from(self.mechanism)
            + usize::from(self.reason)
            + usize::from(self.comparison)
    }
}

#[derive(Debug, Default)]
pub struct Argument {
    pub sentences: Vec<Sentence>,
    /// Code lines per candidate turn: (turn id, lines).
    pub code: Vec<(i64, Vec<String>)>,
    /// Hidden or injected text found anywhere, and the turns holding it.
    pub hidden: Hidden,
    pub hidden_turns: Vec<i64>,
    /// Concept -> the sentence that earned it.
    pub earned: HashMap<ConceptIdx, usize>,
    /// Words of the prompt and every interviewer turn (the question's own vocabulary).
    pub question_words: HashSet<String>,
}

impl Argument {
    pub fn earned(&self, c: ConceptIdx) -> Option<&Sentence> {
        self.earned.get(&c).map(|&i| &self.sentences[i])
    }

    pub fn earned_any(&self, lex: &Lexicon, ids: &[String]) -> Vec<&Sentence> {
        let mut out: Vec<&Sentence> = ids
            .iter()
            .filter_map(|id| lex.index(id))
            .filter_map(|c| self.earned(c))
            .collect();
        out.sort_by_key(|s| (s.turn_index, s.quote.len()));
        out.dedup_by(|a, b| a.quote == b.quote);
        out
    }

    /// Working sentences asserting any of the concepts (not only the first one to earn it).
    pub fn working_about(&self, lex: &Lexicon, ids: &[String]) -> Vec<&Sentence> {
        let wanted: BTreeSet<ConceptIdx> = ids.iter().filter_map(|id| lex.index(id)).collect();
        self.sentences
            .iter()
            .filter(|s| s.class == Class::Working && s.asserted.iter().any(|c| wanted.contains(c)))
            .collect()
    }

    pub fn working(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences.iter().filter(|s| s.class == Class::Working)
    }

    /// The transcript's overall substance in [0, 1]: its on-topic working sentences that carry two
    /// of a mechanism, a reason, a comparison or a figure, those with a figure, and the questions
    /// the candidate asked (in a volley of more than eight, only up to three real ones count). Raters'
    /// scores move together across dimensions with it; each rubric dimension takes its fitted share.
    pub fn substance(&self) -> f64 {
        let deep = self
            .working()
            .filter(|s| s.relevant && s.depth() >= 2)
            .count();
        let figures = self.working().filter(|s| s.relevant && s.figure).count();
        // (questions, real ones) per turn: a volley of bare one-word questions is not clarifying.
        let mut per_turn: HashMap<i64, (usize, usize)> = HashMap::new();
        for s in self.sentences.iter().filter(|s| s.class == Class::Question) {
            let e = per_turn.entry(s.turn_id).or_default();
            e.0 += 1;
            if s.words.iter().filter(|w| !is_function_word(w)).count() >= 3 {
                e.1 += 1;
            }
        }
        let questions: usize = per_turn
            .values()
            .map(|&(n, real)| if n > 8 { real.min(3) } else { n })
            .sum();
        0.65 * ((deep + figures) as f64 / 30.0).min(1.0) + 0.35 * (questions as f64 / 5.0).min(1.0)
    }
}

/// Every concept this question's content names.
pub fn question_concepts(input: &ScoringInput<'_>) -> BTreeSet<ConceptIdx> {
    let q = &input.entry.question;
    let lex = input.lexicon;
    q.components
        .iter()
        .flat_map(|c| &c.concepts)
        .chain(q.deep_dives.iter().flat_map(|d| &d.concepts))
        .chain(q.tradeoffs.iter().flat_map(|t| &t.concepts))
        .chain(
            input
                .entry
                .rubric
                .dimensions
                .iter()
                .flat_map(|d| &d.concepts),
        )
        .filter_map(|id| lex.index(id))
        .collect()
}

mod analyze;
mod vocab;

pub use analyze::analyze;
pub use vocab::SIGNPOSTS;

#[cfg(test)]
mod tests;
