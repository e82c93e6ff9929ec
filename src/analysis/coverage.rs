//! What the candidate has covered: every concept mention in their turns, with the sentence that shows it.
//! The offline interviewer asks about what is missing; the scorer quotes what is there.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::lexicon::{ConceptIdx, Lexicon};
use super::text::{Sentence, addresses_the_grader, diagram_ranges, has_figure, sentences};

/// A sentence counts for at most one concept per this many words (and at least 4), so a list of
/// buzzwords is not a design.
const WORDS_PER_CONCEPT: usize = 5;

/// A candidate turn as the analysis needs it.
#[derive(Debug, Clone)]
pub struct CandidateText<'a> {
    pub turn_id: i64,
    pub phase: &'a str,
    pub content: &'a str,
}

/// One sentence that mentions one concept.
#[derive(Debug, Clone)]
pub struct Mention {
    pub turn_id: i64,
    pub phase: String,
    /// The sentence, verbatim from the turn.
    pub quote: String,
    pub concept: ConceptIdx,
    /// Words in the sentence: a one-word mention is not an explanation.
    pub sentence_words: usize,
    /// The sentence carries a figure (latency, size, count...).
    pub specific: bool,
}

/// A sentence of a candidate turn with every concept it names: a turn is read once, for the
/// coverage and for the interviewer's memory (`memory::concepts_said_in`).
#[derive(Debug, Clone)]
pub struct ReadSentence<'a> {
    pub sentence: Sentence<'a>,
    /// Each occurrence of a concept, with the word it starts at (`Lexicon::concepts_at`).
    pub concepts: Vec<(ConceptIdx, usize)>,
}

/// The sentences of a text (`text::sentences`), each with the concepts it names.
pub fn read_sentences<'a>(lexicon: &Lexicon, text: &'a str) -> Vec<ReadSentence<'a>> {
    sentences(text)
        .into_iter()
        .map(|sentence| ReadSentence {
            concepts: lexicon.concepts_at(&sentence.words),
            sentence,
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct Coverage {
    pub mentions: Vec<Mention>,
    by_concept: FxHashMap<ConceptIdx, Vec<usize>>,
}

impl Coverage {
    pub fn analyze(lexicon: &Lexicon, turns: &[CandidateText<'_>]) -> Coverage {
        let mut cov = Coverage::default();
        for turn in turns {
            cov.add_turn(lexicon, turn);
        }
        cov
    }

    /// Extends the analysis with the next turn: `analyze` of every turn is the same as adding them
    /// one by one, so a live interview analyses each turn once.
    pub fn add_turn(&mut self, lexicon: &Lexicon, turn: &CandidateText<'_>) {
        self.add_read(turn, &read_sentences(lexicon, turn.content));
    }

    /// `add_turn` for a turn already read (`read_sentences` of its content).
    pub fn add_read(&mut self, turn: &CandidateText<'_>, read: &[ReadSentence<'_>]) {
        let diagrams = diagram_ranges(turn.content);
        let base = turn.content.as_ptr() as usize;
        for ReadSentence {
            sentence: s,
            concepts,
        } in read
        {
            if addresses_the_grader(&s.words) {
                continue;
            }
            // A diagram names components; it does not explain them (`sentences` slices the turn,
            // so a sentence's place in it is its address's distance from the turn's).
            let at = (s.text.as_ptr() as usize).wrapping_sub(base);
            if diagrams.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let specific = has_figure(&s.words);
            // The concepts the sentence names, in lexicon order.
            let mut named: Vec<ConceptIdx> = concepts.iter().map(|(c, _)| *c).collect();
            named.sort_unstable();
            named.dedup();
            for concept in named
                .into_iter()
                .take((s.words.len() / WORDS_PER_CONCEPT).max(4))
            {
                self.by_concept
                    .entry(concept)
                    .or_default()
                    .push(self.mentions.len());
                self.mentions.push(Mention {
                    turn_id: turn.turn_id,
                    phase: turn.phase.to_string(),
                    quote: s.text.to_string(),
                    concept,
                    sentence_words: s.words.len(),
                    specific,
                });
            }
        }
    }

    /// Gives the mentions of turn `from` the id `to` (a turn analysed before it was stored).
    pub fn renumber(&mut self, from: i64, to: i64) {
        for m in self.mentions.iter_mut().filter(|m| m.turn_id == from) {
            m.turn_id = to;
        }
    }

    pub fn covers(&self, concept: ConceptIdx) -> bool {
        self.by_concept.contains_key(&concept)
    }

    /// Mentions of a concept, in transcript order.
    pub fn mentions_of(&self, concept: ConceptIdx) -> impl Iterator<Item = &Mention> {
        self.by_concept
            .get(&concept)
            .into_iter()
            .flatten()
            .map(|&i| &self.mentions[i])
    }

    /// Whether any of the named concepts is covered.
    pub fn covers_any(&self, lexicon: &Lexicon, ids: &[String]) -> bool {
        ids.iter()
            .filter_map(|id| lexicon.index(id))
            .any(|c| self.covers(c))
    }

    /// The mentions of any of the named concepts, in transcript order.
    pub fn mentions_of_any<'a>(&'a self, lexicon: &Lexicon, ids: &[String]) -> Vec<&'a Mention> {
        let wanted: BTreeSet<ConceptIdx> = ids.iter().filter_map(|id| lexicon.index(id)).collect();
        self.mentions
            .iter()
            .filter(|m| wanted.contains(&m.concept))
            .collect()
    }

    /// Concepts mentioned in one turn.
    pub fn concepts_in_turn(&self, turn_id: i64) -> BTreeSet<ConceptIdx> {
        self.mentions
            .iter()
            .filter(|m| m.turn_id == turn_id)
            .map(|m| m.concept)
            .collect()
    }
}
