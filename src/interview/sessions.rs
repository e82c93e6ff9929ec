//! The session use-cases: open a session (its opening turn written by the offline interviewer's
//! words, whatever plays the interviewer) and finish it with a scorecard: the offline scorer's, or
//! the judge model's checked against it.

use crate::analysis::coverage::Coverage;
use crate::clock::rfc3339;
use crate::content::{Level, QuestionEntry};
use crate::error::ApiError;
use crate::scoring::judging::{self, JudgeInput};
use crate::scoring::offline::{self as offline_scorer, Reveal, ScoringInput, TurnText};
use crate::scoring::{Scorecard, delivery};
use crate::storage::{NewSession, SessionRow};

use super::memory::Memory;
use super::offline_interviewer;
use super::orchestrator::Interviews;
use super::session_cache::Snapshot;
use super::views::SessionView;

impl Interviews {
    /// A new session for `client` (who created it: the token quota counts its sessions).
    pub async fn create_session(
        &self,
        question_id: &str,
        level: Option<Level>,
        owner_id: Option<&str>,
        client: &str,
    ) -> Result<SessionView, ApiError> {
        self.ensure_running()?;
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
        let opening = offline_interviewer::opening(&entry.question, &entry.plan, level);
        let first_phase = entry
            .plan
            .phases
            .first()
            .map(|p| p.id.as_str())
            .unwrap_or_default();
        let mut versions = serde_json::json!({ "rubric": format!("{}@{}", entry.rubric.id, entry.rubric.version) });
        if self.interviewer.llm().is_some() {
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
                    level,
                    first_phase,
                    now,
                    interviewer: self.interviewer.mode(),
                    interviewer_model: self.interviewer.model(),
                    judge: self.interviewer.judge_model(),
                    prompt_versions: &versions.to_string(),
                    owner_id,
                    client: Some(client),
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
            memory: Memory::default(),
        };
        self.sessions.insert(&id, snapshot)?;
        Ok(view)
    }

    /// Finishes the session with a scorecard; finishing again returns the stored one.
    pub async fn finish(&self, session_id: &str) -> Result<Scorecard, ApiError> {
        let session = self.load(session_id).await?;
        if session.is_finished() {
            return self.scorecard(session_id).await;
        }
        let mut guard = self.lock_session(session_id).await?;
        // A finished session takes no more turns: nothing of it needs to stay in memory.
        *guard = None;
        let entry = self.entry_for(&session)?;
        let card = self.grade(&session, &entry).await?;
        let body = serde_json::to_string(&card).map_err(anyhow::Error::from)?;
        let now = self.clock.now_ms();
        let stored = self
            .storage
            .finish(
                session_id,
                card.scorer,
                &body,
                i64::from(card.overall.score),
                card.overall.recommendation,
                now,
            )
            .await?;
        // Released before answering, so the next request on any instance finds the session free.
        guard.release_lease().await;
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
        let reveals: Vec<Reveal> = self
            .storage
            .reveals(&session.id)
            .await?
            .into_iter()
            .map(|r| Reveal {
                fact_id: r.fact_id,
                turn_id: r.turn_id,
                quote: r.quote,
            })
            .collect();
        let all_turns = TurnText::from_rows(&turns);
        let hints_used = turns.iter().filter(|t| t.hint).count() as u32;
        let (mut anchor, bound) = offline_scorer::score_bounded(&ScoringInput {
            session_id: &session.id,
            entry,
            lexicon: &self.catalog.lexicon,
            level: session.level,
            turns: &all_turns,
            reveals: &reveals,
            created_at: rfc3339(self.clock.now_ms()),
        });
        anchor.hints_used = hints_used;
        let Some(llm) = self.interviewer.llm() else {
            delivery::annotate(&mut anchor, &turns);
            return Ok(anchor);
        };
        let revealed: Vec<String> = reveals.iter().map(|r| r.fact_id.clone()).collect();
        let judging = async {
            let judged = judging::judge(
                llm.as_ref(),
                &self.prompts,
                JudgeInput {
                    session_id: &session.id,
                    entry,
                    level: session.level,
                    turns: &turns,
                    revealed: &revealed,
                    anchor,
                    bound,
                },
            )
            .await;
            if let Some(kind) = judged.upstream_error {
                self.metrics.upstream_error(kind);
            }
            self.metrics.tokens(
                llm.judge_model(),
                judged.prompt_tokens.max(0) as u64,
                judged.completion_tokens.max(0) as u64,
            );
            self.record_judge_tokens(&session.id, judged.prompt_tokens, judged.completion_tokens)
                .await;
            let mut card = judged.card;
            card.hints_used = hints_used;
            card
        };
        let mut card = self.judged.get_with(session.id.clone(), judging).await;
        card.hints_used = hints_used;
        delivery::annotate(&mut card, &turns);
        Ok(card)
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
}
