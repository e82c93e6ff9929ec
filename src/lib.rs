//! mock-interviewer: AI/ML system-design mock interviews over HTTP and SSE. ARCHITECTURE.md has the
//! module map and the rules on which module may import which.

/// Accounts: who is asking, what they may do with a session, users, tokens, shares, comments.
pub mod accounts;
/// Language over candidate text: words, sentences, phrases, the concept lexicon, coverage.
pub mod analysis;
/// The `calibrate` command: replays the labelled corpus through the scorers and measures agreement.
pub mod calibration;
/// Time, injectable for tests.
pub mod clock;
/// Flags and environment settings.
pub mod config;
/// Questions, phase plans, rubrics and the concept lexicon, loaded and validated at start-up.
pub mod content;
/// The `db migrate` command: SQLite into PostgreSQL, with a progress bar.
pub mod db_command;
/// Mermaid flowcharts in a turn: extracted, parsed, read as a graph.
pub mod diagram;
/// The closed sets of values the database and the API share (roles, statuses, sources...).
pub mod domain;
/// The built-in content, rubrics and prompts, embedded in the binary.
pub mod embedded;
/// The API error type and its stable codes.
pub mod error;
/// Routes and handlers.
pub mod http;
/// The orchestrator and its use-cases, the phase machine, the ledger, the directive, the interviewer.
pub mod interview;
/// The model client: messages in, tokens out.
pub mod llm;
/// Markdown rendered to sanitised HTML for the browser.
pub mod markdown;
/// `mock-interviewer practice`: a whole interview in the terminal, over the HTTP API.
pub mod practice;
/// Prompt templates: loaded, versioned and rendered.
pub mod prompting;
/// Scorecards, the offline scorer, the judge's prompt and its validation.
pub mod scoring;
/// The accept loop: connection limit, header-read and idle timeouts, lingering close, graceful stop.
pub mod serve;
/// Application assembly and graceful shutdown.
pub mod startup;
/// All SQL, over SQLite or PostgreSQL behind one interface; migrations; the turn lease.
pub mod storage;
/// Prometheus metrics, one registry per application.
pub mod telemetry;
/// Token counting and context-window fitting.
pub mod tokens;
/// The `users` command: accounts managed from the command line.
pub mod users_command;
