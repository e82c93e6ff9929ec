//! The orchestrator: the one place that joins the catalog, storage, the phase machine, the LLM and the
//! scorer. Everything that can fail is checked before a stream starts; a stream commits the candidate's
//! turn before announcing it, and the interviewer's reply before `done`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use futures::stream::BoxStream;
use tokio_util::task::TaskTracker;

use crate::clock::{Clock, rfc3339};
use crate::content::{Catalog, Level, PhaseMode, QuestionEntry};
use crate::error::ApiError;
use crate::llm::offline::OfflineInterviewer;
use crate::llm::{
    InterviewRequest, JudgeRequest, Llm, LlmError, Message, ReplyChunk, ReplyStream, Role,
};
use crate::prompting::{DimensionLine, FactLine, JudgeContext, Prompts, delimit_candidate};
use crate::scoring::Scorecard;
use crate::scoring::judge::{self, JudgeError};
use crate::storage::{NewReply, NewSession, PhaseChange, RevealRow, SessionRow, Storage, TurnRow};
use crate::text::sentences;
use crate::tokens::{TokenCounter, count};

use super::coverage::{CandidateText, Coverage};
use super::directive::{self, TurnInputs};
use super::ledger::{self, Asked};
use super::phases::{self, PhaseState, Transition, Trigger};
use super::prompt::{self, PromptCount, StaticPrompt, TurnPrompt};
use super::views::*;

/// The longest candidate answer accepted, in bytes.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// One event of a turn stream, before it becomes SSE.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    Turn(Box<TurnViewJson>),
    Phase { from: String, to: String },
    Notice { code: &'static str, message: String },
    Token(String),
    Done { turn_id: i64, phase: String },
    Error { code: &'static str, message: String },
}

/// A committed turn, serialised once.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnViewJson(pub serde_json::Value);

pub type EventStream = BoxStream<'static, StreamEvent>;

/// What to do when the upstream model cannot be reached before the first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// Answer with the offline interviewer, announced by a `notice` event.
    FallBackOffline,
    /// End the stream with an `error` event.
    Fail,
}

/// How interviews use the model.
#[derive(Debug, Clone, Copy)]
pub struct InterviewSettings {
    pub on_upstream_failure: UpstreamFailure,
    /// The interviewer model's context window, in tokens.
    pub context_window: usize,
    /// Tokens kept free for the reply.
    pub max_reply_tokens: usize,
}

impl Default for InterviewSettings {
    fn default() -> Self {
        InterviewSettings {
            on_upstream_failure: UpstreamFailure::FallBackOffline,
            context_window: 16_000,
            max_reply_tokens: 700,
        }
    }
}

pub struct Interviews {
    pub catalog: Arc<Catalog>,
    pub storage: Storage,
    pub llm: Arc<dyn Llm>,
    pub clock: Arc<dyn Clock>,
    pub settings: InterviewSettings,
    prompts: Arc<Prompts>,
    tokens: TokenCounter,
    /// Static system prompts by (question, level): rendered and counted once.
    static_prompts: moka::sync::Cache<(String, String), StaticPrompt>,
    /// Judge results by session: a finish that fails after the judge answered does not pay for it twice.
    judged: moka::future::Cache<String, Scorecard>,
    hot: HotSessions,
    busy: Arc<Mutex<HashSet<String>>>,
    tasks: TaskTracker,
}

/// What the turn pipeline needs of a session, kept in memory between its turns so a turn costs one
/// database write instead of several reads and a write. Only the turn pipeline reads and writes it,
/// always while holding the session's busy guard, so it cannot go stale; finishing drops it.
#[derive(Debug)]
struct Snapshot {
    session: SessionRow,
    turns: Vec<TurnRow>,
    revealed: Vec<String>,
    /// Coverage of the candidate's turns so far, extended by each new turn instead of recomputed.
    coverage: Coverage,
}

/// A turn checks its session's snapshot out (`None` while it is out) and puts it back once the
/// candidate's turn is committed; a turn that fails in between leaves `None`, and the next one reads
/// the session from SQLite again. So no turn copies the transcript, and none can see a stale one.
type HotSessions = moka::sync::Cache<String, Arc<Mutex<Option<Snapshot>>>>;

/// A turn's start: the session claimed, its snapshot, its question and where it is in its plan.
struct OpenTurn {
    busy: BusyGuard,
    snap: Arc<Mutex<Option<Snapshot>>>,
    snapshot: Snapshot,
    entry: Arc<QuestionEntry>,
    state: PhaseState,
}

/// A candidate turn being committed while the reply to it is being opened.
type CandidateCommit = futures::future::BoxFuture<'static, sqlx::Result<TurnRow>>;

/// The provisional id of the candidate's turn while it is being committed.
const PROVISIONAL: i64 = 0;

/// Appends a committed interviewer reply to the session's snapshot, if it is held.
fn remember_reply(hot: &HotSessions, turn: &TurnRow) {
    if let Some(snap) = hot.get(&turn.session_id)
        && let Ok(mut s) = snap.lock()
        && let Some(s) = s.as_mut()
    {
        s.session.prompt_tokens += turn.prompt_tokens.unwrap_or(0);
        s.session.completion_tokens += turn.completion_tokens.unwrap_or(0);
        s.turns.push(turn.clone());
    }
}

