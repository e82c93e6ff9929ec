//! What a candidate turn says, before anyone replies to it: its code blocks set apart, its prose split
//! into clauses ("How many documents are there, and how fast does it grow?" is two questions), and
//! each clause classified by what it does: asks about the scenario, states a design, proposes a
//! hypothesis, asks to move on, for a hint or about the score, says the candidate is done, or is
//! small talk. The interviewer answers facts only to the clauses that ask.

// A named set of cue phrases (`cues::Cue`), compiled on first use; defined before the modules that
// use it.
macro_rules! phrases {
    ($(#[$meta:meta])* $name:ident, [$($p:expr),* $(,)?]) => {
        $(#[$meta])*
        pub(super) static $name: super::cues::Cue = super::cues::Cue {
            raw: &[$($p),*],
            set: std::sync::LazyLock::new(|| {
                crate::analysis::text::PhraseSet::compile(&[$($p),*])
            }),
        };
    };
}

mod classify;
mod clauses;
mod code;
mod cues;
mod interview_phrases;
mod talk_phrases;
#[cfg(test)]
mod tests;

use crate::analysis::figures::{Figure, figures};
use crate::analysis::text::{sentence_texts, word_count, words};

use classify::classify;
use clauses::{as_list, is_lead_in, is_wh, split_clauses};
use code::split_code;

/// What one clause does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Asks about the scenario, or asks to see data ("show me the traces").
    Ask,
    /// Checks in with the interviewer: "does that make sense?", "should I go on?".
    CheckIn,
    /// Asks to move to the next phase.
    MoveOn,
    /// Asks for a hint.
    Hint,
    /// Asks how they are doing, or for a score.
    Score,
    /// Asks how much time is left.
    Time,
    /// Tries to get the answer key: the reference solution, the rubric, every hidden requirement, a
    /// recap of the requirements, or the instructions.
    AnswerKey,
    /// Says they are done with the interview.
    Done,
    /// Proposes a cause ("I suspect the queue", "could it be the reindex?").
    Hypothesis,
    /// "I'm not sure", "no idea".
    Unsure,
    /// States an assumption ("I'll assume English only").
    Assumption,
    /// "Thanks", "OK", "sounds good".
    SmallTalk,
    /// Anything else: design, reasoning, an answer.
    Statement,
    /// A bare topic in a phase for asking ("Latency targets."): read as `Ask` or `Statement` once
    /// the whole turn is seen. Never left in an `Understanding`.
    Topic,
}

/// One clause of the candidate's prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub text: String,
    pub words: Vec<String>,
    /// The words with list separators (`,` `/` `;` `&`) read as "and" (`list_words()`), when the
    /// clause has a separator; `None` when they are its words.
    list_words: Option<Vec<String>>,
    pub act: Act,
    /// Written as a question (ends with `?`).
    pub question: bool,
    /// Opens with a question word (what, how, which, when...): the words right after it are what is
    /// asked.
    pub wh: bool,
    /// A bare topic read as a question ("Latency targets."): it asks for a fact, but it is not a
    /// question that deserves "no specific figure", and it does not repeat an answer already given.
    pub bare: bool,
    /// The figures a claim (statement, assumption, hypothesis) states; empty for other acts. Read
    /// once here for every check that weighs what the candidate claimed.
    pub figures: Vec<Figure>,
}

impl Clause {
    /// The words with list separators (`,` `/` `;` `&`) read as "and", so that a list of topics
    /// ("latency, availability and cost", "P95/P99") shows as one.
    pub fn list_words(&self) -> &[String] {
        self.list_words.as_deref().unwrap_or(&self.words)
    }

    /// A statement, an assumption or a hypothesis: something the candidate claims.
    pub fn is_claim(&self) -> bool {
        matches!(self.act, Act::Statement | Act::Assumption | Act::Hypothesis)
    }
}

/// A block of code the candidate wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub text: String,
    pub lines: usize,
}

/// A candidate turn, understood.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understanding {
    pub clauses: Vec<Clause>,
    pub code: Vec<CodeBlock>,
    /// Words of prose, code excluded.
    pub prose_words: usize,
    /// How the turn was read.
    pub context: Option<ReadingContext>,
}

