//! All SQL behind one interface, `Storage`, over two backends: SQLite (WAL; the embedded default) and
//! PostgreSQL (several instances on one database). The rest of the service does not know which one
//! it talks to. An acknowledged turn is committed before the client hears of it, so it survives
//! `kill -9` on either.
//!
//! The backends share their SQL (see `sql`); they differ in how they open, in their migrations
//! (`migrations/sqlite/`, `migrations/postgres/`) and in the claim of a session for a turn: a lease
//! in the database on PostgreSQL, nothing on SQLite, whose file one process serves (see `lease`).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::clock::Millis;
use crate::domain::{Recommendation, Scorer, TurnRole};

pub mod copy;
mod lease;
mod rows;
mod sql;
mod target;
#[cfg(any(test, feature = "test-support"))]
pub mod test_db;
mod turn_writer;

pub use accounts::*;
pub use lease::{Claim, Lease};
pub use rows::*;
pub use target::DbTarget;
use turn_writer::{TurnQueue, WriterPool};

/// How a store behaves beyond where it is.
#[derive(Debug, Clone, Copy)]
pub struct StorageOptions {
    /// How long a claim of a session for a turn lives unless renewed (PostgreSQL): the longest an
    /// instance killed mid-stream keeps the session from taking turns.
    pub lease_ttl: Duration,
    /// Connections to PostgreSQL per instance.
    pub pg_connections: u32,
}

impl Default for StorageOptions {
    fn default() -> Self {
        StorageOptions {
            lease_ttl: Duration::from_secs(30),
            pg_connections: 16,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Storage {
    db: Db,
    /// Turn inserts, the hot write: group-committed by one task (see `turn_writer`).
    turns: TurnQueue,
}

#[derive(Debug, Clone)]
enum Db {
    Sqlite {
        /// Readers (WAL lets them run beside the writer).
        readers: SqlitePool,
        /// The one writer connection: writes queue here in-process instead of contending for
        /// SQLite's write lock, whose busy handler sleeps in milliseconds.
        writer: SqlitePool,
    },
    Postgres {
        pool: PgPool,
        lease_ttl: Duration,
        releasing: lease::Releasing,
    },
}

/// Calls the same query function of whichever backend this store is: `read` runs on the readers,
/// `write` on the writer (one pool on PostgreSQL).
macro_rules! on_backend {
    ($self:expr, read, $m:ident :: $f:ident($($arg:expr),*)) => {
        match &$self.db {
            Db::Sqlite { readers, .. } => $m::sqlite::$f(readers $(, $arg)*).await,
            Db::Postgres { pool, .. } => $m::postgres::$f(pool $(, $arg)*).await,
        }
    };
    ($self:expr, write, $m:ident :: $f:ident($($arg:expr),*)) => {
        match &$self.db {
            Db::Sqlite { writer, .. } => $m::sqlite::$f(writer $(, $arg)*).await,
            Db::Postgres { pool, .. } => $m::postgres::$f(pool $(, $arg)*).await,
        }
    };
    ($self:expr, read, $f:ident($($arg:expr),*)) => {
        match &$self.db {
            Db::Sqlite { readers, .. } => sql::sqlite::$f(readers $(, $arg)*).await,
            Db::Postgres { pool, .. } => sql::postgres::$f(pool $(, $arg)*).await,
        }
    };
    ($self:expr, write, $f:ident($($arg:expr),*)) => {
        match &$self.db {
            Db::Sqlite { writer, .. } => sql::sqlite::$f(writer $(, $arg)*).await,
            Db::Postgres { pool, .. } => sql::postgres::$f(pool $(, $arg)*).await,
        }
    };
}

// After the macro, which they use.
mod accounts;
mod accounts_sql;
mod stats;
mod upkeep_sql;

impl Storage {
    /// Opens and migrates the database `target` names.
    pub async fn connect(target: &DbTarget, options: StorageOptions) -> anyhow::Result<Storage> {
        match target {
            DbTarget::Sqlite(path) => Storage::open(path).await,
            DbTarget::Postgres(url) => Storage::open_postgres(url, options).await,
        }
    }

    /// Opens (creating the file and its folder if missing) and migrates a SQLite database.
    pub async fn open(path: &Path) -> anyhow::Result<Storage> {
        let writer = open_sqlite(path, 1).await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let readers = open_sqlite(path, 4).await?;
        let turns = TurnQueue::start(WriterPool::Sqlite(writer.clone()));
        Ok(Storage {
            db: Db::Sqlite { readers, writer },
            turns,
        })
    }

    /// Connects to and migrates a PostgreSQL database. Instances starting at once are safe: the
    /// migrator holds an advisory lock while it runs, and the others find the work done.
    pub async fn open_postgres(url: &str, options: StorageOptions) -> anyhow::Result<Storage> {
        let pool = open_postgres_pool(url, options.pg_connections).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let turns = TurnQueue::start(WriterPool::Postgres(pool.clone()));
        Ok(Storage {
            db: Db::Postgres {
                pool,
                lease_ttl: options.lease_ttl,
                releasing: lease::Releasing::default(),
            },
            turns,
        })
    }

    /// Which backend this is, for logs and health checks.
    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres { .. } => "postgres",
        }
    }

    /// Claims the session for one turn (or a finish) across instances; see `lease`.
    pub async fn claim(&self, session_id: &str) -> sqlx::Result<Claim> {
        match &self.db {
            Db::Sqlite { .. } => Ok(Claim::Claimed(None)),
            Db::Postgres {
                pool,
                lease_ttl,
                releasing,
            } => lease::claim(pool, releasing, session_id, *lease_ttl).await,
        }
    }

    /// Creates a session with its opening interviewer turn, atomically.
    pub async fn create_session(&self, s: &NewSession<'_>, opening: &str) -> sqlx::Result<TurnRow> {
        on_backend!(self, write, create_session(s, opening))
    }

    pub async fn session(&self, id: &str) -> sqlx::Result<Option<SessionRow>> {
        on_backend!(self, read, session(id))
    }

    /// The sessions in `scope`, newest first.
    pub async fn sessions(
        &self,
        scope: &SessionScope,
        limit: i64,
    ) -> sqlx::Result<Vec<SessionRow>> {
        match scope {
            SessionScope::All => on_backend!(self, read, sessions(limit)),
            SessionScope::OwnedBy(owner) => on_backend!(self, read, sessions_owned(owner, limit)),
            SessionScope::SharedWith(coach) => {
                on_backend!(self, read, sessions_shared_with(coach, limit))
            }
        }
    }

    pub async fn turns(&self, session_id: &str) -> sqlx::Result<Vec<TurnRow>> {
        on_backend!(self, read, turns(session_id))
    }

    pub async fn reveals(&self, session_id: &str) -> sqlx::Result<Vec<RevealRow>> {
        on_backend!(self, read, reveals(session_id))
    }

    pub async fn phase_changes(&self, session_id: &str) -> sqlx::Result<Vec<PhaseChangeRow>> {
        on_backend!(self, read, phase_changes(session_id))
    }

    /// Commits a candidate turn with the facts it revealed and the phase change it caused, atomically.
    pub async fn commit_candidate_turn(
        &self,
        answer: CandidateAnswer<'_>,
        reveals: &[(&str, &str)],
        change: Option<PhaseChange<'_>>,
    ) -> sqlx::Result<TurnRow> {
        let CandidateAnswer {
            session_id,
            phase,
            content,
            at,
            voice,
        } = answer;
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
            spoken: voice.is_some(),
            speech_ms: voice.and_then(|v| v.speech_ms),
        };
        if reveals.is_empty() && change.is_none() {
            // Most turns: one row, group-committed with whatever other turns are waiting.
            return self.turns.insert(&answer).await;
        }
        on_backend!(
            self,
            write,
            commit_turn_with_effects(&answer, reveals, change)
        )
    }