/// Marks a session as having a turn in flight; released when dropped.
struct BusyGuard {
    busy: Arc<Mutex<HashSet<String>>>,
    id: String,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        if let Ok(mut set) = self.busy.lock() {
            set.remove(&self.id);
        }
    }
}

/// Everything a reply stream needs once it has started.
struct ReplyJob {
    storage: Storage,
    hot: HotSessions,
    clock: Arc<dyn Clock>,
    tasks: TaskTracker,
    session_id: String,
    phase: String,
    source: &'static str,
    prompt_tokens: PromptTokens,
    /// Count completion tokens ourselves when the server does not report usage (model replies only).
    count_completion: bool,
    warm: Option<WarmCounts>,
    busy: BusyGuard,
}

/// Turns to count once the reply is stored, off the path to any first token, so that the next
/// turn's prompt fits on known counts instead of counting the transcript then.
struct WarmCounts {
    counter: TokenCounter,
    candidate: Option<(i64, String)>,
}

/// The prompt's token count, for a server that reports no usage: counted only then.
enum PromptTokens {
    /// No model read a prompt (the offline interviewer answered).
    None,
    Sent(PromptCount),
}

impl PromptTokens {
    fn resolve(&self) -> Option<i64> {
        match self {
            PromptTokens::None => None,
            PromptTokens::Sent(c) => Some(c.total() as i64),
        }
    }
}

/// The reply as it streams; if the stream is dropped before it is committed (client gone, server
/// shutting down), what was said so far is stored, marked incomplete.
struct PartialReply {
    job: Option<ReplyJob>,
    text: String,
}

impl Drop for PartialReply {
    fn drop(&mut self) {
        let Some(job) = self.job.take() else { return };
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let tasks = job.tasks.clone();
        if tokio::runtime::Handle::try_current().is_ok() {
            tasks.spawn(async move {
                let at = job.clock.now_ms();
                let r = NewReply {
                    session_id: &job.session_id,
                    phase: &job.phase,
                    content: &text,
                    at,
                    incomplete: true,
                    source: job.source,
                    prompt_tokens: job.prompt_tokens.resolve(),
                    completion_tokens: None,
                };
                match job.storage.commit_reply(&r).await {
                    Ok(turn) => remember_reply(&job.hot, &turn),
                    Err(e) => {
                        job.hot.invalidate(&job.session_id);
                        tracing::error!(error = %e, "could not store a partial reply");
                    }
                }
                drop(job.busy);
            });
        }
    }
}

impl Interviews {
    pub fn new(
        catalog: Arc<Catalog>,
        storage: Storage,
        llm: Arc<dyn Llm>,
        prompts: Arc<Prompts>,
        clock: Arc<dyn Clock>,
        settings: InterviewSettings,
    ) -> Interviews {
        Interviews {
            catalog,
            storage,
            llm,
            clock,
            settings,
            prompts,
            tokens: TokenCounter::new(),
            static_prompts: moka::sync::Cache::new(1_000),
            judged: moka::future::Cache::builder()
                .max_capacity(1_000)
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
            // Bounded: idle sessions fall out and are read from SQLite again on their next turn.
            hot: moka::sync::Cache::new(2_000),
            busy: Arc::default(),
            tasks: TaskTracker::new(),
        }
    }

