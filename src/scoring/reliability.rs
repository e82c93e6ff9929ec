//! How far to trust an offline card's recommendation: how often the offline scorer's recommendation
//! matched two raters' on the calibration corpus's held-out questions (never fitted on), measured by
//! `calibrate --write-reliability` into `calibration/reliability.toml` and embedded here.
//!
//! The card says it in figures rather than in adjectives: "when this scorer said hire on 40 held-out
//! interviews, two interviewers agreed 22 times, said no_hire 12 times". A stale table cannot ship:
//! a test measures it again from the corpus and compares.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Recommendation;
use crate::content::Rubric;

/// A kind needs this many held-out transcripts with a recommendation for its own figures; below it
/// the card quotes every kind together.
pub const MIN_KIND_TRANSCRIPTS: u32 = 8;

const EMBEDDED: &str = include_str!("../../calibration/reliability.toml");

/// The measured table, as `calibration/reliability.toml` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The split measured (`heldout`).
    pub split: String,
    /// Unmanipulated labelled transcripts measured.
    pub transcripts: u32,
    /// The rubric versions measured (rubric id -> version): a card scored against another version
    /// (or a user's own rubric) gets no figures, since they were not measured for it.
    pub rubrics: BTreeMap<String, String>,
    pub cells: Vec<Cell>,
}

/// One kind (or `all`) and one recommendation of the scorer: what the raters said of those
/// transcripts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// A rubric id (`system_design`, `debugging`, `coding`, `behavioral`), or `all`.
    pub kind: String,
    /// What the offline scorer recommended.
    pub scorer: Recommendation,
    pub raters: RatersSaid,
    /// Mean absolute difference of the overall score (0-100) from the raters', in points.
    pub mean_abs_error: f64,
}

/// How many times the raters' consensus was each recommendation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RatersSaid {
    pub strong_no_hire: u32,
    pub no_hire: u32,
    pub hire: u32,
    pub strong_hire: u32,
}

impl RatersSaid {
    pub fn add(&mut self, r: Recommendation) {
        *self.slot(r) += 1;
    }

    fn slot(&mut self, r: Recommendation) -> &mut u32 {
        match r {
            Recommendation::StrongNoHire => &mut self.strong_no_hire,
            Recommendation::NoHire => &mut self.no_hire,
            Recommendation::Hire => &mut self.hire,
            Recommendation::StrongHire => &mut self.strong_hire,
        }
    }

    pub fn count(&self, r: Recommendation) -> u32 {
        match r {
            Recommendation::StrongNoHire => self.strong_no_hire,
            Recommendation::NoHire => self.no_hire,
            Recommendation::Hire => self.hire,
            Recommendation::StrongHire => self.strong_hire,
        }
    }

    pub fn total(&self) -> u32 {
        self.strong_no_hire + self.no_hire + self.hire + self.strong_hire
    }
}

/// What the card says about its own recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reliability {
    /// The card's recommendation, which the figures are for.
    pub recommendation: Recommendation,
    /// The interview kind the figures were measured on, or `all` when this kind had fewer than
    /// eight held-out transcripts with this recommendation.
    pub kind: String,
    /// Held-out transcripts to which the offline scorer gave this recommendation.
    pub transcripts: u32,
    /// How many of them two raters also gave it.
    pub agreed: u32,
    /// How many were at most one step from the raters'.
    pub within_one_step: u32,
    pub raters: RatersSaid,
    /// Mean absolute difference of their overall score from the raters', in points.
    pub mean_abs_error: f64,
    /// The figures in a sentence, as the card shows them.
    pub summary: String,
}

static TABLE: LazyLock<Option<Table>> = LazyLock::new(|| match toml::from_str(EMBEDDED) {
    Ok(t) => Some(t),
    Err(e) => {
        tracing::error!(error = %e, "calibration/reliability.toml does not parse; cards carry no reliability");
        None
    }
});

/// The table embedded in this build.
pub fn embedded() -> Option<&'static Table> {
    TABLE.as_ref()
}

/// The figures for a card of `rubric` that recommends `recommendation`, from the embedded table.
pub fn for_card(rubric: &Rubric, recommendation: Recommendation) -> Option<Reliability> {
    embedded().and_then(|t| t.for_card(rubric, recommendation))
}

