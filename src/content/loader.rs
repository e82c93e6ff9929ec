//! Reading content folders: every TOML file parsed into its typed shape, every problem collected
//! with its file and field, then the catalog built and cross-checked (`validate.rs`).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::analysis::lexicon::ConceptSource;
use crate::analysis::text::{Cue, Phrase, PhraseIndex, PhraseSet};

use super::model::*;
use super::validate::{validate_question, validate_rubric};
use super::{
    Catalog, ContentErrors, ContentIssue, ContentRoot, Lexicon, QuestionEntry, Section, SourceFile,
};

#[derive(Default)]
pub(super) struct Loader {
    issues: Vec<ContentIssue>,
    concepts: Vec<(PathBuf, Concept)>,
    plans: Vec<(PathBuf, PhasePlan)>,
    rubrics: Vec<(PathBuf, Rubric)>,
    questions: Vec<(PathBuf, Question)>,
}

impl Loader {
    pub(super) fn issue(
        &mut self,
        file: &Path,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) {
        self.issues.push(ContentIssue {
            file: file.to_path_buf(),
            field: field.into(),
            problem: problem.into(),
        });
    }

    fn parse<T: DeserializeOwned>(&mut self, file: &SourceFile) -> Option<T> {
        let text = match &file.text {
            Ok(t) => t,
            Err(e) => {
                self.issue(&file.path, "-", e.clone());
                return None;
            }
        };
        match toml::from_str::<T>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let field = toml_error_field(&e, text);
                let problem = e.message().to_string();
                let line = e
                    .span()
                    .map(|s| format!(" (line {})", text[..s.start].lines().count().max(1)))
                    .unwrap_or_default();
                self.issue(&file.path, field, format!("{problem}{line}"));
                None
            }
        }
    }

    fn files(&mut self, root: &ContentRoot, section: Section) -> Vec<SourceFile> {
        root.files(section).unwrap_or_else(|e| {
            self.issue(&e.path, "-", e.problem);
            Vec::new()
        })
    }

    pub(super) fn read_root(&mut self, root: &ContentRoot) {
        if let Some(folder) = root.folder()
            && !folder.is_dir()
        {
            self.issue(folder, "-", "not a folder");
            return;
        }
        for section in [
            Section::Lexicon,
            Section::Plans,
            Section::Rubrics,
            Section::Questions,
        ] {
            let files = self.files(root, section);
            self.read_files(section, files);
        }
    }

    /// Parses the files of one section into their typed shapes.
    pub(super) fn read_files(&mut self, section: Section, files: Vec<SourceFile>) {
        match section {
            Section::Lexicon => self.read_lexicon(files),
            Section::Plans => {
                for file in files {
                    if let Some(plan) = self.parse::<PhasePlan>(&file) {
                        self.plans.push((file.path, plan));
                    }
                }
            }
            Section::Rubrics => {
                for file in files {
                    if let Some(rubric) = self.parse::<Rubric>(&file) {
                        self.rubrics.push((file.path, rubric));
                    }
                }
            }
            Section::Questions => {
                for file in files {
                    if let Some(q) = self.parse::<Question>(&file) {
                        self.questions.push((file.path, q));
                    }
                }
            }
        }
    }

    fn read_lexicon(&mut self, files: Vec<SourceFile>) {
        for file in files {
            if let Some(lex) = self.parse::<LexiconFile>(&file) {
                self.concepts
                    .extend(lex.concepts.into_iter().map(|c| (file.path.clone(), c)));
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

pub(super) fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(super) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

pub(super) fn build(mut l: Loader) -> Result<Catalog, ContentErrors> {
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
    let lexicon = Lexicon::new(unique.into_iter().map(|c| ConceptSource {
        id: c.id,
        name: c.name,
        phrases: c.phrases,
    }));

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
        for d in rubrics.get(&p.rubric).iter().flat_map(|r| &r.dimensions) {
            for ph in d
                .phases
                .iter()
                .chain(&d.cite_from)
                .filter(|ph| !p.phases.iter().any(|x| &x.id == *ph))
            {
                l.issue(
                    &file,
                    "phases",
                    format!(
                        "rubric `{}` dimension `{}` reads phase `{ph}`, which this plan lacks",
                        p.rubric, d.id
                    ),
                );
            }
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
            if c.ask.trim().is_empty() {
                l.issue(
                    &file,
                    format!("closing_questions[{i}].ask"),
                    "must not be empty",
                );
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
        validate_question(&mut l, &file, &q, &plan, &rubric, &lexicon);
        let entry = QuestionEntry {
            fact_index: phrase_index(&q.facts, |f| &f.asked_by),
            red_flag_index: phrase_index(&q.red_flags, |f| &f.said_as),
            red_flag_cues: q
                .red_flags
                .iter()
                .enumerate()
                .flat_map(|(i, f)| {
                    f.cues
                        .iter()
                        .filter_map(move |c| Some((i, Cue::compile(c)?)))
                })
                .collect(),
            fact_cues: super::fact_cues::FactCues::compile(&q),
            hidden: super::leaks::HiddenFigures::of(&q),
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

/// Every item's phrases, tagged with the item's index.
fn phrase_index<T>(items: &[T], phrases: impl Fn(&T) -> &Vec<String>) -> PhraseIndex {
    let mut index = PhraseIndex::default();
    for (i, item) in items.iter().enumerate() {
        for p in phrases(item).iter().filter_map(|p| Phrase::compile(p)) {
            index.add(i, p);
        }
    }
    index
}
