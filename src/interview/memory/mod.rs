//! What the interviewer remembers of the conversation, read from the transcript as it grows:
//! every question it can ask (component follow-ups, deep-dive probes, trade-offs, failure, scaling and
//! closing questions, coding edge cases), which it has asked, and which the candidate has already
//! answered, asked or not. A question that was answered is never asked; a chunking answer answers the
//! chunking follow-up, `sort_keys=True` answers "how do you make the key stable", a test that injects
//! a clock answers "sleep or inject a clock".

mod items;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::RwLock;

use crate::analysis::coverage::{ReadSentence, read_sentences};
use crate::analysis::lexicon::{ConceptIdx, Lexicon};
use crate::analysis::text::words;
use aho_corasick::AhoCorasick;

use crate::content::{PhaseMode, QuestionEntry};

use super::offline_interviewer::CLOSING_LINES;
use super::phrasebook::GATE_MARKERS;
pub use items::{Item, ItemKind, PhaseSlot, fits_phase, items};

/// A turn of the transcript as the interviewer reads it back (borrowed: no turn is copied).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spoken<'a> {
    pub id: i64,
    pub by_interviewer: bool,
    pub phase: &'a str,
    pub text: &'a str,
    /// An interviewer turn given as a hint.
    pub hint: bool,
}

/// What the interviewer remembers.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Memory {
    /// Items asked, by id.
    pub asked: HashSet<String>,
    /// Items the candidate has answered (or made moot), asked or not.
    pub answered: HashSet<String>,
    /// Hints given, by phase id.
    pub hints: HashMap<String, usize>,
    /// Every sentence of four or more words the interviewer said, with how often.
    pub said: HashMap<String, usize>,
    /// The interviewer has closed the interview.
    pub closed: bool,
    /// The concepts that matter for this question each candidate turn named, by turn id.
    pub concepts_by_turn: HashMap<i64, BTreeSet<ConceptIdx>>,
    /// How many interviewer turns carried each hidden fact's or Q&A answer (by its text).
    pub answers_given: HashMap<String, usize>,
    /// Interviewer turns that carried some hidden fact's answer (paces the praise).
    pub turns_with_facts: usize,
    /// The newest candidate turn that carried a ```mermaid block, by id: the planner reads the
    /// latest diagram from it instead of searching the whole transcript on every turn.
    pub last_diagram: Option<i64>,
    /// How many turns of the transcript have been read.
    read: usize,
}

/// The concepts that matter for a question that a candidate's text names. Each sentence counts
/// for a few at most, the first it names (a list of buzzwords is not an answer), but concepts
/// that do not matter here take no room: "alert on P99 per endpoint and load test with realistic
/// prompts" shows alerting and load tests, whatever else the words touch.
pub fn concepts_said(
    lexicon: &Lexicon,
    text: &str,
    relevant: &BTreeSet<ConceptIdx>,
) -> BTreeSet<ConceptIdx> {
    concepts_said_in(&read_sentences(lexicon, text), relevant)
}

/// `concepts_said` of a text already read.
pub fn concepts_said_in(
    read: &[ReadSentence<'_>],
    relevant: &BTreeSet<ConceptIdx>,
) -> BTreeSet<ConceptIdx> {
    let mut out = BTreeSet::new();
    for ReadSentence { sentence, concepts } in read {
        let cap = (sentence.words.len() / 4).max(3);
        let mut here: Vec<(usize, ConceptIdx)> = Vec::new();
        for &(c, at) in concepts {
            if relevant.contains(&c) && !here.iter().any(|(_, x)| *x == c) {
                here.push((at, c));
            }
        }
        here.sort();
        out.extend(here.into_iter().take(cap).map(|(_, c)| c));
    }
    out
}

/// A candidate turn already read by whoever holds it (`coverage::read_sentences` of its text), so
/// the memory does not read it again.
#[derive(Debug, Clone, Copy)]
pub struct AlreadyRead<'r, 'a> {
    pub turn_id: i64,
    pub sentences: &'r [ReadSentence<'a>],
}

/// Every concept an interview question's items and deep dives name.
pub fn relevant_concepts(
    entry: &QuestionEntry,
    lexicon: &Lexicon,
    items: &[Item],
) -> BTreeSet<ConceptIdx> {
    items
        .iter()
        .flat_map(|i| i.concepts.iter().copied())
        .chain(
            entry
                .question
                .deep_dives
                .iter()
                .flat_map(|d| d.concepts.iter())
                .chain(
                    entry
                        .question
                        .components
                        .iter()
                        .flat_map(|c| c.concepts.iter()),
                )
                .filter_map(|c| lexicon.index(c)),
        )
        .collect()
}

/// A sentence as the repetition count sees it: lower-case words joined by spaces.
pub fn sentence_key(sentence: &str) -> String {
    crate::analysis::text::words_joined(sentence)
}

/// The sentences of four or more words in a text, normalised.
pub fn long_sentences(text: &str) -> Vec<String> {
    crate::analysis::text::sentence_texts(text)
        .into_iter()
        .map(sentence_key)
        .filter(|k| k.split(' ').count() >= 4)
        .collect()
}

