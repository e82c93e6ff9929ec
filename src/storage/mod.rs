//! All SQL: sessions, turns, revealed facts, phase changes and scorecards in SQLite (WAL). An
//! acknowledged turn is committed before the client hears of it, so it survives `kill -9`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::clock::Millis;
use crate::domain::{PhaseTrigger, Recommendation, ReplySource, Scorer, SessionStatus, TurnRole};

mod rows;
mod turn_writer;

pub use rows::*;

#[derive(Debug, Clone)]
pub struct Storage {
    /// Readers (WAL lets them run beside the writer).
    pool: SqlitePool,
    /// The one writer connection: writes queue here in-process instead of contending for SQLite's
    /// write lock, whose busy handler sleeps in milliseconds.
    writer: SqlitePool,
    /// Turn inserts, the hot write: group-committed by one task (see `turn_writer`).
    turns: turn_writer::TurnQueue,
}

/// `SELECT <every session column> FROM sessions <tail>`, as a literal.
macro_rules! select_sessions {
    ($tail:literal) => {
        concat!(
            "SELECT id, question_id, kind, level, status, phase_index, phase_started_at, started_at, finished_at, ",
            "interviewer, interviewer_model, judge, prompt_versions, ",
            // Session totals: the judge's tokens (kept on the session) plus every turn's.
            "prompt_tokens + (SELECT COALESCE(SUM(t.prompt_tokens), 0) FROM turns t WHERE t.session_id = sessions.id) AS prompt_tokens, ",
            "completion_tokens + (SELECT COALESCE(SUM(t.completion_tokens), 0) FROM turns t WHERE t.session_id = sessions.id) AS completion_tokens, ",
            "overall_score, recommendation ",
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
            "completion_tokens, hint FROM turns ",
            $tail
        )
    };
}