/// Where the interview is, as far as reading a turn depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingContext {
    /// The phase is for asking (requirements, evidence, spec): short topic fragments count as asks.
    pub clarifying: bool,
    /// The facts are evidence shown on request: "I'd pull the traces" asks to see them.
    pub evidence_on_request: bool,
    /// The interview is in its last phase: "I'm done" ends it rather than the phase.
    pub last_phase: bool,
}

impl Understanding {
    /// Figures the candidate stated in prose (not in code, not in questions), with their clause.
    pub fn stated_figures(&self) -> impl Iterator<Item = (&Figure, &str)> {
        self.clauses
            .iter()
            .flat_map(|c| c.figures.iter().map(|f| (f, c.text.as_str())))
    }

    pub fn acts(&self) -> impl Iterator<Item = Act> + '_ {
        self.clauses.iter().map(|c| c.act)
    }

    pub fn has(&self, act: Act) -> bool {
        self.acts().any(|a| a == act)
    }

    /// The clauses that ask about the scenario.
    pub fn asks(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.act == Act::Ask)
    }

    /// Whether the turn carries any substance: design, reasoning, code or a hypothesis.
    pub fn substantive_words(&self) -> usize {
        self.clauses
            .iter()
            .filter(|c| {
                matches!(
                    c.act,
                    Act::Statement | Act::Hypothesis | Act::Assumption | Act::Ask
                )
            })
            .map(|c| c.words.len())
            .sum::<usize>()
            + self.code.iter().map(|b| b.lines * 4).sum::<usize>()
    }
}

/// Reads a candidate turn.
pub fn understand(text: &str, ctx: ReadingContext) -> Understanding {
    let (prose, code) = split_code(text);
    let mut clauses = Vec::new();
    for sentence in sentence_texts(&prose) {
        // Every part of a question is a question ("How many documents, and how fast...?").
        let sentence_asks = sentence.trim_end().ends_with('?');
        for part in split_clauses(sentence) {
            let words = words(&part);
            if words.is_empty() {
                continue;
            }
            // "What happens if the LLM is down." asks, whatever its punctuation; "What we do is
            // shard" does not.
            let whole = part.len() + 2 >= sentence.trim().len();
            let question = part.trim_end().ends_with('?')
                || sentence_asks
                || (whole
                    && words.first().is_some_and(|w| is_wh(w) && w != "why")
                    && words.get(1).is_some_and(|w| {
                        !matches!(w.as_str(), "i" | "we" | "you" | "they" | "if" | "it")
                    })
                    && words.len() >= 3);
            let wh = words.first().is_some_and(|w| is_wh(w))
                || (words.len() > 1 && is_lead_in(&words[0]) && is_wh(&words[1]));
            let act = classify(&part, &words, question, ctx);
            // Most clauses hold no separator: their list words are their words.
            let list_words = part
                .contains([',', ';', '&', '/'])
                .then(|| crate::analysis::text::words(&as_list(&part)));
            clauses.push(Clause {
                bare: false,
                text: part,
                words,
                list_words,
                act,
                question,
                wh,
                figures: Vec::new(),
            });
        }
    }
    // Bare topics ask in a short turn or one with questions; in a long one they are the headings of
    // a design written too early ("Next, model routing.").
    let prose_words = word_count(&prose);
    let asking_turn = prose.contains('?') || prose_words <= 30;
    for c in clauses.iter_mut().filter(|c| c.act == Act::Topic) {
        // "OK, modest QPS." acknowledges an answer; it does not ask again.
        let acknowledges = c.words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "ok" | "okay"
                    | "so"
                    | "right"
                    | "great"
                    | "got"
                    | "good"
                    | "nice"
                    | "fine"
                    | "thanks"
                    | "cool"
                    | "perfect"
                    | "alright"
                    | "understood"
                    | "before"
                    | "first"
                    | "a"
            )
        });
        c.act = if asking_turn && !acknowledges {
            c.bare = true;
            Act::Ask
        } else {
            Act::Statement
        };
    }
    for c in clauses.iter_mut().filter(|c| c.is_claim()) {
        c.figures = figures(&c.text);
    }
    Understanding {
        clauses,
        code,
        prose_words,
        context: Some(ctx),
    }
}
