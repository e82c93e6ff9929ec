//! The content catalog: questions, phase plans, rubrics and the lexicon, loaded from TOML and validated
//! once at start-up (format: `content/README.md`).

pub mod fact_cues;
pub mod leaks;
mod loader;
pub mod model;
pub mod source;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::analysis::lexicon::{ConceptIdx, Lexicon};
use crate::analysis::text::{Cue, PhraseIndex, PhraseSet};
pub use model::*;
pub use source::{ContentRoot, Section, SourceFile};

/// A question with its matchers compiled.
#[derive(Debug)]
pub struct QuestionEntry {
    pub question: Question,
    pub plan: Arc<PhasePlan>,
    pub rubric: Arc<Rubric>,
    /// Every fact's phrases, tagged with the fact's index in `question.facts`: finding which facts a
    /// sentence asks for is a hash lookup per word.
    pub fact_index: PhraseIndex,
    /// The same phrases with where they occur and how telling each is, for matching by meaning.
    pub fact_cues: fact_cues::FactCues,
    /// Each fact's figures that the prompt does not give away: what the interviewer must not say
    /// unasked.
    pub hidden: leaks::HiddenFigures,
    /// Every red flag's `said_as` phrases, tagged with the flag's index in `question.red_flags`.
    pub red_flag_index: PhraseIndex,
    /// Every red flag's `cues`, compiled, each with the flag's index in `question.red_flags`.
    pub red_flag_cues: Vec<(usize, Cue)>,
    /// One matcher per Q&A answer, in `question.qa` order.
    pub qa_matchers: Vec<PhraseSet>,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub lexicon: Lexicon,
    pub plans: BTreeMap<String, Arc<PhasePlan>>,
    pub rubrics: BTreeMap<String, Arc<Rubric>>,
    pub questions: BTreeMap<String, Arc<QuestionEntry>>,
}

/// One problem found in a content file.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentIssue {
    pub file: PathBuf,
    pub field: String,
    pub problem: String,
}

impl fmt::Display for ContentIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.field,
            self.problem
        )
    }
}

/// Every problem found while loading; loading fails as a whole so all of them are reported at once.
#[derive(Debug)]
pub struct ContentErrors(pub Vec<ContentIssue>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in the content:", self.0.len())?;
        for issue in &self.0 {
            writeln!(f, "  {issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

impl Catalog {
    /// Loads the built-in content plus any user folders, validating everything.
    pub fn load(builtin: &ContentRoot, extra: &[PathBuf]) -> Result<Catalog, ContentErrors> {
        let mut loader = loader::Loader::default();
        loader.read_root(builtin);
        for dir in extra {
            loader.read_root(&ContentRoot::user(dir));
        }
        loader::build(loader)
    }

    /// Checks a user folder on its own terms, resolving kinds, rubrics and concepts against the
    /// built-in content as the server would. A folder named `content` beside a `rubrics/` folder is
    /// laid out like the source tree: it is checked as the built-in content it overrides (`--root`).
    /// Returns the problems found.
    pub fn check_dir(builtin: &ContentRoot, dir: &Path) -> Vec<ContentIssue> {
        let root_of_dir = dir
            .canonicalize()
            .ok()
            .filter(|d| d.file_name().is_some_and(|n| n == "content"))
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .filter(|parent| parent.join("rubrics").is_dir());
        let result = match root_of_dir {
            Some(root) => Catalog::load(&ContentRoot::builtin(&root), &[]),
            None => Catalog::load(builtin, &[dir.to_path_buf()]),
        };
        match result {
            Ok(_) => Vec::new(),
            Err(ContentErrors(issues)) => issues,
        }
    }

    /// Fuzzing entry point: the embedded content plus one more file of `section` holding `text`,
    /// parsed, validated and cross-checked as a user's folder would be. Any text must end in a
    /// catalog or in content errors, never in a panic.
    #[cfg(feature = "fuzzing")]
    pub fn load_with_file(section: Section, text: &str) -> Result<Catalog, ContentErrors> {
        let mut loader = loader::Loader::default();
        loader.read_root(&ContentRoot::embedded());
        let file = SourceFile {
            path: PathBuf::from("fuzzed.toml"),
            text: Ok(text.to_string()),
        };
        loader.read_files(section, vec![file]);
        loader::build(loader)
    }

    pub fn question(&self, id: &str) -> Option<&Arc<QuestionEntry>> {
        self.questions.get(id)
    }
}
