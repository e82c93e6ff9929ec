//! `mock-interviewer practice`: a whole interview in the terminal, over the same HTTP API and turn
//! streams as the web room, against the embedded server (the `--db` the server uses) or a remote one
//! (`--server`, with `--token` where it requires accounts). The session is stored like any other.

pub mod attach;
pub mod client;
pub mod commands;
pub mod editor;
pub mod embedded;
pub mod pick;
pub mod render;
pub mod session;
pub mod wire;

use std::process::ExitCode;

use crate::config::{PracticeArgs, ServeArgs};
use client::{Client, ClientError};
use editor::{Editor, EditorError, Read};
use embedded::Embedded;
use render::Renderer;
use session::{Outcome, Room};

#[derive(Debug, thiserror::Error)]
pub enum PracticeError {
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error("{0}")]
    Editor(#[from] EditorError),
    #[error("cannot start the embedded server: {0:#}")]
    Start(anyhow::Error),
    /// Something broke during the interview: the session is kept and can be taken up again.
    #[error("{source}")]
    InSession {
        id: String,
        source: Box<PracticeError>,
    },
}

pub async fn run(serve: &ServeArgs, args: &PracticeArgs) -> ExitCode {
    let mut ui = Renderer::stdout();
    let embedded = match &args.server {
        Some(_) => None,
        None => match Embedded::start(serve).await {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("error: {}", PracticeError::Start(e));
                return ExitCode::FAILURE;
            }
        },
    };
    let base = match (&args.server, &embedded) {
        (Some(url), _) => url.clone(),
        (None, Some(e)) => e.base().to_string(),
        (None, None) => String::new(),
    };
    let result = match Client::new(&base, args.token.clone()) {
        Ok(client) => practise(&client, args, &mut ui).await,
        Err(e) => Err(e.into()),
    };
    if let Some(e) = embedded {
        e.stop().await;
    }
    match result {
        Ok(Some((id, outcome))) => {
            ui.info(&where_next(args, &id, outcome));
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            ui.end_reply();
            eprintln!("error: {e}");
            if let PracticeError::InSession { id, .. } = &e {
                ui.info(&where_next(args, id, Outcome::Left));
            }
            ExitCode::FAILURE
        }
    }
}

/// Opens (or resumes) a session and holds the interview; `None` when the user left before one began.
async fn practise(
    client: &Client,
    args: &PracticeArgs,
    ui: &mut Renderer<std::io::Stdout>,
) -> Result<Option<(String, Outcome)>, PracticeError> {
    let mut editor = Editor::new()?;
    let session = match &args.session {
        Some(id) => {
            let s = client.session(id).await?;
            if s.finished() {
                ui.info(&format!("Session {id} is finished; its scorecard:"));
                ui.scorecard(&client.scorecard(id).await?);
                return Ok(Some((s.id, Outcome::Finished)));
            }
            s
        }
        None => {
            let question = match &args.question {
                Some(q) => q.clone(),
                None => match choose(client, ui, &mut editor, args.level.as_deref()).await? {
                    Some(q) => q,
                    None => return Ok(None),
                },
            };
            client
                .create_session(&question, args.level.as_deref())
                .await?
        }
    };
    ui.session_intro(&session);
    let id = session.id.clone();
    match Room::new(client, ui, &mut editor, session).run().await {
        Ok(outcome) => Ok(Some((id, outcome))),
        Err(e) => Err(PracticeError::InSession {
            id,
            source: Box::new(e),
        }),
    }
}

/// Lists the questions and reads a choice; `None` when the user leaves instead.
async fn choose(
    client: &Client,
    ui: &mut Renderer<std::io::Stdout>,
    editor: &mut Editor,
    level: Option<&str>,
) -> Result<Option<String>, PracticeError> {
    let questions = client.questions(level).await?;
    if questions.is_empty() {
        ui.error("the server has no questions at this level");
        return Ok(None);
    }
    ui.question_list(&questions);
    loop {
        match editor.read("question (number or id)> ").await? {
            Read::Eof | Read::Interrupted => return Ok(None),
            Read::Entry(e) if e.trim().is_empty() => continue,
            Read::Entry(e) => match pick::pick(&questions, &e) {
                Ok(q) => return Ok(Some(q.id.clone())),
                Err(msg) => ui.error(&msg),
            },
        }
    }
}

/// Where the session can be seen or taken up again after the terminal.
fn where_next(args: &PracticeArgs, id: &str, outcome: Outcome) -> String {
    let page = match outcome {
        Outcome::Finished => "review",
        Outcome::Left => "session",
    };
    let resume = match outcome {
        Outcome::Left => {
            let server = args
                .server
                .as_deref()
                .map(|s| format!(" --server {s}"))
                .unwrap_or_default();
            format!(" Resume it with `mock-interviewer practice --session {id}{server}`.")
        }
        Outcome::Finished => String::new(),
    };
    let web = match &args.server {
        Some(s) => format!("{}/#/{page}/{id}", s.trim_end_matches('/')),
        None => format!(
            "`mock-interviewer serve` (same --db), then http://127.0.0.1:8080/#/{page}/{id}"
        ),
    };
    format!("Session {id} is saved.{resume} In the web room: {web}")
}