/// Marks the interviewer's closing line, so the transcript shows the interview was closed.
pub const CLOSING_MARK: &str = "your scorecard";

/// Everything the interviewer can ask of one question and what counts as answering it: fixed for
/// a question, so computed once (per process), not on every turn.
#[derive(Debug)]
pub struct Repertoire {
    pub items: Vec<Item>,
    /// The concepts that matter for this question.
    pub relevant: BTreeSet<ConceptIdx>,
    /// The phases where the candidate asks about requirements: concepts named there ("is there an
    /// eval set?") are not a design that covers them.
    pub asking_phases: Vec<String>,
    /// The hidden facts' answers, in content order.
    pub fact_answers: Vec<String>,
    /// The Q&A answers, in content order.
    pub qa_answers: Vec<String>,
    /// The items' texts, then the fact answers, then the Q&A answers: what an interviewer turn may
    /// quote, found in one pass over it (`None`: the texts are searched one by one).
    quotable: Option<AhoCorasick>,
    /// What reading an interview's opening leaves in a fresh memory, by the opening's text. Every
    /// session of a question at a level opens with the same words, and reading them searches the
    /// whole opening for every quotable text; a handful are kept (one per level, and a few a model
    /// wrote), no more.
    openings: RwLock<Vec<(String, Memory)>>,
}

/// The most openings a repertoire keeps read.
const OPENINGS_KEPT: usize = 8;

impl Repertoire {
    pub fn new(entry: &QuestionEntry, lexicon: &Lexicon) -> Repertoire {
        let items = items(entry, lexicon);
        let relevant = relevant_concepts(entry, lexicon, &items);
        let asking_phases = entry
            .plan
            .phases
            .iter()
            .filter(|p| p.mode == PhaseMode::Clarify)
            .map(|p| p.id.clone())
            .collect();
        let q = &entry.question;
        let fact_answers: Vec<String> = q.facts.iter().map(|f| f.answer.clone()).collect();
        let qa_answers: Vec<String> = q.qa.iter().map(|a| a.answer.clone()).collect();
        let mut rep = Repertoire {
            items,
            relevant,
            asking_phases,
            fact_answers,
            qa_answers,
            quotable: None,
            openings: RwLock::default(),
        };
        // Plain literals of content text: building it fails only past a size limit no question
        // comes near, and then the texts are searched one by one.
        rep.quotable = AhoCorasick::new(rep.quotable_texts())
            .inspect_err(|e| tracing::warn!(question = %q.id, error = %e, "items not indexed"))
            .ok();
        rep
    }

    /// The items' texts, then the fact answers, then the Q&A answers.
    fn quotable_texts(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .map(|i| i.text.as_str())
            .chain(self.fact_answers.iter().map(String::as_str))
            .chain(self.qa_answers.iter().map(String::as_str))
    }

    /// A fresh memory that has read `opening`, the interviewer's first turn: kept from an earlier
    /// session that opened with the same words, or read now.
    fn after_opening(&self, opening: &Spoken<'_>, lexicon: &Lexicon) -> Memory {
        let kept = self.openings.read().ok().and_then(|o| {
            o.iter()
                .find(|(text, _)| text == opening.text)
                .map(|(_, m)| m.clone())
        });
        if let Some(memory) = kept {
            return memory;
        }
        let mut memory = Memory::default();
        memory.absorb(self, opening, lexicon, None);
        memory.read = 1;
        if let Ok(mut o) = self.openings.write()
            && o.len() < OPENINGS_KEPT
            && !o.iter().any(|(text, _)| text == opening.text)
        {
            o.push((opening.text.to_string(), memory.clone()));
        }
        memory
    }

    /// Which of the items' texts, fact answers and Q&A answers (in that order) `text` contains.
    fn quoted_in(&self, text: &str) -> Vec<bool> {
        let Some(automaton) = &self.quotable else {
            return self.quotable_texts().map(|t| text.contains(t)).collect();
        };
        let mut found = vec![false; automaton.patterns_len()];
        for m in automaton.find_overlapping_iter(text) {
            found[m.pattern().as_usize()] = true;
        }
        found
    }
}

