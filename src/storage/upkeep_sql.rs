//! The upkeep's queries, written once for both backends as `sql` does: the shared rate windows the
//! limits count in (one statement hits and checks, so instances cannot both take the last slot), the
//! tokens a client spent, and retention's purge of finished sessions with everything they hold.

use crate::clock::Millis;
use crate::domain::SessionStatus;

use super::rows::*;

macro_rules! upkeep_queries {
    ($backend:ident, $Db:ty) => {
        pub(super) mod $backend {
            use super::*;

            type Db = $Db;
            type Pool = sqlx::Pool<Db>;

            /// Counts one hit in a rate window unless it already holds `allowed`: the hit and the
            /// check are one statement, so instances sharing the database cannot both take the
            /// last one. `None` when the window is full.
            pub async fn hit_window(
                pool: &Pool,
                w: &RateWindow<'_>,
                allowed: i64,
            ) -> sqlx::Result<Option<i64>> {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO rate_windows (subject, kind, window_start, hits, expires_at) \
                     VALUES ($1, $2, $3, 1, $4) \
                     ON CONFLICT (subject, kind, window_start) DO UPDATE SET hits = rate_windows.hits + 1 \
                     WHERE rate_windows.hits < $5 RETURNING hits",
                )
                .bind(w.subject)
                .bind(w.kind)
                .bind(w.start)
                .bind(w.expires_at)
                .bind(allowed)
                .fetch_optional(pool)
                .await
            }

            pub async fn window_hits(pool: &Pool, w: &RateWindow<'_>) -> sqlx::Result<i64> {
                Ok(sqlx::query_scalar::<_, i64>(
                    "SELECT hits FROM rate_windows WHERE subject = $1 AND kind = $2 AND window_start = $3",
                )
                .bind(w.subject)
                .bind(w.kind)
                .bind(w.start)
                .fetch_optional(pool)
                .await?
                .unwrap_or(0))
            }

            /// Model tokens stored since `since` for the sessions `client` created: each turn's, and
            /// the judge's (kept on the session, counted when it finished); oldest first.
            pub async fn tokens_since(
                pool: &Pool,
                client: &str,
                since: Millis,
            ) -> sqlx::Result<Vec<(Millis, i64)>> {
                sqlx::query_as(
                    "SELECT t.created_at, CAST(COALESCE(t.prompt_tokens, 0) + COALESCE(t.completion_tokens, 0) AS BIGINT) \
                     FROM turns t JOIN sessions s ON s.id = t.session_id \
                     WHERE s.client = $1 AND t.created_at >= $2 \
                     AND (t.prompt_tokens IS NOT NULL OR t.completion_tokens IS NOT NULL) \
                     UNION ALL \
                     SELECT finished_at, CAST(prompt_tokens + completion_tokens AS BIGINT) FROM sessions \
                     WHERE client = $1 AND finished_at >= $2 AND prompt_tokens + completion_tokens > 0 \
                     ORDER BY 1",
                )
                .bind(client)
                .bind(since)
                .fetch_all(pool)
                .await
            }

            pub async fn purge_windows(pool: &Pool, now: Millis) -> sqlx::Result<u64> {
                Ok(sqlx::query("DELETE FROM rate_windows WHERE expires_at < $1")
                    .bind(now)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }

            /// Deletes up to `batch` sessions finished before `before`, with every row that refers
            /// to them, in one transaction; returns how many sessions went.
            pub async fn purge_finished(
                pool: &Pool,
                before: Millis,
                batch: i64,
            ) -> sqlx::Result<u64> {
                let mut tx = pool.begin().await?;
                // The same sessions for every table: ordered, and none can join the set meanwhile
                // (a session finishing now finishes after `before`).
                macro_rules! purge {
                    ($table:literal, $column:literal) => {
                        sqlx::query(concat!(
                            "DELETE FROM ", $table, " WHERE ", $column, " IN (SELECT id FROM sessions \
                             WHERE status = $1 AND finished_at < $2 ORDER BY finished_at, id LIMIT $3)"
                        ))
                        .bind(SessionStatus::Finished)
                        .bind(before)
                        .bind(batch)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                    };
                }
                // What accounts hang on a session: comments, and the shares with their openings.
                purge!("comments", "session_id");
                sqlx::query(
                    "DELETE FROM share_access WHERE share_id IN (SELECT id FROM shares WHERE session_id IN \
                     (SELECT id FROM sessions WHERE status = $1 AND finished_at < $2 ORDER BY finished_at, id LIMIT $3))",
                )
                .bind(SessionStatus::Finished)
                .bind(before)
                .bind(batch)
                .execute(&mut *tx)
                .await?;
                purge!("shares", "session_id");
                purge!("reveals", "session_id");
                purge!("scorecards", "session_id");
                purge!("phase_changes", "session_id");
                purge!("turns", "session_id");
                let sessions = purge!("sessions", "id");
                tx.commit().await?;
                Ok(sessions)
            }
        }
    };
}

upkeep_queries!(sqlite, sqlx::Sqlite);
upkeep_queries!(postgres, sqlx::Postgres);
