//! The offline scorer: grades a transcript against a rubric from what the candidate argued (see
//! `argument`), maps each measure to 1-4 with the rubric's fitted thresholds at the candidate's level,
//! and writes feedback from the question's reference outline. Every score above 1 is backed by the
//! candidate's own substantive sentences.

use std::collections::BTreeSet;

use crate::content::{Dimension, Level, Measure, Severity};
use crate::scoring::lang::GUESS;

use super::argument::{Argument, analyze};
use super::evidence;
use super::feedback::{self, Improvement};
use super::measures::{self, Measured};
use super::{
    AskedRequirement, DimensionScore, MissedRequirement, RequirementsReport, RubricRef, Scorecard,
    Scorer, aggregate,
};

pub use super::input::{Reveal, ScoringInput, Speaker, TurnText};

/// How much harder each level's bar is, in measure units: the same transcript scores lower against a
/// higher level, across the whole range.
pub fn level_shift(level: Level) -> f64 {
    match level {
        Level::Junior => -0.08,
        Level::Senior => 0.0,
        Level::Staff => 0.08,
    }
}

/// Above any gap's worth (at most 3 points times the heaviest weight), so red flags rank first.
const RED_FLAG_PRIORITY: f64 = 10.0;

/// Maps a measured value in [0, 1] to a score of 1-4 with the dimension's thresholds at this level.
pub fn score_for(dim: &Dimension, level: Level, value: f64) -> u8 {
    score_with(dim.thresholds, level, value)
}

/// The highest score a measured dimension can get: 1 without quotable evidence, else its measure's
/// ceiling.
pub fn ceiling(has_evidence: bool, m: &Measured) -> u8 {
    if has_evidence {
        m.ceiling.unwrap_or(4)
    } else {
        1
    }
}

pub fn score_with(t: [f64; 3], level: Level, value: f64) -> u8 {
    let v = value - level_shift(level);
    if v >= t[2] {
        4
    } else if v >= t[1] {
        3
    } else if v >= t[0] {
        2
    } else {
        1
    }
}

/// A dimension's measure blended with the transcript's substance in the rubric's fitted share.
pub fn blended(dim: &Dimension, own: f64, substance: f64) -> f64 {
    (1.0 - dim.substance) * own + dim.substance * substance
}

/// The argument and every dimension's measure, before thresholds: what calibration fits on.
pub fn assess(input: &ScoringInput<'_>) -> (Argument, Vec<Measured>) {
    let arg = analyze(input);
    let measured = input
        .entry
        .rubric
        .dimensions
        .iter()
        .map(|d| measures::measure(d, input, &arg))
        .collect();
    (arg, measured)
}

/// Whether the candidate tried to steer the grader: text addressed to it, pasted interviewer or
/// system turns, fake closing tags, words hidden in markup or spelled with look-alike letters. (A
/// quoted block, an encoded blob, a stray invisible character or an HTML tag named in passing, such
/// as `<details>`, can come from honest writing: they are only not read.)
pub fn steers_the_grader(arg: &Argument) -> bool {
    let h = arg.hidden;
    h.fake_turn
        || h.fake_tag
        || h.concealed
        || h.lookalike
        || arg
            .sentences
            .iter()
            .any(|s| s.class == super::argument::Class::Grader)
}

/// A dimension's score once steering the grader is counted: talking to the grader instead of the
/// interviewer, or hiding text from the reader, is what an interviewer marks down as communication,
/// however the rest reads.
pub fn after_steering(dim: &Dimension, score: u8, steering: bool) -> u8 {
    if steering && dim.measure == Measure::Communication {
        score.saturating_sub(1).max(1)
    } else {
        score
    }
}

/// Grades a finished interview.
pub fn score(input: &ScoringInput<'_>) -> Scorecard {
    let (arg, measured) = assess(input);
    card(input, &arg, &measured)
}

/// Grades a finished interview and says how far a judge may move each dimension.
pub fn score_bounded(input: &ScoringInput<'_>) -> (Scorecard, super::bound::EvidenceBound) {
    let (arg, measured) = assess(input);
    let card = card(input, &arg, &measured);
    let bound = super::bound::of(input, &arg, &measured, &card);
    (card, bound)
}

