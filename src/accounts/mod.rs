//! Accounts: who is asking (`Caller`), what they may do with a session (`access`), users and their
//! secrets (argon2id password hashes, API tokens kept as SHA-256 hashes), shares with coaches and
//! comments. Sits beside `interview`: `http` asks it who the caller is and whether they may touch a
//! session, then calls the interview use-case. It imports `storage`, never `interview` or `http`.

mod access;
mod login_store;
mod secrets;
mod shares;
mod users;

use std::sync::Arc;

use clap::ValueEnum;
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::Clock;
use crate::storage::Storage;

pub use access::{Access, Caller, User};
pub use login_store::LoginStore;
pub use secrets::{hash_password, hash_token, new_secret, verify_password};
pub use shares::{CommentView, NewShare, ShareView};
pub use users::{TokenView, UsageView, UserView};

/// `--auth`: how callers are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// No accounts: everyone who can reach the server may do everything (local use).
    None,
    /// Browser login with a password (a cookie session), and API tokens.
    Password,
    /// API tokens only (`Authorization: Bearer`).
    Token,
}

impl AuthMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::None => "none",
            AuthMode::Password => "password",
            AuthMode::Token => "token",
        }
    }
}

impl std::fmt::Display for AuthMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The accounts use-cases over the store.
pub struct Accounts {
    pub mode: AuthMode,
    storage: Storage,
    clock: Arc<dyn Clock>,
}

impl Accounts {
    pub fn new(mode: AuthMode, storage: Storage, clock: Arc<dyn Clock>) -> Accounts {
        Accounts {
            mode,
            storage,
            clock,
        }
    }

    /// The store, for the login sessions' cookie layer.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }
}
