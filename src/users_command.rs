//! The `users` command: add, list, disable, enable, issue a token, set a password, in the database
//! `--db` names (migrated first, as `serve` would). Passwords are asked twice on a terminal
//! (without echo), or read as one line from standard input with `--password-stdin`.

use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

use anyhow::Context;

use crate::accounts::{Accounts, AuthMode};
use crate::clock::SystemClock;
use crate::config::UsersCommand;
use crate::error::ApiError;
use crate::storage::{DbTarget, Storage, StorageOptions};

/// Runs one `users` subcommand; what it prints goes to standard output (a token alone on it).
pub async fn run(db: &DbTarget, command: UsersCommand) -> anyhow::Result<()> {
    execute(db, command).await.map_err(|e| match e {
        // The API hides internal causes from clients; the operator at the terminal needs them.
        Cause::Api(ApiError::Internal(cause)) => cause,
        Cause::Api(other) => anyhow::anyhow!("{other}"),
        Cause::Other(e) => e,
    })
}

enum Cause {
    Api(ApiError),
    Other(anyhow::Error),
}

impl From<ApiError> for Cause {
    fn from(e: ApiError) -> Cause {
        Cause::Api(e)
    }
}

impl From<anyhow::Error> for Cause {
    fn from(e: anyhow::Error) -> Cause {
        Cause::Other(e)
    }
}

async fn execute(db: &DbTarget, command: UsersCommand) -> Result<(), Cause> {
    let storage = Storage::connect(db, StorageOptions::default())
        .await
        .with_context(|| format!("cannot open the database {db}"))?;
    // The mode does not matter here: these are the store's users whatever `serve` is told.
    let accounts = Accounts::new(AuthMode::Password, storage, Arc::new(SystemClock));
    match command {
        UsersCommand::Add {
            name,
            role,
            password_stdin,
            no_password,
        } => {
            let password = if no_password {
                None
            } else {
                Some(read_password(password_stdin)?)
            };
            let user = accounts.add_user(&name, role, password).await?;
            eprintln!("added {} ({})", user.name, user.role);
        }
        UsersCommand::List => {
            for u in accounts.users().await? {
                println!(
                    "{}\t{}\t{}",
                    u.name,
                    u.role,
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
        UsersCommand::Disable { name } => {
            accounts.set_disabled(&name, true).await?;
            eprintln!("disabled {name}: their logins and tokens no longer work");
        }
        UsersCommand::Enable { name } => {
            accounts.set_disabled(&name, false).await?;
            eprintln!("enabled {name}");
        }
        UsersCommand::Token { name } => {
            let token = accounts.issue_token(&name).await?;
            println!("{}", token.token.unwrap_or_default());
        }
        UsersCommand::Password {
            name,
            password_stdin,
        } => {
            let password = read_password(password_stdin)?;
            accounts.set_password(&name, password).await?;
            eprintln!("password of {name} changed");
        }
    }
    Ok(())
}

/// The password: one line of standard input, or asked twice on the terminal.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    anyhow::ensure!(
        std::io::stdin().is_terminal(),
        "no terminal to ask the password on: pass --password-stdin and write it to standard input"
    );
    let first = rpassword::prompt_password("password: ")?;
    let second = rpassword::prompt_password("again: ")?;
    anyhow::ensure!(first == second, "the two passwords differ");
    Ok(first)
}
