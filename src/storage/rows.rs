//! The rows storage reads and the records it writes: plain data, typed with the shared closed sets.

use sqlx::FromRow;

use crate::clock::Millis;
use crate::content::Level;
use crate::domain::{
    InterviewerMode, PhaseTrigger, Recommendation, ReplySource, SessionStatus, TurnRole,
};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub question_id: String,
    pub kind: String,
    pub level: Level,
    pub status: SessionStatus,
    pub phase_index: i64,
    pub phase_started_at: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub interviewer: InterviewerMode,
    pub interviewer_model: Option<String>,
    pub judge: Option<String>,
    pub prompt_versions: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub overall_score: Option<i64>,
    pub recommendation: Option<Recommendation>,
    /// Bumped by every claim of the session (see `lease`): what an in-memory snapshot is checked against.
    pub version: i64,
    /// Until when (ms, the database's clock) a turn on some instance holds the session; `None` when
    /// none does (always on SQLite).
    pub lease_expires: Option<i64>,
    /// The account that made the session; `None` for sessions made with `--auth none`.
    pub owner_id: Option<String>,
}

impl SessionRow {
    pub fn is_finished(&self) -> bool {
        self.status == SessionStatus::Finished
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct TurnRow {
    pub id: i64,
    pub session_id: String,
    pub role: TurnRole,
    pub phase: String,
    pub content: String,
    pub created_at: i64,
    pub incomplete: bool,
    /// Who produced an interviewer turn; `None` for the candidate's.
    pub source: Option<ReplySource>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    /// An interviewer turn given as a hint.
    pub hint: bool,
    /// A candidate answer spoken (`POST .../audio`), stored as its transcription.
    pub spoken: bool,
    /// How long the spoken answer took, when known.
    pub speech_ms: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct RevealRow {
    pub fact_id: String,
    pub turn_id: i64,
    pub quote: String,
    pub revealed_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct PhaseChangeRow {
    pub phase_index: i64,
    pub phase: String,
    pub entered_at: i64,
    pub trigger: PhaseTrigger,
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub question_id: &'a str,
    pub kind: &'a str,
    pub level: Level,
    pub first_phase: &'a str,
    pub now: Millis,
    pub interviewer: InterviewerMode,
    pub interviewer_model: Option<&'a str>,
    pub judge: Option<&'a str>,
    pub prompt_versions: &'a str,
    /// The account making the session (`None` with `--auth none`).
    pub owner_id: Option<&'a str>,
    /// Who created the session (`http::client`), for the token quota.
    pub client: Option<&'a str>,
}

/// A candidate answer that was spoken: stored as its transcription, marked so, with the
/// recording's length when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub speech_ms: Option<i64>,
}

/// A candidate's answer to commit.
pub struct CandidateAnswer<'a> {
    pub session_id: &'a str,
    pub phase: &'a str,
    pub content: &'a str,
    pub at: Millis,
    /// `Some` when it was spoken.
    pub voice: Option<Voice>,
}

/// A phase change to record with a turn.
pub struct PhaseChange<'a> {
    pub index: usize,
    pub phase: &'a str,
    pub at: Millis,
    pub trigger: PhaseTrigger,
}

/// A turn to store: a candidate's answer, or an interviewer reply once it is complete (or cut).
pub struct NewTurn<'a> {
    pub session_id: &'a str,
    pub role: TurnRole,
    pub phase: &'a str,
    pub content: &'a str,
    pub at: Millis,
    pub incomplete: bool,
    /// Who produced an interviewer turn; `None` for the candidate's.
    pub source: Option<ReplySource>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    /// An interviewer reply given as a hint.
    pub hint: bool,
    /// A candidate answer spoken, stored as its transcription.
    pub spoken: bool,
    /// How long the spoken answer took, when known.
    pub speech_ms: Option<i64>,
}

impl TurnRow {
    /// A typed turn and nothing more (no model, no tokens, not a hint, not spoken, at time 0): a
    /// transcript replayed from elsewhere (the calibration corpus) or built in a test.
    pub fn typed(id: i64, session_id: &str, role: TurnRole, phase: &str, content: &str) -> TurnRow {
        TurnRow {
            id,
            session_id: session_id.to_string(),
            role,
            phase: phase.to_string(),
            content: content.to_string(),
            created_at: 0,
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
            hint: false,
            spoken: false,
            speech_ms: None,
        }
    }
}

impl NewTurn<'_> {
    /// The row this turn became once stored with `id`.
    pub(super) fn stored_as(&self, id: i64) -> TurnRow {
        TurnRow {
            id,
            session_id: self.session_id.to_string(),
            role: self.role,
            phase: self.phase.to_string(),
            content: self.content.to_string(),
            created_at: self.at,
            incomplete: self.incomplete,
            source: self.source,
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            hint: self.hint,
            spoken: self.spoken,
            speech_ms: self.speech_ms,
        }
    }
}

/// Which sessions a list or progress covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionScope {
    /// Every session (`--auth none`, or an admin's list).
    All,
    /// The sessions this user made.
    OwnedBy(String),
    /// The sessions shared with this coach, and their own.
    SharedWith(String),
}

/// One fixed window of a rate limit: whose, which limit, and when it starts (ms).
#[derive(Debug, Clone, Copy)]
pub struct RateWindow<'a> {
    pub subject: &'a str,
    pub kind: &'a str,
    pub start: Millis,
    /// When the row is no longer read (the end of the window after this one).
    pub expires_at: Millis,
}
