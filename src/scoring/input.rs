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
