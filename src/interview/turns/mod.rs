//! The turn use-cases: a candidate's answer and an explicit advance, each answered by a streamed
//! interviewer reply. Everything that can fail is checked before the stream starts: the session is
//! locked (a second turn gets 409), loaded and checked, the ledger and the phase machine decide, the
//! prompt is rendered and the upstream opened; the candidate's turn is committed beside that call and
//! announced only once committed.

mod no_answer;
mod reply;

use std::sync::Arc;
use std::time::Instant;

use crate::analysis::coverage::{CandidateText, Coverage, read_sentences};
use crate::content::QuestionEntry;
use crate::domain::TurnRole;
use crate::error::ApiError;
use crate::storage::{CandidateAnswer, PhaseChange, SessionRow, TurnRow, Voice};

use super::directive::Directive;
use super::events::EventStream;
use super::memory::{AlreadyRead, Memory, Repertoire};
use super::orchestrator::{Interviews, candidate_texts, phase_change};
use super::phases::{PhaseState, Transition};
use super::session_cache::{SessionGuard, Snapshot, spoken};
use super::turn_plan::{self, Refusal, Request, Session, Speech};

/// The longest candidate answer accepted, in bytes.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// The provisional id of the candidate's turn while it is being committed.
const PROVISIONAL: i64 = 0;

/// A candidate turn being committed while the reply to it is being opened.
type CandidateCommit = futures::future::BoxFuture<'static, sqlx::Result<TurnRow>>;

/// A turn's start: the session locked, its snapshot, its question and where it is in its plan.
struct OpenTurn {
    guard: SessionGuard,
    /// Its memory caught up with its turns.
    snapshot: Snapshot,
    entry: Arc<QuestionEntry>,
    repertoire: Arc<Repertoire>,
    state: PhaseState,
}

/// What the reply to a turn is made from, once the turn's facts are decided.
struct ReplyPlan {
    /// The session as it was before this turn.
    before: SessionRow,
    entry: Arc<QuestionEntry>,
    repertoire: Arc<Repertoire>,
    guard: SessionGuard,
    /// The candidate's turn being committed; `None` for an explicit advance.
    candidate: Option<CandidateCommit>,
    transition: Option<Transition>,
    /// What the interviewer does, as the planner decided it (its words not chosen yet).
    directive: Directive,
    /// How the offline interviewer would say it.
    speech: Speech,
    /// The reply is a hint.
    hint: bool,
    /// The session as it will be once this turn is committed (the candidate's turn provisional).
    after: Snapshot,
    now: i64,
    /// When the request for this turn arrived: the start of its time to first token (wall time,
    /// not the interview's clock).
    started: Instant,
}

impl Interviews {
    /// The session's snapshot: the one kept in memory, or read from SQLite.
    async fn snapshot(
        &self,
        guard: &mut SessionGuard,
        session_id: &str,
    ) -> Result<Snapshot, ApiError> {
        if let Some(snapshot) = guard.take() {
            return Ok(snapshot);
        }
        let session = self.load(session_id).await?;
        let turns = self.storage.turns(session_id).await?;
        let revealed = self
            .storage
            .reveals(session_id)
            .await?
            .into_iter()
            .map(|r| r.fact_id)
            .collect();
        let coverage = Coverage::analyze(&self.catalog.lexicon, &candidate_texts(&turns));
        Ok(Snapshot {
            session,
            turns,
            revealed,
            coverage,
            memory: Memory::default(),
        })
    }

    /// Locks the session for one turn and loads what the turn needs; refuses a finished session.
    /// On any failure from here until the reply is opened, the snapshot is left out of the cache
    /// and the next turn reads the session again.
    async fn open_turn(&self, session_id: &str) -> Result<OpenTurn, ApiError> {
        let mut guard = self.lock_session(session_id).await?;
        let mut snapshot = self.snapshot(&mut guard, session_id).await?;
        if snapshot.session.is_finished() {
            return Err(ApiError::SessionFinished);
        }
        let entry = self.entry_for(&snapshot.session)?;
        let repertoire = self.repertoire(&entry);
        // Reads nothing when the snapshot was kept: its memory read the last reply when it was stored
        // (`reply_stream`); a snapshot read from the database starts with an empty memory.
        snapshot.catch_up_memory(&repertoire, &self.catalog.lexicon);
        let state = PhaseState {
            index: (snapshot.session.phase_index as usize).min(entry.plan.phases.len() - 1),
            started_at: snapshot.session.phase_started_at,
        };
        Ok(OpenTurn {
            guard,
            snapshot,
            entry,
            repertoire,
            state,
        })
    }