    /// Moves a session to another phase (an explicit advance).
    pub async fn change_phase(
        &self,
        session_id: &str,
        change: PhaseChange<'_>,
    ) -> sqlx::Result<()> {
        on_backend!(self, write, change_phase(session_id, change))
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
        on_backend!(self, write, add_tokens(session_id, prompt, completion))
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
        on_backend!(
            self,
            write,
            finish(session_id, scorer, body, overall, recommendation, at)
        )
    }

    pub async fn scorecard(&self, session_id: &str) -> sqlx::Result<Option<String>> {
        on_backend!(self, read, scorecard(session_id))
    }

    /// Scorecards of the finished sessions in `scope`, oldest first (for progress over time).
    pub async fn scorecards(&self, scope: &SessionScope) -> sqlx::Result<Vec<String>> {
        match scope {
            SessionScope::All => on_backend!(self, read, scorecards()),
            SessionScope::OwnedBy(owner) => on_backend!(self, read, scorecards_owned(owner)),
            SessionScope::SharedWith(coach) => {
                let shared = on_backend!(self, read, sessions_shared_with(coach, i64::MAX))?;
                let mut cards = Vec::new();
                for s in shared.iter().rev() {
                    if let Some(card) = on_backend!(self, read, scorecard(&s.id))? {
                        cards.push(card);
                    }
                }
                Ok(cards)
            }
        }
    }

    /// Counts a hit in a rate window shared by every instance, unless it holds `allowed` already
    /// (`None` then).
    pub async fn hit_window(&self, w: &RateWindow<'_>, allowed: i64) -> sqlx::Result<Option<i64>> {
        on_backend!(self, write, upkeep_sql::hit_window(w, allowed))
    }

    /// The hits a rate window holds (0 when it has none).
    pub async fn window_hits(&self, w: &RateWindow<'_>) -> sqlx::Result<i64> {
        on_backend!(self, read, upkeep_sql::window_hits(w))
    }

    /// Model tokens stored since `since` for the sessions `client` created, oldest first.
    pub async fn tokens_since(
        &self,
        client: &str,
        since: Millis,
    ) -> sqlx::Result<Vec<(Millis, i64)>> {
        on_backend!(self, read, upkeep_sql::tokens_since(client, since))
    }

    /// Deletes rate windows no longer read.
    pub async fn purge_windows(&self, now: Millis) -> sqlx::Result<u64> {
        on_backend!(self, write, upkeep_sql::purge_windows(now))
    }

    /// Deletes the sessions finished before `before` with everything that refers to them, a batch
    /// at a time; returns how many sessions went.
    pub async fn purge_finished(&self, before: Millis) -> sqlx::Result<u64> {
        let mut total = 0;
        loop {
            let n = on_backend!(self, write, upkeep_sql::purge_finished(before, 500))?;
            total += n;
            if n < 500 {
                return Ok(total);
            }
        }
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        on_backend!(self, read, ping())
    }
}

pub(super) async fn open_sqlite(path: &Path, connections: u32) -> anyhow::Result<SqlitePool> {
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
    Ok(SqlitePoolOptions::new()
        .max_connections(connections)
        .connect_with(options)
        .await?)
}

pub(super) async fn open_postgres_pool(url: &str, connections: u32) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(connections.max(2))
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?)
}
