//! Integration tests: the app on port 0 with its own database, driven over HTTP and SSE.

mod content;
mod embedded;
mod errors;
mod helpers;
mod interviews;
mod kinds;
mod llm;
mod mock_openai;
mod observe;
mod persistence;
mod phases;