    /// The session as the turn pipeline sees it. Call only while holding its busy guard.
    /// Checks the session's snapshot out (reading it from SQLite when it is not held). Call only while
    /// holding its busy guard.
    async fn check_out(
        &self,
        session_id: &str,
    ) -> Result<(Arc<Mutex<Option<Snapshot>>>, Snapshot), ApiError> {
        let slot = self
            .hot
            .get_with_by_ref(session_id, || Arc::new(Mutex::new(None)));
        let held = slot
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("session snapshot poisoned")))?
            .take();
        if let Some(snapshot) = held {
            return Ok((slot, snapshot));
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
        let candidate = candidate_texts(&turns);
        let coverage = Coverage::analyze(&self.catalog.lexicon, &candidate);
        Ok((
            slot,
            Snapshot {
                session,
                turns,
                revealed,
                coverage,
            },
        ))
    }

    /// Claims the session for one turn and loads what the turn needs; refuses a finished session.
    async fn open_turn(&self, session_id: &str) -> Result<OpenTurn, ApiError> {
        let busy = self.claim(session_id)?;
        let (snap, snapshot) = self.check_out(session_id).await?;
        if snapshot.session.is_finished() {
            return Err(ApiError::SessionFinished);
        }
        let entry = self.entry_for(&snapshot.session)?;
        let state = PhaseState {
            index: (snapshot.session.phase_index as usize).min(entry.plan.phases.len() - 1),
            started_at: snapshot.session.phase_started_at,
        };
        Ok(OpenTurn {
            busy,
            snap,
            snapshot,
            entry,
            state,
        })
    }

    fn static_prompt(&self, entry: &QuestionEntry, level: &str) -> Result<StaticPrompt, ApiError> {
        let key = (entry.question.id.clone(), level.to_string());
        if let Some(p) = self.static_prompts.get(&key) {
            return Ok(p);
        }
        let p = prompt::render_static(&self.prompts, entry, level)
            .map_err(|e| ApiError::Internal(e.into()))?;
        self.static_prompts.insert(key, p.clone());
        Ok(p)
    }

    /// Background work (partial replies being stored) to wait for at shutdown.
    pub fn tasks(&self) -> TaskTracker {
        self.tasks.clone()
    }

    fn claim(&self, session_id: &str) -> Result<BusyGuard, ApiError> {
        let mut set = self
            .busy
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("busy set poisoned")))?;
        if !set.insert(session_id.to_string()) {
            return Err(ApiError::TurnInProgress);
        }
        Ok(BusyGuard {
            busy: self.busy.clone(),
            id: session_id.to_string(),
        })
    }

    fn entry_for(&self, session: &SessionRow) -> Result<Arc<QuestionEntry>, ApiError> {
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

    async fn load(&self, session_id: &str) -> Result<SessionRow, ApiError> {
        self.storage
            .session(session_id)
            .await?
            .ok_or_else(|| ApiError::SessionNotFound(session_id.to_string()))
    }

    // ---- sessions -------------------------------------------------------------------------------

    pub async fn create_session(
        &self,
        question_id: &str,
        level: Option<Level>,
    ) -> Result<SessionView, ApiError> {
        let entry = self
            .catalog
            .question(question_id)
            .cloned()
            .ok_or_else(|| ApiError::QuestionNotFound(question_id.to_string()))?;
        let level = level.unwrap_or(Level::Senior);
        if !entry.question.levels.contains(&level) {
            return Err(ApiError::InvalidInput(format!(
                "question `{question_id}` is not offered at level `{}` (levels: {})",
                level.as_str(),
                entry
                    .question
                    .levels
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.clock.now_ms();
        let opening = super::offline::opening(&entry.question, &entry.plan, level);
        let first_phase = entry
            .plan
            .phases
            .first()
            .map(|p| p.id.as_str())
            .unwrap_or_default();
        let mut versions = serde_json::json!({ "rubric": format!("{}@{}", entry.rubric.id, entry.rubric.version) });
        if self.llm.reads_prompts() {
            for (name, v) in self.prompts.versions() {
                versions[name] = serde_json::Value::String(v.clone());
            }
        }
        self.storage
            .create_session(
                &NewSession {
                    id: &id,
                    question_id,
                    kind: &entry.question.kind,
                    level: level.as_str(),
                    first_phase,
                    now,
                    interviewer: self.llm.mode(),
                    interviewer_model: self.llm.model(),
                    judge: self.llm.judge_model(),
                    prompt_versions: &versions.to_string(),
                },
                &opening,
            )
            .await?;
        let session = self.load(&id).await?;
        let turns = self.storage.turns(&id).await?;
        let view = self.view_of(&session, &turns, &[])?;
        // The snapshot the first answer needs is all here: it should not read back what was just
        // written (that read was most of a first turn's extra time to first token).
        let snapshot = Snapshot {
            session,
            turns,
            revealed: Vec::new(),
            coverage: Coverage::default(),
        };
        self.hot.insert(id, Arc::new(Mutex::new(Some(snapshot))));
        Ok(view)
    }

    pub async fn session_view(&self, session_id: &str) -> Result<SessionView, ApiError> {
        let s = self.load(session_id).await?;
        let turns = self.storage.turns(session_id).await?;
        let reveals = self.storage.reveals(session_id).await?;
        self.view_of(&s, &turns, &reveals)
    }

    fn view_of(
        &self,
        s: &SessionRow,
        turns: &[TurnRow],
        reveals: &[RevealRow],
    ) -> Result<SessionView, ApiError> {
        let entry = self.entry_for(s)?;
        let plan = &entry.plan;
        let index = (s.phase_index as usize).min(plan.phases.len().saturating_sub(1));
        let now = s.finished_at.unwrap_or_else(|| self.clock.now_ms());
        let state = PhaseState {
            index,
            started_at: s.phase_started_at,
        };

        let phase_left = phases::time_left_ms(plan, state, now) / 1000;
        let requirements_revealed = reveals
            .iter()
            .filter_map(|r| {
                let f = entry.question.facts.iter().find(|f| f.id == r.fact_id)?;
                Some(RevealedView {
                    id: f.id.clone(),
                    topic: f.topic.clone(),
                    answer: f.answer.clone(),
                    turn_id: r.turn_id,
                    revealed_at: rfc3339(r.revealed_at),
                })
            })
            .collect();
        Ok(SessionView {
            id: s.id.clone(),
            question: QuestionView::new(&entry),
            level: s.level.clone(),
            status: s.status.clone(),
            streaming: self.busy.lock().map(|b| b.contains(&s.id)).unwrap_or(false),
            phase: plan.phases[index].id.clone(),
            phase_index: index,
            phases: phase_views(plan),
            phase_started_at: rfc3339(s.phase_started_at),
            phase_time_left_seconds: phase_left,
            interview_time_left_seconds: phases::interview_time_left_ms(plan, state, now) / 1000,
            started_at: rfc3339(s.started_at),
            finished_at: s.finished_at.map(rfc3339),
            interviewer: InterviewerView {
                mode: s.interviewer.clone(),
                model: self
                    .llm
                    .model()
                    .filter(|_| s.interviewer != "offline")
                    .map(str::to_string),
                judge_model: s.judge.clone(),
            },
            prompt_versions: serde_json::from_str(&s.prompt_versions)
                .unwrap_or(serde_json::Value::Null),
            tokens: TokensView {
                prompt: s.prompt_tokens,
                completion: s.completion_tokens,
            },
            requirements_revealed,
            turns: turns.iter().map(TurnView::from).collect(),
            overall_score: s.overall_score,
            recommendation: s.recommendation.clone(),
        })
    }

    pub async fn list_sessions(&self) -> Result<Vec<SessionSummary>, ApiError> {
        let rows = self.storage.sessions(1000).await?;
        Ok(rows
            .into_iter()
            .map(|s| {
                let entry = self.catalog.question(&s.question_id);
                let phase = entry
                    .and_then(|e| e.plan.phases.get(s.phase_index as usize))
                    .map(|p| p.id.clone())
                    .unwrap_or_default();
                SessionSummary {
                    question_title: entry.map(|e| e.question.title.clone()).unwrap_or_default(),
                    id: s.id,
                    question_id: s.question_id,
                    kind: s.kind,
                    level: s.level,
                    status: s.status,
                    phase,
                    started_at: rfc3339(s.started_at),
                    finished_at: s.finished_at.map(rfc3339),
                    overall_score: s.overall_score,
                    recommendation: s.recommendation,
                }
            })
            .collect())
    }

    // ---- turns ----------------------------------------------------------------------------------

    /// A candidate's answer: committed, then the interviewer's reply streamed.
    pub async fn candidate_turn(
        &self,
        session_id: &str,
        content: String,
    ) -> Result<EventStream, ApiError> {
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
            busy,
            snap,
            snapshot,
            entry,
            state,
        } = self.open_turn(session_id).await?;
        let Snapshot {
            session,
            mut turns,
            revealed: revealed_before,
            mut coverage,
        } = snapshot;
        let plan = &entry.plan;
        let now = self.clock.now_ms();
        let phase_now = &plan.phases[state.index];
        let transition =
            phases::on_candidate_turn(plan, state, now, phases::asks_to_move_on(&content));
        // Split once: the ledger and the coverage read the same sentences.
        let answer_sentences = sentences(&content);
        let asked = ledger::facts_asked_in(
            &entry,
            &answer_sentences,
            phase_now.mode == PhaseMode::Clarify,
            &revealed_before,
        );
        let new_reveals: Vec<(&str, &str)> = asked
            .hits
            .iter()
            .filter(|h| h.first_time)
            .map(|h| (entry.question.facts[h.fact].id.as_str(), h.quote.as_str()))
            .collect();
        let change = transition.map(|t| phase_change(plan, t, now));
        let mut revealed = revealed_before;
        revealed.extend(new_reveals.iter().map(|(id, _)| id.to_string()));
        let mut session_after = session.clone();
        if let Some(t) = transition {
            session_after.phase_index = t.to as i64;
            session_after.phase_started_at = now;
        }
        // The reply is prepared against a provisional turn while the real one is committed beside
        // the upstream call, so the write does not add to the time to first token.
        coverage.add_sentences(
            &self.catalog.lexicon,
            &CandidateText {
                turn_id: PROVISIONAL,
                phase: &phase_now.id,
                content: &content,
            },
            &answer_sentences,
        );
        turns.push(TurnRow {
            id: PROVISIONAL,
            session_id: session_id.to_string(),
            role: "candidate".into(),
            phase: phase_now.id.clone(),
            content: content.clone(),
            created_at: now,
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
        });
        let storage = self.storage.clone();
        let (sid, phase_id) = (session_id.to_string(), phase_now.id.clone());
        let reveals_owned: Vec<(String, String)> = new_reveals
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let change_owned =
            change.map(|c| (c.index, c.phase.to_string(), c.at, c.trigger.to_string()));
        let commit = async move {
            let reveals: Vec<(&str, &str)> = reveals_owned
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let change = change_owned
                .as_ref()
                .map(|(index, phase, at, trigger)| PhaseChange {
                    index: *index,
                    phase,
                    at: *at,
                    trigger: trigger.as_str(),
                });
            storage
                .commit_candidate_turn(&sid, &phase_id, &content, now, &reveals, change)
                .await
        };
        self.reply(
            session,
            entry.clone(),
            busy,
            Some(Box::pin(commit)),
            transition,
            asked,
            snap,
            Snapshot {
                session: session_after,
                turns,
                revealed,
                coverage,
            },
            now,
        )
        .await
    }

    /// An explicit move to the next phase, with the interviewer's transition streamed.
    pub async fn advance(&self, session_id: &str) -> Result<EventStream, ApiError> {
        let OpenTurn {
            busy,
            snap,
            snapshot,
            entry,
            state,
        } = self.open_turn(session_id).await?;
        let plan = &entry.plan;
        let now = self.clock.now_ms();
        let t = phases::on_advance(plan, state).map_err(|_| ApiError::LastPhase)?;
        // On failure the snapshot stays checked out: the next turn reads the session again.
        self.storage
            .change_phase(session_id, phase_change(plan, t, now))
            .await?;
        let before = snapshot.session.clone();
        let mut after = snapshot;
        after.session.phase_index = t.to as i64;
        after.session.phase_started_at = now;
        self.reply(
            before,
            entry.clone(),
            busy,
            None,
            Some(t),
            Asked::default(),
            snap,
            after,
            now,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn reply(
        &self,
        session: SessionRow,
        entry: Arc<QuestionEntry>,
        busy: BusyGuard,
        pending: Option<CandidateCommit>,
        transition: Option<Transition>,
        asked: Asked,
        slot: Arc<Mutex<Option<Snapshot>>>,
        mut after: Snapshot,
        now: i64,
    ) -> Result<EventStream, ApiError> {
        let plan = &entry.plan;
        let index = transition
            .map(|t| t.to)
            .unwrap_or(session.phase_index as usize)
            .min(plan.phases.len() - 1);
        let phase = &plan.phases[index];
        let started_at = if transition.is_some() {
            now
        } else {
            session.phase_started_at
        };
        let (turns, revealed, coverage) = (&after.turns, &after.revealed, &after.coverage);
        let history: Vec<&str> = turns
            .iter()
            .filter(|t| t.role == "interviewer")
            .map(|t| t.content.as_str())
            .collect();
        let directive = directive::decide(&TurnInputs {
            entry: &entry,
            lexicon: &self.catalog.lexicon,
            phase,
            transition: transition.map(|t| (t, &plan.phases[t.from])),
            candidate: pending
                .as_ref()
                .and_then(|_| turns.last())
                .map(|t| (t.id, t.content.as_str())),
            asked: &asked,
            coverage,
            revealed,
            interviewer_history: &history,
            overtime: phases::is_overtime(plan, PhaseState { index, started_at }, now),
            level: Level::parse(&session.level).unwrap_or(Level::Senior),
        });
        let (messages, counted) = if self.llm.reads_prompts() {
            let static_prompt = self.static_prompt(&entry, &session.level)?;
            let state = PhaseState { index, started_at };
            let phase_ms_left = phases::time_left_ms(plan, state, now);
            prompt::build(
                &self.prompts,
                &self.tokens,
                &TurnPrompt {
                    entry: &entry,
                    lexicon: &self.catalog.lexicon,
                    static_prompt: &static_prompt,
                    phase_index: index,
                    phase_ms_left,
                    total_ms_left: phases::interview_time_left_ms(plan, state, now),
                    revealed,
                    coverage,
                    directive: &directive,
                    turns,
                    advance: pending.is_none(),
                    budget_tokens: self
                        .settings
                        .context_window
                        .saturating_sub(self.settings.max_reply_tokens),
                },
            )
            .map_err(|e| ApiError::Internal(e.into()))?
        } else {
            (Vec::new(), PromptCount::default())
        };
        let request = InterviewRequest {
            messages,
            directive: Arc::new(directive),
        };

        let mut prelude = Vec::new();
        let uses_model = self.llm.reads_prompts();
        let ((upstream, source, notice), committed) = match pending {
            Some(commit) => {
                let (opened, committed) =
                    tokio::join!(self.open_upstream(request, &session.id), commit);
                (opened, Some(committed))
            }
            None => (self.open_upstream(request, &session.id).await, None),
        };
        let mut warm = uses_model.then(|| WarmCounts {
            counter: self.tokens.clone(),
            candidate: None,
        });
        if let Some(committed) = committed {
            // On failure nothing was acknowledged: the upstream call is dropped with the stream, and
            // the snapshot stays checked out so the next turn reads the session again.
            let turn = committed?;
            if let Some(w) = warm.as_mut() {
                w.candidate = Some((turn.id, turn.content.clone()));
            }
            if let Some(provisional) = after.turns.last_mut() {
                provisional.id = turn.id;
            }
            after.coverage.renumber(PROVISIONAL, turn.id);
            let view = serde_json::to_value(TurnView::plain(&turn)).map_err(anyhow::Error::from)?;
            prelude.push(StreamEvent::Turn(Box::new(TurnViewJson(view))));
        }
        if let Ok(mut held) = slot.lock() {
            *held = Some(after);
        }
        if let Some(t) = transition {
            prelude.push(StreamEvent::Phase {
                from: plan.phases[t.from].id.clone(),
                to: phase.id.clone(),
            });
        }
        prelude.extend(notice);
        let job = ReplyJob {
            storage: self.storage.clone(),
            hot: self.hot.clone(),
            clock: self.clock.clone(),
            tasks: self.tasks.clone(),
            session_id: session.id.clone(),
            phase: phase.id.clone(),
            source,
            prompt_tokens: if uses_model && source != "offline_fallback" {
                PromptTokens::Sent(counted)
            } else {
                PromptTokens::None
            },
            count_completion: uses_model && source != "offline_fallback",
            warm,
            busy,
        };
        Ok(relay(prelude, upstream, job))
    }

    /// Opens the interviewer's reply; when the model cannot be reached, falls back to the offline
    /// interviewer (with a notice) or fails, as configured.
    async fn open_upstream(
        &self,
        request: InterviewRequest,
        session_id: &str,
    ) -> (
        Result<ReplyStream, LlmError>,
        &'static str,
        Option<StreamEvent>,
    ) {
        // The offline fallback needs only the directive, not a copy of the whole conversation.
        let directive = request.directive.clone();
        match self.llm.interview(request).await {
            Ok(s) => (Ok(s), self.llm.mode(), None),
            Err(e)
                if self.llm.reads_prompts()
                    && self.settings.on_upstream_failure == UpstreamFailure::FallBackOffline =>
            {
                tracing::warn!(error = %e, session = %session_id, "upstream failed; the offline interviewer answers");
                let notice = StreamEvent::Notice {
                    code: "offline_fallback",
                    message: format!(
                        "The language model is unavailable ({e}); the offline interviewer answers this turn."
                    ),
                };
                let offline = InterviewRequest {
                    messages: Vec::new(),
                    directive,
                };
                (
                    OfflineInterviewer.interview(offline).await,
                    "offline_fallback",
                    Some(notice),
                )
            }
            Err(e) => (Err(e), self.llm.mode(), None),
        }
    }

    // ---- finishing --------------------------------------------------------------------------------

    /// Finishes the session with a scorecard; finishing again returns the stored one.
    pub async fn finish(&self, session_id: &str) -> Result<Scorecard, ApiError> {
        let session = self.load(session_id).await?;
        if session.is_finished() {
            return self.scorecard(session_id).await;
        }
        let _busy = self.claim(session_id)?;
        self.hot.invalidate(session_id);
        let entry = self.entry_for(&session)?;
        let card = self.grade(&session, &entry).await?;
        let body = serde_json::to_string(&card).map_err(anyhow::Error::from)?;
        let now = self.clock.now_ms();
        let stored = self
            .storage
            .finish(
                session_id,
                &card.scorer,
                &body,
                i64::from(card.overall.score),
                card.overall.recommendation.as_str(),
                now,
            )
            .await?;
        if !stored {
            return self.scorecard(session_id).await;
        }
        Ok(card)
    }

    async fn grade(
        &self,
        session: &SessionRow,
        entry: &QuestionEntry,
    ) -> Result<Scorecard, ApiError> {
        let turns = self.storage.turns(&session.id).await?;
        let reveals: Vec<crate::scoring::offline::Reveal> = self
            .storage
            .reveals(&session.id)
            .await?
            .into_iter()
            .map(|r| crate::scoring::offline::Reveal {
                fact_id: r.fact_id,
                turn_id: r.turn_id,
                quote: r.quote,
            })
            .collect();
        let candidate = candidate_texts(&turns);
        let level = Level::parse(&session.level).unwrap_or(Level::Senior);
        let all_turns = scoring_turns(&turns);
        let input = crate::scoring::offline::ScoringInput {
            session_id: &session.id,
            entry,
            lexicon: &self.catalog.lexicon,
            level,
            turns: &all_turns,
            reveals: &reveals,
            created_at: rfc3339(self.clock.now_ms()),
        };
        let anchor = crate::scoring::offline::score(&input);
        if !self.llm.reads_prompts() {
            return Ok(anchor);
        }
        let revealed: Vec<String> = reveals.iter().map(|r| r.fact_id.clone()).collect();
        let card = self
            .judged
            .get_with(
                session.id.clone(),
                self.judge(session, entry, &turns, &candidate, &revealed, anchor),
            )
            .await;
        Ok(card)
    }

    /// Asks the judge model for a scorecard and checks it against the transcript. Invalid output gets
    /// one retry; after that, or when the model is unreachable, the offline card stands, marked as such.
    async fn judge(
        &self,
        session: &SessionRow,
        entry: &QuestionEntry,
        turns: &[TurnRow],
        candidate: &[CandidateText<'_>],
        revealed: &[String],
        anchor: Scorecard,
    ) -> Scorecard {
        let q = &entry.question;
        let rubric = &entry.rubric;
        let ctx = JudgeContext {
            kind_name: entry.plan.name.clone(),
            level: session.level.clone(),
            question_title: q.title.clone(),
            question_prompt: q.prompt.trim().to_string(),
            reference_outline: q.reference_outline.trim().to_string(),
            facts: q
                .facts
                .iter()
                .map(|f| FactLine::of(f, revealed.contains(&f.id)))
                .collect(),
            rubric_id: rubric.id.clone(),
            rubric_version: rubric.version.clone(),
            dimensions: rubric
                .dimensions
                .iter()
                .map(|d| DimensionLine {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    d1: d.descriptor(1).to_string(),
                    d2: d.descriptor(2).to_string(),
                    d3: d.descriptor(3).to_string(),
                    d4: d.descriptor(4).to_string(),
                })
                .collect(),
        };
        let judge_model = self.llm.judge_model().map(str::to_string);
        let fallback = |mut card: Scorecard, why: &str| {
            tracing::warn!(session = %session.id, reason = why, "the judge's card was not usable; the offline scorer's stands");
            card.scorer = "offline_fallback".to_string();
            card.judge_model = judge_model.clone();
            card
        };
        let system = match self.prompts.judge(&ctx) {
            Ok(s) => s,
            Err(e) => return fallback(anchor, &e.to_string()),
        };
        let transcript = turns
            .iter()
            .map(|t| {
                if t.role == "candidate" {
                    format!(
                        "Turn {} ({}), candidate:\n{}",
                        t.id,
                        t.phase,
                        delimit_candidate(&t.content)
                    )
                } else {
                    format!("Turn {} ({}), interviewer:\n{}", t.id, t.phase, t.content)
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut messages = vec![
            Message::new(Role::System, system),
            Message::new(
                Role::User,
                format!(
                    "The transcript:\n\n{transcript}\n\nGrade the candidate now. Reply with the JSON object only."
                ),
            ),
        ];
        let (mut prompt_tokens, mut completion_tokens) = (0i64, 0i64);
        let mut last_problem = String::new();
        for _attempt in 0..2 {
            let reply = match self
                .llm
                .judge(JudgeRequest {
                    messages: messages.clone(),
                    json_mode: true,
                })
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    last_problem = e.to_string();
                    break;
                }
            };
            prompt_tokens += i64::from(
                reply
                    .prompt_tokens
                    .unwrap_or_else(|| messages.iter().map(|m| count(&m.content) as u32).sum()),
            );
            completion_tokens += i64::from(
                reply
                    .completion_tokens
                    .unwrap_or_else(|| count(&reply.text) as u32),
            );
            match judge::parse(&reply.text)
                .and_then(|r| judge::validate(r, rubric, candidate, &anchor))
            {
                Ok(mut card) => {
                    card.judge_model = judge_model.clone();
                    self.record_judge_tokens(&session.id, prompt_tokens, completion_tokens)
                        .await;
                    return card;
                }
                Err(e) => {
                    last_problem = e.to_string();
                    let hint = match e {
                        JudgeError::NotJson(_) => "was not the JSON object asked for",
                        JudgeError::Invalid(_) => "did not follow the rubric",
                    };
                    messages.push(Message::new(Role::Assistant, reply.text));
                    messages.push(Message::new(
                        Role::User,
                        format!("That reply {hint} ({e}). Reply again with only the JSON object described above."),
                    ));
                }
            }
        }
        self.record_judge_tokens(&session.id, prompt_tokens, completion_tokens)
            .await;
        fallback(anchor, &last_problem)
    }

    async fn record_judge_tokens(&self, session_id: &str, prompt: i64, completion: i64) {
        if prompt + completion > 0
            && let Err(e) = self
                .storage
                .add_tokens(session_id, prompt, completion)
                .await
        {
            tracing::error!(error = %e, "could not record the judge's token usage");
        }
    }

    pub async fn scorecard(&self, session_id: &str) -> Result<Scorecard, ApiError> {
        let session = self.load(session_id).await?;
        if !session.is_finished() {
            return Err(ApiError::NotFinished);
        }
        let body = self
            .storage
            .scorecard(session_id)
            .await?
            .ok_or(ApiError::NotFinished)?;
        serde_json::from_str(&body).map_err(|e| ApiError::Internal(e.into()))
    }
}

impl Interviews {
    /// The whole session for review: phases with time used, every turn, the scorecard if finished.
    pub async fn transcript(
        &self,
        session_id: &str,
    ) -> Result<super::transcript::Transcript, ApiError> {
        let session = self.session_view(session_id).await?;
        let row = self.load(session_id).await?;
        let changes = self.storage.phase_changes(session_id).await?;
        let end = row.finished_at.unwrap_or_else(|| self.clock.now_ms());
        let entry = self.entry_for(&row)?;
        let phases = entry
            .plan
            .phases
            .iter()
            .map(|p| {
                let mut used = 0;
                let mut entered = None;
                for (i, c) in changes.iter().enumerate() {
                    if c.phase != p.id {
                        continue;
                    }
                    entered.get_or_insert(c.entered_at);
                    let until = changes.get(i + 1).map(|n| n.entered_at).unwrap_or(end);
                    used += (until - c.entered_at).max(0);
                }
                PhaseUsage {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    budget_seconds: p.minutes * 60,
                    time_used_seconds: used / 1000,
                    entered_at: entered.map(rfc3339),
                }
            })
            .collect();
        let scorecard = if row.is_finished() {
            Some(self.scorecard(session_id).await?)
        } else {
            None
        };
        Ok(super::transcript::Transcript {
            session,
            phases,
            scorecard,
        })
    }

    /// Each finished session's dimension scores, oldest first, to show progress over time.
    pub async fn progress(&self) -> Result<serde_json::Value, ApiError> {
        let cards = self.storage.scorecards().await?;
        let points: Vec<serde_json::Value> = cards
            .iter()
            .filter_map(|body| serde_json::from_str::<Scorecard>(body).ok())
            .map(|c| {
                let title = self.catalog.question(&c.question_id).map(|e| e.question.title.clone());
                serde_json::json!({
                    "session_id": c.session_id,
                    "question_id": c.question_id,
                    "question_title": title,
                    "rubric": c.rubric.id,
                    "level": c.level,
                    "finished_at": c.created_at,
                    "overall": c.overall,
                    "dimensions": c.dimensions.iter().map(|d| serde_json::json!({"id": d.id, "name": d.name, "score": d.score})).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(serde_json::json!({ "sessions": points }))
    }
}

/// Every turn of a transcript, as the scorer reads them.
fn scoring_turns(turns: &[TurnRow]) -> Vec<crate::scoring::input::TurnText<'_>> {
    use crate::scoring::input::{Speaker, TurnText};
    turns
        .iter()
        .map(|t| TurnText {
            turn_id: t.id,
            speaker: if t.role == "candidate" {
                Speaker::Candidate
            } else {
                Speaker::Interviewer
            },
            phase: &t.phase,
            content: &t.content,
        })
        .collect()
}

/// The candidate's turns of a transcript, as coverage and scoring read them.
fn candidate_texts(turns: &[TurnRow]) -> Vec<CandidateText<'_>> {
    turns
        .iter()
        .filter(|t| t.role == "candidate")
        .map(|t| CandidateText {
            turn_id: t.id,
            phase: &t.phase,
            content: &t.content,
        })
        .collect()
}

fn phase_change(plan: &crate::content::PhasePlan, t: Transition, at: i64) -> PhaseChange<'_> {
    PhaseChange {
        index: t.to,
        phase: &plan.phases[t.to].id,
        at,
        trigger: match t.trigger {
            Trigger::Requested => "requested",
            Trigger::TimeUp => "time_up",
        },
    }
}

/// Relays the reply as it streams, then commits it. A reply that ends without a finish, or with an
/// error, is stored as incomplete and the stream ends with an `error` event.
fn relay(
    prelude: Vec<StreamEvent>,
    upstream: Result<ReplyStream, LlmError>,
    job: ReplyJob,
) -> EventStream {
    let stream = async_stream::stream! {
        for e in prelude {
            yield e;
        }
        let mut upstream = match upstream {
            Ok(s) => s,
            Err(e) => {
                yield StreamEvent::Error { code: e.code(), message: e.to_string() };
                return;
            }
        };
        let mut partial = PartialReply { job: Some(job), text: String::new() };
        let mut finished = false;
        let mut failure: Option<LlmError> = None;
        let mut usage: Option<(u32, u32)> = None;
        while let Some(item) = upstream.next().await {
            match item {
                Ok(ReplyChunk::Delta(d)) => {
                    if d.is_empty() {
                        continue;
                    }
                    partial.text.push_str(&d);
                    yield StreamEvent::Token(d);
                }
                Ok(ReplyChunk::Usage { prompt, completion }) => usage = Some((prompt, completion)),
                Ok(ReplyChunk::Finished) => finished = true,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        drop(upstream);
        let Some(mut job) = partial.job.take() else { return };
        let text = std::mem::take(&mut partial.text);
        if failure.is_none() && !finished {
            failure = Some(LlmError::Cut("the stream ended without a finish reason".into()));
        }
        let incomplete = failure.is_some();
        let (prompt_tokens, completion_tokens) = match usage {
            Some((p, c)) if job.count_completion => (Some(i64::from(p)), Some(i64::from(c))),
            _ if job.count_completion => (job.prompt_tokens.resolve(), Some(count(&text) as i64)),
            _ => (None, None),
        };
        let committed = if text.is_empty() {
            None
        } else {
            let r = NewReply {
                session_id: &job.session_id,
                phase: &job.phase,
                content: &text,
                at: job.clock.now_ms(),
                incomplete,
                source: job.source,
                prompt_tokens,
                completion_tokens,
            };
            let committed = job.storage.commit_reply(&r).await;
            match &committed {
                Ok(turn) => {
                    remember_reply(&job.hot, turn);
                    if let Some(w) = job.warm.take() {
                        let reply = (turn.id, turn.content.clone());
                        job.tasks.spawn(async move {
                            w.counter.turn(reply.0, &reply.1);
                            if let Some((id, text)) = w.candidate {
                                w.counter.turn(id, &text);
                            }
                        });
                    }
                }
                Err(_) => job.hot.invalidate(&job.session_id),
            }
            Some(committed)
        };
        match (failure, committed) {
            (_, Some(Err(e))) => {
                tracing::error!(error = %e, "could not store the interviewer's reply");
                yield StreamEvent::Error { code: "storage_failed", message: "the reply could not be stored".into() };
            }
            (Some(e), _) => yield StreamEvent::Error { code: e.code(), message: e.to_string() },
            (None, Some(Ok(turn))) => yield StreamEvent::Done { turn_id: turn.id, phase: job.phase.clone() },
            (None, None) => yield StreamEvent::Error { code: "empty_reply", message: "the interviewer said nothing".into() },
        }
        drop(job.busy);
    };
    Box::pin(stream)
}