pub fn card(input: &ScoringInput<'_>, arg: &Argument, measured: &[Measured]) -> Scorecard {
    let rubric = &input.entry.rubric;
    let q = &input.entry.question;
    let mut dims = Vec::new();
    let mut strengths = Vec::new();
    let mut candidates: Vec<(f64, Improvement)> = Vec::new();
    let substance = arg.substance();
    let steering = steers_the_grader(arg);
    let report = requirements_report(input);
    let missed: std::collections::HashSet<&str> =
        report.missed.iter().map(|r| r.topic.as_str()).collect();
    let mut marked_down = false;
    let quotes = evidence::choose(arg, &rubric.dimensions, measured);
    for ((dim, m), evidence) in rubric.dimensions.iter().zip(measured).zip(quotes) {
        let score = score_for(dim, input.level, blended(dim, m.value, substance))
            .min(ceiling(evidence::has_any(arg, m, dim), m));
        let before = score;
        let score = after_steering(dim, score, steering);
        marked_down |= score < before;
        let (mut feedback, missing, reference) =
            feedback::for_dimension(dim, score, &m.detail, &m.gaps, q, input.lexicon);
        for &k in &m.red_flags {
            let raised = &arg.red_flags[k];
            let s = &arg.sentences[raised.sentence];
            let red_flag = &q.red_flags[raised.flag];
            let flag = &red_flag.text;
            let (marked, treated) = match red_flag.severity {
                Severity::Major => ("Marked down for a red flag", "treat this as a red flag"),
                Severity::Minor => (
                    "Kept from the top score by a questionable call",
                    "would push back on this",
                ),
            };
            feedback.push_str(&format!(
                " {marked}: {flag} (turn {}: \u{201c}{}\u{201d}).",
                s.turn_id,
                feedback::clip_quote(&s.quote)
            ));
            // Taking back a red flag comes before any gap: it is what an interviewer holds against
            // the candidate first, whatever the dimension's score.
            candidates.push((
                RED_FLAG_PRIORITY + f64::from(4 - score.min(3)) * dim.weight,
                Improvement {
                    rank: 0,
                    dimension: dim.id.clone(),
                    turn_id: Some(s.turn_id),
                    text: format!(
                        "In turn {} you said \u{201c}{}\u{201d}: interviewers {treated} ({}). Say why the obvious move is not enough here, and what you would do instead.",
                        s.turn_id,
                        feedback::clip_quote(&s.quote),
                        lower_first(flag)
                    ),
                },
            ));
        }
        // The requirements report lists a fact as missed unless the interviewer revealed it; the
        // measure also credits one whose answer reached the candidate inside another reply. A
        // strength must not name what the same card lists as missed.
        let shown: Vec<String> = m
            .covered
            .iter()
            .filter(|topic| {
                dim.measure != Measure::Requirements || !missed.contains(topic.as_str())
            })
            .take(4)
            .cloned()
            .collect();
        if score >= 3 && !shown.is_empty() {
            strengths.push(format!("{}: {}", dim.name, shown.join(", ")));
        } else if score >= 3 {
            strengths.push(format!("{}: {}", dim.name, dim.descriptor(score)));
        }
        // What fixing each gap would be worth: the points still open, weighted like the overall.
        let open = f64::from(4 - score) * dim.weight;
        let gaps: Vec<Option<&measures::Gap>> = if m.gaps.is_empty() {
            vec![None]
        } else {
            m.gaps.iter().take(3).map(Some).collect()
        };
        for (k, g) in gaps.into_iter().enumerate() {
            let reference = match g {
                Some(g) => feedback::reference_for(q, input.lexicon, g, dim).unwrap_or_default(),
                None => String::new(),
            };
            candidates.push((
                open - 0.4 * k as f64 + if g.is_some() { 0.1 } else { 0.0 },
                Improvement {
                    rank: 0,
                    dimension: dim.id.clone(),
                    turn_id: measures::turn_for(dim, input, g),
                    text: feedback::improvement_text(dim, g, &reference),
                },
            ));
        }
        dims.push(DimensionScore {
            id: dim.id.clone(),
            name: dim.name.clone(),
            score,
            evidence: if score > 1 { evidence } else { Vec::new() },
            feedback,
            missing,
            reference,
        });
    }
    let plan = rank(candidates, q);
    let overall = aggregate(rubric, &dims);
    let reliability = super::reliability::for_card(rubric, overall.recommendation);
    let mut notes = Vec::new();
    if arg.hidden.any() {
        notes.push(format!(
            "Hidden or injected text (markup, pasted turns, tags, look-alike or invisible characters, encoded text) in turn(s) {} was not read as your argument.",
            turn_list(arg.hidden_turns.iter().copied().collect())
        ));
    }
    let grader_turns: BTreeSet<i64> = arg
        .sentences
        .iter()
        .filter(|s| s.class == super::argument::Class::Grader)
        .map(|s| s.turn_id)
        .collect();
    if !grader_turns.is_empty() {
        notes.push(format!(
            "Sentences addressed to the grader in turn(s) {} were ignored.",
            turn_list(grader_turns)
        ));
    }
    let guesses: Vec<&super::argument::Sentence> = arg
        .sentences
        .iter()
        .filter(|s| s.class == super::argument::Class::Plain && GUESS.found_in(&s.words))
        .collect();
    if let Some(first) = guesses.first() {
        let turns: BTreeSet<i64> = guesses.iter().map(|s| s.turn_id).collect();
        notes.push(format!(
            "{} sentence(s) in turn(s) {} were offered as guesses (turn {}: \u{201c}{}\u{201d}) and earned nothing: an interviewer hears a guess as not knowing. Commit to a choice and say why, or ask for what you need to decide.",
            guesses.len(),
            turn_list(turns),
            first.turn_id,
            feedback::clip_quote(&first.quote)
        ));
    }
    if marked_down {
        notes.push(
            "Communication is one point lower: text aimed at the grader, or hidden from the reader, is not how a candidate talks to an interviewer."
                .to_string(),
        );
    }
    Scorecard {
        session_id: input.session_id.to_string(),
        question_id: q.id.clone(),
        level: input.level,
        rubric: RubricRef {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
        },
        scorer: Scorer::Offline,
        judge_model: None,
        overall,
        dimensions: dims,
        requirements: report,
        strengths,
        improvements: plan.iter().map(|i| i.text.clone()).collect(),
        improvement_plan: plan,
        reference_outline: q.reference_outline.trim().to_string(),
        notes,
        limits: Some(LIMITS.to_string()),
        reliability,
        hints_used: 0,
        speech: None,
        created_at: input.created_at.clone(),
    }
}

