//! Copying a SQLite database into PostgreSQL (`mock-interviewer db migrate`): every user, API token,
//! session (with its owner), turn, reveal, phase change, scorecard, share and comment, in batches
//! (the accounts' tables in `accounts.rs`; login sessions are not copied: users sign in again). Turns keep their ids (reveals and scorecards'
//! evidence point at them). A rerun copies nothing twice: every row has a key (a session's and a
//! turn's id, a reveal's session and fact, a phase change's session, phase and time) and is inserted
//! with `ON CONFLICT DO NOTHING`, except a session's row, which takes the source's latest state. A
//! target holding sessions the source does not have is refused unless forced, and even then when
//! its turn ids overlap the source's.
//! At the end every table's count in the target, over the source's sessions, must equal the source's.
//! Rate-limit windows (`rate_windows`) are not copied: they are minutes-to-a-day counters, not data,
//! and the instances on the target start counting afresh.

/// Rows read and written per batch.
const BATCH: i64 = 500;

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

mod accounts;
mod tables;

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use sqlx::SqlitePool;

use super::{open_postgres_pool, open_sqlite};
use tables::{copy_phase_changes, copy_reveals, copy_scorecards, copy_sessions, copy_turns};

/// The tables copied, in the order their foreign keys need.
pub const TABLES: [&str; 10] = [
    "users",
    "api_tokens",
    "sessions",
    "turns",
    "reveals",
    "phase_changes",
    "scorecards",
    "shares",
    "share_access",
    "comments",
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

    let source_users = accounts::check_users(&src, &dst, options.force).await?;

    let mut total = 0u64;
    for table in TABLES {
        total += count(&src, table).await? as u64;
    }
    progress.start(total);
    let mut written = 0;
    written += accounts::copy_users(&src, &dst, progress).await?;
    written += accounts::copy_tokens(&src, &dst, progress).await?;
    written += copy_sessions(&src, &dst, progress).await?;
    written += copy_turns(&src, &dst, progress).await?;
    written += copy_reveals(&src, &dst, progress).await?;
    written += copy_phase_changes(&src, &dst, progress).await?;
    written += copy_scorecards(&src, &dst, progress).await?;
    written += accounts::copy_shares(&src, &dst, progress).await?;
    written += accounts::copy_share_access(&src, &dst, progress).await?;
    written += accounts::copy_comments(&src, &dst, progress).await?;
    // Explicit ids do not move the identity sequences: move them past what was copied.
    for (table, column) in [("turns", "id"), ("comments", "id")] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             GREATEST((SELECT MAX({column}) FROM {table}), 1))"
        )))
        .execute(&dst)
        .await?;
    }

    let source_tokens = accounts::ids(&src, "api_tokens").await?;
    let source_shares = accounts::ids(&src, "shares").await?;
    let mut counts = Vec::new();
    for table in TABLES {
        let source = count(&src, table).await?;
        // The target's rows among the source's: by their own key, or by their session's.
        let (column, keys) = match table {
            "users" => ("id", &source_users),
            "api_tokens" => ("id", &source_tokens),
            "share_access" => ("share_id", &source_shares),
            "sessions" => ("id", &source_ids),
            _ => ("session_id", &source_ids),
        };
        let target: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} = ANY($1)"
        )))
        .bind(keys)
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
