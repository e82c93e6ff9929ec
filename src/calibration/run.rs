//! One `calibrate` run: score the corpus, optionally fit thresholds on the train split, evaluate the
//! train split for information and the chosen split for the verdict, and render the result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{Catalog, Rubric};
use crate::scoring::aggregate;
use crate::scoring::offline::{after_steering, score_with};
use crate::scoring::{DimensionScore, Scorecard};

use super::corpus::{Corpus, Split};
use super::evaluate::{Report, Scored, Selection, evaluate};
use super::fit::{Example, Fitted, fit, write_rubric};
use super::replay;
use super::thresholds::Thresholds;
use crate::scoring::reliability::Table;

#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    /// `None` evaluates every split together.
    pub split: Option<Split>,
    pub json: bool,
    pub fit: bool,
    /// Also report the train split cross-validated by question (see `cross_validate`).
    pub cv: bool,
    /// Where `--fit` writes the fitted thresholds (the built-in rubrics folder).
    pub rubrics_dir: PathBuf,
    /// The prompt templates (the judge's, for `--llm`).
    /// A `--root` whose `prompts/` override the built-in templates.
    pub prompts_root: Option<PathBuf>,
    /// Allow the authors' archetypes to stand in for missing rater labels.
    pub provisional: bool,
    /// Write the held-out track record that offline cards quote (`calibration/reliability.toml`).
    pub write_reliability: bool,
}

/// Per transcript, per dimension: the measured value and the highest score it can get.
type Measures = BTreeMap<String, Vec<replay::DimensionValue>>;

#[derive(Debug, Serialize)]
pub struct Outcome {
    pub corpus: String,
    pub thresholds_file: bool,
    pub problems: Vec<String>,
    pub fitted: BTreeMap<String, Fitted>,
    /// Every transcript's measured value per dimension, before thresholds.
    pub measures: Measures,
    pub train: Report,
    /// The train split, each question scored with thresholds fitted without it (`--cv`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_validated: Option<Report>,
    pub verdict: Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judges: Option<Vec<super::judges::JudgeRun>>,
    /// The held-out track record offline cards quote, measured now (held-out verdicts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Table>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.verdict.passed()
            && self
                .judges
                .as_ref()
                .is_none_or(|j| j.iter().all(|r| r.failures.is_empty()))
    }
}

fn scored_from(card: &Scorecard) -> Scored {
    Scored {
        scores: card
            .dimensions
            .iter()
            .map(|d| (d.id.clone(), d.score))
            .collect(),
        overall: card.overall.score,
        recommendation: card.overall.recommendation,
    }
}

/// Re-scores from measured values with other thresholds (as `--fit` proposes them).
fn rescored(
    rubric: &Rubric,
    level: crate::content::Level,
    values: &[replay::DimensionValue],
    fitted: &BTreeMap<String, Fitted>,
) -> Scored {
    let substance = substance_of(values);
    let steering = values
        .iter()
        .any(|(id, v, _)| id == replay::STEERING && *v > 0.5);
    let dims: Vec<DimensionScore> = rubric
        .dimensions
        .iter()
        .map(|d| {
            let (value, ceiling) = values
                .iter()
                .find(|(id, _, _)| id == &d.id)
                .map(|(_, v, c)| (*v, *c))
                .unwrap_or((0.0, 1));
            let f = fitted
                .get(&format!("{}.{}", rubric.id, d.id))
                .copied()
                .unwrap_or(Fitted {
                    thresholds: d.thresholds,
                    substance: d.substance,
                });
            let v = (1.0 - f.substance) * value + f.substance * substance;
            let score = score_with(f.thresholds, level, v).min(ceiling);
            DimensionScore {
                id: d.id.clone(),
                name: d.name.clone(),
                score: after_steering(d, score, steering),
                evidence: Vec::new(),
                feedback: String::new(),
                missing: Vec::new(),
                reference: String::new(),
            }
        })
        .collect();
    let overall = aggregate(rubric, &dims);
    Scored {
        scores: dims.iter().map(|d| (d.id.clone(), d.score)).collect(),
        overall: overall.score,
        recommendation: overall.recommendation,
    }
}

