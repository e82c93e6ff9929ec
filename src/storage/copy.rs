//! Copying a SQLite database into PostgreSQL (`mock-interviewer db migrate`): every session, turn,
//! reveal, phase change and scorecard, in batches. Turns keep their ids (reveals and scorecards'
//! evidence point at them). A rerun copies nothing twice: every row has a key (a session's and a
//! turn's id, a reveal's session and fact, a phase change's session, phase and time) and is inserted
//! with `ON CONFLICT DO NOTHING`, except a session's row, which takes the source's latest state. A
//! target holding sessions the source does not have is refused unless forced, and even then when
//! its turn ids overlap the source's.
//! At the end every table's count in the target, over the source's sessions, must equal the source's.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use sqlx::{FromRow, PgPool, SqlitePool};

use super::{open_postgres_pool, open_sqlite};

/// Rows read and written per batch.
const BATCH: i64 = 500;

/// The tables copied, in the order their foreign keys need.
pub const TABLES: [&str; 5] = [
    "sessions",
    "turns",
    "reveals",
    "phase_changes",
    "scorecards",
];

#[derive(Debug, Clone, Copy)]
pub struct CopyOptions {
    /// Copy even when the target holds sessions the source does not have.
    pub force: bool,
}

/// Where a copy stands, for a progress display.
pub trait Progress {
    /// Called once, before any row is copied, with the rows to copy.
    fn start(&self, total_rows: u64);
    /// Called after each batch with the table and the rows it read.
    fn advance(&self, table: &str, rows: u64);
}

/// One table's rows: in the source, and in the target among the source's sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

#[derive(Debug)]
pub struct CopyReport {
    pub counts: Vec<TableCount>,
    /// Rows newly written by this run (a rerun writes none).
    pub written: u64,
}

/// Copies the SQLite file at `from` into the PostgreSQL database at `to` (both migrated first).
pub async fn sqlite_to_postgres(
    from: &Path,
    to: &str,
    options: CopyOptions,
    progress: &dyn Progress,
) -> anyhow::Result<CopyReport> {
    anyhow::ensure!(
        from.is_file(),
        "no SQLite database at {}: nothing to copy",
        from.display()
    );
    let src = open_sqlite(from, 1)
        .await
        .with_context(|| format!("cannot open {}", from.display()))?;
    // An older file is brought to the current schema first, as `serve` would.
    sqlx::migrate!("./migrations/sqlite").run(&src).await?;
    let dst = open_postgres_pool(to, 4)
        .await
        .context("cannot connect to the target")?;
    sqlx::migrate!("./migrations/postgres").run(&dst).await?;

    let source_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions ORDER BY rowid")
        .fetch_all(&src)
        .await?;
    let known: HashSet<&str> = source_ids.iter().map(String::as_str).collect();
    let target_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
        .fetch_all(&dst)
        .await?;
    let foreign = target_ids
        .iter()
        .filter(|id| !known.contains(id.as_str()))
        .count();
    if foreign > 0 && !options.force {
        anyhow::bail!(
            "the target holds {foreign} session(s) that are not in the source: it is not empty and \
             not an earlier copy of this file. Pass --force to copy into it anyway (nothing of it is \
             deleted or overwritten but the sessions the source has)"
        );
    }

    // Copied turns keep their ids: another session's turn under one of them would be overwritten.
    let (low, high): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT MIN(id), MAX(id) FROM turns")
            .fetch_one(&src)
            .await?;
    if let (Some(low), Some(high)) = (low, high) {
        let collisions: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM turns WHERE id BETWEEN $1 AND $2 AND NOT (session_id = ANY($3))",
        )
        .bind(low)
        .bind(high)
        .bind(&source_ids)
        .fetch_one(&dst)
        .await?;
        anyhow::ensure!(
            collisions == 0,
            "{collisions} turn(s) of the target's own sessions have ids in the source's range \
             ({low}..={high}); copied turns keep their turn ids, so this target cannot take them"
        );
    }

    let mut total = 0u64;
    for table in TABLES {
        total += count(&src, table).await? as u64;
    }
    progress.start(total);
    let mut written = 0;
    written += copy_sessions(&src, &dst, progress).await?;
    written += copy_turns(&src, &dst, progress).await?;
    written += copy_reveals(&src, &dst, progress).await?;
    written += copy_phase_changes(&src, &dst, progress).await?;
    written += copy_scorecards(&src, &dst, progress).await?;
    // Explicit ids do not move the identity sequences: move them past what was copied.
    for (table, column) in [("turns", "id")] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             GREATEST((SELECT MAX({column}) FROM {table}), 1))"
        )))
        .execute(&dst)
        .await?;
    }

    let mut counts = Vec::new();
    for table in TABLES {
        let source = count(&src, table).await?;
        let column = if table == "sessions" {
            "id"
        } else {
            "session_id"
        };
        let target: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} = ANY($1)"
        )))
        .bind(&source_ids)
        .fetch_one(&dst)
        .await?;
        counts.push(TableCount {
            table,
            source,
            target,
        });
    }
    src.close().await;
    dst.close().await;
    let report = CopyReport { counts, written };
    let mismatched: Vec<String> = report
        .counts
        .iter()
        .filter(|c| c.source != c.target)
        .map(|c| {
            format!(
                "{}: {} in the source, {} copied",
                c.table, c.source, c.target
            )
        })
        .collect();
    anyhow::ensure!(
        mismatched.is_empty(),
        "the counts do not match: {}",
        mismatched.join("; ")
    );
    Ok(report)
}

async fn count(pool: &SqlitePool, table: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(pool)
            .await?,
    )
}

