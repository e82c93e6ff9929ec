//! The accounts' part of `db migrate`: users, API tokens (their hashes), shares, who opened a share
//! link, and comments (keeping their ids). Keys make reruns copy nothing twice: a user's and a
//! token's id, a share's id, a link opening's (share, coach), a comment's id. A user takes the
//! source's latest state (role, password, disabled) on a rerun.

use sqlx::{FromRow, PgPool, SqlitePool};

use super::{BATCH, Progress};

/// Every key of a table of the source (`id` column).
pub(super) async fn ids(src: &SqlitePool, table: &str) -> anyhow::Result<Vec<String>> {
    Ok(
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM {table}")))
            .fetch_all(src)
            .await?,
    )
}

/// The source's user ids, after checking the target's users: one of the same name under another id
/// would make the copy fail half-way, so it is refused here; users the source does not have are
/// refused unless forced, as sessions are.
pub(super) async fn check_users(
    src: &SqlitePool,
    dst: &PgPool,
    force: bool,
) -> anyhow::Result<Vec<String>> {
    let source: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM users")
        .fetch_all(src)
        .await?;
    let target: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM users")
        .fetch_all(dst)
        .await?;
    let clash: Vec<&str> = target
        .iter()
        .filter(|(id, name)| source.iter().any(|(i, n)| n == name && i != id))
        .map(|(_, name)| name.as_str())
        .collect();
    anyhow::ensure!(
        clash.is_empty(),
        "the target has other users of the same name as the source's ({}): rename or remove them first",
        clash.join(", ")
    );
    let foreign = target
        .iter()
        .filter(|(id, _)| !source.iter().any(|(i, _)| i == id))
        .count();
    if foreign > 0 && !force {
        anyhow::bail!(
            "the target holds {foreign} user(s) that are not in the source: it is not empty and not an \
             earlier copy of this file. Pass --force to copy into it anyway"
        );
    }
    Ok(source.into_iter().map(|(id, _)| id).collect())
}

#[derive(FromRow)]
struct UserCopy {
    rowid: i64,
    id: String,
    name: String,
    role: String,
    password_hash: Option<String>,
    disabled: bool,
    created_at: i64,
}

pub(super) async fn copy_users(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "users",
        UserCopy,
        "SELECT rowid, id, name, role, password_hash, disabled, created_at FROM users \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO users (id, name, role, password_hash, disabled, created_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], \
                 $6::bigint[]) \
                 ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, \
                 disabled = EXCLUDED.disabled \
                 WHERE (users.role, users.password_hash, users.disabled) IS DISTINCT FROM \
                 (EXCLUDED.role, EXCLUDED.password_hash, EXCLUDED.disabled)",
            )
            .bind(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.role.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.password_hash.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.disabled).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct TokenCopy {
    rowid: i64,
    id: String,
    user_id: String,
    token_hash: String,
    created_at: i64,
}

pub(super) async fn copy_tokens(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "api_tokens",
        TokenCopy,
        "SELECT rowid, id, user_id, token_hash, created_at FROM api_tokens \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, token_hash, created_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.user_id.clone()).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|r| r.token_hash.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct ShareCopy {
    rowid: i64,
    id: String,
    session_id: String,
    coach_id: Option<String>,
    token_hash: Option<String>,
    created_at: i64,
}

pub(super) async fn copy_shares(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "shares",
        ShareCopy,
        "SELECT rowid, id, session_id, coach_id, token_hash, created_at FROM shares \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO shares (id, session_id, coach_id, token_hash, created_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.coach_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.token_hash.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct AccessCopy {
    rowid: i64,
    share_id: String,
    coach_id: String,
    granted_at: i64,
}

pub(super) async fn copy_share_access(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "share_access",
        AccessCopy,
        "SELECT rowid, share_id, coach_id, granted_at FROM share_access \
         WHERE rowid > $1 ORDER BY rowid LIMIT $2",
        rowid,
        |rows| {
            sqlx::query(
                "INSERT INTO share_access (share_id, coach_id, granted_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.share_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.coach_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.granted_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}

#[derive(FromRow)]
struct CommentCopy {
    id: i64,
    session_id: String,
    author_id: String,
    turn_id: Option<i64>,
    body: String,
    created_at: i64,
}

pub(super) async fn copy_comments(
    src: &SqlitePool,
    dst: &PgPool,
    progress: &dyn Progress,
) -> anyhow::Result<u64> {
    Ok(in_batches!(
        src,
        progress,
        "comments",
        CommentCopy,
        "SELECT id, session_id, author_id, turn_id, body, created_at FROM comments \
         WHERE id > $1 ORDER BY id LIMIT $2",
        id,
        |rows| {
            sqlx::query(
                "INSERT INTO comments (id, session_id, author_id, turn_id, body, created_at) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], \
                 $6::bigint[]) ON CONFLICT DO NOTHING",
            )
            .bind(rows.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.author_id.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.turn_id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.body.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .execute(dst)
            .await?
            .rows_affected()
        }
    ))
}