impl Table {
    pub fn for_card(&self, rubric: &Rubric, recommendation: Recommendation) -> Option<Reliability> {
        if self.rubrics.get(&rubric.id) != Some(&rubric.version) {
            return None;
        }
        let cell = |kind: &str| {
            self.cells
                .iter()
                .find(|c| c.kind == kind && c.scorer == recommendation)
        };
        let chosen = cell(&rubric.id)
            .filter(|c| c.raters.total() >= MIN_KIND_TRANSCRIPTS)
            .or_else(|| cell("all"))
            .filter(|c| c.raters.total() > 0)?;
        let kind_name = |kind: &str| match kind {
            "all" => "interviews of every kind",
            "system_design" => "system-design",
            "debugging" => "debugging",
            "coding" => "coding",
            "behavioral" => "behavioral",
            _ => "such",
        };
        let (interviews, fallback) = if chosen.kind == "all" {
            (kind_name("all").to_string(), Some(kind_name(&rubric.id)))
        } else {
            (format!("{} interviews", kind_name(&chosen.kind)), None)
        };
        Some(chosen.reliability(&interviews, fallback))
    }
}

impl Cell {
    /// `kind_name` names the interviews the figures come from; `fallback` is set when they are every
    /// kind's because the card's own kind had too few (it names that kind).
    fn reliability(&self, kind_name: &str, fallback: Option<&str>) -> Reliability {
        let r = self.scorer;
        let transcripts = self.raters.total();
        let agreed = self.raters.count(r);
        let within_one_step = Recommendation::ALL
            .iter()
            .filter(|&&o| (o as i32 - r as i32).abs() <= 1)
            .map(|&o| self.raters.count(o))
            .sum();
        let others: Vec<String> = Recommendation::ALL
            .iter()
            .rev()
            .filter(|&&o| o != r && self.raters.count(o) > 0)
            .map(|&o| format!("{} {}", in_words(o), times(self.raters.count(o))))
            .collect();
        let rest = if others.is_empty() {
            String::new()
        } else {
            format!("; they said {}", join_and(&others))
        };
        let why_all = fallback
            .map(|k| {
                format!(" (too few {k} interviews got this recommendation to count on their own)")
            })
            .unwrap_or_default();
        let said: Vec<Recommendation> = Recommendation::ALL
            .iter()
            .copied()
            .filter(|&o| self.raters.count(o) > 0)
            .collect();
        let share = f64::from(agreed) / f64::from(transcripts.max(1));
        let verdict = match (said.first(), said.last()) {
            _ if share >= 0.8 => "It has usually been right.".to_string(),
            _ if share >= 0.6 => {
                "It has been right more often than not; read it as likely, not certain.".to_string()
            }
            (Some(&lo), Some(&hi)) if lo != hi => format!(
                "Read it as a rough guide: for those interviews the raters' recommendations ranged from {} to {}.",
                in_words(lo),
                in_words(hi)
            ),
            _ => "Read it as a rough guide.".to_string(),
        };
        let summary = format!(
            "How reliable is this recommendation? On {transcripts} {kind_name} that this scorer had not been fitted to and also called \"{rec}\"{why_all}, two independent raters scoring the same answers against the same rubric agreed with it {agreed_times}{rest}. Its score was {mae:.0} points out of 100 away from theirs on average. {verdict}",
            rec = in_words(r),
            agreed_times = times(agreed),
            mae = self.mean_abs_error,
        );
        Reliability {
            recommendation: r,
            kind: self.kind.clone(),
            transcripts,
            agreed,
            within_one_step,
            raters: self.raters,
            mean_abs_error: self.mean_abs_error,
            summary,
        }
    }
}

fn in_words(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StrongNoHire => "strong no-hire",
        Recommendation::NoHire => "no-hire",
        Recommendation::Hire => "hire",
        Recommendation::StrongHire => "strong hire",
    }
}

