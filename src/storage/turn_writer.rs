//! Group commit for turns, the hot write: one task takes every turn waiting to be stored and inserts
//! them in one statement, so 64 candidates answering at once cost one trip to SQLite's thread and one
//! commit instead of 64 of each, queued behind one another.
//!
//! A turn is acknowledged only once the statement holding it has committed, so the durability promise
//! (an acknowledged turn survives `kill -9`) is the same as one statement per turn.

use std::sync::{Arc, LazyLock};

use sqlx::{AssertSqlSafe, Row, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::{NewTurn, TurnRow};

/// Rows per statement: 10 parameters each stays far below SQLite's limit on bound parameters.
const MAX_BATCH: usize = 64;
/// Turns waiting beyond this make callers wait to enqueue (backpressure, not unbounded memory).
const QUEUE: usize = 4096;

/// `INSERT ... VALUES (...), ... RETURNING id` for 1..=MAX_BATCH rows, built once: sqlx caches the
/// prepared statement by its text.
static INSERTS: LazyLock<Vec<Arc<str>>> = LazyLock::new(|| {
    (1..=MAX_BATCH)
        .map(|n| {
            let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            let values = vec![row; n].join(", ");
            Arc::from(format!(
                "INSERT INTO turns (session_id, role, phase, content, created_at, incomplete, source, \
                 prompt_tokens, completion_tokens, hint) VALUES {values} RETURNING id"
            ))
        })
        .collect()
});

struct Pending {
    row: TurnRow,
    done: oneshot::Sender<sqlx::Result<TurnRow>>,
}

#[derive(Debug, Clone)]
pub struct TurnQueue {
    tx: mpsc::Sender<Pending>,
}

impl TurnQueue {
    /// Starts the writer task on `pool` (the one writer connection). It ends when the last queue
    /// handle is dropped, after storing what was queued.
    pub fn start(pool: SqlitePool) -> TurnQueue {
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

async fn run(pool: SqlitePool, mut rx: mpsc::Receiver<Pending>) {
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
async fn insert(pool: &SqlitePool, rows: &[Pending]) -> sqlx::Result<Vec<i64>> {
    let sql = INSERTS[rows.len() - 1].clone();
    let mut query = sqlx::query(AssertSqlSafe(sql));
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
            .bind(row.hint);
    }
    let returned = query.fetch_all(pool).await?;
    let mut ids = returned
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<sqlx::Result<Vec<i64>>>()?;
    if ids.len() != rows.len() {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows inserted, {} ids returned",
            rows.len(),
            ids.len()
        )));
    }
    // AUTOINCREMENT ids grow in VALUES order; RETURNING's row order is unspecified, so sort.
    ids.sort_unstable();
    Ok(ids)
}

#[cfg(test)]
mod tests {
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
        }
    }

    async fn storage_with_session(dir: &tempfile::TempDir, id: &str) -> Storage {
        let storage = Storage::open(&dir.path().join("t.db")).await.unwrap();
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
                },
                "Welcome.",
            )
            .await
            .unwrap();
        storage
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn turns_committed_together_each_get_their_own_row() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage_with_session(&dir, "s1").await;
        let contents: Vec<String> = (0..200).map(|i| format!("answer {i}")).collect();
        let rows = futures::future::join_all(contents.iter().map(|c| {
            let storage = &storage;
            async move { storage.commit_reply(&reply("s1", c)).await }
        }))
        .await;
        let rows: Vec<_> = rows.into_iter().map(|r| r.unwrap()).collect();
        // Every caller got back its own turn, under the id SQLite gave it.
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
    async fn a_bad_row_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let storage = storage_with_session(&dir, "s1").await;
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
}
