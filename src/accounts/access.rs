//! Who is asking and what they may do with a session. The rules, in one place:
//!
//! | access | owner | coach it is shared with | admin (not owner) | anyone else |
//! |---|---|---|---|---|
//! | `Read` (the session, transcript, scorecard, comments) | yes | yes | yes | 404 |
//! | `Write` (turns, advance, hint, finish) | yes | 403 `forbidden` | 403 | 404 |
//! | `Comment` | yes | yes | 403 | 404 |
//! | `Manage` (shares) | yes | 403 | 403 | 404 |
//!
//! "Anyone else" gets exactly what a session that does not exist gets (404 `session_not_found`), so
//! nothing tells them it exists. With `--auth none` the caller is `Local` and may do everything.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::UserRole;
use crate::error::ApiError;
use crate::storage::{SessionScope, UserRow};

use super::{Accounts, AuthMode, hash_token};

/// A signed-in account, as the request knows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: UserRole,
}

impl From<UserRow> for User {
    fn from(u: UserRow) -> User {
        User {
            id: u.id,
            name: u.name,
            role: u.role,
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Caller {
    /// `--auth none`: the one local user, who may do everything.
    Local,
    User(User),
}

/// What a request wants to do with a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Comment,
    Manage,
}

impl Caller {
    pub fn user(&self) -> Option<&User> {
        match self {
            Caller::Local => None,
            Caller::User(u) => Some(u),
        }
    }

    /// The owner a new session gets.
    pub fn owner_id(&self) -> Option<&str> {
        self.user().map(|u| u.id.as_str())
    }

    /// The sessions this caller's list shows.
    pub fn list_scope(&self) -> SessionScope {
        match self {
            Caller::Local => SessionScope::All,
            Caller::User(u) => match u.role {
                UserRole::Admin => SessionScope::All,
                UserRole::Coach => SessionScope::SharedWith(u.id.clone()),
                UserRole::Candidate => SessionScope::OwnedBy(u.id.clone()),
            },
        }
    }

    /// The sessions this caller's progress counts: their own.
    pub fn progress_scope(&self) -> SessionScope {
        match self {
            Caller::Local => SessionScope::All,
            Caller::User(u) => SessionScope::OwnedBy(u.id.clone()),
        }
    }

    /// The signed-in user, or 403 for an admin-only action.
    pub fn admin(&self) -> Result<(), ApiError> {
        match self {
            Caller::Local => Ok(()),
            Caller::User(u) if u.role == UserRole::Admin => Ok(()),
            Caller::User(_) => Err(ApiError::Forbidden("only an admin may do this".into())),
        }
    }

    /// The signed-in user, for actions that need an account.
    pub fn account(&self) -> Result<&User, ApiError> {
        self.user().ok_or(ApiError::AccountsOff)
    }
}

impl Accounts {
    /// Who is asking, from a bearer token or the user id the login session holds. A disabled user
    /// or a revoked token is refused here, on every request, so either stops working at once.
    pub async fn resolve(
        &self,
        bearer: Option<&str>,
        session_user: Option<&str>,
    ) -> Result<Caller, ApiError> {
        if self.mode == AuthMode::None {
            return Ok(Caller::Local);
        }
        let user = if let Some(token) = bearer {
            self.storage
                .user_by_token(&hash_token(token.trim()))
                .await?
        } else if let (AuthMode::Password, Some(id)) = (self.mode, session_user) {
            self.storage.user_by_id(id).await?
        } else {
            None
        };
        match user {
            Some(u) if !u.disabled => Ok(Caller::User(u.into())),
            _ => Err(ApiError::Unauthenticated),
        }
    }

    /// Checks that `caller` may have `access` to the session; see the module's table.
    pub async fn authorize(
        &self,
        caller: &Caller,
        session_id: &str,
        access: Access,
    ) -> Result<(), ApiError> {
        let Caller::User(user) = caller else {
            return Ok(());
        };
        let not_found = || ApiError::SessionNotFound(session_id.to_string());
        let row = self
            .storage
            .session_access(session_id, &user.id)
            .await?
            .ok_or_else(not_found)?;
        if row.owner_id.as_deref() == Some(user.id.as_str()) {
            return Ok(());
        }
        let shared = row.shared > 0 && user.role == UserRole::Coach;
        let admin = user.role == UserRole::Admin;
        if !shared && !admin {
            return Err(not_found());
        }
        match access {
            Access::Read => Ok(()),
            Access::Comment if shared => Ok(()),
            Access::Write => Err(ApiError::Forbidden(
                "only the candidate who owns this session may change it".into(),
            )),
            Access::Comment => Err(ApiError::Forbidden(
                "only the owner and the coaches it is shared with may comment".into(),
            )),
            Access::Manage => Err(ApiError::Forbidden(
                "only the owner may share this session".into(),
            )),
        }
    }

    /// `authorize`, and for the local caller (who may do anything) a check that the session exists,
    /// for routes the interview does not answer 404 for itself.
    pub async fn authorize_existing(
        &self,
        caller: &Caller,
        session_id: &str,
        access: Access,
    ) -> Result<(), ApiError> {
        if let Caller::Local = caller
            && self.storage.session(session_id).await?.is_none()
        {
            return Err(ApiError::SessionNotFound(session_id.to_string()));
        }
        self.authorize(caller, session_id, access).await
    }
}
