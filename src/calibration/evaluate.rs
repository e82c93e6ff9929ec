//! Comparing scored transcripts with their labels: the figures `calibrate` prints and the verdict
//! against the thresholds.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{Catalog, Rubric};
use crate::scoring::{Recommendation, recommend};

use super::compare::{lifts, pairwise};
use super::corpus::{Consensus, Corpus, Split, Transcript, step};
use super::metrics::{exact, quadratic_kappa, within_one};
use super::thresholds::Thresholds;

/// What a scorer gave one transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub scores: BTreeMap<String, u8>,
    pub overall: u8,
    pub recommendation: Recommendation,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub n: usize,
    pub exact: f64,
    pub within_one: f64,
    pub kappa: f64,
}

impl Agreement {
    fn of(pairs: &[(u8, u8)]) -> Agreement {
        Agreement {
            n: pairs.len(),
            exact: exact(pairs),
            within_one: within_one(pairs),
            kappa: quadratic_kappa(pairs),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionReport {
    pub rubric: String,
    pub id: String,
    pub scorer: Agreement,
    /// The raters against each other on the same transcripts (every pair of raters).
    pub human: Option<Agreement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecommendationReport {
    pub n: usize,
    pub exact: f64,
    pub within_one: f64,
    pub human_exact: Option<f64>,
    /// The raters' own consensus dimension scores put through the scorer's recommendation rule
    /// (`scoring::recommend`), against the raters' recommendation: the most the scorer's
    /// recommendation could agree with perfect dimension scores (rated, not provisional, only).
    pub labels_through_rule: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairwiseReport {
    pub pairs: usize,
    pub agree: usize,
    pub agreement: f64,
    /// The pairs ordered the wrong way (or tied), for inspection.
    pub misordered: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lift {
    pub transcript: String,
    pub kind: String,
    pub base: String,
    pub base_overall: u8,
    pub overall: u8,
    pub base_recommendation: Recommendation,
    pub recommendation: Recommendation,
    /// Dimensions scored higher than the base: (id, base, manipulated).
    pub lifted: Vec<(String, u8, u8)>,
    pub dims_above_two: usize,
    /// Lifts the transcript past the manipulation bar (recommendation, overall or dimensions above 2).
    pub breaks_bar: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub split: Split,
    pub question: String,
    pub level: String,
    pub archetype: Option<String>,
    pub label_overall: f64,
    pub overall: u8,
    pub label_recommendation: Recommendation,
    pub recommendation: Recommendation,
    /// Per dimension: (id, consensus mean, scored).
    pub dimensions: Vec<(String, f64, u8)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub split: String,
    pub transcripts: usize,
    pub labelled: usize,
    /// True when some labels are the authors' archetypes rather than raters' labels.
    pub provisional: bool,
    pub dimensions: Vec<DimensionReport>,
    pub recommendation: RecommendationReport,
    pub pairwise: PairwiseReport,
    pub overall_mae: f64,
    pub manipulations: Vec<Lift>,
    pub rows: Vec<Row>,
    pub failures: Vec<String>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The labelled overall (0-100) of a consensus, weighted like the scorer's.
pub fn label_overall(rubric: &Rubric, c: &Consensus) -> f64 {
    ((label_mean(rubric, c) - 1.0) / 3.0 * 100.0).clamp(0.0, 100.0)
}

/// The consensus's weighted mean dimension score (1-4), weighted like the scorer's.
fn label_mean(rubric: &Rubric, c: &Consensus) -> f64 {
    let (mut total, mut weights) = (0.0, 0.0);
    for d in &rubric.dimensions {
        if let Some(m) = c.mean.get(&d.id) {
            total += d.weight * m;
            weights += d.weight;
        }
    }
    if weights > 0.0 { total / weights } else { 1.0 }
}

pub struct Selection<'a> {
    pub corpus: &'a Corpus,
    pub catalog: &'a Catalog,
    pub split: Option<Split>,
    pub provisional: bool,
}

impl Selection<'_> {
    pub fn transcripts(&self) -> impl Iterator<Item = &Transcript> {
        self.corpus
            .transcripts
            .iter()
            .filter(move |t| self.split.is_none_or(|s| t.split == s))
    }

    pub fn rubric_of(&self, t: &Transcript) -> Option<&Rubric> {
        self.catalog.question(&t.question_id).map(|e| &*e.rubric)
    }

    pub fn consensus(&self, t: &Transcript) -> Option<Consensus> {
        let rubric = self.rubric_of(t)?;
        let dims: Vec<String> = rubric.dimensions.iter().map(|d| d.id.clone()).collect();
        self.corpus.consensus(t, &dims, self.provisional)
    }
}

pub fn evaluate(
    sel: &Selection<'_>,
    scored: &BTreeMap<String, Scored>,
    bar: &Thresholds,
) -> Report {
    let mut dim_pairs: BTreeMap<(String, String), Vec<(u8, u8)>> = BTreeMap::new();
    let mut human_pairs: BTreeMap<(String, String), Vec<(u8, u8)>> = BTreeMap::new();
    let mut rec_pairs: Vec<(i32, i32)> = Vec::new();
    let mut human_rec: Vec<(i32, i32)> = Vec::new();
    let mut rule_rec: Vec<(i32, i32)> = Vec::new();
    let mut rows = Vec::new();
    let mut abs_err = Vec::new();
    let mut any_provisional = false;
    let mut count = 0;
    for t in sel.transcripts() {
        count += 1;
        let (Some(rubric), Some(c), Some(s)) =
            (sel.rubric_of(t), sel.consensus(t), scored.get(&t.id))
        else {
            continue;
        };
        any_provisional |= c.provisional;
        let mut dims = Vec::new();
        for d in &rubric.dimensions {
            let (Some(label), Some(&got)) = (c.rounded(&d.id), s.scores.get(&d.id)) else {
                continue;
            };
            dim_pairs
                .entry((rubric.id.clone(), d.id.clone()))
                .or_default()
                .push((label, got));
            dims.push((d.id.clone(), c.mean[&d.id], got));
        }
        if let Some(ratings) = sel.corpus.ratings.get(&t.id) {
            for (i, a) in ratings.iter().enumerate() {
                for b in &ratings[i + 1..] {
                    for d in &rubric.dimensions {
                        if let (Some(&x), Some(&y)) =
                            (a.label.scores.get(&d.id), b.label.scores.get(&d.id))
                        {
                            human_pairs
                                .entry((rubric.id.clone(), d.id.clone()))
                                .or_default()
                                .push((x, y));
                        }
                    }
                    human_rec.push((step(a.label.recommendation), step(b.label.recommendation)));
                }
            }
        }
        rec_pairs.push((step(c.recommendation), step(s.recommendation)));
        let lo = label_overall(rubric, &c);
        if !c.provisional {
            let lowest = c.mean.values().copied().fold(4.0, f64::min);
            let ruled = recommend(label_mean(rubric, &c), lowest);
            rule_rec.push((step(c.recommendation), step(ruled)));
        }
        abs_err.push((lo - f64::from(s.overall)).abs());
        rows.push(Row {
            id: t.id.clone(),
            split: t.split,
            question: t.question_id.clone(),
            level: t.level.as_str().to_string(),
            archetype: sel.corpus.authored.get(&t.id).map(|a| a.archetype.clone()),
            label_overall: lo,
            overall: s.overall,
            label_recommendation: c.recommendation,
            recommendation: s.recommendation,
            dimensions: dims,
        });
    }

    let dimensions: Vec<DimensionReport> = dim_pairs
        .iter()
        .map(|((rubric, id), pairs)| DimensionReport {
            rubric: rubric.clone(),
            id: id.clone(),
            scorer: Agreement::of(pairs),
            human: human_pairs
                .get(&(rubric.clone(), id.clone()))
                .map(|p| Agreement::of(p)),
        })
        .collect();
    let share = |p: &[(i32, i32)], ok: fn(i32, i32) -> bool| {
        if p.is_empty() {
            1.0
        } else {
            p.iter().filter(|(a, b)| ok(*a, *b)).count() as f64 / p.len() as f64
        }
    };
    let recommendation = RecommendationReport {
        n: rec_pairs.len(),
        exact: share(&rec_pairs, |a, b| a == b),
        within_one: share(&rec_pairs, |a, b| (a - b).abs() <= 1),
        human_exact: (!human_rec.is_empty()).then(|| share(&human_rec, |a, b| a == b)),
        labels_through_rule: (!rule_rec.is_empty()).then(|| share(&rule_rec, |a, b| a == b)),
    };
    let pairwise = pairwise(&rows, bar.pairwise.min_label_gap);
    let overall_mae = if abs_err.is_empty() {
        0.0
    } else {
        abs_err.iter().sum::<f64>() / abs_err.len() as f64
    };
    let manipulations = lifts(sel, scored, bar);

    let mut failures = Vec::new();
    for d in &dimensions {
        let name = format!("{}.{}", d.rubric, d.id);
        if d.scorer.within_one < bar.dimension.within_one {
            failures.push(format!(
                "{name}: within-one {} < {:.0}%",
                percent_short_of(d.scorer.within_one),
                bar.dimension.within_one * 100.0
            ));
        }
        if d.scorer.kappa < bar.dimension.kappa {
            failures.push(format!(
                "{name}: kappa {} < {:.2}",
                short_of(d.scorer.kappa),
                bar.dimension.kappa
            ));
        }
        if bar.dimension.at_least_human
            && let Some(h) = &d.human
        {
            if d.scorer.kappa + 1e-9 < h.kappa {
                failures.push(format!(
                    "{name}: kappa {:.2} below the raters' own {:.2}",
                    d.scorer.kappa, h.kappa
                ));
            }
            if d.scorer.within_one + 1e-9 < h.within_one {
                failures.push(format!(
                    "{name}: within-one {:.0}% below the raters' own {:.0}%",
                    d.scorer.within_one * 100.0,
                    h.within_one * 100.0
                ));
            }
        }
    }
    if recommendation.exact < bar.recommendation.exact {
        failures.push(format!(
            "recommendation exact {} < {:.0}%",
            percent_short_of(recommendation.exact),
            bar.recommendation.exact * 100.0
        ));
    }
    if recommendation.within_one < bar.recommendation.within_one {
        failures.push(format!(
            "recommendation within one step {} < {:.0}%",
            percent_short_of(recommendation.within_one),
            bar.recommendation.within_one * 100.0
        ));
    }
    if pairwise.agreement < bar.pairwise.agreement {
        failures.push(format!(
            "pairwise ordering {} < {:.0}%",
            percent_short_of(pairwise.agreement),
            bar.pairwise.agreement * 100.0
        ));
    }
    if overall_mae > bar.overall.max_mae {
        failures.push(format!(
            "overall MAE {overall_mae:.1} > {:.1}",
            bar.overall.max_mae
        ));
    }
    for l in manipulations.iter().filter(|l| l.breaks_bar) {
        failures.push(format!(
            "manipulation {} ({}) lifts its weak base to {} / {} with {} dimension(s) above 2",
            l.transcript,
            l.kind,
            l.recommendation.as_str(),
            l.overall,
            l.dims_above_two
        ));
    }
    if rows.is_empty() {
        failures.push("no labelled transcript in this split".to_string());
    }

    Report {
        split: sel.split.map(|s| s.as_str()).unwrap_or("all").to_string(),
        transcripts: count,
        labelled: rows.len(),
        provisional: any_provisional,
        dimensions,
        recommendation,
        pairwise,
        overall_mae,
        manipulations,
        rows,
        failures,
    }
}

/// A figure short of its bar, cut (not rounded) to two decimals so that it never prints as the bar
/// itself ("0.69 < 0.70", not "0.70 < 0.70").
fn short_of(value: f64) -> String {
    // The epsilon keeps 0.29 (28.999... hundredths in binary) from printing as 0.28.
    format!("{:.2}", (value * 100.0 + 1e-9).floor() / 100.0)
}

/// A share short of its bar as a percentage, cut (not rounded) to one decimal: "89.7% < 90%", never
/// "90% < 90%".
fn percent_short_of(value: f64) -> String {
    format!("{:.1}%", (value * 1000.0 + 1e-9).floor() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::{percent_short_of, short_of};

    #[test]
    fn a_figure_short_of_its_bar_never_prints_as_the_bar() {
        assert_eq!(short_of(0.6957), "0.69");
        assert_eq!(short_of(0.69999), "0.69");
        assert_eq!(short_of(0.29), "0.29");
        assert_eq!(percent_short_of(35.0 / 39.0), "89.7%");
        assert_eq!(percent_short_of(0.8999), "89.9%");
        assert_eq!(percent_short_of(0.29), "29.0%");
    }
}
