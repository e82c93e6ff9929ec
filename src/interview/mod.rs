//! Interviews: the use-cases and everything they decide. The orchestrator (`Interviews`) and its
//! use-cases, one file per job; the pure phase machine, the hidden-facts ledger and the per-turn
//! directive; what plays the interviewer (the offline interviewer's words, or a model's prompt).
//! Nothing below this module imports it.

pub mod conformance;
pub mod content_check;
pub mod diagram_probe;
pub mod directive;
pub mod events;
pub mod fact_matching;
pub mod follow_ups;
pub mod hints;
pub mod interviewer;
pub mod interviewer_prompt;
pub mod ledger;
pub mod listening;
pub mod memory;
pub mod offline_interviewer;
pub mod orchestrator;
pub mod phases;
pub mod phrasebook;
pub mod prompt_context;
pub mod quotas;
mod read;
mod reply_stream;
mod session_cache;
mod sessions;
pub mod settings;
pub mod transcript;
pub mod turn_instructions;
pub mod turn_plan;
mod turns;
pub mod understanding;
pub mod upkeep;
pub mod views;
pub mod voice;

pub use events::{EventStream, StreamEvent};
pub use interviewer::Interviewer;
pub use orchestrator::Interviews;
pub use quotas::{Limits, Quota};
pub use settings::{InterviewSettings, UpstreamFailure};
pub use turns::MAX_ANSWER_BYTES;
