//! The checks on content beyond what the loader validates: every example question of a fact is
//! matched to that fact alone (so the interviewer answers it, and nothing else), no line the
//! interviewer says on its own quotes a hidden figure, and every red flag is raised by its examples
//! and by none of its counter-examples. `mock-interviewer content check` runs them.

use std::path::Path;

use crate::analysis::lexicon::Lexicon;
use crate::content::leaks::{HiddenFigures, leaks};
use crate::content::{Catalog, ContentErrors, ContentIssue, ContentRoot, PhaseMode, QuestionEntry};
use crate::scoring::red_flags;

use super::fact_matching::fact_ids_asked;

/// A problem found in a question, by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub question: String,
    pub field: String,
    pub problem: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "questions/{}.toml: {}: {}",
            self.question, self.field, self.problem
        )
    }
}

/// Each fact's examples, matched as a candidate's clarifying question would be.
pub fn example_findings(entry: &QuestionEntry) -> Vec<Finding> {
    let q = &entry.question;
    let mut out = Vec::new();
    for f in &q.facts {
        for (i, ex) in f.examples.iter().enumerate() {
            let got = fact_ids_asked(entry, ex, PhaseMode::Clarify);
            if got != [f.id.clone()] {
                out.push(Finding {
                    question: q.id.clone(),
                    field: format!("facts.{}.examples[{i}]", f.id),
                    problem: if got.is_empty() {
                        format!("\"{ex}\" is matched to no fact")
                    } else {
                        format!("\"{ex}\" is matched to {}", got.join(", "))
                    },
                });
            }
        }
    }
    out
}

/// Each red flag's `examples` that do not raise it, and `counter_examples` that do, read as a lone
/// candidate sentence by the offline scorer.
pub fn red_flag_findings(entry: &QuestionEntry, lexicon: &Lexicon) -> Vec<Finding> {
    let q = &entry.question;
    let mut out = Vec::new();
    for (k, flag) in q.red_flags.iter().enumerate() {
        let cases = (flag.examples.iter().map(|e| (e, true)))
            .chain(flag.counter_examples.iter().map(|e| (e, false)));
        for (sentence, should_raise) in cases {
            let raised = red_flags::raised_by_sentence(entry, lexicon, sentence).contains(&k);
            if raised != should_raise {
                out.push(Finding {
                    question: q.id.clone(),
                    field: format!("red_flags[{k}]"),
                    problem: if should_raise {
                        format!("the example \"{sentence}\" does not raise the flag")
                    } else {
                        format!("the counter-example \"{sentence}\" raises the flag")
                    },
                });
            }
        }
    }
    out
}

/// Lines the interviewer says on its own that quote a hidden figure.
pub fn leak_findings(entry: &QuestionEntry) -> Vec<Finding> {
    leaks(&entry.question)
        .into_iter()
        .map(|(field, l)| Finding {
            question: entry.question.id.clone(),
            field,
            problem: format!(
                "quotes \"{}\", a hidden figure of fact `{}`: the interviewer would give it away unasked",
                l.figure, l.fact
            ),
        })
        .collect()
}

/// Phase openings (the plan's intros) that quote a hidden figure of a question of that kind.
pub fn opening_findings(entry: &QuestionEntry) -> Vec<Finding> {
    let hidden = HiddenFigures::of(&entry.question);
    entry
        .plan
        .phases
        .iter()
        .flat_map(|p| {
            hidden.in_line(&p.intro).into_iter().map(|l| Finding {
                question: entry.question.id.clone(),
                field: format!("plans/{}.toml phases.{}.intro", entry.plan.kind, p.id),
                problem: format!(
                    "the phase opening quotes \"{}\", a hidden figure of fact `{}`",
                    l.figure, l.fact
                ),
            })
        })
        .collect()
}

/// A folder's content as `content check` and `content simulate` read it: the catalog with the folder
/// added (or the built-in content alone), and the ids of the folder's own questions.
pub struct Folder {
    pub catalog: Catalog,
    pub questions: Vec<String>,
}

/// Loads a folder beside the built-in content (or the built-in content alone when `dir` is `None`, or
/// when `dir` is a source tree's `content/`, which is read as overriding the embedded copy); the
/// loader's problems when it does not load.
pub fn load_folder(builtin: &ContentRoot, dir: Option<&Path>) -> Result<Folder, Vec<ContentIssue>> {
    let source_tree = dir
        .and_then(|d| d.canonicalize().ok())
        .filter(|d| d.file_name().is_some_and(|n| n == "content"))
        .and_then(|d| d.parent().map(Path::to_path_buf))
        .filter(|parent| parent.join("rubrics").is_dir());
    let (loaded, own) = match (dir, source_tree) {
        (Some(_), Some(root)) => (Catalog::load(&ContentRoot::builtin(&root), &[]), None),
        (Some(d), None) => (Catalog::load(builtin, &[d.to_path_buf()]), Some(d)),
        (None, _) => (Catalog::load(builtin, &[]), None),
    };
    let catalog = loaded.map_err(|ContentErrors(issues)| issues)?;
    let questions = match own {
        None => catalog.questions.keys().cloned().collect(),
        Some(dir) => std::fs::read_dir(dir.join("questions"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let path = e.path();
                        (path.extension().is_some_and(|x| x == "toml"))
                            .then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
                            .flatten()
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    Ok(Folder { catalog, questions })
}

/// `content check DIR`: the loader's validation, then the interviewer's checks on the folder's
/// questions. Each problem as one line.
pub fn check_folder(builtin: &ContentRoot, dir: &Path) -> Vec<String> {
    match load_folder(builtin, Some(dir)) {
        Err(issues) => issues.iter().map(|i| i.to_string()).collect(),
        Ok(folder) => folder
            .questions
            .iter()
            .filter_map(|id| folder.catalog.question(id))
            .flat_map(|e| findings(e, &folder.catalog.lexicon))
            .map(|f| f.to_string())
            .collect(),
    }
}

/// Every finding on one question.
fn findings(e: &QuestionEntry, lexicon: &Lexicon) -> Vec<Finding> {
    let mut f = leak_findings(e);
    f.extend(opening_findings(e));
    f.extend(example_findings(e));
    f.extend(red_flag_findings(e, lexicon));
    f
}

/// Every finding over a catalog's questions.
pub fn check(catalog: &Catalog) -> Vec<Finding> {
    catalog
        .questions
        .values()
        .flat_map(|e| findings(e, &catalog.lexicon))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content::ContentRoot;

    #[test]
    fn the_built_in_content_passes_the_interviewer_checks() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let findings = check(&catalog);
        for f in &findings {
            println!("{f}");
        }
        let examples: usize = catalog
            .questions
            .values()
            .map(|e| {
                e.question
                    .facts
                    .iter()
                    .map(|f| f.examples.len())
                    .sum::<usize>()
            })
            .sum();
        println!("{} finding(s) over {examples} examples", findings.len());
        assert!(findings.is_empty());
    }
}
