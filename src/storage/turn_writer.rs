//! Group commit for turns, the hot write: one task takes every turn waiting to be stored and inserts
//! them in one statement, so 64 candidates answering at once cost one trip to the database and one
//! commit instead of 64 of each, queued behind one another. The same rows and binds serve both backends,
//! each in its own parameter style.
//!
//! A turn is acknowledged only once the statement holding it has committed, so the durability promise
//! (an acknowledged turn survives `kill -9`) is the same as one statement per turn.

use std::sync::{Arc, LazyLock};

use sqlx::{AssertSqlSafe, PgPool, Row, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::{NewTurn, TurnRow};

/// Rows per statement: 12 parameters each stays far below either backend's limit on bound parameters.
const MAX_BATCH: usize = 64;
/// Turns waiting beyond this make callers wait to enqueue (backpressure, not unbounded memory).
const QUEUE: usize = 4096;
/// Bound parameters per row.
const COLUMNS: usize = 12;

/// `INSERT ... VALUES (...), ... RETURNING id` for 1..=MAX_BATCH rows, built once per backend:
/// sqlx caches the prepared statement by its text.
struct Inserts {
    /// Anonymous `?` parameters. With named ones (`$N`, `?N`) sqlx asks SQLite for every
    /// parameter's name, and SQLite finds each by a scan of all the names: a full batch of 768
    /// parameters then cost more to bind than to insert.
    sqlite: Vec<Arc<str>>,
    /// `$N` parameters, as PostgreSQL requires.
    postgres: Vec<Arc<str>>,
}

static INSERTS: LazyLock<Inserts> = LazyLock::new(|| Inserts {
    sqlite: statements(|_| "?".to_string()),
    postgres: statements(|k| format!("${k}")),
});

/// The statements for 1..=MAX_BATCH rows, with `param(k)` the text of the k-th parameter (from 1).
fn statements(param: impl Fn(usize) -> String) -> Vec<Arc<str>> {
    (1..=MAX_BATCH)
        .map(|n| {
            let values = (0..n)
                .map(|i| {
                    let p: Vec<String> = (1..=COLUMNS).map(|k| param(i * COLUMNS + k)).collect();
                    format!("({})", p.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ");
            Arc::from(format!(
                "INSERT INTO turns (session_id, role, phase, content, created_at, incomplete, source, \
                 prompt_tokens, completion_tokens, hint, spoken, speech_ms) VALUES {values} RETURNING id"
            ))
        })
        .collect()
}

struct Pending {
    row: TurnRow,
    done: oneshot::Sender<sqlx::Result<TurnRow>>,
}

/// Where the writer task writes: SQLite's one writer connection, or PostgreSQL's pool.
#[derive(Debug, Clone)]
pub enum WriterPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct TurnQueue {
    tx: mpsc::Sender<Pending>,
}

impl TurnQueue {
    /// Starts the writer task on `pool`. It ends when the last queue handle is dropped, after
    /// storing what was queued.
    pub fn start(pool: WriterPool) -> TurnQueue {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, rx));
        TurnQueue { tx }
    }

    /// Stores a turn; returns it with its id once it is committed.
    pub async fn insert(&self, r: &NewTurn<'_>) -> sqlx::Result<TurnRow> {
        let (done, committed) = oneshot::channel();
        let pending = Pending {
            row: r.stored_as(0),
            done,
        };
        self.tx
            .send(pending)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        committed.await.unwrap_or(Err(sqlx::Error::PoolClosed))
    }
}

async fn run(pool: WriterPool, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let pending = std::mem::take(&mut batch);
        match insert(&pool, &pending).await {
            Ok(ids) => {
                for (p, id) in pending.into_iter().zip(ids) {
                    answer(p, Ok(id));
                }
            }
            Err(e) if pending.len() == 1 => {
                if let Some(p) = pending.into_iter().next() {
                    answer(p, Err(e));
                }
            }
            // One bad row must not fail the others: store them one by one, each with its own answer.
            Err(_) => {
                for p in pending {
                    let one = insert(&pool, std::slice::from_ref(&p))
                        .await
                        .map(|ids| ids[0]);
                    answer(p, one);
                }
            }
        }
        batch.reserve(MAX_BATCH);
    }
}

fn answer(p: Pending, id: sqlx::Result<i64>) {
    let Pending { mut row, done } = p;
    // The caller may have gone (its request was cancelled): the turn is stored all the same.
    let _ = done.send(id.map(|id| {
        row.id = id;
        row
    }));
}

/// Inserts `rows` in one statement (atomic on its own); their ids, in the order of `rows`.
async fn insert(pool: &WriterPool, rows: &[Pending]) -> sqlx::Result<Vec<i64>> {
    // The same binds for either backend's query type.
    macro_rules! bind_all {
        ($query:expr) => {{
            let mut query = $query;
            for Pending { row, .. } in rows {
                query = query
                    .bind(row.session_id.as_str())
                    .bind(row.role)
                    .bind(row.phase.as_str())
                    .bind(row.content.as_str())
                    .bind(row.created_at)
                    .bind(row.incomplete)
                    .bind(row.source)
                    .bind(row.prompt_tokens)
                    .bind(row.completion_tokens)
                    .bind(row.hint)
                    .bind(row.spoken)
                    .bind(row.speech_ms);
            }
            query
        }};
    }
    let mut ids = match pool {
        WriterPool::Sqlite(pool) => {
            let sql = INSERTS.sqlite[rows.len() - 1].clone();
            let returned = bind_all!(sqlx::query(AssertSqlSafe(sql)))
                .fetch_all(pool)
                .await?;
            returned
                .iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<sqlx::Result<Vec<i64>>>()?
        }
        WriterPool::Postgres(pool) => {
            let sql = INSERTS.postgres[rows.len() - 1].clone();
            let returned = bind_all!(sqlx::query(AssertSqlSafe(sql)))
                .fetch_all(pool)
                .await?;
            returned
                .iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<sqlx::Result<Vec<i64>>>()?
        }
    };
    if ids.len() != rows.len() {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows inserted, {} ids returned",
            rows.len(),
            ids.len()
        )));
    }
    // Ids grow in VALUES order on both backends (AUTOINCREMENT, an identity's sequence);
    // RETURNING's row order is unspecified, so sort.
    ids.sort_unstable();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::super::test_db::{Backend, TestStore};
    use super::super::{NewSession, NewTurn, Storage};
    use crate::content::Level;
    use crate::domain::{InterviewerMode, ReplySource, TurnRole};

    fn reply<'a>(session_id: &'a str, content: &'a str) -> NewTurn<'a> {
        NewTurn {
            session_id,
            role: TurnRole::Interviewer,
            phase: "clarify",
            content,
            at: 1,
            incomplete: false,
            source: Some(ReplySource::Offline),
            prompt_tokens: Some(3),
            completion_tokens: None,
            hint: false,
            spoken: false,
            speech_ms: None,
        }
    }

    async fn with_session(store: &TestStore, id: &str) -> Storage {
        let storage = store.storage.clone();
        storage
            .create_session(
                &NewSession {
                    id,
                    question_id: "q",
                    kind: "system_design",
                    level: Level::Senior,
                    first_phase: "clarify",
                    now: 0,
                    interviewer: InterviewerMode::Offline,
                    interviewer_model: None,
                    judge: None,
                    prompt_versions: "{}",
                    owner_id: None,
                    client: None,
                },
                "Welcome.",
            )
            .await
            .unwrap();
        storage
    }

    async fn turns_committed_together_each_get_their_own_row(backend: Backend) {
        let Some(store) = TestStore::open(backend).await else {
            return;
        };
        let storage = with_session(&store, "s1").await;
        let contents: Vec<String> = (0..200).map(|i| format!("answer {i}")).collect();
        let rows = futures::future::join_all(contents.iter().map(|c| {
            let storage = &storage;
            async move { storage.commit_reply(&reply("s1", c)).await }
        }))
        .await;
        let rows: Vec<_> = rows.into_iter().map(|r| r.unwrap()).collect();
        // Every caller got back its own turn, under the id the database gave it.
        let stored = storage.turns("s1").await.unwrap();
        assert_eq!(stored.len(), 201, "the opening and 200 answers");
        for row in &rows {
            let s = stored.iter().find(|s| s.id == row.id).unwrap();
            assert_eq!(s.content, row.content);
            assert_eq!(s.prompt_tokens, Some(3));
        }
        let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 200);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn turns_committed_together_each_get_their_own_row_on_sqlite() {
        turns_committed_together_each_get_their_own_row(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn turns_committed_together_each_get_their_own_row_on_postgres() {
        turns_committed_together_each_get_their_own_row(Backend::Postgres).await;
    }

    async fn a_bad_row_fails_alone(backend: Backend) {
        let Some(store) = TestStore::open(backend).await else {
            return;
        };
        let storage = with_session(&store, "s1").await;
        let contents: Vec<String> = (0..50).map(|i| format!("answer {i}")).collect();
        // Turns of a session that does not exist break the foreign key; they share batches with
        // good ones.
        let results = futures::future::join_all(contents.iter().enumerate().map(|(i, c)| {
            let session = if i % 7 == 3 { "missing" } else { "s1" };
            let storage = &storage;
            async move { storage.commit_reply(&reply(session, c)).await }
        }))
        .await;
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r.is_err(), i % 7 == 3, "turn {i}: {r:?}");
        }
        let stored = storage.turns("s1").await.unwrap();
        let good = (0..50).filter(|i| i % 7 != 3).count();
        assert_eq!(stored.len(), 1 + good);
        assert!(storage.turns("missing").await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bad_row_fails_alone_on_sqlite() {
        a_bad_row_fails_alone(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bad_row_fails_alone_on_postgres() {
        a_bad_row_fails_alone(Backend::Postgres).await;
    }
}
