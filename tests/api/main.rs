//! Integration tests: the app on port 0 with its own database, driven over HTTP and SSE.

// Test code may unwrap: a panic is how a test fails (the crate-wide lint is for the service).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod calibration;
mod content;
mod diagrams;
mod embedded;
mod errors;
mod guard;
mod helpers;
mod hints;
mod instances;
mod interviews;
mod kinds;
mod limits;
mod llm;
mod migrate;
mod mock_openai;
mod observe;
mod openapi;
mod persistence;
mod phases;
#[cfg(unix)]
mod practice;
mod prompts;
mod properties;
mod shutdown;
