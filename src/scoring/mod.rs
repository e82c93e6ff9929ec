//! Scorecards: their shape, the pure aggregation into an overall score and recommendation, the offline
//! scorer, and the checks that keep an LLM judge honest.

pub mod argument;
pub mod bound;
pub mod clean;
pub mod code;
pub mod communication;
pub mod delivery;
pub mod evidence;
pub mod feedback;
pub mod grader;
pub mod input;
pub mod judge;
pub mod judging;
pub mod lang;
pub mod measures;
pub mod offline;
pub mod red_flags;
pub mod register;
pub mod reliability;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::content::{Level, Rubric};
pub use crate::domain::{Recommendation, Scorer};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Evidence {
    pub turn_id: i64,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct DimensionScore {
    pub id: String,
    pub name: String,
    pub score: u8,
    pub evidence: Vec<Evidence>,
    pub feedback: String,
    /// What the dimension looked for and did not find.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// What a 4 would have said here, from the question's reference outline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Overall {
    pub score: u8,
    pub recommendation: Recommendation,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct AskedRequirement {
    pub id: String,
    pub topic: String,
    pub turn_id: i64,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct MissedRequirement {
    pub id: String,
    pub topic: String,
    pub important: bool,
    /// What the candidate would have learnt by asking (the interview is over, so it can be shown).
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct RequirementsReport {
    pub asked: Vec<AskedRequirement>,
    pub missed: Vec<MissedRequirement>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct RubricRef {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Scorecard {
    pub session_id: String,
    pub question_id: String,
    pub level: Level,
    pub rubric: RubricRef,
    /// `offline`, `llm`, or `offline_fallback` when the judge failed and the offline scorer stood in.
    pub scorer: Scorer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_model: Option<String>,
    pub overall: Overall,
    pub dimensions: Vec<DimensionScore>,
    pub requirements: RequirementsReport,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    /// The improvements ranked, each tied to the turn where it would have fitted.
    #[serde(default)]
    pub improvement_plan: Vec<feedback::Improvement>,
    /// The question's reference outline, shown once the interview is over.
    #[serde(default)]
    pub reference_outline: String,
    /// What the scorer set aside (hidden text, text addressed to the grader, guesses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What this scorer cannot see, said on the card so that nobody reads more into its scores
    /// than it measures (the offline scorer's; absent on a judge's card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<String>,
    /// How often this scorer's recommendation matched two raters' on held-out interviews of the
    /// same kind (the offline scorer's; absent on a judge's card and for rubrics not measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<reliability::Reliability>,
    /// Hints the candidate asked for during the interview (each is marked in the transcript).
    #[serde(default)]
    pub hints_used: u32,
    /// Filler words and pace of the spoken answers; absent when none was spoken. A note, never
    /// a score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech: Option<delivery::SpokenDelivery>,
    pub created_at: String,
}

/// The recommendation for a weighted mean dimension score and the lowest dimension score (both 1-4;
/// fractional when they are raters' consensus means).
///
/// The cut-offs do not move with the level: the level moves the dimension scores (the raters judge
/// each dimension at the level). `calibrate` prints how often the raters' own dimension scores
/// through this rule give the raters' recommendation ("labels through the rule"); level-shifted
/// cut-offs fitted on the train split's labels agreed more with the labels but less with the
/// scorer's cross-validated recommendations, whose dimension scores carry a bias of their own per
/// level.
pub fn recommend(mean: f64, lowest: f64) -> Recommendation {
    if mean >= 3.5 && lowest >= 3.0 {
        Recommendation::StrongHire
    } else if mean >= 2.75 && lowest >= 2.0 {
        Recommendation::Hire
    } else if mean >= 1.9 {
        Recommendation::NoHire
    } else {
        Recommendation::StrongNoHire
    }
}

/// The overall score (0-100) and recommendation from dimension scores, weighted by the rubric: the
/// weighted mean rescaled, and `recommend`, where a dimension far below the rest holds it back.
pub fn aggregate(rubric: &Rubric, dims: &[DimensionScore]) -> Overall {
    let mut total = 0.0;
    let mut weights = 0.0;
    let mut lowest = 4;
    for d in dims {
        let w = rubric.dimension(&d.id).map(|r| r.weight).unwrap_or(1.0);
        total += w * f64::from(d.score);
        weights += w;
        lowest = lowest.min(d.score);
    }
    let mean = if weights > 0.0 { total / weights } else { 1.0 };
    let score = (((mean - 1.0) / 3.0) * 100.0).round().clamp(0.0, 100.0) as u8;
    let recommendation = recommend(mean, f64::from(lowest));
    Overall {
        score,
        recommendation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        toml::from_str(
            r#"
id = "r"
version = "1"
name = "r"
[[dimensions]]
id = "a"
name = "A"
measure = "components"
thresholds = [0.2, 0.5, 0.8]
descriptors = { 1 = "x", 2 = "x", 3 = "x", 4 = "x" }
[[dimensions]]
id = "b"
name = "B"
weight = 2.0
measure = "communication"
thresholds = [0.2, 0.5, 0.8]
descriptors = { 1 = "x", 2 = "x", 3 = "x", 4 = "x" }
"#,
        )
        .unwrap()
    }

    fn dim(id: &str, score: u8) -> DimensionScore {
        DimensionScore {
            id: id.into(),
            name: id.into(),
            score,
            evidence: vec![],
            feedback: String::new(),
            missing: vec![],
            reference: String::new(),
        }
    }

    #[test]
    fn all_fours_is_a_strong_hire_at_100() {
        let o = aggregate(&rubric(), &[dim("a", 4), dim("b", 4)]);
        assert_eq!(
            (o.score, o.recommendation),
            (100, Recommendation::StrongHire)
        );
    }

    #[test]
    fn all_ones_is_a_strong_no_hire_at_0() {
        let o = aggregate(&rubric(), &[dim("a", 1), dim("b", 1)]);
        assert_eq!(
            (o.score, o.recommendation),
            (0, Recommendation::StrongNoHire)
        );
    }

    #[test]
    fn a_weak_dimension_blocks_a_hire_and_weights_count() {
        let o = aggregate(&rubric(), &[dim("a", 1), dim("b", 4)]);
        // mean = (1 + 8) / 3 = 3.0 but the lowest dimension is 1
        assert_eq!(o.recommendation, Recommendation::NoHire);
        assert_eq!(o.score, 67);
        assert_eq!(
            aggregate(&rubric(), &[dim("a", 3), dim("b", 3)]).recommendation,
            Recommendation::Hire
        );
    }
}
