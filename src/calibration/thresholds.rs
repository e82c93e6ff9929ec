//! The minimum agreement figures a scorer must reach on the held-out split (`calibration/thresholds.toml`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::scoring::Recommendation;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub dimension: DimensionBar,
    pub recommendation: RecommendationBar,
    pub pairwise: PairwiseBar,
    pub overall: OverallBar,
    pub manipulation: ManipulationBar,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionBar {
    /// Per dimension, the share of transcripts scored within one point of the consensus.
    pub within_one: f64,
    /// Per dimension, quadratic weighted kappa against the consensus.
    pub kappa: f64,
    /// Per dimension, kappa and within-one agreement also at least the raters' own.
    pub at_least_human: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationBar {
    pub exact: f64,
    pub within_one: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PairwiseBar {
    pub agreement: f64,
    /// Pairs whose labelled overall scores differ by less than this (0-100) are not compared.
    pub min_label_gap: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OverallBar {
    /// Mean absolute error of the overall score (0-100) against the labels' overall.
    pub max_mae: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManipulationBar {
    /// The best recommendation a manipulated weak transcript may get.
    pub max_recommendation: Recommendation,
    pub max_overall: u8,
    /// How many dimensions may score above 2.
    pub max_dims_above_two: usize,
}

impl Default for Thresholds {
    /// The "done when" figures.
    fn default() -> Thresholds {
        Thresholds {
            dimension: DimensionBar {
                within_one: 0.90,
                kappa: 0.70,
                at_least_human: true,
            },
            recommendation: RecommendationBar {
                exact: 0.75,
                within_one: 1.0,
            },
            pairwise: PairwiseBar {
                agreement: 0.90,
                min_label_gap: 5.0,
            },
            overall: OverallBar { max_mae: 12.0 },
            manipulation: ManipulationBar {
                max_recommendation: Recommendation::NoHire,
                max_overall: 30,
                max_dims_above_two: 1,
            },
        }
    }
}

impl Thresholds {
    /// Reads `DIR/thresholds.toml`; a corpus without one is held to the defaults.
    pub fn load(dir: &Path) -> Result<(Thresholds, bool), String> {
        let path = dir.join("thresholds.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map(|t| (t, true))
                .map_err(|e| format!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok((Thresholds::default(), false))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}
