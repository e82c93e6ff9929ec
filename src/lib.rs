//! mock-interviewer: AI/ML system-design mock interviews over HTTP and SSE.

/// Time, injectable for tests.
pub mod clock;
/// Flags and environment settings.
pub mod config;
/// Questions, phase plans, rubrics and the concept lexicon, loaded and validated at start-up.
pub mod content;
/// The API error type and its stable codes.
pub mod error;
/// Figures in text (numbers with units), normalised for comparison.
pub mod figures;
/// Routes and handlers.
pub mod http;
/// The phase machine, ledger, coverage, offline interviewer and the orchestrator.
pub mod interview;
/// The `Llm` trait and its implementations.
pub mod llm;
/// Markdown rendered to sanitised HTML for the browser.
pub mod markdown;
/// Prompt templates, loaded and checked at start-up.
pub mod prompting;
/// Scorecards, the offline scorer and the judge's validation.
pub mod scoring;
/// Application assembly and graceful shutdown.
pub mod startup;
/// SQLite storage.
pub mod storage;
/// Words, sentences and phrase matching over candidate text.
pub mod text;
/// Token counting and context-window fitting.
pub mod tokens;
