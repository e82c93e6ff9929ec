//! The interviewer's reply to a planned turn: the prompt rendered and counted, the upstream opened,
//! the candidate's turn committed beside it, then the reply relayed by `reply_stream`.

use crate::domain::ReplySource;
use crate::error::ApiError;

use super::{PROVISIONAL, ReplyPlan};
use crate::interview::events::{EventStream, StreamEvent, TurnViewJson};
use crate::interview::interviewer_prompt::{self, PromptCount, TurnPrompt};
use crate::interview::orchestrator::Interviews;
use crate::interview::phases::{self, PhaseState};
use crate::interview::reply_stream::{
    MemoryReader, PromptTokens, ReplyJob, ReplyMetrics, WarmCounts, stream_reply,
};
use crate::interview::turn_plan;
use crate::interview::views::TurnView;

impl Interviews {
    pub(super) async fn reply(&self, plan: ReplyPlan) -> Result<EventStream, ApiError> {
        let ReplyPlan {
            before,
            entry,
            repertoire,
            mut guard,
            candidate,
            transition,
            directive,
            speech,
            hint,
            mut after,
            now,
            started,
        } = plan;
        let phases_of = &entry.plan;
        let index = transition
            .map(|t| t.to)
            .unwrap_or(before.phase_index as usize)
            .min(phases_of.phases.len() - 1);
        let phase = &phases_of.phases[index];
        let started_at = if transition.is_some() {
            now
        } else {
            before.phase_started_at
        };
        let state = PhaseState { index, started_at };
        let (turns, revealed, coverage) = (&after.turns, &after.revealed, &after.coverage);
        // Only a model reads a prompt; the offline interviewer reads the directive.
        let prompt = match self.interviewer.llm() {
            None => None,
            Some(_) => {
                let static_prompt = self.static_prompt(&entry, before.level)?;
                Some(
                    interviewer_prompt::build(
                        &self.prompts,
                        &self.tokens,
                        &TurnPrompt {
                            entry: &entry,
                            lexicon: &self.catalog.lexicon,
                            static_prompt: &static_prompt,
                            phase_index: index,
                            phase_ms_left: phases::time_left_ms(phases_of, state, now),
                            total_ms_left: phases::interview_time_left_ms(phases_of, state, now),
                            revealed,
                            coverage,
                            directive: &directive,
                            turns,
                            advance: candidate.is_none(),
                            budget_tokens: self.settings.prompt_budget(),
                        },
                    )
                    .map_err(|e| ApiError::Internal(e.into()))?,
                )
            }
        };
        let (messages, counted) = match prompt {
            Some((messages, counted)) => (Some(messages), counted),
            None => (None, PromptCount::default()),
        };
        let memory = &after.memory;
        let open = self.interviewer.open(
            messages,
            || turn_plan::words_of(&directive, speech, memory),
            self.settings.on_upstream_failure,
            &before.id,
            &self.metrics,
        );
        let (opened, committed) = match candidate {
            Some(commit) => {
                let (opened, committed) = tokio::join!(open, commit);
                (opened, Some(committed))
            }
            None => (open.await, None),
        };
        let by_model = opened.source == ReplySource::Openai;
        // Counts are warmed whenever a model plays the interviewer, even for a turn the offline
        // interviewer stood in for: the model's next prompt holds these turns.
        let mut warm = self.interviewer.llm().is_some().then(|| WarmCounts {
            counter: self.tokens.clone(),
            candidate: None,
        });
        let mut prelude = Vec::new();
        if let Some(committed) = committed {
            // On failure nothing was acknowledged: the upstream call is dropped with the stream, and
            // no snapshot is kept, so the next turn reads the session again.
            let turn = committed?;
            if let Some(w) = warm.as_mut() {
                w.candidate = Some((turn.id, turn.content.clone()));
            }
            if let Some(provisional) = after.turns.last_mut() {
                provisional.id = turn.id;
            }
            after.coverage.renumber(PROVISIONAL, turn.id);
            after.memory.renumber(PROVISIONAL, turn.id);
            let view = TurnViewJson::of(&TurnView::plain(&turn)).map_err(anyhow::Error::from)?;
            prelude.push(StreamEvent::Turn(Box::new(view)));
        }
        *guard = Some(after);
        if let Some(t) = transition {
            prelude.push(StreamEvent::Phase {
                from: phases_of.phases[t.from].id.clone(),
                to: phase.id.clone(),
            });
        }
        prelude.extend(opened.notice);
        let job = ReplyJob {
            storage: self.storage.clone(),
            clock: self.clock.clone(),
            tasks: self.tasks.clone(),
            session_id: before.id.clone(),
            phase: phase.id.clone(),
            source: opened.source,
            prompt_tokens: if by_model {
                PromptTokens::Sent(counted)
            } else {
                PromptTokens::None
            },
            count_completion: by_model,
            warm,
            hint,
            guard,
            reader: MemoryReader {
                repertoire,
                catalog: self.catalog.clone(),
            },
            shutdown: self.shutdown.clone(),
        };
        let metrics = ReplyMetrics {
            metrics: self.metrics.clone(),
            started,
            model: match self.interviewer.model() {
                Some(model) if by_model => model.to_string(),
                _ => "offline".to_string(),
            },
        };
        Ok(stream_reply(prelude, opened.stream, job, metrics))
    }
}