/// Scores every transcript of the corpus with the offline scorer.
pub fn score_corpus(
    catalog: &Catalog,
    corpus: &Corpus,
    problems: &mut Vec<String>,
) -> (
    BTreeMap<String, Scored>,
    Measures,
    BTreeMap<String, Scorecard>,
) {
    let mut scored = BTreeMap::new();
    let mut measures = Measures::new();
    let mut cards = BTreeMap::new();
    for t in &corpus.transcripts {
        match replay::assess(catalog, t) {
            Ok((card, values)) => {
                scored.insert(t.id.clone(), scored_from(&card));
                measures.insert(t.id.clone(), values);
                cards.insert(t.id.clone(), card);
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    (scored, measures, cards)
}

pub fn run(catalog: &Catalog, opts: &Options) -> Result<Outcome, String> {
    let corpus = Corpus::load(&opts.dir).map_err(|e| e.to_string())?;
    let (bar, thresholds_file) = Thresholds::load(&opts.dir)?;
    let mut problems = corpus.problems.clone();
    let (mut scored, measures, _) = score_corpus(catalog, &corpus, &mut problems);

    let train_sel = Selection {
        corpus: &corpus,
        catalog,
        split: Some(Split::Train),
        provisional: opts.provisional,
    };
    let mut fitted = BTreeMap::new();
    if opts.fit {
        fitted = fit_thresholds(&train_sel, &measures);
        let mut by_rubric: BTreeMap<String, BTreeMap<String, Fitted>> = BTreeMap::new();
        for (key, t) in &fitted {
            if let Some((rubric, dim)) = key.split_once('.') {
                by_rubric
                    .entry(rubric.to_string())
                    .or_default()
                    .insert(dim.to_string(), *t);
            }
        }
        for (rubric, dims) in &by_rubric {
            let path = opts.rubrics_dir.join(format!("{rubric}.toml"));
            write_rubric(&path, dims).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for t in &corpus.transcripts {
            let (Some(entry), Some(values)) =
                (catalog.question(&t.question_id), measures.get(&t.id))
            else {
                continue;
            };
            scored.insert(
                t.id.clone(),
                rescored(&entry.rubric, t.level, values, &fitted),
            );
        }
    }
    let train = evaluate(&train_sel, &scored, &bar);
    let cross_validated = opts
        .cv
        .then(|| evaluate(&train_sel, &cross_validate(&train_sel, &measures), &bar));
    let verdict_sel = Selection {
        split: opts.split,
        ..train_sel
    };
    let verdict = evaluate(&verdict_sel, &scored, &bar);
    // Measured with the rubrics the build embeds, so not after a `--fit` (its thresholds need a
    // rebuild first), and only from raters' labels.
    let reliability = (opts.split == Some(Split::Heldout) && !opts.provisional && !opts.fit)
        .then(|| super::reliability::measure(catalog, &corpus, &verdict));
    if opts.write_reliability {
        let table = reliability.as_ref().ok_or(
            "--write-reliability measures the held-out split with the built rubrics: use it without --split, --fit or --provisional",
        )?;
        super::reliability::write(&opts.dir, table)?;
    }
    Ok(Outcome {
        corpus: opts.dir.display().to_string(),
        thresholds_file,
        problems,
        fitted,
        measures,
        train,
        cross_validated,
        verdict,
        judges: None,
        reliability,
    })
}

fn substance_of(values: &[replay::DimensionValue]) -> f64 {
    values
        .iter()
        .find(|(id, _, _)| id == replay::SUBSTANCE)
        .map(|(_, v, _)| *v)
        .unwrap_or(0.0)
}

fn fit_thresholds(sel: &Selection<'_>, measures: &Measures) -> BTreeMap<String, Fitted> {
    fit_thresholds_on(sel, measures, None, |_| true)
}

/// Evenly spaced cut points and a middling share of substance: where a fit starts when the
/// rubric's own thresholds may not be used.
const NEUTRAL: Fitted = Fitted {
    thresholds: [0.25, 0.5, 0.75],
    substance: 0.35,
};

/// Leave one question out at a time: each train question's transcripts are scored with thresholds
/// fitted on the other train questions of its rubric, so the train split also says how the fit
/// carries to a question it has not seen, without looking at the held-out split. The fit starts
/// from (and is pulled towards) `NEUTRAL`, not the rubric's thresholds: those were fitted on every
/// train question, the left-out one included.
fn cross_validate(sel: &Selection<'_>, measures: &Measures) -> BTreeMap<String, Scored> {
    let questions: std::collections::BTreeSet<&str> =
        sel.transcripts().map(|t| t.question_id.as_str()).collect();
    let mut out = BTreeMap::new();
    for q in questions {
        let Some(entry) = sel.catalog.question(q) else {
            continue;
        };
        let rubric = &entry.rubric;
        let fitted = fit_thresholds_on(sel, measures, Some(NEUTRAL), |t| {
            t.question_id != q && sel.rubric_of(t).is_some_and(|r| r.id == rubric.id)
        });
        for t in sel.transcripts().filter(|t| t.question_id == q) {
            if let Some(values) = measures.get(&t.id) {
                out.insert(t.id.clone(), rescored(rubric, t.level, values, &fitted));
            }
        }
    }
    out
}

fn fit_thresholds_on(
    sel: &Selection<'_>,
    measures: &Measures,
    anchor: Option<Fitted>,
    keep: impl Fn(&super::corpus::Transcript) -> bool,
) -> BTreeMap<String, Fitted> {
    let mut examples: BTreeMap<String, (Vec<Example>, Fitted)> = BTreeMap::new();
    for t in sel.transcripts().filter(|t| keep(t)) {
        let (Some(rubric), Some(c), Some(values)) =
            (sel.rubric_of(t), sel.consensus(t), measures.get(&t.id))
        else {
            continue;
        };
        let substance = substance_of(values);
        for d in &rubric.dimensions {
            let (Some(label), Some((_, value, ceiling))) = (
                c.rounded(&d.id),
                values.iter().find(|(id, _, _)| id == &d.id),
            ) else {
                continue;
            };
            examples
                .entry(format!("{}.{}", rubric.id, d.id))
                .or_insert_with(|| {
                    (
                        Vec::new(),
                        anchor.unwrap_or(Fitted {
                            thresholds: d.thresholds,
                            substance: d.substance,
                        }),
                    )
                })
                .0
                .push(Example {
                    value: *value,
                    substance,
                    level: t.level,
                    ceiling: *ceiling,
                    label,
                });
        }
    }
    examples
        .into_iter()
        .map(|(k, (ex, current))| (k, fit(&ex, current)))
        .collect()
}

/// The default corpus folder: `calibration/` under the project root.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join("calibration")
}
