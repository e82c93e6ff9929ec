//! Interviews: the phase machine (pure), the hidden-facts ledger, coverage tracking, the per-turn
//! directive, the offline interviewer's words, and the service that joins them with storage and the LLM.

pub mod content_check;
pub mod coverage;
pub mod directive;
pub mod fact_matching;
pub mod ledger;
pub mod listening;
pub mod memory;
pub mod offline;
pub mod phases;
pub mod phrasebook;
pub mod prompt;
pub mod service;
pub mod transcript;
pub mod understanding;
pub mod views;

pub use service::{Interviews, StreamEvent};
