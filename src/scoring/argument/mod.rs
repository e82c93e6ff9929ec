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

/// How much of the substance a candidate's words landing on the answer add: the share of their
/// working vocabulary that is the reference outline's own (`Argument::reference_share`), above
/// `REFERENCE_FLOOR`, times this. Volume alone scored a terse but right candidate like a weak one:
/// by every surface the scorer reads they look alike, and what tells them apart is whether the few
/// things said are the answer. Chosen by leave-one-question-out cross-validation on the train split
/// (`calibrate --split train --cv`): every weight from 1 to 4 with a floor from 0.10 to 0.25 raised
/// every figure (recommendation 62% to 65-74% exact, MAE 13.9 to 11.1-12.8, mean kappa 0.76 to
/// 0.78-0.80, 15 to 16-21 of 27 dimensions meeting both bars) and lifted no manipulation; this one
/// met the most dimensions.
const REFERENCE_WEIGHT: f64 = 1.5;
/// The share of the candidate's words any on-topic answer lands on the reference outline by chance
/// (weak, rambling and verbose transcripts sit at 0.10-0.11 at the median, terse right ones at 0.36).
const REFERENCE_FLOOR: f64 = 0.10;
/// Deep or figured working sentences for the full share of the substance's volume (chosen with
/// `measures::PHASE_ANSWER_FULL`: 45 where it was 30).
const SUBSTANCE_SENTENCES_FULL: f64 = 45.0;
/// The distinct telling words from which the reference share counts in full.
const REFERENCE_WORDS_FULL: f64 = 30.0;
/// The most new telling words one sentence adds towards `REFERENCE_WORDS_FULL`. A red team's
/// answer-key facts recited in one semicolon chain ("Root cause: summarize flag at 100%; long prompts
/// 25k tokens; chunked prefill off; ...") made a weak transcript's words mostly the reference
/// outline's, and 25 of its 31 telling words came from that one sentence: the share of a few
/// sentences says as little as the share of a few words. Chosen on train cross-validation over 3-15
/// and none (recommendation 70.6% exact, pairwise 89.7%, MAE 11.44, 22 dimensions, kappa 0.792): 4
/// gave 74.1%, 91.5%, 10.62, 24, 0.818 (3: 73.4%, 10.92; 5: 73.4%, 10.70; 8: 72.0%, 11.15; 15:
/// 71.3%, 11.15), and left no manipulation of the corpus past the bar.
const SPREAD_WORDS_PER_SENTENCE: usize = 4;

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
    /// Whether the sentence tells something of one incident: a figure ("the pool sat at 20 of 20",
    /// "p95 went from 300 ms to 6 s"). Story sentences of six words or more carry one in 54% of
    /// strong candidates' cases, 30% of middling, 16% of weak, 1% of verbose-but-empty ones'. Names
    /// were tried too ("Postgres", "the Payments team"): no better cross-validated, and a memorised
    /// process sprinkled with tool names ("in Grafana", "in Spinnaker") passed for a story with them.
    pub fn tells_the_incident(&self) -> bool {
        self.figure
    }

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
    /// The reference outline's words that the prompt and the interviewer never said.
    pub reference_words: HashSet<String>,
    /// The question's red flags the candidate's sentences raised.
    pub red_flags: Vec<crate::scoring::red_flags::Raised>,
    /// The rubric asks for a story of the candidate's own (`Rubric::story`).
    pub story: bool,
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
    /// the candidate asked (in a volley of more than eight, only up to three real ones count), and
    /// how much of what they said is the reference outline's own vocabulary. Raters' scores move
    /// together across dimensions with it; each rubric dimension takes its fitted share.
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
        let volume = 0.65 * ((deep + figures) as f64 / SUBSTANCE_SENTENCES_FULL).min(1.0)
            + 0.35 * (questions as f64 / 5.0).min(1.0);
        (volume + self.on_the_answer()).min(1.0)
    }

    /// Whether a working sentence can carry the answer: in a story (`Rubric::story`) only one that
    /// tells something of the incident does; process talk that tells nothing of it is not the
    /// answer, however much of the outline's vocabulary it holds.
    pub fn counts_toward_the_answer(&self, s: &Sentence) -> bool {
        !self.story || s.tells_the_incident()
    }

    /// What the candidate's words landing on the reference outline add to the substance.
    fn on_the_answer(&self) -> f64 {
        let (share, _) = self.reference_share();
        // A sentence or two of the right words is not an interview's worth of answers, and the
        // share of a few words says little: it counts in full from `REFERENCE_WORDS_FULL` telling
        // words spread over the answers (`spread_words`; the tersest right transcripts of the corpus
        // say 33 or more), and falls off with the square below.
        let enough = (self.spread_words() as f64 / REFERENCE_WORDS_FULL)
            .min(1.0)
            .powi(2);
        REFERENCE_WEIGHT * (share - REFERENCE_FLOOR).max(0.0) * enough
    }

    /// The telling words the reference share is measured on, each sentence counting at most
    /// `SPREAD_WORDS_PER_SENTENCE` of its new ones: how many of the candidate's answers the share
    /// stands on, not how dense one of them is.
    fn spread_words(&self) -> usize {
        let mut seen: HashSet<&str> = HashSet::new();
        self.working()
            .filter(|s| self.counts_toward_the_answer(s))
            .map(|s| {
                s.words
                    .iter()
                    .map(String::as_str)
                    .filter(|w| analyze::telling_word(w) && seen.insert(w))
                    .count()
                    .min(SPREAD_WORDS_PER_SENTENCE)
            })
            .sum()
    }

    /// The share of the telling words of the candidate's working sentences that are the reference
    /// outline's own (words the prompt and the interviewer never said), and how many telling words
    /// there were.
    pub fn reference_share(&self) -> (f64, usize) {
        let said: HashSet<&str> = self
            .working()
            .filter(|s| self.counts_toward_the_answer(s))
            .flat_map(|s| s.words.iter())
            .map(String::as_str)
            .filter(|w| analyze::telling_word(w))
            .collect();
        if said.is_empty() {
            return (0.0, 0);
        }
        let hits = said
            .iter()
            .filter(|w| self.reference_words.contains(**w))
            .count();
        (hits as f64 / said.len() as f64, said.len())
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
