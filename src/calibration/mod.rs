//! The `calibrate` command: replays the labelled corpus (calibration/README.md) through the offline
//! scorer, or the LLM judge against scripted mock judges, and measures agreement with the raters.

mod compare;
pub mod corpus;
pub mod evaluate;
pub mod fit;
pub mod judges;
pub mod metrics;
pub mod reliability;
pub mod render;
pub mod replay;
pub mod run;
pub mod thresholds;