#[derive(FromRow)]
struct SessionCopy {
    rowid: i64,
    id: String,
    question_id: String,
    kind: String,
    level: String,
    status: String,
    phase_index: i64,
    phase_started_at: i64,
    started_at: i64,
    finished_at: Option<i64>,
    interviewer: String,
    judge: Option<String>,
    prompt_versions: String,
    prompt_tokens: i64,
    completion_tokens: i64,
    overall_score: Option<i64>,
    recommendation: Option<String>,
    interviewer_model: Option<String>,
    version: i64,
}

/// Pages through `$select` (whose rows carry `$key`) in batches, calling `$write` on each batch.
macro_rules! in_batches {
    ($src:expr, $progress:expr, $table:literal, $Row:ty, $select:literal, $key:ident, |$rows:ident| $write:expr) => {{
        let mut after = i64::MIN;
        let mut written = 0u64;
        loop {
            let $rows: Vec<$Row> = sqlx::query_as($select)
                .bind(after)
                .bind(BATCH)
                .fetch_all($src)
                .await?;
            let Some(last) = $rows.last() else { break };
            after = last.$key;
            let n = $rows.len() as u64;
            written += $write;
            $progress.advance($table, n);
        }
        written
    }};
}

async fn copy_sessions(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "sessions",
        SessionCopy,
        "SELECT rowid, id, question_id, kind, level, status, phase_index, phase_started_at, started_at, \
         finished_at, interviewer, judge, prompt_versions, prompt_tokens, completion_tokens, overall_score, \
         recommendation, interviewer_model, version FROM sessions WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            // A session already copied takes the source's latest state (a rerun after more turns
            // or a finish); its lease is not copied.
            sqlx::query(
                "INSERT INTO sessions (id, question_id, kind, level, status, phase_index, \
                 phase_started_at, started_at, finished_at, interviewer, judge, prompt_versions, \
                 prompt_tokens, completion_tokens, overall_score, recommendation, interviewer_model, version) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
                 $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], \
                 $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], \
                 $17::text[], $18::bigint[]) \
                 ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, phase_index = EXCLUDED.phase_index, \
                 phase_started_at = EXCLUDED.phase_started_at, finished_at = EXCLUDED.finished_at, \
                 prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens, \
                 overall_score = EXCLUDED.overall_score, recommendation = EXCLUDED.recommendation, \
                 version = EXCLUDED.version \
                 WHERE (sessions.status, sessions.phase_index, sessions.finished_at, sessions.prompt_tokens, \
                 sessions.completion_tokens, sessions.version) IS DISTINCT FROM (EXCLUDED.status, \
                 EXCLUDED.phase_index, EXCLUDED.finished_at, EXCLUDED.prompt_tokens, \
                 EXCLUDED.completion_tokens, EXCLUDED.version)",
            )
            .bind(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.question_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.kind.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.level.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.status.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.phase_index).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.phase_started_at).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.started_at).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.finished_at).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.interviewer.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.judge.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.prompt_versions.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.prompt_tokens).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.completion_tokens).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.overall_score).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.recommendation.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.interviewer_model.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct TurnCopy {
    id: i64,
    session_id: String,
    role: String,
    phase: String,
    content: String,
    created_at: i64,
    incomplete: bool,
    source: Option<String>,
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
    hint: bool,
    spoken: bool,
    speech_ms: Option<i64>,
}

async fn copy_turns(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "turns",
        TurnCopy,
        "SELECT id, session_id, role, phase, content, created_at, incomplete, source, prompt_tokens, \
         completion_tokens, hint, spoken, speech_ms FROM turns WHERE id > $1 ORDER BY id LIMIT $2",
        id,
        |rows| {
            sqlx::query(
                "INSERT INTO turns (id, session_id, role, phase, content, created_at, incomplete, source, \
                 prompt_tokens, completion_tokens, hint, spoken, speech_ms) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
                 $6::bigint[], $7::boolean[], $8::text[], $9::bigint[], $10::bigint[], $11::boolean[], \
                 $12::boolean[], $13::bigint[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.role.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.phase.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.content.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.incomplete).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.source.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.prompt_tokens).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.completion_tokens).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.hint).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.spoken).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.speech_ms).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct RevealCopy {
    rowid: i64,
    session_id: String,
    fact_id: String,
    turn_id: i64,
    quote: String,
    revealed_at: i64,
}

async fn copy_reveals(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "reveals",
        RevealCopy,
        "SELECT rowid, session_id, fact_id, turn_id, quote, revealed_at FROM reveals \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO reveals (session_id, fact_id, turn_id, quote, revealed_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.fact_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.turn_id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.quote.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.revealed_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct PhaseChangeCopy {
    rowid: i64,
    session_id: String,
    phase_index: i64,
    phase: String,
    entered_at: i64,
    trigger: String,
}

async fn copy_phase_changes(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "phase_changes",
        PhaseChangeCopy,
        "SELECT rowid, session_id, phase_index, phase, entered_at, trigger FROM phase_changes \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO phase_changes (session_id, phase_index, phase, entered_at, trigger) \
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.phase_index).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.phase.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.entered_at).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.trigger.clone()).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct ScorecardCopy {
    rowid: i64,
    session_id: String,
    scorer: String,
    body: String,
    created_at: i64,
}

async fn copy_scorecards(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "scorecards",
        ScorecardCopy,
        "SELECT rowid, session_id, scorer, body, created_at FROM scorecards \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO scorecards (session_id, scorer, body, created_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(
                rows.iter()
                    .map(|r| r.session_id.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|r| r.scorer.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.body.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}