fn times(n: u32) -> String {
    match n {
        0 => "no times".to_string(),
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::input::with_one_answer;

    fn cell(kind: &str, scorer: Recommendation, raters: RatersSaid) -> Cell {
        Cell {
            kind: kind.into(),
            scorer,
            raters,
            mean_abs_error: 11.4,
        }
    }

    fn table(rubric: &Rubric, kind_hire: RatersSaid) -> Table {
        Table {
            split: "heldout".into(),
            transcripts: 100,
            rubrics: BTreeMap::from([(rubric.id.clone(), rubric.version.clone())]),
            cells: vec![
                cell(&rubric.id, Recommendation::Hire, kind_hire),
                cell(
                    "all",
                    Recommendation::Hire,
                    RatersSaid {
                        strong_no_hire: 0,
                        no_hire: 12,
                        hire: 22,
                        strong_hire: 6,
                    },
                ),
            ],
        }
    }

    fn with_rubric<T>(f: impl Fn(&Rubric) -> T) -> T {
        with_one_answer("Walk me through it.", "A plain answer.", |input| {
            f(&input.entry.rubric)
        })
    }

    #[test]
    fn a_kind_with_enough_transcripts_quotes_its_own_figures_in_words() {
        with_rubric(|rubric| {
            let own = RatersSaid {
                strong_no_hire: 0,
                no_hire: 4,
                hire: 1,
                strong_hire: 3,
            };
            let r = table(rubric, own)
                .for_card(rubric, Recommendation::Hire)
                .unwrap();
            assert_eq!(r.kind, rubric.id);
            assert_eq!((r.transcripts, r.agreed, r.within_one_step), (8, 1, 8));
            assert_eq!(
                r.summary,
                "How reliable is this recommendation? On 8 system-design interviews that this scorer had not been fitted to and also called \"hire\", two independent raters scoring the same answers against the same rubric agreed with it once; they said strong hire 3 times and no-hire 4 times. Its score was 11 points out of 100 away from theirs on average. Read it as a rough guide: for those interviews the raters' recommendations ranged from no-hire to strong hire."
            );
        });
    }

    #[test]
    fn a_sparse_kind_falls_back_to_every_kind_and_another_rubric_version_gets_nothing() {
        with_rubric(|rubric| {
            let sparse = RatersSaid {
                hire: 3,
                ..RatersSaid::default()
            };
            let t = table(rubric, sparse);
            let r = t.for_card(rubric, Recommendation::Hire).unwrap();
            assert_eq!((r.kind.as_str(), r.transcripts, r.agreed), ("all", 40, 22));
            assert!(
                r.summary.contains(
                    "On 40 interviews of every kind that this scorer had not been fitted to and also called \"hire\" (too few system-design interviews got this recommendation to count on their own), two"
                ),
                "{}",
                r.summary
            );
            // 22 of 40 agreed: a rough guide, not a verdict.
            assert!(
                r.summary.ends_with("ranged from no-hire to strong hire."),
                "{}",
                r.summary
            );
            assert_eq!(t.for_card(rubric, Recommendation::StrongHire), None);
            let mut other = rubric.clone();
            other.version = format!("{}-edited", rubric.version);
            assert_eq!(t.for_card(&other, Recommendation::Hire), None);
        });
    }

    #[test]
    fn the_verdict_follows_how_often_the_raters_agreed() {
        with_rubric(|rubric| {
            let verdict = |hire: u32, no_hire: u32| {
                let t = table(
                    rubric,
                    RatersSaid {
                        hire,
                        no_hire,
                        ..RatersSaid::default()
                    },
                );
                t.for_card(rubric, Recommendation::Hire).unwrap().summary
            };
            assert!(verdict(9, 1).ends_with("It has usually been right."));
            assert!(verdict(6, 3).ends_with("read it as likely, not certain."));
            assert!(verdict(3, 5).ends_with("ranged from no-hire to hire."));
        });
    }

    #[test]
    fn the_embedded_table_parses_and_covers_every_built_in_kind() {
        let t = embedded().expect("calibration/reliability.toml parses");
        assert_eq!(t.split, "heldout");
        for kind in ["system_design", "debugging", "coding", "behavioral"] {
            assert!(t.rubrics.contains_key(kind), "{kind}");
        }
        for r in Recommendation::ALL {
            assert!(t.cells.iter().any(|c| c.kind == "all" && c.scorer == *r));
        }
    }
}
