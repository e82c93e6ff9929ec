//! Every query of the service, written once and compiled once per backend: the macro below expands
//! the same functions into `sqlite` and `postgres`, each over that backend's concrete pool and
//! connection types (no `Any` driver, so the enums, booleans and integers bind natively). The SQL is
//! the common dialect of both: `$N` parameters (which sqlx's SQLite driver accepts too), `RETURNING`,
//! `ON CONFLICT DO NOTHING`, explicit `CAST(... AS BIGINT)` on sums (PostgreSQL's are NUMERIC) and an
//! explicit `rowid` column on PostgreSQL where SQLite's implicit one orders rows.

use crate::clock::Millis;
use crate::domain::{PhaseTrigger, Recommendation, ReplySource, Scorer, SessionStatus, TurnRole};

use super::rows::*;

/// `SELECT <every session column> FROM sessions <tail>`, as a literal.
macro_rules! select_sessions {
    ($tail:literal) => {
        concat!(
            "SELECT id, question_id, kind, level, status, phase_index, phase_started_at, started_at, finished_at, ",
            "interviewer, interviewer_model, judge, prompt_versions, ",
            // Session totals: the judge's tokens (kept on the session) plus every turn's.
            "prompt_tokens + (SELECT CAST(COALESCE(SUM(t.prompt_tokens), 0) AS BIGINT) FROM turns t WHERE t.session_id = sessions.id) AS prompt_tokens, ",
            "completion_tokens + (SELECT CAST(COALESCE(SUM(t.completion_tokens), 0) AS BIGINT) FROM turns t WHERE t.session_id = sessions.id) AS completion_tokens, ",
            "overall_score, recommendation, version, lease_expires, owner_id ",
            "FROM sessions ",
            $tail
        )
    };
}

/// `SELECT <every turn column> FROM turns <tail>`, as a literal.
macro_rules! select_turns {
    ($tail:literal) => {
        concat!(
            "SELECT id, session_id, role, phase, content, created_at, incomplete, source, prompt_tokens, ",
            "completion_tokens, hint, spoken, speech_ms FROM turns ",
            $tail
        )
    };
}

pub(super) const INSERT_TURN: &str = "INSERT INTO turns (session_id, role, phase, content, created_at, incomplete, source, \
     prompt_tokens, completion_tokens, hint, spoken, speech_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     RETURNING id";

