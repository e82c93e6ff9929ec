//! The built-in content, rubrics and prompts, embedded in the binary at build time so it runs from any
//! folder; `--root` overrides them file by file (see `content::source`). build.rs rebuilds on changes.

use include_dir::{Dir, include_dir};

/// `content/`: `questions/`, `plans/`, `lexicon/`.
pub static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
/// `rubrics/`.
pub static RUBRICS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rubrics");
/// `prompts/`: the handlebars templates.
pub static PROMPTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/prompts");
/// `web/vendor/mermaid/`: mermaid's ES-module build and its chunks (see `web/vendor/README.md`).
pub static MERMAID: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/web/vendor/mermaid");
