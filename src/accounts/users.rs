//! Users and their secrets: adding, listing, disabling, passwords, API tokens, signing in, usage.

use std::sync::OnceLock;

use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::rfc3339;
use crate::domain::UserRole;
use crate::error::ApiError;
use crate::storage::{TokenRow, UsageRow, UserRow};

use super::{Accounts, User, hash_password, hash_token, new_secret, verify_password};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub role: UserRole,
    pub disabled: bool,
    /// Whether the user can sign in with a password (else tokens only).
    pub has_password: bool,
    pub created_at: String,
}

impl From<UserRow> for UserView {
    fn from(u: UserRow) -> UserView {
        UserView {
            has_password: u.password_hash.is_some(),
            id: u.id,
            name: u.name,
            role: u.role,
            disabled: u.disabled,
            created_at: rfc3339(u.created_at),
        }
    }
}

/// An API token as listed (the token itself is shown once, when made).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub created_at: String,
    /// The token: only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<TokenRow> for TokenView {
    fn from(t: TokenRow) -> TokenView {
        TokenView {
            id: t.id,
            created_at: rfc3339(t.created_at),
            token: None,
        }
    }
}

/// What one user has used.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageView {
    pub name: String,
    pub role: UserRole,
    pub disabled: bool,
    pub sessions: i64,
    pub turns: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

impl From<UsageRow> for UsageView {
    fn from(u: UsageRow) -> UsageView {
        UsageView {
            name: u.name,
            role: u.role,
            disabled: u.disabled,
            sessions: u.sessions,
            turns: u.turns,
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
        }
    }
}

/// A name is 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::InvalidInput(format!(
            "`{name}` is not a valid user name (1 to 64 letters, digits, `.`, `_`, `-`, `@`)"
        )))
    }
}

fn check_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::InvalidInput(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}

/// argon2 takes tens of milliseconds of CPU: off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// A hash no password matches, verified against when the name is unknown, so a wrong name takes
/// as long as a wrong password and the timing does not tell which names exist.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

impl Accounts {
    /// Adds a user; `password` is `None` for a tokens-only account.
    pub async fn add_user(
        &self,
        name: &str,
        role: UserRole,
        password: Option<String>,
    ) -> Result<UserView, ApiError> {
        check_name(name)?;
        let password_hash = match password {
            Some(p) => {
                check_password(&p)?;
                Some(blocking(move || hash_password(&p)).await??)
            }
            None => None,
        };
        let row = UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.to_string(),
            role,
            password_hash,
            disabled: false,
            created_at: self.clock.now_ms(),
        };
        if !self.storage.create_user(&row).await? {
            return Err(ApiError::UserExists(name.to_string()));
        }
        Ok(row.into())
    }

    pub async fn users(&self) -> Result<Vec<UserView>, ApiError> {
        Ok(self
            .storage
            .users()
            .await?
            .into_iter()
            .map(UserView::from)
            .collect())
    }

    async fn user_named(&self, name: &str) -> Result<UserRow, ApiError> {
        self.storage
            .user_by_name(name)
            .await?
            .ok_or_else(|| ApiError::UserNotFound(name.to_string()))
    }

    /// Disables (or enables again) a user: their logins and tokens stop working at once.
    pub async fn set_disabled(&self, name: &str, disabled: bool) -> Result<UserView, ApiError> {
        if !self.storage.set_disabled(name, disabled).await? {
            return Err(ApiError::UserNotFound(name.to_string()));
        }
        Ok(self.user_named(name).await?.into())
    }

    pub async fn set_password(&self, name: &str, password: String) -> Result<(), ApiError> {
        check_password(&password)?;
        let hash = blocking(move || hash_password(&password)).await??;
        if !self.storage.set_password(name, &hash).await? {
            return Err(ApiError::UserNotFound(name.to_string()));
        }
        Ok(())
    }

    /// A new API token for the user named `name`; the token is in the answer and nowhere else.
    pub async fn issue_token(&self, name: &str) -> Result<TokenView, ApiError> {
        let user = self.user_named(name).await?;
        let token = new_secret("mit_")?;
        let id = uuid::Uuid::new_v4().to_string();
        let at = self.clock.now_ms();
        self.storage
            .insert_token(&id, &user.id, &hash_token(&token), at)
            .await?;
        Ok(TokenView {
            id,
            created_at: rfc3339(at),
            token: Some(token),
        })
    }

    pub async fn tokens(&self, user: &User) -> Result<Vec<TokenView>, ApiError> {
        Ok(self
            .storage
            .tokens_of(&user.id)
            .await?
            .into_iter()
            .map(TokenView::from)
            .collect())
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user: &User, token_id: &str) -> Result<(), ApiError> {
        if self.storage.delete_token(&user.id, token_id).await? {
            Ok(())
        } else {
            Err(ApiError::TokenNotFound)
        }
    }

    /// Checks a name and password; the same error whether the name, the password or the account's
    /// state is wrong.
    pub async fn login(&self, name: &str, password: String) -> Result<User, ApiError> {
        let user = self.storage.user_by_name(name).await?;
        let hash = user
            .as_ref()
            .and_then(|u| u.password_hash.clone())
            .unwrap_or_else(|| decoy_hash().to_string());
        let matches = blocking(move || verify_password(&password, &hash)).await?;
        match user {
            Some(u) if matches && !u.disabled && u.password_hash.is_some() => Ok(u.into()),
            _ => Err(ApiError::InvalidCredentials),
        }
    }

    /// Sessions, turns and tokens per user.
    pub async fn usage(&self) -> Result<Vec<UsageView>, ApiError> {
        Ok(self
            .storage
            .usage()
            .await?
            .into_iter()
            .map(UsageView::from)
            .collect())
    }
}
