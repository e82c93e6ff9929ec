//! All SQL: sessions, turns, revealed facts, phase changes and scorecards in SQLite (WAL). An
//! acknowledged turn is committed before the client hears of it, so it survives `kill -9`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, SqlitePool};

use crate::clock::Millis;

mod stats;
mod turn_writer;

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

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub question_id: String,
    pub kind: String,
    pub level: String,
    pub status: String,
    pub phase_index: i64,
    pub phase_started_at: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub interviewer: String,
    pub interviewer_model: Option<String>,
    pub judge: Option<String>,
    pub prompt_versions: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub overall_score: Option<i64>,
    pub recommendation: Option<String>,
}

impl SessionRow {
    pub fn is_finished(&self) -> bool {
        self.status == "finished"
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct TurnRow {
    pub id: i64,
    pub session_id: String,
    pub role: String,
    pub phase: String,
    pub content: String,
    pub created_at: i64,
    pub incomplete: bool,
    pub source: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct RevealRow {
    pub fact_id: String,
    pub turn_id: i64,
    pub quote: String,
    pub revealed_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct PhaseChangeRow {
    pub phase_index: i64,
    pub phase: String,
    pub entered_at: i64,
    pub trigger: String,
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub question_id: &'a str,
    pub kind: &'a str,
    pub level: &'a str,
    pub first_phase: &'a str,
    pub now: Millis,
    pub interviewer: &'a str,
    pub interviewer_model: Option<&'a str>,
    pub judge: Option<&'a str>,
    pub prompt_versions: &'a str,
}

/// A phase change to record with a turn.
pub struct PhaseChange<'a> {
    pub index: usize,
    pub phase: &'a str,
    pub at: Millis,
    pub trigger: &'a str,
}

/// An interviewer reply to store once it is complete (or cut).
pub struct NewReply<'a> {
    pub session_id: &'a str,
    pub phase: &'a str,
    pub content: &'a str,
    pub at: Millis,
    pub incomplete: bool,
    pub source: &'a str,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
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
            "completion_tokens FROM turns ",
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
             interviewer, interviewer_model, judge, prompt_versions) VALUES (?, ?, ?, ?, 'active', 0, ?, ?, ?, ?, ?, ?)",
        )
        .bind(s.id)
        .bind(s.question_id)
        .bind(s.kind)
        .bind(s.level)
        .bind(s.now)
        .bind(s.now)
        .bind(s.interviewer)
        .bind(s.interviewer_model)
        .bind(s.judge)
        .bind(s.prompt_versions)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) VALUES (?, 0, ?, ?, 'start')")
            .bind(s.id)
            .bind(s.first_phase)
            .bind(s.now)
            .execute(&mut *tx)
            .await?;
        let turn = insert_turn(
            &mut *tx,
            &NewReply {
                session_id: s.id,
                phase: s.first_phase,
                content: opening,
                at: s.now,
                incomplete: false,
                source: "offline",
                prompt_tokens: None,
                completion_tokens: None,
            },
            "interviewer",
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
        let reply = NewReply {
            session_id,
            phase,
            content,
            at,
            incomplete: false,
            source: "candidate",
            prompt_tokens: None,
            completion_tokens: None,
        };
        if reveals.is_empty() && change.is_none() {
            // Most turns: one row, group-committed with whatever other turns are waiting.
            return self.turns.insert(&reply, "candidate").await;
        }
        let mut tx = self.writer.begin().await?;
        let turn = insert_turn(&mut *tx, &reply, "candidate").await?;
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
    pub async fn commit_reply(&self, r: &NewReply<'_>) -> sqlx::Result<TurnRow> {
        self.turns.insert(r, "interviewer").await
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
        scorer: &str,
        body: &str,
        overall: i64,
        recommendation: &str,
        at: Millis,
    ) -> sqlx::Result<bool> {
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(
            "UPDATE sessions SET status = 'finished', finished_at = ?, overall_score = ?, recommendation = ? \
             WHERE id = ? AND status = 'active'",
        )
        .bind(at)
        .bind(overall)
        .bind(recommendation)
        .bind(session_id)
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

async fn insert_turn<'e, E>(executor: E, r: &NewReply<'_>, role: &str) -> sqlx::Result<TurnRow>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let source = (role == "interviewer").then_some(r.source);
    let id = sqlx::query(
        "INSERT INTO turns (session_id, role, phase, content, created_at, incomplete, source, prompt_tokens, completion_tokens) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(r.session_id)
    .bind(role)
    .bind(r.phase)
    .bind(r.content)
    .bind(r.at)
    .bind(r.incomplete)
    .bind(source)
    .bind(r.prompt_tokens)
    .bind(r.completion_tokens)
    .execute(executor)
    .await?
    .last_insert_rowid();
    Ok(r.stored_as(id, role))
}

impl NewReply<'_> {
    /// The row this turn became once stored with `id`.
    fn stored_as(&self, id: i64, role: &str) -> TurnRow {
        TurnRow {
            id,
            session_id: self.session_id.to_string(),
            role: role.to_string(),
            phase: self.phase.to_string(),
            content: self.content.to_string(),
            created_at: self.at,
            incomplete: self.incomplete,
            source: (role == "interviewer").then(|| self.source.to_string()),
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
        }
    }
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
