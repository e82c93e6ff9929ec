//! The offline scorer: grades a transcript against a rubric from what the candidate actually said.
//! Every score above 1 is backed by quotes from the candidate's own turns; sentences that address the
//! grader are ignored, and short or off-topic answers score at the bottom.

use crate::analysis::coverage::{CandidateText, Coverage};
use crate::analysis::text::{addresses_the_grader, sentences};
use crate::content::{Dimension, Level, Lexicon, QuestionEntry};

use super::measures::measure;
use super::{
    AskedRequirement, DimensionScore, MissedRequirement, RequirementsReport, RubricRef, Scorecard,
    Scorer, aggregate,
};

/// Below this many words in all, a transcript has said nothing that can be graded.
const MIN_GRADABLE_WORDS: usize = 25;

/// A hidden fact the candidate uncovered, as stored by the ledger.
#[derive(Debug, Clone)]
pub struct Reveal {
    pub fact_id: String,
    pub turn_id: i64,
    pub quote: String,
}

pub struct ScoringInput<'a> {
    pub session_id: &'a str,
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub level: Level,
    pub candidate_turns: &'a [CandidateText<'a>],
    pub reveals: &'a [Reveal],
    pub created_at: String,
}

/// How strict thresholds are at each target level.
fn level_factor(level: Level) -> f64 {
    match level {
        Level::Junior => 0.85,
        Level::Senior => 1.0,
        Level::Staff => 1.15,
    }
}

/// Maps a measured value in [0, 1] to a score of 1-4 with the dimension's thresholds at this level.
pub fn score_for(dim: &Dimension, level: Level, value: f64) -> u8 {
    let f = level_factor(level);
    let t = dim.thresholds.map(|t| (t * f).min(0.98));
    if value >= t[2] {
        4
    } else if value >= t[1] {
        3
    } else if value >= t[0] {
        2
    } else {
        1
    }
}

/// Grades a finished interview.
pub fn score(input: &ScoringInput<'_>) -> Scorecard {
    let coverage = Coverage::analyze(input.lexicon, input.candidate_turns);
    let total_words: usize = input
        .candidate_turns
        .iter()
        .flat_map(|t| sentences(t.content))
        .filter(|s| !addresses_the_grader(&s.words))
        .map(|s| s.words.len())
        .sum();
    let gradable = total_words >= MIN_GRADABLE_WORDS;
    let rubric = &input.entry.rubric;

    let mut dims = Vec::new();
    let mut strengths = Vec::new();
    let mut improvements = Vec::new();
    for dim in &rubric.dimensions {
        let m = measure(dim, input, &coverage);
        let score = if gradable && !m.evidence.is_empty() {
            score_for(dim, input.level, m.value)
        } else {
            1
        };
        let evidence = if score > 1 { m.evidence } else { Vec::new() };
        if score >= 3 {
            strengths.push(format!("{}: {}", dim.name, m.strength));
        } else {
            improvements.push(format!("{}: {}", dim.name, m.improvement));
        }
        dims.push(DimensionScore {
            id: dim.id.clone(),
            name: dim.name.clone(),
            score,
            evidence,
            feedback: format!("{} {}", dim.descriptor(score), m.detail),
        });
    }
    if !gradable {
        improvements.insert(
            0,
            "Answers were too short to assess: think aloud and explain each decision in full sentences.".to_string(),
        );
    }
    let overall = aggregate(rubric, &dims);
    Scorecard {
        session_id: input.session_id.to_string(),
        question_id: input.entry.question.id.clone(),
        level: input.level,
        rubric: RubricRef {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
        },
        scorer: Scorer::Offline,
        judge_model: None,
        overall,
        dimensions: dims,
        requirements: requirements_report(input),
        strengths,
        improvements,
        hints_used: 0,
        created_at: input.created_at.clone(),
    }
}

pub fn requirements_report(input: &ScoringInput<'_>) -> RequirementsReport {
    let facts = &input.entry.question.facts;
    let asked = input
        .reveals
        .iter()
        .filter_map(|r| {
            let f = facts.iter().find(|f| f.id == r.fact_id)?;
            Some(AskedRequirement {
                id: f.id.clone(),
                topic: f.topic.clone(),
                turn_id: r.turn_id,
                quote: r.quote.clone(),
            })
        })
        .collect();
    let missed = facts
        .iter()
        .filter(|f| !input.reveals.iter().any(|r| r.fact_id == f.id))
        .map(|f| MissedRequirement {
            id: f.id.clone(),
            topic: f.topic.clone(),
            important: f.important,
            answer: f.answer.clone(),
        })
        .collect();
    RequirementsReport { asked, missed }
}
