//! The content catalog: questions, phase plans, rubrics and the lexicon, loaded from TOML and validated
//! once at start-up (format: `content/README.md`).

pub mod fact_cues;
pub mod leaks;
pub mod lexicon;
pub mod model;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::text::{Phrase, PhraseIndex, PhraseSet};
pub use lexicon::{ConceptIdx, Lexicon};
pub use model::*;

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

/// Where content comes from: a root holding `content/` and `rubrics/`.
#[derive(Debug, Clone)]
pub struct ContentRoot {
    pub content: PathBuf,
    pub rubrics: PathBuf,
}

impl ContentRoot {
    /// The built-in content under the project root.
    pub fn builtin(root: &Path) -> ContentRoot {
        ContentRoot {
            content: root.join("content"),
            rubrics: root.join("rubrics"),
        }
    }

    /// A user folder: `DIR/questions`, `DIR/plans`, `DIR/lexicon`, `DIR/rubrics`.
    pub fn user(dir: &Path) -> ContentRoot {
        ContentRoot {
            content: dir.to_path_buf(),
            rubrics: dir.join("rubrics"),
        }
    }
}

#[derive(Default)]
struct Loader {
    issues: Vec<ContentIssue>,
    concepts: Vec<(PathBuf, Concept)>,
    plans: Vec<(PathBuf, PhasePlan)>,
    rubrics: Vec<(PathBuf, Rubric)>,
    questions: Vec<(PathBuf, Question)>,
}

impl Loader {
    fn issue(&mut self, file: &Path, field: impl Into<String>, problem: impl Into<String>) {
        self.issues.push(ContentIssue {
            file: file.to_path_buf(),
            field: field.into(),
            problem: problem.into(),
        });
    }

    fn toml_files(&mut self, dir: &Path, required: bool) -> Vec<PathBuf> {
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                files.sort();
                files
            }
            Err(e) => {
                if required {
                    self.issue(dir, "-", format!("cannot read folder: {e}"));
                }
                Vec::new()
            }
        }
    }

    fn parse<T: DeserializeOwned>(&mut self, file: &Path) -> Option<T> {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                self.issue(file, "-", format!("cannot read: {e}"));
                return None;
            }
        };
        match toml::from_str::<T>(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let field = toml_error_field(&e, &text);
                let problem = e.message().to_string();
                let line = e
                    .span()
                    .map(|s| format!(" (line {})", text[..s.start].lines().count().max(1)))
                    .unwrap_or_default();
                self.issue(file, field, format!("{problem}{line}"));
                None
            }
        }
    }

    fn read_root(&mut self, root: &ContentRoot, required: bool) {
        for file in self.toml_files(&root.content.join("lexicon"), required) {
            if let Some(lex) = self.parse::<LexiconFile>(&file) {
                self.concepts
                    .extend(lex.concepts.into_iter().map(|c| (file.clone(), c)));
            }
        }
        for file in self.toml_files(&root.content.join("plans"), required) {
            if let Some(plan) = self.parse::<PhasePlan>(&file) {
                self.plans.push((file, plan));
            }
        }
        for file in self.toml_files(&root.rubrics, required) {
            if let Some(rubric) = self.parse::<Rubric>(&file) {
                self.rubrics.push((file, rubric));
            }
        }
        for file in self.toml_files(&root.content.join("questions"), required) {
            if let Some(q) = self.parse::<Question>(&file) {
                self.questions.push((file, q));
            }
        }
    }
}