macro_rules! queries {
    ($backend:ident, $Db:ty) => {
        pub(super) mod $backend {
            use super::*;

            type Db = $Db;
            type Pool = sqlx::Pool<Db>;
            type Conn = <Db as sqlx::Database>::Connection;

            pub async fn insert_turn(conn: &mut Conn, r: &NewTurn<'_>) -> sqlx::Result<TurnRow> {
                let id: i64 = sqlx::query_scalar(INSERT_TURN)
                    .bind(r.session_id)
                    .bind(r.role)
                    .bind(r.phase)
                    .bind(r.content)
                    .bind(r.at)
                    .bind(r.incomplete)
                    .bind(r.source)
                    .bind(r.prompt_tokens)
                    .bind(r.completion_tokens)
                    .bind(r.hint)
                    .bind(r.spoken)
                    .bind(r.speech_ms)
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(r.stored_as(id))
            }

            pub async fn create_session(
                pool: &Pool,
                s: &NewSession<'_>,
                opening: &str,
            ) -> sqlx::Result<TurnRow> {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "INSERT INTO sessions (id, question_id, kind, level, status, phase_index, phase_started_at, \
                     started_at, interviewer, interviewer_model, judge, prompt_versions, owner_id, client) \
                     VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(s.id)
                .bind(s.question_id)
                .bind(s.kind)
                .bind(s.level)
                .bind(SessionStatus::Active)
                .bind(s.now)
                .bind(s.now)
                .bind(s.interviewer)
                .bind(s.interviewer_model)
                .bind(s.judge)
                .bind(s.prompt_versions)
                .bind(s.owner_id)
                .bind(s.client)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) \
                     VALUES ($1, 0, $2, $3, $4)",
                )
                .bind(s.id)
                .bind(s.first_phase)
                .bind(s.now)
                .bind(PhaseTrigger::Start)
                .execute(&mut *tx)
                .await?;
                let turn = insert_turn(
                    &mut tx,
                    &NewTurn {
                        session_id: s.id,
                        role: TurnRole::Interviewer,
                        phase: s.first_phase,
                        content: opening,
                        at: s.now,
                        incomplete: false,
                        // The opening is the same words whatever plays the interviewer.
                        source: Some(ReplySource::Offline),
                        prompt_tokens: None,
                        completion_tokens: None,
                        hint: false,
                        spoken: false,
                        speech_ms: None,
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(turn)
            }

            pub async fn session(pool: &Pool, id: &str) -> sqlx::Result<Option<SessionRow>> {
                sqlx::query_as::<_, SessionRow>(select_sessions!("WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await
            }

            pub async fn sessions(pool: &Pool, limit: i64) -> sqlx::Result<Vec<SessionRow>> {
                sqlx::query_as::<_, SessionRow>(select_sessions!(
                    "ORDER BY started_at DESC, rowid DESC LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(pool)
                .await
            }

            /// The sessions `owner` made, newest first.
            pub async fn sessions_owned(
                pool: &Pool,
                owner: &str,
                limit: i64,
            ) -> sqlx::Result<Vec<SessionRow>> {
                sqlx::query_as::<_, SessionRow>(select_sessions!(
                    "WHERE owner_id = $1 ORDER BY started_at DESC, rowid DESC LIMIT $2"
                ))
                .bind(owner)
                .bind(limit)
                .fetch_all(pool)
                .await
            }

            /// The sessions shared with `coach` (by name, or through a link the coach opened) and
            /// the coach's own, newest first.
            pub async fn sessions_shared_with(
                pool: &Pool,
                coach: &str,
                limit: i64,
            ) -> sqlx::Result<Vec<SessionRow>> {
                sqlx::query_as::<_, SessionRow>(select_sessions!(
                    "WHERE owner_id = $1 OR id IN (SELECT sh.session_id FROM shares sh WHERE sh.coach_id = $1 \
                     UNION SELECT sh.session_id FROM shares sh JOIN share_access a ON a.share_id = sh.id \
                     WHERE a.coach_id = $1) ORDER BY started_at DESC, rowid DESC LIMIT $2"
                ))
                .bind(coach)
                .bind(limit)
                .fetch_all(pool)
                .await
            }

            pub async fn turns(pool: &Pool, session_id: &str) -> sqlx::Result<Vec<TurnRow>> {
                sqlx::query_as::<_, TurnRow>(select_turns!("WHERE session_id = $1 ORDER BY id"))
                    .bind(session_id)
                    .fetch_all(pool)
                    .await
            }

            pub async fn reveals(pool: &Pool, session_id: &str) -> sqlx::Result<Vec<RevealRow>> {
                sqlx::query_as::<_, RevealRow>(
                    "SELECT fact_id, turn_id, quote, revealed_at FROM reveals WHERE session_id = $1 \
                     ORDER BY revealed_at, rowid",
                )
                .bind(session_id)
                .fetch_all(pool)
                .await
            }

            pub async fn phase_changes(
                pool: &Pool,
                session_id: &str,
            ) -> sqlx::Result<Vec<PhaseChangeRow>> {
                sqlx::query_as::<_, PhaseChangeRow>(
                    "SELECT phase_index, phase, entered_at, trigger FROM phase_changes WHERE session_id = $1 \
                     ORDER BY entered_at, rowid",
                )
                .bind(session_id)
                .fetch_all(pool)
                .await
            }

            /// A candidate turn with the facts it revealed and the phase change it caused, atomically.
            pub async fn commit_turn_with_effects(
                pool: &Pool,
                answer: &NewTurn<'_>,
                reveals: &[(&str, &str)],
                change: Option<PhaseChange<'_>>,
            ) -> sqlx::Result<TurnRow> {
                let mut tx = pool.begin().await?;
                let turn = insert_turn(&mut tx, answer).await?;
                for (fact_id, quote) in reveals {
                    // A fact is revealed once: the first turn that asked for it keeps it.
                    sqlx::query(
                        "INSERT INTO reveals (session_id, fact_id, turn_id, quote, revealed_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(answer.session_id)
                    .bind(fact_id)
                    .bind(turn.id)
                    .bind(quote)
                    .bind(answer.at)
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(c) = change {
                    record_phase_change(&mut tx, answer.session_id, &c).await?;
                }
                tx.commit().await?;
                Ok(turn)
            }

            pub async fn change_phase(
                pool: &Pool,
                session_id: &str,
                change: PhaseChange<'_>,
            ) -> sqlx::Result<()> {
                let mut tx = pool.begin().await?;
                record_phase_change(&mut tx, session_id, &change).await?;
                tx.commit().await
            }

            async fn record_phase_change(
                conn: &mut Conn,
                session_id: &str,
                c: &PhaseChange<'_>,
            ) -> sqlx::Result<()> {
                sqlx::query("UPDATE sessions SET phase_index = $1, phase_started_at = $2 WHERE id = $3")
                    .bind(c.index as i64)
                    .bind(c.at)
                    .bind(session_id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(session_id)
                .bind(c.index as i64)
                .bind(c.phase)
                .bind(c.at)
                .bind(c.trigger)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            pub async fn add_tokens(
                pool: &Pool,
                session_id: &str,
                prompt: i64,
                completion: i64,
            ) -> sqlx::Result<()> {
                sqlx::query(
                    "UPDATE sessions SET prompt_tokens = prompt_tokens + $1, \
                     completion_tokens = completion_tokens + $2 WHERE id = $3",
                )
                .bind(prompt)
                .bind(completion)
                .bind(session_id)
                .execute(pool)
                .await
                .map(|_| ())
            }

            pub async fn finish(
                pool: &Pool,
                session_id: &str,
                scorer: Scorer,
                body: &str,
                overall: i64,
                recommendation: Recommendation,
                at: Millis,
            ) -> sqlx::Result<bool> {
                let mut tx = pool.begin().await?;
                // The status check makes the finish a compare-and-set: of two racing finishes, on
                // one instance or two, exactly one stores its scorecard.
                let updated = sqlx::query(
                    "UPDATE sessions SET status = $1, finished_at = $2, overall_score = $3, recommendation = $4 \
                     WHERE id = $5 AND status = $6",
                )
                .bind(SessionStatus::Finished)
                .bind(at)
                .bind(overall)
                .bind(recommendation)
                .bind(session_id)
                .bind(SessionStatus::Active)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if updated == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO scorecards (session_id, scorer, body, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(session_id)
                .bind(scorer)
                .bind(body)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            pub async fn scorecard(pool: &Pool, session_id: &str) -> sqlx::Result<Option<String>> {
                sqlx::query_scalar::<_, String>("SELECT body FROM scorecards WHERE session_id = $1")
                    .bind(session_id)
                    .fetch_optional(pool)
                    .await
            }

            pub async fn scorecards(pool: &Pool) -> sqlx::Result<Vec<String>> {
                sqlx::query_scalar::<_, String>(
                    "SELECT c.body FROM scorecards c JOIN sessions s ON s.id = c.session_id \
                     ORDER BY s.finished_at, s.rowid",
                )
                .fetch_all(pool)
                .await
            }

            /// Scorecards of `owner`'s finished sessions, oldest first.
            pub async fn scorecards_owned(pool: &Pool, owner: &str) -> sqlx::Result<Vec<String>> {
                sqlx::query_scalar::<_, String>(
                    "SELECT c.body FROM scorecards c JOIN sessions s ON s.id = c.session_id \
                     WHERE s.owner_id = $1 ORDER BY s.finished_at, s.rowid",
                )
                .bind(owner)
                .fetch_all(pool)
                .await
            }

            pub async fn sessions_by_status(pool: &Pool) -> sqlx::Result<Vec<(SessionStatus, i64)>> {
                sqlx::query_as("SELECT status, CAST(COUNT(*) AS BIGINT) FROM sessions GROUP BY status")
                    .fetch_all(pool)
                    .await
            }

            pub async fn ping(pool: &Pool) -> sqlx::Result<()> {
                sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
            }
        }
    };
}

queries!(sqlite, sqlx::Sqlite);
queries!(postgres, sqlx::Postgres);
