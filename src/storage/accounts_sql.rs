//! The accounts' queries (users, API tokens, login sessions, shares, comments, usage), written once
//! in the dialect both backends speak and expanded for each, as `sql` does for the interviews'.

use crate::clock::Millis;

use super::accounts::*;

/// `SELECT <share columns> FROM shares sh <tail>`: the coach's name for a share by name, and how many
/// coaches opened a link.
macro_rules! select_shares {
    ($tail:literal) => {
        concat!(
            "SELECT sh.id, sh.session_id, u.name AS coach, sh.created_at, ",
            "(SELECT CAST(COUNT(*) AS BIGINT) FROM share_access a WHERE a.share_id = sh.id) AS opened ",
            "FROM shares sh LEFT JOIN users u ON u.id = sh.coach_id ",
            $tail
        )
    };
}

const SELECT_USERS: &str = "SELECT id, name, role, password_hash, disabled, created_at FROM users";

macro_rules! account_queries {
    ($backend:ident, $Db:ty) => {
        pub(super) mod $backend {
            use super::*;

            type Db = $Db;
            type Pool = sqlx::Pool<Db>;

            pub async fn create_user(pool: &Pool, u: &UserRow) -> sqlx::Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO users (id, name, role, password_hash, disabled, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                )
                .bind(&u.id)
                .bind(&u.name)
                .bind(u.role)
                .bind(&u.password_hash)
                .bind(u.disabled)
                .bind(u.created_at)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            pub async fn user_by_name(pool: &Pool, name: &str) -> sqlx::Result<Option<UserRow>> {
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_USERS} WHERE name = $1")))
                    .bind(name)
                    .fetch_optional(pool)
                    .await
            }

            pub async fn user_by_id(pool: &Pool, id: &str) -> sqlx::Result<Option<UserRow>> {
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_USERS} WHERE id = $1")))
                    .bind(id)
                    .fetch_optional(pool)
                    .await
            }

            pub async fn users(pool: &Pool) -> sqlx::Result<Vec<UserRow>> {
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_USERS} ORDER BY name")))
                    .fetch_all(pool)
                    .await
            }

            pub async fn set_disabled(pool: &Pool, name: &str, disabled: bool) -> sqlx::Result<bool> {
                let done = sqlx::query("UPDATE users SET disabled = $1 WHERE name = $2")
                    .bind(disabled)
                    .bind(name)
                    .execute(pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            pub async fn set_password(pool: &Pool, name: &str, hash: &str) -> sqlx::Result<bool> {
                let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
                    .bind(hash)
                    .bind(name)
                    .execute(pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            pub async fn insert_token(
                pool: &Pool,
                id: &str,
                user_id: &str,
                hash: &str,
                at: Millis,
            ) -> sqlx::Result<()> {
                sqlx::query(
                    "INSERT INTO api_tokens (id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(user_id)
                .bind(hash)
                .bind(at)
                .execute(pool)
                .await
                .map(|_| ())
            }

            pub async fn user_by_token(pool: &Pool, hash: &str) -> sqlx::Result<Option<UserRow>> {
                sqlx::query_as(
                    "SELECT u.id, u.name, u.role, u.password_hash, u.disabled, u.created_at \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                )
                .bind(hash)
                .fetch_optional(pool)
                .await
            }

            pub async fn tokens_of(pool: &Pool, user_id: &str) -> sqlx::Result<Vec<TokenRow>> {
                sqlx::query_as(
                    "SELECT id, created_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
                )
                .bind(user_id)
                .fetch_all(pool)
                .await
            }

            pub async fn delete_token(pool: &Pool, user_id: &str, id: &str) -> sqlx::Result<bool> {
                let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            pub async fn login_load(pool: &Pool, id: &str) -> sqlx::Result<Option<(String, i64)>> {
                sqlx::query_as("SELECT data, expires_at FROM login_sessions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await
            }

            pub async fn login_create(
                pool: &Pool,
                id: &str,
                data: &str,
                expires_at: i64,
            ) -> sqlx::Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO login_sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(data)
                .bind(expires_at)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            pub async fn login_save(
                pool: &Pool,
                id: &str,
                data: &str,
                expires_at: i64,
            ) -> sqlx::Result<()> {
                sqlx::query(
                    "INSERT INTO login_sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                )
                .bind(id)
                .bind(data)
                .bind(expires_at)
                .execute(pool)
                .await
                .map(|_| ())
            }

            pub async fn login_delete(pool: &Pool, id: &str) -> sqlx::Result<()> {
                sqlx::query("DELETE FROM login_sessions WHERE id = $1")
                    .bind(id)
                    .execute(pool)
                    .await
                    .map(|_| ())
            }

            pub async fn login_delete_expired(pool: &Pool, now: i64) -> sqlx::Result<u64> {
                Ok(sqlx::query("DELETE FROM login_sessions WHERE expires_at < $1")
                    .bind(now)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }

            pub async fn session_access(
                pool: &Pool,
                session_id: &str,
                user_id: &str,
            ) -> sqlx::Result<Option<SessionAccessRow>> {
                sqlx::query_as(
                    "SELECT s.owner_id, CASE WHEN EXISTS (SELECT 1 FROM shares sh WHERE sh.session_id = s.id \
                     AND (sh.coach_id = $2 OR EXISTS (SELECT 1 FROM share_access a WHERE a.share_id = sh.id \
                     AND a.coach_id = $2))) THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS shared \
                     FROM sessions s WHERE s.id = $1",
                )
                .bind(session_id)
                .bind(user_id)
                .fetch_optional(pool)
                .await
            }

            pub async fn share_with_coach(
                pool: &Pool,
                id: &str,
                session_id: &str,
                coach_id: &str,
                at: Millis,
            ) -> sqlx::Result<ShareRow> {
                sqlx::query(
                    "INSERT INTO shares (id, session_id, coach_id, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(session_id)
                .bind(coach_id)
                .bind(at)
                .execute(pool)
                .await?;
                // Shared twice: the first share stands.
                sqlx::query_as(select_shares!("WHERE sh.session_id = $1 AND sh.coach_id = $2"))
                    .bind(session_id)
                    .bind(coach_id)
                    .fetch_one(pool)
                    .await
            }

            pub async fn share_link(
                pool: &Pool,
                id: &str,
                session_id: &str,
                token_hash: &str,
                at: Millis,
            ) -> sqlx::Result<ShareRow> {
                sqlx::query(
                    "INSERT INTO shares (id, session_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(session_id)
                .bind(token_hash)
                .bind(at)
                .execute(pool)
                .await?;
                sqlx::query_as(select_shares!("WHERE sh.id = $1"))
                    .bind(id)
                    .fetch_one(pool)
                    .await
            }

            pub async fn shares_of(pool: &Pool, session_id: &str) -> sqlx::Result<Vec<ShareRow>> {
                sqlx::query_as(select_shares!(
                    "WHERE sh.session_id = $1 ORDER BY sh.created_at, sh.id"
                ))
                .bind(session_id)
                .fetch_all(pool)
                .await
            }

            /// Revokes a share and every access gained through it.
            pub async fn delete_share(
                pool: &Pool,
                session_id: &str,
                share_id: &str,
            ) -> sqlx::Result<bool> {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "DELETE FROM share_access WHERE share_id IN \
                     (SELECT id FROM shares WHERE id = $1 AND session_id = $2)",
                )
                .bind(share_id)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
                let done = sqlx::query("DELETE FROM shares WHERE id = $1 AND session_id = $2")
                    .bind(share_id)
                    .bind(session_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            /// The share a link's token opens, recording that `coach_id` opened it.
            pub async fn open_link(
                pool: &Pool,
                token_hash: &str,
                coach_id: &str,
                at: Millis,
            ) -> sqlx::Result<Option<String>> {
                let mut tx = pool.begin().await?;
                let found: Option<(String, String)> =
                    sqlx::query_as("SELECT id, session_id FROM shares WHERE token_hash = $1")
                        .bind(token_hash)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((share_id, session_id)) = found else {
                    return Ok(None);
                };
                sqlx::query(
                    "INSERT INTO share_access (share_id, coach_id, granted_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(&share_id)
                .bind(coach_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(session_id))
            }

            pub async fn insert_comment(
                pool: &Pool,
                c: &NewComment<'_>,
            ) -> sqlx::Result<CommentRow> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO comments (session_id, author_id, turn_id, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(c.session_id)
                .bind(c.author_id)
                .bind(c.turn_id)
                .bind(c.body)
                .bind(c.at)
                .fetch_one(pool)
                .await?;
                sqlx::query_as(
                    "SELECT c.id, c.session_id, u.name AS author, u.role AS author_role, c.turn_id, c.body, \
                     c.created_at FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1",
                )
                .bind(id)
                .fetch_one(pool)
                .await
            }

            pub async fn comments(pool: &Pool, session_id: &str) -> sqlx::Result<Vec<CommentRow>> {
                sqlx::query_as(
                    "SELECT c.id, c.session_id, u.name AS author, u.role AS author_role, c.turn_id, c.body, \
                     c.created_at FROM comments c JOIN users u ON u.id = c.author_id \
                     WHERE c.session_id = $1 ORDER BY c.id",
                )
                .bind(session_id)
                .fetch_all(pool)
                .await
            }

            pub async fn turn_in_session(
                pool: &Pool,
                session_id: &str,
                turn_id: i64,
            ) -> sqlx::Result<bool> {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM turns WHERE id = $1 AND session_id = $2")
                        .bind(turn_id)
                        .bind(session_id)
                        .fetch_optional(pool)
                        .await?;
                Ok(found.is_some())
            }

            pub async fn usage(pool: &Pool) -> sqlx::Result<Vec<UsageRow>> {
                sqlx::query_as(
                    "SELECT u.name, u.role, u.disabled, \
                     (SELECT CAST(COUNT(*) AS BIGINT) FROM sessions s WHERE s.owner_id = u.id) AS sessions, \
                     (SELECT CAST(COUNT(*) AS BIGINT) FROM turns t JOIN sessions s ON s.id = t.session_id \
                      WHERE s.owner_id = u.id) AS turns, \
                     (SELECT CAST(COALESCE(SUM(s.prompt_tokens), 0) AS BIGINT) FROM sessions s WHERE s.owner_id = u.id) \
                     + (SELECT CAST(COALESCE(SUM(t.prompt_tokens), 0) AS BIGINT) FROM turns t \
                        JOIN sessions s ON s.id = t.session_id WHERE s.owner_id = u.id) AS prompt_tokens, \
                     (SELECT CAST(COALESCE(SUM(s.completion_tokens), 0) AS BIGINT) FROM sessions s WHERE s.owner_id = u.id) \
                     + (SELECT CAST(COALESCE(SUM(t.completion_tokens), 0) AS BIGINT) FROM turns t \
                        JOIN sessions s ON s.id = t.session_id WHERE s.owner_id = u.id) AS completion_tokens \
                     FROM users u ORDER BY u.name",
                )
                .fetch_all(pool)
                .await
            }
        }
    };
}

account_queries!(sqlite, sqlx::Sqlite);
account_queries!(postgres, sqlx::Postgres);