    /// A candidate's answer: committed, then the interviewer's reply streamed.
    pub async fn candidate_turn(
        &self,
        session_id: &str,
        content: String,
    ) -> Result<EventStream, ApiError> {
        self.answer(session_id, content, None).await
    }

    /// A candidate's answer, typed (`voice` is `None`) or spoken and transcribed.
    pub(super) async fn answer(
        &self,
        session_id: &str,
        content: String,
        voice: Option<Voice>,
    ) -> Result<EventStream, ApiError> {
        let started = Instant::now();
        if content.len() > MAX_ANSWER_BYTES {
            return Err(ApiError::AnswerTooLarge {
                len: content.len(),
                limit: MAX_ANSWER_BYTES,
            });
        }
        if content.trim().is_empty() {
            return Err(ApiError::InvalidInput("`content` must not be empty".into()));
        }
        let OpenTurn {
            guard,
            snapshot,
            entry,
            repertoire,
            state,
        } = self.open_turn(session_id).await?;
        let Snapshot {
            session,
            mut turns,
            revealed: revealed_before,
            mut coverage,
            mut memory,
        } = snapshot;
        let plan = &entry.plan;
        let now = self.clock.now_ms();
        let phase_now = &plan.phases[state.index];
        // The reply is prepared against a provisional turn while the real one is committed beside
        // the upstream call, so the write does not add to the time to first token.
        // The answer is read once, for the coverage and for the interviewer's memory.
        let read = read_sentences(&self.catalog.lexicon, &content);
        coverage.add_read(
            &CandidateText {
                turn_id: PROVISIONAL,
                phase: &phase_now.id,
                content: &content,
            },
            &read,
        );
        turns.push(TurnRow {
            id: PROVISIONAL,
            session_id: session_id.to_string(),
            role: TurnRole::Candidate,
            phase: phase_now.id.clone(),
            content: content.clone(),
            created_at: now,
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
            hint: false,
            spoken: voice.is_some(),
            speech_ms: voice.and_then(|v| v.speech_ms),
        });
        let planned = {
            let spoken = spoken(&turns);
            memory.catch_up_with(
                &repertoire,
                &spoken,
                &self.catalog.lexicon,
                Some(AlreadyRead {
                    turn_id: PROVISIONAL,
                    sentences: &read,
                }),
            );
            turn_plan::plan_unspoken(
                &Session {
                    entry: &entry,
                    lexicon: &self.catalog.lexicon,
                    level: session.level,
                    state,
                    now,
                    turns: &spoken,
                    coverage: &coverage,
                    revealed: &revealed_before,
                    repertoire: &repertoire,
                    memory: &memory,
                },
                Request::Answer(&content),
            )
            .map_err(refused)?
        };
        let transition = planned.transition;
        let new_reveals = planned.reveals;
        let mut revealed = revealed_before;
        revealed.extend(new_reveals.iter().map(|(id, _)| id.clone()));
        let mut session_after = session.clone();
        if let Some(t) = transition {
            session_after.phase_index = t.to as i64;
            session_after.phase_started_at = now;
        }
        let storage = self.storage.clone();
        let (sid, phase_id) = (session_id.to_string(), phase_now.id.clone());
        let change = transition.map(|t| {
            let c = phase_change(plan, t, now);
            (c.index, c.phase.to_string(), c.at, c.trigger)
        });
        let commit = async move {
            let reveals: Vec<(&str, &str)> = new_reveals
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let change = change
                .as_ref()
                .map(|(index, phase, at, trigger)| PhaseChange {
                    index: *index,
                    phase,
                    at: *at,
                    trigger: *trigger,
                });
            storage
                .commit_candidate_turn(
                    CandidateAnswer {
                        session_id: &sid,
                        phase: &phase_id,
                        content: &content,
                        at: now,
                        voice,
                    },
                    &reveals,
                    change,
                )
                .await
        };
        self.reply(ReplyPlan {
            before: session,
            entry: entry.clone(),
            repertoire,
            guard,
            candidate: Some(Box::pin(commit)),
            transition,
            directive: planned.directive,
            speech: planned.speech,
            hint: planned.hint,
            after: Snapshot {
                session: session_after,
                turns,
                revealed,
                coverage,
                memory,
            },
            now,
            started,
        })
        .await
    }
}

fn refused(r: Refusal) -> ApiError {
    match r {
        Refusal::LastPhase => ApiError::LastPhase,
        Refusal::HintLimit => ApiError::HintLimit {
            limit: super::hints::MAX_HINTS_PER_PHASE,
        },
    }
}
