//! The orchestrator, `Interviews`: the one place that joins the catalog, storage, the phase machine,
//! the interviewer (offline or a model) and the scorer. Its use-cases live beside it, one file per
//! job: `sessions.rs` (create, finish), `turns.rs` (answers and advances), `read.rs` (views).

use std::collections::HashMap;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::analysis::coverage::CandidateText;
use crate::clock::Clock;
use crate::content::{Catalog, Level, PhasePlan, QuestionEntry};
use crate::domain::TurnRole;
use crate::error::ApiError;
use crate::prompting::Prompts;
use crate::scoring::Scorecard;
use crate::speech::Speech;
use crate::storage::{Claim, PhaseChange, SessionRow, Storage, TurnRow};
use crate::telemetry::Metrics;
use crate::tokens::TokenCounter;

use super::interviewer::Interviewer;
use super::interviewer_prompt::{self, StaticPrompt};
use super::memory::Repertoire;
use super::phases::Transition;
use super::session_cache::{SessionCache, SessionGuard};
use super::settings::InterviewSettings;

/// Sessions kept in memory between turns; idle ones past this fall out and are read from SQLite
/// again on their next turn.
const CACHED_SESSIONS: usize = 2_000;

pub struct Interviews {
    pub catalog: Arc<Catalog>,
    pub storage: Storage,
    pub interviewer: Interviewer,
    pub clock: Arc<dyn Clock>,
    pub settings: InterviewSettings,
    pub metrics: Arc<Metrics>,
    /// Speech to text and text to speech, where configured (`voice.rs`).
    pub speech: Arc<Speech>,
    pub(super) prompts: Arc<Prompts>,
    pub(super) tokens: TokenCounter,
    /// What can be asked of each question, by question id: fixed by the content, so made once.
    repertoires: HashMap<String, Arc<Repertoire>>,
    /// Static system prompts by (question, level): rendered and counted once.
    static_prompts: moka::sync::Cache<(String, Level), StaticPrompt>,
    /// Judge results by session: a finish that fails after the judge answered does not pay for it twice.
    pub(super) judged: moka::future::Cache<String, Scorecard>,
    pub(super) sessions: SessionCache,
    pub(super) tasks: TaskTracker,
    /// Cancelled when the server shuts down: open replies end with `shutting_down`, new work is
    /// refused with 503.
    pub(super) shutdown: CancellationToken,
}

impl Interviews {
    pub fn new(
        catalog: Arc<Catalog>,
        storage: Storage,
        interviewer: Interviewer,
        prompts: Arc<Prompts>,
        clock: Arc<dyn Clock>,
        settings: InterviewSettings,
        metrics: Arc<Metrics>,
    ) -> Interviews {
        let repertoires = catalog
            .questions
            .iter()
            .map(|(id, entry)| {
                (
                    id.clone(),
                    Arc::new(Repertoire::new(entry, &catalog.lexicon)),
                )
            })
            .collect();
        Interviews {
            repertoires,
            catalog,
            storage,
            interviewer,
            clock,
            settings,
            metrics,
            speech: Arc::new(Speech::default()),
            prompts,
            tokens: TokenCounter::new(),
            static_prompts: moka::sync::Cache::new(1_000),
            judged: moka::future::Cache::builder()
                .max_capacity(1_000)
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
            sessions: SessionCache::new(CACHED_SESSIONS),
            tasks: TaskTracker::new(),
            shutdown: CancellationToken::new(),
        }
    }

    /// With speech to text and text to speech as configured.
    pub fn with_speech(mut self, speech: Speech) -> Interviews {
        self.speech = Arc::new(speech);
        self
    }

    /// The token that stops the server: cancelling it ends open replies with `shutting_down`.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Refuses new work (503 `shutting_down`) once the server is stopping.
    pub(super) fn ensure_running(&self) -> Result<(), ApiError> {
        if self.shutdown.is_cancelled() {
            return Err(ApiError::ShuttingDown);
        }
        Ok(())
    }

    /// Background work (partial replies being stored) to wait for at shutdown.
    pub fn tasks(&self) -> TaskTracker {
        self.tasks.clone()
    }

    pub(super) fn static_prompt(
        &self,
        entry: &QuestionEntry,
        level: Level,
    ) -> Result<StaticPrompt, ApiError> {
        let key = (entry.question.id.clone(), level);
        if let Some(p) = self.static_prompts.get(&key) {
            return Ok(p);
        }
        let p = interviewer_prompt::render_static(&self.prompts, entry, level)
            .map_err(|e| ApiError::Internal(e.into()))?;
        self.static_prompts.insert(key, p.clone());
        Ok(p)
    }

    /// What can be asked of a question (made here for a question the catalog did not hold at start).
    pub(super) fn repertoire(&self, entry: &QuestionEntry) -> Arc<Repertoire> {
        self.repertoires
            .get(&entry.question.id)
            .cloned()
            .unwrap_or_else(|| Arc::new(Repertoire::new(entry, &self.catalog.lexicon)))
    }

    pub(super) fn entry_for(&self, session: &SessionRow) -> Result<Arc<QuestionEntry>, ApiError> {
        self.catalog
            .question(&session.question_id)
            .cloned()
            .ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!(
                    "session {} refers to question `{}`, which is no longer in the content",
                    session.id,
                    session.question_id
                ))
            })
    }

    /// Holds the session for one turn (or a finish): this instance's lock, then the database's claim
    /// where instances share it. Either being held elsewhere is 409 `turn_in_progress`. The snapshot
    /// kept in memory survives only if no other claim came since this instance's last one.
    pub(super) async fn lock_session(&self, session_id: &str) -> Result<SessionGuard, ApiError> {
        self.ensure_running()?;
        let mut guard = self.sessions.try_lock(session_id)?;
        match self.storage.claim(session_id).await? {
            Claim::Busy => Err(ApiError::TurnInProgress),
            Claim::NotFound => Err(ApiError::SessionNotFound(session_id.to_string())),
            Claim::Claimed(None) => Ok(guard),
            Claim::Claimed(Some(lease)) => {
                let current = guard
                    .as_ref()
                    .is_some_and(|s| s.session.version == lease.version - 1);
                if current {
                    if let Some(s) = guard.as_mut() {
                        s.session.version = lease.version;
                    }
                } else {
                    *guard = None;
                }
                guard.with_lease(lease);
                Ok(guard)
            }
        }
    }

    pub(super) async fn load(&self, session_id: &str) -> Result<SessionRow, ApiError> {
        self.storage
            .session(session_id)
            .await?
            .ok_or_else(|| ApiError::SessionNotFound(session_id.to_string()))
    }
}

/// The candidate's turns of a transcript, as coverage and scoring read them.
pub(super) fn candidate_texts(turns: &[TurnRow]) -> Vec<CandidateText<'_>> {
    turns
        .iter()
        .filter(|t| t.role == TurnRole::Candidate)
        .map(|t| CandidateText {
            turn_id: t.id,
            phase: &t.phase,
            content: &t.content,
        })
        .collect()
}

pub(super) fn phase_change(plan: &PhasePlan, t: Transition, at: i64) -> PhaseChange<'_> {
    PhaseChange {
        index: t.to,
        phase: &plan.phases[t.to].id,
        at,
        trigger: t.trigger.into(),
    }
}