/// What the offline scorer cannot see. Measured on transcripts it was never tuned on (calibration
/// batch 10), it put fluent candidates whose calls were wrong one or two recommendation steps above
/// the raters: it reads what was covered and argued, not whether each call was right.
pub const LIMITS: &str = "Scored by rules, without a language model: this card credits what you covered and how you argued it (mechanisms, numbers, reasons, trade-offs), not whether each call was right. A fluent answer with a wrong estimate or an unsafe choice can score higher here than an interviewer would score it. Where the service has a language model set up as judge, the judge reads the answers themselves.";

/// Turn numbers in order, for a note ("3, 9, 12").
fn turn_list(turns: BTreeSet<i64>) -> String {
    turns
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The three most valuable improvements, one per dimension first; a card with nothing open falls
/// back on the question's failure and scaling questions.
fn rank(mut candidates: Vec<(f64, Improvement)>, q: &crate::content::Question) -> Vec<Improvement> {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Improvement> = Vec::new();
    for pass in 0..2 {
        for (_, imp) in &candidates {
            if out.len() == 3 {
                break;
            }
            let seen = out.iter().any(|o| o.dimension == imp.dimension);
            let dup = out.iter().any(|o| o.text == imp.text);
            if !dup && (pass == 1 || !seen) {
                out.push(imp.clone());
            }
        }
    }
    for extra in q.failure_questions.iter().chain(&q.scaling_questions) {
        if out.len() >= 3 {
            break;
        }
        out.push(Improvement {
            rank: 0,
            dimension: String::new(),
            turn_id: None,
            text: format!("Prepare for the follow-up a senior interviewer would ask: {extra}"),
        });
    }
    for (i, imp) in out.iter_mut().enumerate() {
        imp.rank = i as u8 + 1;
    }
    out
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