/// The field a TOML error is about: named in the message for unknown or missing fields, otherwise the
/// key on the line the error points at.
fn toml_error_field(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message();
    let quoted = || {
        let start = msg.find('`')?;
        let len = msg[start + 1..].find('`')?;
        Some(msg[start + 1..start + 1 + len].to_string())
    };
    if (msg.starts_with("unknown field") || msg.starts_with("missing field"))
        && let Some(name) = quoted()
    {
        return name;
    }
    let key_on_line = e.span().and_then(|span| {
        let line_start = text[..span.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line = text[line_start..].lines().next()?;
        let key = line.split('=').next()?.trim();
        (line.contains('=') && !key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
    });
    key_on_line.unwrap_or_else(|| "-".to_string())
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Catalog {
    /// Loads the built-in content plus any user folders, validating everything.
    pub fn load(builtin: &ContentRoot, extra: &[PathBuf]) -> Result<Catalog, ContentErrors> {
        let mut loader = Loader::default();
        loader.read_root(builtin, true);
        for dir in extra {
            if !dir.is_dir() {
                loader.issue(dir, "-", "not a folder");
                continue;
            }
            loader.read_root(&ContentRoot::user(dir), false);
        }
        build(loader)
    }

    /// Checks a user folder on its own terms, resolving kinds, rubrics and concepts against the
    /// built-in content as the server would. Returns the problems found in the folder's files.
    pub fn check_dir(builtin: &ContentRoot, dir: &Path) -> Vec<ContentIssue> {
        let is_builtin = dir.canonicalize().ok() == builtin.content.canonicalize().ok();
        let extra = if is_builtin {
            Vec::new()
        } else {
            vec![dir.to_path_buf()]
        };
        match Catalog::load(builtin, &extra) {
            Ok(_) => Vec::new(),
            Err(ContentErrors(issues)) => issues,
        }
    }

    pub fn question(&self, id: &str) -> Option<&Arc<QuestionEntry>> {
        self.questions.get(id)
    }
}

fn build(mut l: Loader) -> Result<Catalog, ContentErrors> {
    // Lexicon.
    let mut seen = HashSet::new();
    let concepts = std::mem::take(&mut l.concepts);
    let mut unique = Vec::new();
    for (file, c) in concepts {
        if blank(&c.id)
            || !c
                .id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            l.issue(&file, format!("concepts.{}.id", c.id), "must be snake_case");
        }
        if !seen.insert(c.id.clone()) {
            l.issue(
                &file,
                format!("concepts.{}.id", c.id),
                "duplicate concept id",
            );
            continue;
        }
        if PhraseSet::compile(&c.phrases).is_empty() {
            l.issue(
                &file,
                format!("concepts.{}.phrases", c.id),
                "needs at least one phrase with a word in it",
            );
        }
        unique.push(c);
    }
    let lexicon = Lexicon::new(unique);

    // Rubrics.
    let mut rubrics = BTreeMap::new();
    for (file, r) in std::mem::take(&mut l.rubrics) {
        validate_rubric(&mut l, &file, &r, &lexicon);
        if r.id != stem(&file) {
            l.issue(
                &file,
                "id",
                format!("must equal the file name `{}`", stem(&file)),
            );
        }
        if rubrics.insert(r.id.clone(), Arc::new(r)).is_some() {
            l.issue(&file, "id", "duplicate rubric id");
        }
    }

    // Plans.
    let mut plans = BTreeMap::new();
    for (file, p) in std::mem::take(&mut l.plans) {
        if p.kind != stem(&file) {
            l.issue(
                &file,
                "kind",
                format!("must equal the file name `{}`", stem(&file)),
            );
        }
        if !rubrics.contains_key(&p.rubric) {
            l.issue(
                &file,
                "rubric",
                format!("no rubric `{}` in rubrics/", p.rubric),
            );
        }
        if p.phases.is_empty() {
            l.issue(&file, "phases", "needs at least one phase");
        }
        let mut ids = HashSet::new();
        for (i, ph) in p.phases.iter().enumerate() {
            let at = format!("phases[{i}]");
            if blank(&ph.id) || !ids.insert(ph.id.clone()) {
                l.issue(&file, format!("{at}.id"), "missing or duplicate phase id");
            }
            if ph.minutes == 0 || ph.minutes > 120 {
                l.issue(&file, format!("{at}.minutes"), "must be between 1 and 120");
            }
            if blank(&ph.name) {
                l.issue(&file, format!("{at}.name"), "must not be empty");
            }
            if blank(&ph.intro) {
                l.issue(&file, format!("{at}.intro"), "must not be empty");
            }
            if ph.goals.iter().all(|g| blank(g)) {
                l.issue(&file, format!("{at}.goals"), "needs at least one goal");
            }
        }
        for (i, c) in p.closing_questions.iter().enumerate() {
            if blank(&c.ask) {
                l.issue(&file, format!("closing_questions[{i}].ask"), "must not be empty");
            }
            for id in &c.concepts {
                if lexicon.index(id).is_none() {
                    l.issue(
                        &file,
                        format!("closing_questions[{i}].concepts"),
                        format!("unknown concept `{id}` (not in content/lexicon)"),
                    );
                }
            }
        }
        if plans.insert(p.kind.clone(), Arc::new(p)).is_some() {
            l.issue(&file, "kind", "duplicate plan kind");
        }
    }

    // Questions.
    let mut questions = BTreeMap::new();
    for (file, q) in std::mem::take(&mut l.questions) {
        if q.id != stem(&file) {
            l.issue(
                &file,
                "id",
                format!("must equal the file name `{}`", stem(&file)),
            );
        }
        let Some(plan) = plans.get(&q.kind).cloned() else {
            l.issue(
                &file,
                "kind",
                format!("no phase plan `{}` in content/plans/", q.kind),
            );
            continue;
        };
        let Some(rubric) = rubrics.get(&plan.rubric).cloned() else {
            continue;
        };
        validate_question(&mut l, &file, &q, &plan, &lexicon);
        let entry = QuestionEntry {
            fact_index: {
                let mut index = PhraseIndex::default();
                for (i, f) in q.facts.iter().enumerate() {
                    for p in f.asked_by.iter().filter_map(|p| Phrase::compile(p)) {
                        index.add(i, p);
                    }
                }
                index
            },
            fact_cues: fact_cues::FactCues::compile(&q),
            qa_matchers: q
                .qa
                .iter()
                .map(|a| PhraseSet::compile(&a.asked_by))
                .collect(),
            question: q,
            plan,
            rubric,
        };
        let id = entry.question.id.clone();
        if questions.insert(id, Arc::new(entry)).is_some() {
            l.issue(&file, "id", "a question with this id already exists");
        }
    }
    if questions.is_empty() && l.issues.is_empty() {
        l.issues.push(ContentIssue {
            file: PathBuf::from("content/questions"),
            field: "-".into(),
            problem: "no questions found".into(),
        });
    }

    if l.issues.is_empty() {
        Ok(Catalog {
            lexicon,
            plans,
            rubrics,
            questions,
        })
    } else {
        Err(ContentErrors(l.issues))
    }
}

fn check_concepts(
    l: &mut Loader,
    file: &Path,
    field: &str,
    concepts: &[String],
    lexicon: &Lexicon,
) {
    if concepts.is_empty() {
        l.issue(file, field.to_string(), "needs at least one concept");
    }
    for c in concepts {
        if lexicon.index(c).is_none() {
            l.issue(
                file,
                field.to_string(),
                format!("unknown concept `{c}` (not in content/lexicon)"),
            );
        }
    }
}

fn validate_rubric(l: &mut Loader, file: &Path, r: &Rubric, lexicon: &Lexicon) {
    if blank(&r.version) {
        l.issue(file, "version", "must not be empty");
    }
    if r.dimensions.is_empty() {
        l.issue(file, "dimensions", "needs at least one dimension");
    }
    let mut ids = HashSet::new();
    for d in &r.dimensions {
        let at = format!("dimensions.{}", d.id);
        if blank(&d.id) || !ids.insert(d.id.clone()) {
            l.issue(
                file,
                format!("{at}.id"),
                "missing or duplicate dimension id",
            );
        }
        for s in ["1", "2", "3", "4"] {
            if d.descriptors.get(s).is_none_or(|t| blank(t)) {
                l.issue(
                    file,
                    format!("{at}.descriptors.{s}"),
                    "every score 1-4 needs a descriptor",
                );
            }
        }
        if d.descriptors.len() != 4 {
            l.issue(
                file,
                format!("{at}.descriptors"),
                "exactly the scores 1, 2, 3 and 4",
            );
        }
        let [a, b, c] = d.thresholds;
        if !(0.0 < a && a < b && b < c && c <= 1.0) {
            l.issue(
                file,
                format!("{at}.thresholds"),
                "must rise strictly within (0, 1]",
            );
        }
        if !(d.weight > 0.0 && d.weight <= 10.0) {
            l.issue(file, format!("{at}.weight"), "must be in (0, 10]");
        }
        if d.measure == Measure::Concepts {
            check_concepts(l, file, &format!("{at}.concepts"), &d.concepts, lexicon);
            if d.expected.is_some_and(|e| e == 0 || e > d.concepts.len()) {
                l.issue(
                    file,
                    format!("{at}.expected"),
                    "must be between 1 and the number of concepts",
                );
            }
        }
    }
}

fn validate_question(
    l: &mut Loader,
    file: &Path,
    q: &Question,
    plan: &PhasePlan,
    lexicon: &Lexicon,
) {
    for (field, value) in [
        ("title", &q.title),
        ("summary", &q.summary),
        ("prompt", &q.prompt),
        ("reference_outline", &q.reference_outline),
    ] {
        if blank(value) {
            l.issue(file, field, "must not be empty");
        }
    }
    if q.levels.is_empty() {
        l.issue(file, "levels", "needs at least one level");
    }
    for (field, n) in [
        ("facts", q.facts.len()),
        ("components", q.components.len()),
        ("deep_dives", q.deep_dives.len()),
        ("tradeoffs", q.tradeoffs.len()),
    ] {
        if n == 0 {
            l.issue(file, field, "needs at least one entry");
        }
    }
    let mut ids = HashSet::new();
    for f in &q.facts {
        let at = format!("facts.{}", f.id);
        if blank(&f.id) || !ids.insert(f.id.clone()) {
            l.issue(file, format!("{at}.id"), "missing or duplicate fact id");
        }
        if blank(&f.topic) {
            l.issue(file, format!("{at}.topic"), "must not be empty");
        }
        if blank(&f.answer) {
            l.issue(file, format!("{at}.answer"), "must not be empty");
        }
        if PhraseSet::compile(&f.asked_by).is_empty() {
            l.issue(file, format!("{at}.asked_by"), "needs at least one phrase");
        }
    }
    let check_phase = |l: &mut Loader, at: &str, phase: &Option<String>| {
        if let Some(p) = phase
            && plan.index_of(p).is_none()
        {
            l.issue(
                file,
                format!("{at}.phase"),
                format!("`{p}` is not a phase of kind `{}`", plan.kind),
            );
        }
    };
    for c in &q.components {
        let at = format!("components.{}", c.id);
        check_concepts(l, file, &format!("{at}.concepts"), &c.concepts, lexicon);
        if blank(&c.follow_up) {
            l.issue(file, format!("{at}.follow_up"), "must not be empty");
        }
        check_phase(l, &at, &c.phase);
    }
    for d in &q.deep_dives {
        let at = format!("deep_dives.{}", d.id);
        check_concepts(l, file, &format!("{at}.concepts"), &d.concepts, lexicon);
        if d.probes.iter().all(|p| blank(p.ask())) {
            l.issue(file, format!("{at}.probes"), "needs at least one probe");
        }
        check_phase(l, &at, &d.phase);
    }
    for t in &q.tradeoffs {
        let at = format!("tradeoffs.{}", t.id);
        check_concepts(l, file, &format!("{at}.concepts"), &t.concepts, lexicon);
        if blank(&t.question) {
            l.issue(file, format!("{at}.question"), "must not be empty");
        }
        check_phase(l, &at, &t.phase);
    }
    for (i, a) in q.qa.iter().enumerate() {
        if blank(&a.answer) || PhraseSet::compile(&a.asked_by).is_empty() {
            l.issue(
                file,
                format!("qa[{i}]"),
                "needs asked_by phrases and an answer",
            );
        }
    }
}
