//! The offline interviewer's own words: for each thing it says (a lead-in to an answer, a nudge, a
//! closing...), several phrasings per interview kind and phase, so that a debugging interview never
//! sounds like a system design and no sentence is said more than twice in a session. A phrasing
//! already said twice is not said again; when all are spent the line is left out (or a phrasing too
//! short to grate stands in).

mod phrasings;
#[cfg(test)]
mod tests;
mod voice;

use crate::content::PhaseMode;

use super::memory::Memory;
use phrasings::phrasings;
pub use voice::{MAX_REPEATS, Voice};

/// The interview kinds the phrasebook knows; any other kind speaks in neutral words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SystemDesign,
    Debugging,
    Coding,
    Behavioral,
    Other,
}

impl Kind {
    pub fn of(kind: &str) -> Kind {
        match kind {
            "system_design" => Kind::SystemDesign,
            "debugging" => Kind::Debugging,
            "coding" => Kind::Coding,
            "behavioral" => Kind::Behavioral,
            _ => Kind::Other,
        }
    }
}

/// What the interviewer says, before the words are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Line {
    AnswerLead,
    Praise,
    AnswerAgain,
    AnsweredBefore,
    NoFigure,
    YourCall,
    AnswerKey,
    PlayBack,
    Score,
    CheckIn,
    Unsure,
    Thin,
    Assumption,
    NudgeToClarify,
    ClarifyMore,
    EnoughToStart,
    PhaseWrap,
    Skipped,
    MoveOnAck,
    Invite,
    InviteMore,
    Close,
    CloseAtTime,
    AfterClose,
    Overtime,
    TestHypothesis,
    WriteCode,
    HintLead,
    HintLimit,
    QaUnknown,
    SmallTalk,
    BeforeMovingOn,
    BeforeWrappingUp,
    SkippedEarlier,
    ThinLead,
    UnsureLead,
    WhichOne,
    Noted,
    YouMentioned,
    LookingAt,
    NoTestCovers,
}

/// The fixed openings of the "before we move on" line: a reply holding one asks about every
/// component it names.
pub const GATE_MARKERS: [&str; 7] = [
    "Before we move on:",
    "Before we test anything:",
    "Before you code:",
    "Before we go deeper:",
    "Before we wrap up:",
    "One thing we skipped earlier:",
    "Something we didn't get to:",
];

/// Whether any phrasing of a line was said in the session.
pub fn ever_said(line: Line, kind: Kind, mode: PhaseMode, memory: &Memory) -> bool {
    phrasings(line, kind, mode).iter().any(|p| {
        super::memory::long_sentences(p)
            .iter()
            .any(|s| memory.said.contains_key(s))
    })
}