impl Storage {
    /// Opens (creating the file and its folder if missing) and migrates the database.
    pub async fn open(path: &Path) -> anyhow::Result<Storage> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9); only an
            // OS crash or power loss can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let turns = turn_writer::TurnQueue::start(writer.clone());
        Ok(Storage {
            pool,
            writer,
            turns,
        })
    }

    /// Creates a session with its opening interviewer turn, atomically.
    pub async fn create_session(&self, s: &NewSession<'_>, opening: &str) -> sqlx::Result<TurnRow> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (id, question_id, kind, level, status, phase_index, phase_started_at, started_at, \
             interviewer, interviewer_model, judge, prompt_versions) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
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
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) VALUES (?, 0, ?, ?, ?)")
            .bind(s.id)
            .bind(s.first_phase)
            .bind(s.now)
            .bind(PhaseTrigger::Start)
            .execute(&mut *tx)
            .await?;
        let turn = insert_turn(
            &mut *tx,
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
            },
        )
        .await?;
        tx.commit().await?;
        Ok(turn)
    }

    pub async fn session(&self, id: &str) -> sqlx::Result<Option<SessionRow>> {
        sqlx::query_as::<_, SessionRow>(select_sessions!("WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// All sessions, newest first.
    pub async fn sessions(&self, limit: i64) -> sqlx::Result<Vec<SessionRow>> {
        sqlx::query_as::<_, SessionRow>(select_sessions!(
            "ORDER BY started_at DESC, rowid DESC LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    pub async fn turns(&self, session_id: &str) -> sqlx::Result<Vec<TurnRow>> {
        sqlx::query_as::<_, TurnRow>(select_turns!("WHERE session_id = ? ORDER BY id"))
            .bind(session_id)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn reveals(&self, session_id: &str) -> sqlx::Result<Vec<RevealRow>> {
        sqlx::query_as::<_, RevealRow>(
            "SELECT fact_id, turn_id, quote, revealed_at FROM reveals WHERE session_id = ? ORDER BY revealed_at, rowid",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await
    }

    pub async fn phase_changes(&self, session_id: &str) -> sqlx::Result<Vec<PhaseChangeRow>> {
        sqlx::query_as::<_, PhaseChangeRow>(
            "SELECT phase_index, phase, entered_at, trigger FROM phase_changes WHERE session_id = ? ORDER BY entered_at, rowid",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Commits a candidate turn with the facts it revealed and the phase change it caused, atomically.
    pub async fn commit_candidate_turn(
        &self,
        session_id: &str,
        phase: &str,
        content: &str,
        at: Millis,
        reveals: &[(&str, &str)],
        change: Option<PhaseChange<'_>>,
    ) -> sqlx::Result<TurnRow> {
        let answer = NewTurn {
            session_id,
            role: TurnRole::Candidate,
            phase,
            content,
            at,
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
            hint: false,
        };
        if reveals.is_empty() && change.is_none() {
            // Most turns: one row, group-committed with whatever other turns are waiting.
            return self.turns.insert(&answer).await;
        }
        let mut tx = self.writer.begin().await?;
        let turn = insert_turn(&mut *tx, &answer).await?;
        for (fact_id, quote) in reveals {
            sqlx::query(
                "INSERT OR IGNORE INTO reveals (session_id, fact_id, turn_id, quote, revealed_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(session_id)
            .bind(fact_id)
            .bind(turn.id)
            .bind(quote)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(c) = change {
            record_phase_change(&mut tx, session_id, &c).await?;
        }
        tx.commit().await?;
        Ok(turn)
    }

    /// Moves a session to another phase (an explicit advance).
    pub async fn change_phase(
        &self,
        session_id: &str,
        change: PhaseChange<'_>,
    ) -> sqlx::Result<()> {
        let mut tx = self.writer.begin().await?;
        record_phase_change(&mut tx, session_id, &change).await?;
        tx.commit().await
    }

    /// Stores an interviewer reply (its tokens count toward the session's totals), group-committed.
    pub async fn commit_reply(&self, r: &NewTurn<'_>) -> sqlx::Result<TurnRow> {
        self.turns.insert(r).await
    }

    /// Adds judge tokens to the session's totals.
    pub async fn add_tokens(
        &self,
        session_id: &str,
        prompt: i64,
        completion: i64,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE sessions SET prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ? WHERE id = ?",
        )
        .bind(prompt)
        .bind(completion)
        .bind(session_id)
        .execute(&self.writer)
        .await
        .map(|_| ())
    }

    /// Stores the scorecard and finishes the session, atomically. Returns false when the session was
    /// already finished (the stored scorecard stands).
    pub async fn finish(
        &self,
        session_id: &str,
        scorer: Scorer,
        body: &str,
        overall: i64,
        recommendation: Recommendation,
        at: Millis,
    ) -> sqlx::Result<bool> {
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(
            "UPDATE sessions SET status = ?, finished_at = ?, overall_score = ?, recommendation = ? \
             WHERE id = ? AND status = ?",
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
            "INSERT INTO scorecards (session_id, scorer, body, created_at) VALUES (?, ?, ?, ?)",
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

    pub async fn scorecard(&self, session_id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar::<_, String>("SELECT body FROM scorecards WHERE session_id = ?")
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Scorecards of finished sessions, oldest first (for progress over time).
    pub async fn scorecards(&self) -> sqlx::Result<Vec<String>> {
        sqlx::query_scalar::<_, String>(
            "SELECT c.body FROM scorecards c JOIN sessions s ON s.id = c.session_id ORDER BY s.finished_at, s.rowid",
        )
        .fetch_all(&self.pool)
        .await
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

async fn insert_turn<'e, E>(executor: E, r: &NewTurn<'_>) -> sqlx::Result<TurnRow>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let id = sqlx::query(
        "INSERT INTO turns (session_id, role, phase, content, created_at, incomplete, source, prompt_tokens, completion_tokens, hint) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
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
    .execute(executor)
    .await?
    .last_insert_rowid();
    Ok(r.stored_as(id))
}

async fn record_phase_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    session_id: &str,
    c: &PhaseChange<'_>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET phase_index = ?, phase_started_at = ? WHERE id = ?")
        .bind(c.index as i64)
        .bind(c.at)
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) VALUES (?, ?, ?, ?, ?)")
        .bind(session_id)
        .bind(c.index as i64)
        .bind(c.phase)
        .bind(c.at)
        .bind(c.trigger)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