impl Memory {
    /// Reads a whole transcript back.
    pub fn recall(rep: &Repertoire, turns: &[Spoken<'_>], lexicon: &Lexicon) -> Memory {
        let mut m = Memory::default();
        m.catch_up(rep, turns, lexicon);
        m
    }

    /// Reads the turns of `turns` not read yet (the memory grows with its transcript: each turn
    /// is read once, not on every turn after it).
    pub fn catch_up(&mut self, rep: &Repertoire, turns: &[Spoken<'_>], lexicon: &Lexicon) {
        self.catch_up_with(rep, turns, lexicon, None);
    }

    /// `catch_up`, with one candidate turn already read.
    pub fn catch_up_with(
        &mut self,
        rep: &Repertoire,
        turns: &[Spoken<'_>],
        lexicon: &Lexicon,
        read: Option<AlreadyRead<'_, '_>>,
    ) {
        // Nothing read yet means nothing remembered: an interviewer's opening (not a hint, whose
        // count depends on its phase) is read once per process.
        if self.read == 0
            && let Some(first) = turns.first()
            && first.by_interviewer
            && !first.hint
        {
            *self = rep.after_opening(first, lexicon);
        }
        for t in turns.iter().skip(self.read) {
            let read = read.filter(|r| r.turn_id == t.id).map(|r| r.sentences);
            self.absorb(rep, t, lexicon, read);
        }
        self.read = self.read.max(turns.len());
    }

    /// Whether the first `turns` turns of the transcript are all read.
    pub fn has_read(&self, turns: usize) -> bool {
        self.read >= turns
    }

    /// A turn's provisional id becomes its stored one.
    pub fn renumber(&mut self, from: i64, to: i64) {
        if let Some(concepts) = self.concepts_by_turn.remove(&from) {
            self.concepts_by_turn.insert(to, concepts);
        }
        if self.last_diagram == Some(from) {
            self.last_diagram = Some(to);
        }
    }

    /// Reads one turn: what the interviewer asked, hinted, said and closed; what the candidate
    /// named and answered.
    fn absorb(
        &mut self,
        rep: &Repertoire,
        t: &Spoken<'_>,
        lexicon: &Lexicon,
        read: Option<&[ReadSentence<'_>]>,
    ) {
        if t.by_interviewer {
            // "Before we move on: you haven't said anything about caching or monitoring" asks about
            // each component it names.
            let gate = GATE_MARKERS.iter().any(|g| t.text.contains(g));
            let lower = if gate {
                t.text.to_lowercase()
            } else {
                String::new()
            };
            let quoted = rep.quoted_in(t.text);
            for (item, quoted) in rep.items.iter().zip(&quoted) {
                let named = gate
                    && item
                        .name
                        .as_ref()
                        .is_some_and(|n| lower.contains(n.as_str()));
                if named || *quoted {
                    self.asked.insert(item.id.clone());
                }
            }
            if t.hint {
                *self.hints.entry(t.phase.to_string()).or_default() += 1;
            }
            for s in long_sentences(t.text) {
                *self.said.entry(s).or_default() += 1;
            }
            if CLOSING_LINES.iter().any(|c| t.text.contains(c)) {
                self.closed = true;
            }
            let mut with_fact = false;
            let mut counted: Vec<&str> = Vec::new();
            let answers = (rep.fact_answers.iter().map(|a| (a, true)))
                .chain(rep.qa_answers.iter().map(|a| (a, false)));
            for ((answer, is_fact), quoted) in answers.zip(&quoted[rep.items.len()..]) {
                if *quoted {
                    with_fact |= is_fact;
                    // Once per turn, even where two entries share an answer.
                    if !counted.contains(&answer.as_str()) {
                        counted.push(answer);
                        *self.answers_given.entry(answer.clone()).or_default() += 1;
                    }
                }
            }
            if with_fact {
                self.turns_with_facts += 1;
            }
            return;
        }
        // A diagram's boxes name components; they answer nothing (see `diagram_probe`).
        let text = crate::diagram::strip_mermaid_blocks(t.text);
        if matches!(text, std::borrow::Cow::Owned(_)) {
            self.last_diagram = Some(t.id);
        }
        // A turn read already is read as it stands (a text's words are its sentences' words); one
        // with a diagram blanked out is read again.
        let (said, here) = match read {
            Some(read) if matches!(text, std::borrow::Cow::Borrowed(_)) => (
                read.iter()
                    .flat_map(|r| r.sentence.words.iter().cloned())
                    .collect(),
                concepts_said_in(read, &rep.relevant),
            ),
            _ => (words(&text), concepts_said(lexicon, &text, &rep.relevant)),
        };
        let designing = !rep.asking_phases.iter().any(|p| p == t.phase);
        for item in &rep.items {
            let by_phrase = !item.answered_by.is_empty() && item.answered_by.found_in(&said);
            let by_concepts = designing
                && item.concepts_needed > 0
                && item.concepts.iter().filter(|c| here.contains(c)).count()
                    >= item.concepts_needed;
            if by_phrase || by_concepts {
                self.answered.insert(item.id.clone());
            }
        }
        self.concepts_by_turn.insert(t.id, here);
    }

    /// The concepts a candidate turn named (empty for an unknown turn).
    pub fn concepts(&self, turn: i64) -> BTreeSet<ConceptIdx> {
        self.concepts_by_turn
            .get(&turn)
            .cloned()
            .unwrap_or_default()
    }

    /// Whether an item may still be asked.
    pub fn open(&self, item: &Item) -> bool {
        !self.asked.contains(&item.id) && !self.answered.contains(&item.id)
    }

    pub fn hints_in(&self, phase: &str) -> usize {
        self.hints.get(phase).copied().unwrap_or(0)
    }

    /// How many interviewer turns carried an answer (a hidden fact's or a Q&A one).
    pub fn times_answered(&self, answer: &str) -> usize {
        self.answers_given.get(answer).copied().unwrap_or(0)
    }

    /// How often a sentence was said.
    pub fn times_said(&self, sentence: &str) -> usize {
        self.said.get(&sentence_key(sentence)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
