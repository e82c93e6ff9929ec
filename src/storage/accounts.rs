//! The accounts' rows and their part of `Storage`: users, API tokens (stored as hashes), login
//! sessions, who may see a session (its owner, the coaches it is shared with), shares, comments and
//! usage. The queries are in `accounts_sql`.

use sqlx::FromRow;

use crate::clock::Millis;
use crate::domain::UserRole;

use super::{Db, Storage, accounts_sql as sql};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: UserRole,
    /// argon2id PHC string; `None` for an account that signs in with tokens only.
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub created_at: i64,
}

/// Who may see a session, as far as one user is concerned.
#[derive(Debug, Clone, FromRow)]
pub struct SessionAccessRow {
    pub owner_id: Option<String>,
    /// 1 when the session is shared with the user (by name or through a link they opened).
    pub shared: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct ShareRow {
    pub id: String,
    pub session_id: String,
    /// The coach's name for a share by name; `None` for a link.
    pub coach: Option<String>,
    pub created_at: i64,
    /// Coaches who opened the link (0 for a share by name).
    pub opened: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub session_id: String,
    pub author: String,
    pub author_role: UserRole,
    pub turn_id: Option<i64>,
    pub body: String,
    pub created_at: i64,
}

pub struct NewComment<'a> {
    pub session_id: &'a str,
    pub author_id: &'a str,
    pub turn_id: Option<i64>,
    pub body: &'a str,
    pub at: Millis,
}

#[derive(Debug, Clone, FromRow)]
pub struct UsageRow {
    pub name: String,
    pub role: UserRole,
    pub disabled: bool,
    pub sessions: i64,
    pub turns: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

impl Storage {
    /// Adds a user; false when the name is taken.
    pub async fn create_user(&self, u: &UserRow) -> sqlx::Result<bool> {
        on_backend!(self, write, create_user(u))
    }

    pub async fn user_by_name(&self, name: &str) -> sqlx::Result<Option<UserRow>> {
        on_backend!(self, read, user_by_name(name))
    }

    pub async fn user_by_id(&self, id: &str) -> sqlx::Result<Option<UserRow>> {
        on_backend!(self, read, user_by_id(id))
    }

    /// Every user, by name.
    pub async fn users(&self) -> sqlx::Result<Vec<UserRow>> {
        on_backend!(self, read, users())
    }

    /// Disables or enables a user; false when there is no such user.
    pub async fn set_disabled(&self, name: &str, disabled: bool) -> sqlx::Result<bool> {
        on_backend!(self, write, set_disabled(name, disabled))
    }

    pub async fn set_password(&self, name: &str, hash: &str) -> sqlx::Result<bool> {
        on_backend!(self, write, set_password(name, hash))
    }

    /// Stores a token's hash (never the token).
    pub async fn insert_token(
        &self,
        id: &str,
        user_id: &str,
        hash: &str,
        at: Millis,
    ) -> sqlx::Result<()> {
        on_backend!(self, write, insert_token(id, user_id, hash, at))
    }

    /// The user a token's hash belongs to (disabled or not: the caller decides).
    pub async fn user_by_token(&self, hash: &str) -> sqlx::Result<Option<UserRow>> {
        on_backend!(self, read, user_by_token(hash))
    }

    pub async fn tokens_of(&self, user_id: &str) -> sqlx::Result<Vec<TokenRow>> {
        on_backend!(self, read, tokens_of(user_id))
    }

    /// Revokes one of a user's tokens; false when the user has no such token.
    pub async fn delete_token(&self, user_id: &str, id: &str) -> sqlx::Result<bool> {
        on_backend!(self, write, delete_token(user_id, id))
    }

    pub async fn login_load(&self, id: &str) -> sqlx::Result<Option<(String, i64)>> {
        // The writer on SQLite: a login saved a moment ago must be found by the next request.
        on_backend!(self, write, login_load(id))
    }

    pub async fn login_create(&self, id: &str, data: &str, expires_at: i64) -> sqlx::Result<bool> {
        on_backend!(self, write, login_create(id, data, expires_at))
    }

    pub async fn login_save(&self, id: &str, data: &str, expires_at: i64) -> sqlx::Result<()> {
        on_backend!(self, write, login_save(id, data, expires_at))
    }

    pub async fn login_delete(&self, id: &str) -> sqlx::Result<()> {
        on_backend!(self, write, login_delete(id))
    }

    pub async fn login_delete_expired(&self, now: i64) -> sqlx::Result<u64> {
        on_backend!(self, write, login_delete_expired(now))
    }

    /// The session's owner and whether it is shared with `user_id`; `None` when there is no such session.
    pub async fn session_access(
        &self,
        session_id: &str,
        user_id: &str,
    ) -> sqlx::Result<Option<SessionAccessRow>> {
        on_backend!(self, read, session_access(session_id, user_id))
    }

    /// Shares a session with a coach (sharing again returns the first share).
    pub async fn share_with_coach(
        &self,
        id: &str,
        session_id: &str,
        coach_id: &str,
        at: Millis,
    ) -> sqlx::Result<ShareRow> {
        on_backend!(self, write, share_with_coach(id, session_id, coach_id, at))
    }

    /// A share link, kept as its token's hash.
    pub async fn share_link(
        &self,
        id: &str,
        session_id: &str,
        token_hash: &str,
        at: Millis,
    ) -> sqlx::Result<ShareRow> {
        on_backend!(self, write, share_link(id, session_id, token_hash, at))
    }

    pub async fn shares_of(&self, session_id: &str) -> sqlx::Result<Vec<ShareRow>> {
        on_backend!(self, read, shares_of(session_id))
    }

    /// Revokes a share and what it gave; false when the session has no such share.
    pub async fn delete_share(&self, session_id: &str, share_id: &str) -> sqlx::Result<bool> {
        on_backend!(self, write, delete_share(session_id, share_id))
    }

    /// Opens a share link for a coach: the session it shares, or `None` for an unknown or revoked link.
    pub async fn open_link(
        &self,
        token_hash: &str,
        coach_id: &str,
        at: Millis,
    ) -> sqlx::Result<Option<String>> {
        on_backend!(self, write, open_link(token_hash, coach_id, at))
    }

    pub async fn insert_comment(&self, c: &NewComment<'_>) -> sqlx::Result<CommentRow> {
        on_backend!(self, write, insert_comment(c))
    }

    pub async fn comments(&self, session_id: &str) -> sqlx::Result<Vec<CommentRow>> {
        on_backend!(self, read, comments(session_id))
    }

    pub async fn turn_in_session(&self, session_id: &str, turn_id: i64) -> sqlx::Result<bool> {
        on_backend!(self, read, turn_in_session(session_id, turn_id))
    }

    /// Sessions, turns and tokens per user.
    pub async fn usage(&self) -> sqlx::Result<Vec<UsageRow>> {
        on_backend!(self, read, usage())
    }
}
