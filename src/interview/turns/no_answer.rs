//! Turns without an answer: an explicit advance and a hint, each planned and answered by a streamed
//! reply like an answer is.

use std::time::Instant;

use crate::error::ApiError;

use super::{OpenTurn, ReplyPlan, refused, spoken};
use crate::interview::events::EventStream;
use crate::interview::orchestrator::{Interviews, phase_change};
use crate::interview::turn_plan::{self, Request, Session};

impl Interviews {
    /// An explicit move to the next phase, with the interviewer's transition streamed.
    pub async fn advance(&self, session_id: &str) -> Result<EventStream, ApiError> {
        self.without_answer(session_id, Request::Advance).await
    }

    /// A hint: a nudge toward a direction, streamed like a reply and stored as a hint. A few per
    /// phase; past that, `HintLimit`.
    pub async fn hint(&self, session_id: &str) -> Result<EventStream, ApiError> {
        self.without_answer(session_id, Request::Hint).await
    }

    /// A reply to something the candidate did without saying anything: an advance or a hint.
    async fn without_answer(
        &self,
        session_id: &str,
        request: Request<'_>,
    ) -> Result<EventStream, ApiError> {
        let started = Instant::now();
        let OpenTurn {
            guard,
            snapshot,
            entry,
            repertoire,
            state,
        } = self.open_turn(session_id).await?;
        let plan = &entry.plan;
        let now = self.clock.now_ms();
        let planned = {
            let spoken = spoken(&snapshot.turns);
            turn_plan::plan_unspoken(
                &Session {
                    entry: &entry,
                    lexicon: &self.catalog.lexicon,
                    level: snapshot.session.level,
                    state,
                    now,
                    turns: &spoken,
                    coverage: &snapshot.coverage,
                    revealed: &snapshot.revealed,
                    repertoire: &repertoire,
                    memory: &snapshot.memory,
                },
                request,
            )
            .map_err(refused)?
        };
        if let Some(t) = planned.transition {
            self.storage
                .change_phase(session_id, phase_change(plan, t, now))
                .await?;
        }
        let before = snapshot.session.clone();
        let mut after = snapshot;
        if let Some(t) = planned.transition {
            after.session.phase_index = t.to as i64;
            after.session.phase_started_at = now;
        }
        self.reply(ReplyPlan {
            before,
            entry: entry.clone(),
            repertoire,
            guard,
            candidate: None,
            transition: planned.transition,
            directive: planned.directive,
            speech: planned.speech,
            hint: planned.hint,
            after,
            now,
            started,
        })
        .await
    }
}
