//! The labelled corpus on disk (format: calibration/README.md): transcripts, raters' labels, authoring
//! notes, and the consensus label of each transcript.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::Level;
use crate::scoring::Recommendation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    Heldout,
}

impl Split {
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Heldout => "heldout",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Interviewer,
    Candidate,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub phase: String,
    pub content: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Transcript {
    pub id: String,
    pub question_id: String,
    pub level: Level,
    pub split: Split,
    #[serde(default)]
    pub manipulation: Option<String>,
    #[serde(default)]
    pub base: Option<String>,
    pub turns: Vec<Turn>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub transcript: String,
    pub recommendation: Recommendation,
    #[serde(default)]
    pub notes: String,
    pub scores: BTreeMap<String, u8>,
}

#[derive(Debug, Clone, Deserialize)]
struct LabelFile {
    rater: String,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Debug, Clone, Deserialize)]
struct AuthoringFile {
    #[serde(default)]
    transcripts: Vec<Authored>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Authored {
    pub id: String,
    pub archetype: String,
    #[serde(default)]
    pub intent: String,
}

/// One rater's label of one transcript.
#[derive(Debug, Clone)]
pub struct Rating {
    pub rater: String,
    pub label: Label,
}

/// The label a transcript is measured against: the mean of its raters per dimension, and the lower
/// recommendation when raters differ.
#[derive(Debug, Clone)]
pub struct Consensus {
    /// Mean score per dimension (may be fractional).
    pub mean: BTreeMap<String, f64>,
    pub recommendation: Recommendation,
    pub raters: usize,
    /// True when derived from the author's archetype because no rater has labelled it yet.
    pub provisional: bool,
}

impl Consensus {
    /// The rounded (half up) consensus score of a dimension.
    pub fn rounded(&self, dim: &str) -> Option<u8> {
        self.mean
            .get(dim)
            .map(|m| (m + 0.5).floor().clamp(1.0, 4.0) as u8)
    }
}

#[derive(Debug, Default)]
pub struct Corpus {
    pub dir: PathBuf,
    pub transcripts: Vec<Transcript>,
    pub ratings: BTreeMap<String, Vec<Rating>>,
    pub authored: BTreeMap<String, Authored>,
    /// Files that could not be read or parsed, with the reason.
    pub problems: Vec<String>,
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn read<T: for<'de> Deserialize<'de>>(path: &Path, problems: &mut Vec<String>) -> Option<T> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("{}: {e}", path.display()));
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{}: {}", path.display(), e.message()));
            None
        }
    }
}

impl Corpus {
    /// Reads a corpus folder. Unreadable files are recorded in `problems`, not fatal, so that a corpus
    /// being written can be measured while it grows.
    pub fn load(dir: &Path) -> std::io::Result<Corpus> {
        if !dir.join("transcripts").is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} has no transcripts/ folder", dir.display()),
            ));
        }
        let mut c = Corpus {
            dir: dir.to_path_buf(),
            ..Corpus::default()
        };
        for f in toml_files(&dir.join("transcripts")) {
            if let Some(t) = read::<Transcript>(&f, &mut c.problems) {
                c.transcripts.push(t);
            }
        }
        for f in toml_files(&dir.join("labels")) {
            if let Some(lf) = read::<LabelFile>(&f, &mut c.problems) {
                for label in lf.labels {
                    c.ratings
                        .entry(label.transcript.clone())
                        .or_default()
                        .push(Rating {
                            rater: lf.rater.clone(),
                            label,
                        });
                }
            }
        }
        for f in toml_files(&dir.join("authoring")) {
            if let Some(af) = read::<AuthoringFile>(&f, &mut c.problems) {
                for a in af.transcripts {
                    c.authored.insert(a.id.clone(), a);
                }
            }
        }
        Ok(c)
    }

    pub fn transcript(&self, id: &str) -> Option<&Transcript> {
        self.transcripts.iter().find(|t| t.id == id)
    }

    /// The consensus label of a transcript over the given dimensions. Without ratings, and only when
    /// `provisional` is allowed, the author's archetype stands in (a manipulated transcript takes its
    /// base's).
    pub fn consensus(
        &self,
        t: &Transcript,
        dims: &[String],
        provisional: bool,
    ) -> Option<Consensus> {
        let ratings: Vec<&Rating> = self
            .ratings
            .get(&t.id)
            .map(|r| {
                r.iter()
                    .filter(|r| dims.iter().all(|d| r.label.scores.contains_key(d)))
                    .collect()
            })
            .unwrap_or_default();
        if !ratings.is_empty() {
            let mean = dims
                .iter()
                .map(|d| {
                    let sum: f64 = ratings
                        .iter()
                        .map(|r| f64::from(r.label.scores[d].clamp(1, 4)))
                        .sum();
                    (d.clone(), sum / ratings.len() as f64)
                })
                .collect();
            let recs: Vec<Recommendation> =
                ratings.iter().map(|r| r.label.recommendation).collect();
            let lo = recs.iter().copied().min().unwrap_or(Recommendation::NoHire);
            let hi = recs.iter().copied().max().unwrap_or(lo);
            // Raters one step apart: the lower one. Further apart: the step below the middle.
            let recommendation = if step(hi) - step(lo) <= 1 {
                lo
            } else {
                from_step((step(hi) + step(lo)) / 2)
            };
            return Some(Consensus {
                mean,
                recommendation,
                raters: ratings.len(),
                provisional: false,
            });
        }
        if !provisional {
            return None;
        }
        let archetype_of = |id: &str| self.authored.get(id).map(|a| a.archetype.clone());
        let archetype = match (&t.base, archetype_of(&t.id)) {
            (Some(base), _) => archetype_of(base).unwrap_or_else(|| "weak".into()),
            (None, Some(a)) => a,
            (None, None) => archetype_from_id(&t.id)?,
        };
        let (score, recommendation) = match archetype.as_str() {
            "strong" => (3.75, Recommendation::StrongHire),
            "solid" => (3.0, Recommendation::Hire),
            "middling" => (2.5, Recommendation::NoHire),
            "terse_right" => (2.5, Recommendation::NoHire),
            "weak" => (1.25, Recommendation::StrongNoHire),
            "verbose_empty" | "rambling" | "manipulation" => (1.5, Recommendation::NoHire),
            _ => return None,
        };
        Some(Consensus {
            mean: dims.iter().map(|d| (d.clone(), score)).collect(),
            recommendation,
            raters: 0,
            provisional: true,
        })
    }
}

/// The archetype named at the end of a transcript id (`...-senior-middling`).
fn archetype_from_id(id: &str) -> Option<String> {
    [
        "terse_right",
        "verbose_empty",
        "rambling",
        "strong",
        "solid",
        "middling",
        "weak",
    ]
    .iter()
    .find(|a| id.ends_with(*a))
    .map(|a| a.to_string())
}

pub fn step(r: Recommendation) -> i32 {
    match r {
        Recommendation::StrongNoHire => 0,
        Recommendation::NoHire => 1,
        Recommendation::Hire => 2,
        Recommendation::StrongHire => 3,
    }
}

pub fn from_step(s: i32) -> Recommendation {
    match s {
        i32::MIN..=0 => Recommendation::StrongNoHire,
        1 => Recommendation::NoHire,
        2 => Recommendation::Hire,
        _ => Recommendation::StrongHire,
    }
}
