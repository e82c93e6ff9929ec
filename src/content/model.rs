//! The typed shape of content files: questions, phase plans, rubrics and the concept lexicon.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    PartialOrd,
    Ord,
    sqlx::Type,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
// TEXT on both backends (PostgreSQL would otherwise look for a type named `Level`).
#[sqlx(type_name = "text")]
pub enum Level {
    Junior,
    Senior,
    Staff,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Junior, Level::Senior, Level::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Senior => "senior",
            Level::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    pub name: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    #[serde(default)]
    pub concepts: Vec<Concept>,
}

/// How the offline interviewer behaves in a phase. Adding a mode does not compile until every
/// behaviour handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseMode {
    Clarify,
    Design,
    DeepDive,
    Tradeoffs,
    Qa,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    pub id: String,
    pub name: String,
    pub minutes: u32,
    pub mode: PhaseMode,
    pub goals: Vec<String>,
    pub intro: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhasePlan {
    pub kind: String,
    pub name: String,
    pub rubric: String,
    pub phases: Vec<PhaseSpec>,
    /// What the interviewer asks at the end when there is time (the framework's Q&A questions),
    /// each skipped when the candidate already covered its concepts.
    #[serde(default)]
    pub closing_questions: Vec<ClosingQuestion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosingQuestion {
    pub ask: String,
    #[serde(default)]
    pub concepts: Vec<String>,
}

impl PhasePlan {
    pub fn total_minutes(&self) -> u32 {
        self.phases.iter().map(|p| p.minutes).sum()
    }

    pub fn index_of(&self, phase_id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == phase_id)
    }
}

fn all_levels() -> Vec<Level> {
    Level::ALL.to_vec()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    #[serde(default = "all_levels")]
    pub levels: Vec<Level>,
    pub prompt: String,
    pub facts: Vec<Fact>,
    pub components: Vec<Component>,
    pub deep_dives: Vec<DeepDive>,
    pub tradeoffs: Vec<Tradeoff>,
    #[serde(default)]
    pub failure_questions: Vec<String>,
    #[serde(default)]
    pub scaling_questions: Vec<String>,
    #[serde(default)]
    pub red_flags: Vec<RedFlag>,
    #[serde(default)]
    pub qa: Vec<QaAnswer>,
    #[serde(default)]
    pub edge_cases: Vec<EdgeCase>,
    pub reference_outline: String,
}

/// Something a senior interviewer marks a candidate down for, with the rubric dimensions it lowers and
/// the phrases by which a candidate says they are doing it. Written either as a plain string (named in
/// feedback only) or as a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "RedFlagSpec")]
pub struct RedFlag {
    pub text: String,
    pub dimensions: Vec<String>,
    pub said_as: Vec<String>,
    /// Looser than `said_as`: groups of phrases said together in one sentence (`analysis::text::Cue`).
    pub cues: Vec<String>,
    /// Sentences that commit to the move and must raise the flag (checked by the test suite).
    pub examples: Vec<String>,
    /// Sentences a strong candidate might say in the same words that must not raise it.
    pub counter_examples: Vec<String>,
    /// How far the flag holds the dimensions it concerns.
    pub severity: Severity,
}

/// How serious a red flag is: a major one (breaks a stated requirement, loses data, leaks, cannot
/// work) holds its dimensions at 2; a minor one (a suboptimal call a hire-level candidate might still
/// make) keeps them from a 4.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Major,
    Minor,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RedFlagSpec {
    Text(String),
    Table {
        text: String,
        #[serde(default)]
        dimensions: Vec<String>,
        #[serde(default)]
        said_as: Vec<String>,
        #[serde(default)]
        cues: Vec<String>,
        #[serde(default)]
        examples: Vec<String>,
        #[serde(default)]
        counter_examples: Vec<String>,
        #[serde(default)]
        severity: Severity,
    },
}

