//! Read views: a session as the API shows it, the list of sessions, a transcript for review, a stored
//! scorecard and progress over time. Nothing here writes or takes a session's lock.

use crate::clock::{Clock, SystemClock, rfc3339};
use crate::domain::InterviewerMode;
use crate::error::ApiError;
use crate::scoring::Scorecard;
use crate::storage::{RevealRow, SessionRow, SessionScope, TurnRow};

use super::orchestrator::Interviews;
use super::phases::{self, PhaseState};
use super::transcript::Transcript;
use super::views::{
    InterviewerView, PhaseUsage, ProgressDimension, ProgressPoint, ProgressView, QuestionView,
    RevealedView, SessionSummary, SessionView, TokensView, TurnView, phase_views,
};

impl Interviews {
    /// How many sessions are in each status, by the status's name (for `/metrics`).
    pub async fn sessions_by_status(&self) -> Result<Vec<(&'static str, i64)>, ApiError> {
        Ok(self
            .storage
            .sessions_by_status()
            .await?
            .into_iter()
            .map(|(status, n)| (status.as_str(), n))
            .collect())
    }

    pub async fn session_view(&self, session_id: &str) -> Result<SessionView, ApiError> {
        let s = self.load(session_id).await?;
        let turns = self.storage.turns(session_id).await?;
        let reveals = self.storage.reveals(session_id).await?;
        self.view_of(&s, &turns, &reveals)
    }

    pub(super) fn view_of(
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
            level: s.level,
            status: s.status,
            streaming: self.sessions.is_locked(&s.id)
                || s.lease_expires
                    .is_some_and(|until| until > SystemClock.now_ms()),
            phase: plan.phases[index].id.clone(),
            phase_index: index,
            phases: phase_views(plan),
            phase_started_at: rfc3339(s.phase_started_at),
            phase_time_left_seconds: phases::time_left_ms(plan, state, now) / 1000,
            interview_time_left_seconds: phases::interview_time_left_ms(plan, state, now) / 1000,
            started_at: rfc3339(s.started_at),
            finished_at: s.finished_at.map(rfc3339),
            interviewer: InterviewerView {
                mode: s.interviewer,
                model: self
                    .interviewer
                    .model()
                    .filter(|_| s.interviewer != InterviewerMode::Offline)
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
            recommendation: s.recommendation,
        })
    }

    /// The sessions in `scope`, newest first (at most 1,000).
    pub async fn list_sessions(
        &self,
        scope: &SessionScope,
    ) -> Result<Vec<SessionSummary>, ApiError> {
        let rows = self.storage.sessions(scope, 1000).await?;
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

    /// The whole session for review: phases with time used, every turn, the scorecard if finished.
    pub async fn transcript(&self, session_id: &str) -> Result<Transcript, ApiError> {
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
        Ok(Transcript {
            session,
            phases,
            scorecard,
        })
    }

    /// Each finished session's dimension scores in `scope`, oldest first, to show progress over time.
    pub async fn progress(&self, scope: &SessionScope) -> Result<ProgressView, ApiError> {
        let cards = self.storage.scorecards(scope).await?;
        let sessions = cards
            .iter()
            .filter_map(|body| serde_json::from_str::<Scorecard>(body).ok())
            .map(|c| ProgressPoint {
                question_title: self
                    .catalog
                    .question(&c.question_id)
                    .map(|e| e.question.title.clone()),
                session_id: c.session_id,
                question_id: c.question_id,
                rubric: c.rubric.id,
                level: c.level,
                finished_at: c.created_at,
                overall: c.overall,
                dimensions: c
                    .dimensions
                    .into_iter()
                    .map(|d| ProgressDimension {
                        id: d.id,
                        name: d.name,
                        score: d.score,
                    })
                    .collect(),
            })
            .collect();
        Ok(ProgressView { sessions })
    }
}
