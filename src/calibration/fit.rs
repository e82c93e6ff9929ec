//! Fitting each rubric dimension's thresholds on the train split: a grid search for the three cut
//! points that best agree with the raters (quadratic weighted kappa plus within-one and exact
//! agreement), pulled gently towards the current thresholds so that a small sample cannot fling them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::Level;
use crate::scoring::offline::score_with;

use super::metrics::{exact, quadratic_kappa, within_one};

/// One training example for one dimension.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The dimension's own measure.
    pub value: f64,
    /// The transcript's substance.
    pub substance: f64,
    pub level: Level,
    /// The highest score the scorer gives whatever the value (1 without quotable evidence).
    pub ceiling: u8,
    pub label: u8,
}

const STEP: f64 = 0.02;
const MIN_GAP: f64 = 0.1;
/// How far a measured value may wander on a transcript the fit has not seen.
const MARGIN: f64 = 0.04;
/// The shares of substance tried: a dimension always keeps most of its own measure's say.
const SHARES: [f64; 5] = [0.0, 0.15, 0.35, 0.5, 0.65];

/// A dimension's fitted parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Fitted {
    pub thresholds: [f64; 3],
    pub substance: f64,
}

fn predict(f: Fitted, e: &Example) -> u8 {
    let v = (1.0 - f.substance) * e.value + f.substance * e.substance;
    score_with(f.thresholds, e.level, v).min(e.ceiling)
}

/// Agreement with the labels, averaged over the measured values nudged down, kept and nudged up by
/// `MARGIN`: thresholds that sit in the gaps between transcripts beat ones that scrape past them, so a
/// held-out transcript measured a little differently lands on the same score.
fn objective(f: Fitted, examples: &[Example], current: Fitted) -> f64 {
    let drift: f64 = f
        .thresholds
        .iter()
        .zip(current.thresholds)
        .map(|(a, b)| (a - b).abs())
        .sum();
    let agreement: f64 = [-MARGIN, 0.0, MARGIN]
        .iter()
        .map(|&nudge| {
            let pairs: Vec<(u8, u8)> = examples
                .iter()
                .map(|e| {
                    let moved = Example {
                        value: e.value + nudge,
                        substance: e.substance + nudge,
                        ..*e
                    };
                    (e.label, predict(f, &moved))
                })
                .collect();
            quadratic_kappa(&pairs) + within_one(&pairs) + 0.5 * exact(&pairs)
        })
        .sum::<f64>()
        / 3.0;
    agreement - 0.05 * drift - 0.05 * f.substance
}

/// The best thresholds and substance share for these examples (a grid search); the current ones
/// when there are too few examples to fit.
pub fn fit(examples: &[Example], current: Fitted) -> Fitted {
    if examples.len() < 4 {
        return current;
    }
    let grid: Vec<f64> = (1..=50).map(|i| i as f64 * STEP).collect();
    let mut best = (objective(current, examples, current), current);
    for substance in SHARES {
        for (i, &a) in grid.iter().enumerate() {
            for (j, &b) in grid.iter().enumerate().skip(i + 1) {
                if b - a < MIN_GAP {
                    continue;
                }
                for &c in grid.iter().skip(j + 1) {
                    if c - b < MIN_GAP {
                        continue;
                    }
                    let f = Fitted {
                        thresholds: [a, b, c],
                        substance,
                    };
                    let o = objective(f, examples, current);
                    if o > best.0 + 1e-12 {
                        best = (o, f);
                    }
                }
            }
        }
    }
    Fitted {
        thresholds: best.1.thresholds.map(|x| (x * 100.0).round() / 100.0),
        substance: best.1.substance,
    }
}

/// Writes fitted thresholds into `rubrics/<rubric>.toml`, replacing each fitted dimension's
/// `thresholds = [...]` line and keeping everything else (comments included) as it was.
pub fn write_rubric(path: &Path, fitted: &BTreeMap<String, Fitted>) -> std::io::Result<usize> {
    let text = std::fs::read_to_string(path)?;
    let mut out = String::with_capacity(text.len());
    let mut current_dim: Option<String> = None;
    let mut in_dimension = false;
    let mut changed = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t == "[[dimensions]]" {
            current_dim = None;
            in_dimension = true;
        } else if let Some(rest) = t.strip_prefix("id = ")
            && in_dimension
            && current_dim.is_none()
        {
            current_dim = Some(rest.trim_matches('"').to_string());
        }
        let fitted_here = current_dim.as_ref().and_then(|d| fitted.get(d));
        if t.starts_with("substance = ") && fitted_here.is_some() {
            continue;
        }
        if t.starts_with("thresholds = ")
            && let Some(f) = fitted_here
        {
            let t = f.thresholds;
            out.push_str(&format!(
                "thresholds = [{}, {}, {}]  # fitted by `calibrate --fit` on the train split\n",
                t[0], t[1], t[2]
            ));
            out.push_str(&format!("substance = {}\n", f.substance));
            changed += 1;
        } else {
            out.push_str(line);
        }
    }
    std::fs::write(path, out)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted(thresholds: [f64; 3]) -> Fitted {
        Fitted {
            thresholds,
            substance: 0.0,
        }
    }

    fn ex(value: f64, label: u8) -> Example {
        Example {
            value,
            substance: 0.0,
            level: Level::Senior,
            ceiling: 4,
            label,
        }
    }

    #[test]
    fn the_fit_separates_cleanly_separable_labels() {
        let examples: Vec<Example> = [
            (0.05, 1),
            (0.1, 1),
            (0.3, 2),
            (0.35, 2),
            (0.6, 3),
            (0.62, 3),
            (0.9, 4),
            (0.95, 4),
        ]
        .iter()
        .map(|&(v, l)| ex(v, l))
        .collect();
        let t = fit(&examples, fitted([0.5, 0.7, 0.9]));
        for e in &examples {
            assert_eq!(predict(t, e), e.label, "{t:?} {e:?}");
        }
    }

    #[test]
    fn too_few_examples_keep_the_current_thresholds() {
        let current = fitted([0.2, 0.4, 0.6]);
        assert_eq!(fit(&[ex(0.1, 1)], current), current);
    }

    #[test]
    fn only_the_thresholds_line_of_fitted_dimensions_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(
            &path,
            "# a comment\nid = \"r\"\n[[dimensions]]\nid = \"a\"\nthresholds = [0.1, 0.2, 0.3]\n[[dimensions]]\nid = \"b\"\nthresholds = [0.1, 0.2, 0.3]\n",
        )
        .unwrap();
        let f = BTreeMap::from([("b".to_string(), fitted([0.25, 0.5, 0.75]))]);
        assert_eq!(write_rubric(&path, &f).unwrap(), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# a comment\nid = \"r\"\n"));
        assert!(text.contains("id = \"a\"\nthresholds = [0.1, 0.2, 0.3]\n"));
        assert!(text.contains("thresholds = [0.25, 0.5, 0.75]  # fitted"));
        assert!(text.contains("train split\nsubstance = 0\n"));
    }
}