impl From<RedFlagSpec> for RedFlag {
    fn from(spec: RedFlagSpec) -> RedFlag {
        match spec {
            RedFlagSpec::Text(text) => RedFlag {
                text,
                dimensions: Vec::new(),
                said_as: Vec::new(),
                cues: Vec::new(),
                examples: Vec::new(),
                counter_examples: Vec::new(),
                severity: Severity::Major,
            },
            RedFlagSpec::Table {
                text,
                dimensions,
                said_as,
                cues,
                examples,
                counter_examples,
                severity,
            } => RedFlag {
                text,
                dimensions,
                said_as,
                cues,
                examples,
                counter_examples,
                severity,
            },
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub id: String,
    pub topic: String,
    pub asked_by: Vec<String>,
    pub answer: String,
    #[serde(default)]
    pub important: bool,
    /// Natural questions a candidate would ask to get this fact. `content check` verifies that each
    /// one is matched to this fact alone, and the simulated candidates ask them.
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub concepts: Vec<String>,
    pub follow_up: String,
    #[serde(default)]
    pub phase: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeepDive {
    pub id: String,
    pub name: String,
    pub concepts: Vec<String>,
    pub probes: Vec<Probe>,
    #[serde(default)]
    pub phase: Option<String>,
}

/// A deep-dive probe: the question, and optionally the phrases that show a candidate has already
/// answered it (so the interviewer does not ask it). Without them, the concepts the probe's own words
/// name stand in.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Probe {
    Text(String),
    Detailed {
        ask: String,
        #[serde(default)]
        answered_by: Vec<String>,
    },
}

impl Probe {
    pub fn ask(&self) -> &str {
        match self {
            Probe::Text(t) => t,
            Probe::Detailed { ask, .. } => ask,
        }
    }

    pub fn answered_by(&self) -> &[String] {
        match self {
            Probe::Text(_) => &[],
            Probe::Detailed { answered_by, .. } => answered_by,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tradeoff {
    pub id: String,
    pub question: String,
    pub concepts: Vec<String>,
    #[serde(default)]
    pub phase: Option<String>,
    /// Phrases that show a candidate has already weighed this trade-off.
    #[serde(default)]
    pub answered_by: Vec<String>,
}

/// An edge case a coding question expects the candidate's tests (or code) to handle; the interviewer
/// asks about it when no test covers it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeCase {
    pub id: String,
    pub name: String,
    /// Phrases that show code or a test handling it (`temperature=0.7`, `finish_reason`).
    pub covered_by: Vec<String>,
    /// What to ask when nothing covers it.
    pub question: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaAnswer {
    pub asked_by: Vec<String>,
    pub answer: String,
}

/// What the offline scorer measures for a rubric dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Requirements,
    Components,
    DeepDive,
    Tradeoffs,
    Concepts,
    /// Outcomes the candidate reports having seen, with a figure (not plans: "I'd cut it to 800 ms"),
    /// plus the dimension's concepts: a behavioral story's results.
    Outcomes,
    Communication,
    Code,
    /// The mean of other dimensions' measures (`steps`): a method is judged by whether each of its
    /// steps was done.
    Steps,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    #[serde(default = "one")]
    pub weight: f64,
    pub measure: Measure,
    pub thresholds: [f64; 3],
    pub descriptors: BTreeMap<String, String>,
    #[serde(default)]
    pub concepts: Vec<String>,
    #[serde(default)]
    pub expected: Option<usize>,
    /// How much of this dimension's measure is the transcript's overall substance (its deep,
    /// specific, on-topic sentences) rather than the dimension's own measure, 0-0.65; fitted by
    /// `calibrate --fit` with the thresholds.
    #[serde(default)]
    pub substance: f64,
    /// Phases of the interview plan whose answers show this dimension (a `concepts` measure): what
    /// the candidate argued there counts beside the concepts, so a plain, specific answer to the
    /// question the phase asks earns credit however it is phrased.
    #[serde(default)]
    pub phases: Vec<String>,
    /// How the answer in `phases` joins the dimension's own measure: by default the better of the
    /// two counts; with a share, they are blended in it (where the own measure is easy to fill, as
    /// weighing options is for a root cause, and what was said in the phase tells more).
    #[serde(default)]
    pub phase_share: Option<f64>,
    /// For a `steps` measure: the dimensions whose measures are its steps.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Phases where an interviewer looks for this dimension's evidence, when they are not its
    /// `phases` (which also score it): the card quotes the candidate from there first. Changes no
    /// score.
    #[serde(default)]
    pub cite_from: Vec<String>,
}

fn one() -> f64 {
    1.0
}

impl Dimension {
    /// Where the card looks first for this dimension's evidence: `cite_from`, else `phases`.
    pub fn evidence_phases(&self) -> &[String] {
        if self.cite_from.is_empty() {
            &self.phases
        } else {
            &self.cite_from
        }
    }

    /// The descriptor for a score of 1-4 (validated to exist at load time).
    pub fn descriptor(&self, score: u8) -> &str {
        self.descriptors
            .get(&score.to_string())
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: String,
    pub version: String,
    pub name: String,
    /// The candidate tells a story of their own (behavioral): what makes a sentence evidence is the
    /// incident's specifics, its figures. A sentence with none counts half in a phase's answer and
    /// not at all toward the reference answer's share, so a memorised process ("I scoped the blast
    /// radius by region and correlated it with the deploy log") is not taken for the story.
    #[serde(default)]
    pub story: bool,
    pub dimensions: Vec<Dimension>,
}

impl Rubric {
    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }
}
