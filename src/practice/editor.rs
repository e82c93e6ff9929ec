//! The line editor (rustyline): editing keys, history of what was typed this session, Ctrl-C and
//! Ctrl-D as events of their own. rustyline blocks, so each read runs on tokio's blocking pool while
//! the runtime (and the embedded server on it) goes on. Without a terminal it reads plain lines.

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor as Rustyline};

/// What one read gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// A line, or a pasted block of several.
    Entry(String),
    /// Ctrl-C.
    Interrupted,
    /// Ctrl-D on an empty line, or the end of the input.
    Eof,
}

#[derive(Debug, thiserror::Error)]
#[error("the terminal cannot be read: {0}")]
pub struct EditorError(String);

pub struct Editor {
    // Taken while a read runs on the blocking pool, put back after.
    inner: Option<Rustyline<(), DefaultHistory>>,
}

impl Editor {
    pub fn new() -> Result<Editor, EditorError> {
        let config = Config::builder()
            .auto_add_history(false)
            .history_ignore_dups(true)
            .map_err(|e| EditorError(e.to_string()))?
            .max_history_size(1000)
            .map_err(|e| EditorError(e.to_string()))?
            .build();
        let inner = Rustyline::with_config(config).map_err(|e| EditorError(e.to_string()))?;
        Ok(Editor { inner: Some(inner) })
    }

    pub async fn read(&mut self, prompt: &str) -> Result<Read, EditorError> {
        let mut inner = self
            .inner
            .take()
            .ok_or_else(|| EditorError("a read is already running".into()))?;
        let prompt = prompt.to_string();
        let (inner, got) = tokio::task::spawn_blocking(move || {
            let got = inner.readline(&prompt);
            if let Ok(line) = &got
                && !line.trim().is_empty()
            {
                let _ = inner.add_history_entry(line.as_str());
            }
            (inner, got)
        })
        .await
        .map_err(|e| EditorError(e.to_string()))?;
        self.inner = Some(inner);
        match got {
            Ok(line) => Ok(Read::Entry(line)),
            Err(ReadlineError::Interrupted) => Ok(Read::Interrupted),
            Err(ReadlineError::Eof) => Ok(Read::Eof),
            Err(e) => Err(EditorError(e.to_string())),
        }
    }
}
