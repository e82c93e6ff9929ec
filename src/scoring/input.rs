//! What the scorers read: every turn of the transcript (the interviewer's too, to tell the candidate's
//! own ideas from echoes), the facts the ledger revealed, the question and the level.

use crate::analysis::lexicon::Lexicon;
use crate::content::{Level, QuestionEntry};
use crate::domain::TurnRole;
use crate::storage::TurnRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Interviewer,
    Candidate,
}

/// One turn of the transcript, in order.
#[derive(Debug, Clone)]
pub struct TurnText<'a> {
    pub turn_id: i64,
    pub speaker: Speaker,
    pub phase: &'a str,
    pub content: &'a str,
}

impl<'a> TurnText<'a> {
    /// Stored turns as the scorer reads them.
    pub fn from_rows(turns: &'a [TurnRow]) -> Vec<TurnText<'a>> {
        turns
            .iter()
            .map(|t| TurnText {
                turn_id: t.id,
                speaker: match t.role {
                    TurnRole::Candidate => Speaker::Candidate,
                    TurnRole::Interviewer => Speaker::Interviewer,
                },
                phase: &t.phase,
                content: &t.content,
            })
            .collect()
    }
}

/// A hidden fact the candidate uncovered, as stored by the ledger.
#[derive(Debug, Clone)]
pub struct Reveal {
    pub fact_id: String,
    pub turn_id: i64,
    pub quote: String,
}

pub struct ScoringInput<'a> {
    pub session_id: &'a str,
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub level: Level,
    pub turns: &'a [TurnText<'a>],
    pub reveals: &'a [Reveal],
    pub created_at: String,
}

impl ScoringInput<'_> {
    pub fn candidate_turns(&self) -> impl Iterator<Item = &TurnText<'_>> {
        self.turns
            .iter()
            .filter(|t| t.speaker == Speaker::Candidate)
    }
}

/// For unit tests: `f` run on the input of a senior rag-customer-support interview of two turns, the
/// interviewer asking `asked` and the candidate answering `answer` (both in the deep dive).
#[cfg(test)]
pub(crate) fn with_one_answer<R>(
    asked: &str,
    answer: &str,
    f: impl FnOnce(&ScoringInput<'_>) -> R,
) -> R {
    with_one_answer_to("rag-customer-support", asked, answer, f)
}

/// `with_one_answer` for another question of the built-in bank.
#[cfg(test)]
pub(crate) fn with_one_answer_to<R>(
    question_id: &str,
    asked: &str,
    answer: &str,
    f: impl FnOnce(&ScoringInput<'_>) -> R,
) -> R {
    with_turns(
        question_id,
        &[
            (Speaker::Interviewer, "deep_dive", asked),
            (Speaker::Candidate, "deep_dive", answer),
        ],
        f,
    )
}

/// For unit tests: `f` run on the input of a senior interview of a built-in question, its turns given
/// as (speaker, phase, content) in order.
#[cfg(test)]
pub(crate) fn with_turns<R>(
    question_id: &str,
    turns: &[(Speaker, &str, &str)],
    f: impl FnOnce(&ScoringInput<'_>) -> R,
) -> R {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = crate::content::Catalog::load(&crate::content::ContentRoot::builtin(root), &[])
        .expect("the built-in content loads");
    with_turns_in(&catalog, question_id, turns, f)
}

/// `with_turns` for a question of a catalog of the test's own (built-in questions and its own).
#[cfg(test)]
pub(crate) fn with_turns_in<R>(
    catalog: &crate::content::Catalog,
    question_id: &str,
    turns: &[(Speaker, &str, &str)],
    f: impl FnOnce(&ScoringInput<'_>) -> R,
) -> R {
    let entry = catalog
        .question(question_id)
        .expect("the question is in the catalog");
    with_turns_of(entry, &catalog.lexicon, turns, f)
}

/// `f` run on the input of a senior interview of `entry` whose turns are given as (speaker, phase,
/// content) in order, with nothing revealed: how a few sentences read on their own (the unit tests,
/// and `content check` holding each red flag to its examples).
pub(crate) fn with_turns_of<R>(
    entry: &crate::content::QuestionEntry,
    lexicon: &crate::analysis::lexicon::Lexicon,
    turns: &[(Speaker, &str, &str)],
    f: impl FnOnce(&ScoringInput<'_>) -> R,
) -> R {
    let turns: Vec<TurnText<'_>> = turns
        .iter()
        .zip(1..)
        .map(|(&(speaker, phase, content), turn_id)| TurnText {
            turn_id,
            speaker,
            phase,
            content,
        })
        .collect();
    f(&ScoringInput {
        session_id: "s",
        entry,
        lexicon,
        level: Level::Senior,
        turns: &turns,
        reveals: &[],
        created_at: String::new(),
    })
}
