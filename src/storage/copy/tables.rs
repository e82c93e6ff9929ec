//! Copying each table in batches by key, `ON CONFLICT DO NOTHING` (a session's row takes the
//! source's latest state): one row type and one function per table.

use sqlx::{FromRow, PgPool, SqlitePool};

use super::{BATCH, Progress};

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
    owner_id: Option<String>,
    client: Option<String>,
}

pub(super) async fn copy_sessions(
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
         recommendation, interviewer_model, version, owner_id, client FROM sessions WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            // A session already copied takes the source's latest state (a rerun after more turns
            // or a finish); its lease is not copied.
            sqlx::query(
                "INSERT INTO sessions (id, question_id, kind, level, status, phase_index, \
                 phase_started_at, started_at, finished_at, interviewer, judge, prompt_versions, \
                 prompt_tokens, completion_tokens, overall_score, recommendation, interviewer_model, version, \
                 owner_id, client) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
                 $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], \
                 $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], \
                 $17::text[], $18::bigint[], $19::text[], $20::text[]) \
                 ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, phase_index = EXCLUDED.phase_index, \
                 phase_started_at = EXCLUDED.phase_started_at, finished_at = EXCLUDED.finished_at, \
                 prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens, \
                 overall_score = EXCLUDED.overall_score, recommendation = EXCLUDED.recommendation, \
                 version = EXCLUDED.version, owner_id = EXCLUDED.owner_id \
                 WHERE (sessions.status, sessions.phase_index, sessions.finished_at, sessions.prompt_tokens, \
                 sessions.completion_tokens, sessions.version, sessions.owner_id) IS DISTINCT FROM \
                 (EXCLUDED.status, EXCLUDED.phase_index, EXCLUDED.finished_at, EXCLUDED.prompt_tokens, \
                 EXCLUDED.completion_tokens, EXCLUDED.version, EXCLUDED.owner_id)",
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
            .bind(rows.iter().map(|r| r.owner_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.client.clone()).collect::<Vec<_>>())
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
}

pub(super) async fn copy_turns(
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
         completion_tokens, hint FROM turns WHERE id > $1 ORDER BY id LIMIT $2",
        id,
        |rows| {
            sqlx::query(
                "INSERT INTO turns (id, session_id, role, phase, content, created_at, incomplete, source, \
                 prompt_tokens, completion_tokens, hint) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
                 $6::bigint[], $7::boolean[], $8::text[], $9::bigint[], $10::bigint[], $11::boolean[]) \
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

pub(super) async fn copy_reveals(
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

pub(super) async fn copy_phase_changes(
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

pub(super) async fn copy_scorecards(
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
