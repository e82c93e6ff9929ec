//! The offline scorer: grades a transcript against a rubric from what the candidate actually said.
//! Every score above 1 is backed by quotes from the candidate's own turns; sentences that address the
//! grader are ignored, and short or off-topic answers score at the bottom.

use std::collections::BTreeSet;

use crate::content::{Dimension, Level, Lexicon, Measure, PhaseMode, QuestionEntry};
use crate::interview::coverage::{CandidateText, Coverage, Mention};
use crate::text::{addresses_the_grader, sentences, words};

use super::{
    AskedRequirement, DimensionScore, Evidence, MissedRequirement, RequirementsReport, RubricRef,
    Scorecard, aggregate,
};

/// Below this many words in all, a transcript has said nothing that can be graded.
const MIN_GRADABLE_WORDS: usize = 25;
/// A sentence needs this many words to count as an explanation rather than a name-drop.
const SUBSTANTIVE_SENTENCE_WORDS: usize = 6;
const MAX_EVIDENCE: usize = 3;

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

struct Measured {
    value: f64,
    evidence: Vec<Evidence>,
    detail: String,
    /// A short, specific line for the strengths list when the dimension scores well.
    strength: String,
    /// A short, specific line for the improvements list when it scores poorly.
    improvement: String,
}

fn evidence_of<'m>(mentions: impl IntoIterator<Item = &'m Mention>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    for m in mentions {
        if m.sentence_words < SUBSTANTIVE_SENTENCE_WORDS {
            continue;
        }
        if out.iter().any(|e| e.quote == m.quote) {
            continue;
        }
        out.push(Evidence {
            turn_id: m.turn_id,
            quote: m.quote.clone(),
        });
        if out.len() == MAX_EVIDENCE {
            break;
        }
    }
    out
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
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
        scorer: "offline".to_string(),
        judge_model: None,
        overall,
        dimensions: dims,
        requirements: requirements_report(input),
        strengths,
        improvements,
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

fn measure(dim: &Dimension, input: &ScoringInput<'_>, cov: &Coverage) -> Measured {
    let q = &input.entry.question;
    let lex = input.lexicon;
    match dim.measure {
        Measure::Requirements => {
            let important: Vec<_> = q.facts.iter().filter(|f| f.important).collect();
            let pool: Vec<_> = if important.is_empty() {
                q.facts.iter().collect()
            } else {
                important
            };
            let revealed = |id: &str| input.reveals.iter().any(|r| r.fact_id == id);
            let asked: Vec<String> = pool
                .iter()
                .filter(|f| revealed(&f.id))
                .map(|f| f.topic.clone())
                .collect();
            let missed: Vec<String> = pool
                .iter()
                .filter(|f| !revealed(&f.id))
                .map(|f| f.topic.clone())
                .collect();
            let mut evidence: Vec<Evidence> = Vec::new();
            for r in input.reveals {
                if !evidence.iter().any(|e| e.quote == r.quote) && evidence.len() < MAX_EVIDENCE {
                    evidence.push(Evidence {
                        turn_id: r.turn_id,
                        quote: r.quote.clone(),
                    });
                }
            }
            Measured {
                value: asked.len() as f64 / pool.len().max(1) as f64,
                detail: format!(
                    "Uncovered: {}. Not asked: {}.",
                    names(&asked),
                    names(&missed)
                ),
                strength: format!("asked about {}", names(&asked).to_lowercase()),
                improvement: if missed.is_empty() {
                    "state assumptions explicitly and use the answers to drive the design"
                        .to_string()
                } else {
                    format!(
                        "ask about {} before designing",
                        names(&missed).to_lowercase()
                    )
                },
                evidence,
            }
        }
        Measure::Components => {
            let (covered, missing): (Vec<_>, Vec<_>) = q
                .components
                .iter()
                .partition(|c| cov.covers_any(lex, &c.concepts));
            let mentions: Vec<&Mention> = covered
                .iter()
                .filter_map(|c| {
                    cov.mentions_of_any(lex, &c.concepts)
                        .into_iter()
                        .find(|m| m.sentence_words >= SUBSTANTIVE_SENTENCE_WORDS)
                })
                .collect();
            let covered_names: Vec<String> = covered.iter().map(|c| c.name.clone()).collect();
            let missing_names: Vec<String> = missing.iter().map(|c| c.name.clone()).collect();
            Measured {
                value: covered.len() as f64 / q.components.len().max(1) as f64,
                evidence: evidence_of(mentions),
                detail: format!(
                    "Covered: {}. Missing: {}.",
                    names(&covered_names),
                    names(&missing_names)
                ),
                strength: format!("covered {}", names(&covered_names).to_lowercase()),
                improvement: format!(
                    "the design left out {}",
                    names(&missing_names).to_lowercase()
                ),
            }
        }
        Measure::DeepDive => {
            let mut total = 0.0;
            let mut deep = Vec::new();
            let mut shallow = Vec::new();
            let mut best: Vec<&Mention> = Vec::new();
            for t in &q.deep_dives {
                let ms: Vec<&Mention> = cov
                    .mentions_of_any(lex, &t.concepts)
                    .into_iter()
                    .filter(|m| m.sentence_words >= 8)
                    .collect();
                if ms.is_empty() {
                    shallow.push(t.name.clone());
                    continue;
                }
                let distinct: BTreeSet<_> = ms.iter().map(|m| m.concept).collect();
                let specific = ms.iter().any(|m| m.specific);
                let points =
                    0.5 + if specific || distinct.len() >= 2 {
                        0.25
                    } else {
                        0.0
                    } + if specific && distinct.len() >= 2 {
                        0.25
                    } else {
                        0.0
                    };
                total += points;
                deep.push(t.name.clone());
                if let Some(m) = ms.iter().find(|m| m.specific).or(ms.first()) {
                    best.push(m);
                }
            }
            Measured {
                value: total / q.deep_dives.len().max(1) as f64,
                evidence: evidence_of(best),
                detail: format!(
                    "Discussed in depth: {}. Not discussed: {}.",
                    names(&deep),
                    names(&shallow)
                ),
                strength: format!("went into {} with specifics", names(&deep).to_lowercase()),
                improvement: format!(
                    "go deeper, with concrete techniques and numbers, on {}",
                    names(&shallow).to_lowercase()
                ),
            }
        }
        Measure::Tradeoffs => {
            let (weighed, unweighed): (Vec<_>, Vec<_>) = q
                .tradeoffs
                .iter()
                .partition(|t| cov.covers_any(lex, &t.concepts));
            let reasoning: Vec<&Mention> = lex
                .index("tradeoff_reasoning")
                .map(|c| {
                    cov.mentions_of(c)
                        .filter(|m| m.sentence_words >= SUBSTANTIVE_SENTENCE_WORDS)
                        .collect()
                })
                .unwrap_or_default();
            let distinct_reasoning: BTreeSet<&str> =
                reasoning.iter().map(|m| m.quote.as_str()).collect();
            let item_share = weighed.len() as f64 / q.tradeoffs.len().max(1) as f64;
            let reasoning_share = (distinct_reasoning.len() as f64 / 3.0).min(1.0);
            let mut ev = evidence_of(reasoning.iter().copied());
            if ev.len() < MAX_EVIDENCE {
                let extra: Vec<&Mention> = weighed
                    .iter()
                    .flat_map(|t| cov.mentions_of_any(lex, &t.concepts))
                    .collect();
                for e in evidence_of(extra) {
                    if ev.len() < MAX_EVIDENCE && !ev.iter().any(|x| x.quote == e.quote) {
                        ev.push(e);
                    }
                }
            }
            let weighed_names: Vec<String> =
                weighed.iter().map(|t| t.id.replace('_', " ")).collect();
            let unweighed_q: Vec<String> = unweighed.iter().map(|t| t.question.clone()).collect();
            Measured {
                value: 0.6 * item_share + 0.4 * reasoning_share,
                evidence: ev,
                detail: format!(
                    "Trade-offs weighed: {}; {} sentence(s) spelling out what a choice gives up.",
                    names(&weighed_names),
                    distinct_reasoning.len()
                ),
                strength: format!("weighed {}", names(&weighed_names)),
                improvement: match unweighed_q.first() {
                    Some(q) => format!("say what each choice gives up; for example: {q}"),
                    None => "say explicitly what each choice gives up, with numbers".to_string(),
                },
            }
        }
        Measure::Concepts => {
            let expected = dim.expected.unwrap_or(dim.concepts.len()).max(1);
            let mut covered = Vec::new();
            let mut missing = Vec::new();
            let mut ms = Vec::new();
            for id in &dim.concepts {
                let first = lex.index(id).and_then(|c| {
                    cov.mentions_of(c)
                        .find(|m| m.sentence_words >= SUBSTANTIVE_SENTENCE_WORDS)
                });
                match first {
                    Some(m) => {
                        covered.push(lex.name_of(id).to_string());
                        ms.push(m);
                    }
                    None => missing.push(lex.name_of(id).to_string()),
                }
            }
            Measured {
                value: (covered.len() as f64 / expected as f64).min(1.0),
                evidence: evidence_of(ms),
                detail: format!(
                    "Covered: {}. Not mentioned: {}.",
                    names(&covered),
                    names(&missing)
                ),
                strength: format!("covered {}", names(&covered).to_lowercase()),
                improvement: format!("address {}", names(&missing).to_lowercase()),
            }
        }
        Measure::Communication => communication(input),
        Measure::Code => code(input),
    }
}

fn communication(input: &ScoringInput<'_>) -> Measured {
    const REASONING: [&str; 12] = [
        "because",
        "so that",
        "assum*",
        "which means",
        "the reason",
        "therefore",
        "trade off*",
        "first",
        "then",
        "if we",
        "otherwise",
        "in order to",
    ];
    let reasoning = crate::text::PhraseSet::compile(&REASONING);
    let turns = input.candidate_turns;
    let plan = &input.entry.plan;
    let mut word_total = 0;
    let mut reasoning_sentences: Vec<Evidence> = Vec::new();
    let mut engaged = BTreeSet::new();
    let mut clarified = false;
    for t in turns {
        let ss: Vec<_> = sentences(t.content)
            .into_iter()
            .filter(|s| !addresses_the_grader(&s.words))
            .collect();
        let n: usize = ss.iter().map(|s| s.words.len()).sum();
        word_total += n;
        if n >= 15 {
            engaged.insert(t.phase);
        }
        let clarify_phase = plan
            .phases
            .iter()
            .any(|p| p.id == t.phase && p.mode == PhaseMode::Clarify);
        if clarify_phase && ss.iter().any(|s| s.is_question) {
            clarified = true;
        }
        for s in ss {
            if s.words.len() >= SUBSTANTIVE_SENTENCE_WORDS && reasoning.found_in(&s.words) {
                reasoning_sentences.push(Evidence {
                    turn_id: t.turn_id,
                    quote: s.text.to_string(),
                });
            }
        }
    }
    let avg = word_total as f64 / turns.len().max(1) as f64;
    let substance = (avg / 45.0).min(1.0);
    let reasons = (reasoning_sentences.len() as f64 / 6.0).min(1.0);
    let has_clarify_phase = plan.phases.iter().any(|p| p.mode == PhaseMode::Clarify);
    let clarify = if !has_clarify_phase || clarified {
        1.0
    } else {
        0.0
    };
    let pacing = engaged.len() as f64 / plan.phases.len().max(1) as f64;
    let value = if avg < 5.0 {
        0.0
    } else {
        (substance + reasons + clarify + pacing) / 4.0
    };
    let n_reasons = reasoning_sentences.len();
    reasoning_sentences.truncate(MAX_EVIDENCE);
    Measured {
        value,
        evidence: reasoning_sentences,
        detail: format!(
            "Average answer {:.0} words; {} sentence(s) explaining reasoning; engaged in {} of {} phases{}.",
            avg,
            n_reasons,
            engaged.len(),
            plan.phases.len(),
            if has_clarify_phase && !clarified {
                "; no clarifying question asked"
            } else {
                ""
            }
        ),
        strength: "structured answers that explain the reasoning".to_string(),
        improvement:
            "think aloud: state assumptions and say why, in full sentences, in every phase"
                .to_string(),
    }
}

fn looks_like_code(line: &str) -> bool {
    let t = line.trim();
    let w = words(t);
    let starts = |k: &str| w.first().is_some_and(|f| f == k);
    starts("def")
        || starts("fn")
        || starts("class")
        || starts("return")
        || starts("import")
        || starts("async")
        || starts("for") && t.ends_with(':')
        || starts("if") && (t.ends_with(':') || t.ends_with('{'))
        || t.ends_with(';')
        || t.ends_with('{')
        || t.contains(" = ") && (t.contains('(') || t.contains('['))
        || t.contains("self.")
        || t.contains("=>")
}

fn code(input: &ScoringInput<'_>) -> Measured {
    let mut lines = 0usize;
    let mut tests = false;
    let mut ev: Vec<Evidence> = Vec::new();
    for t in input.candidate_turns {
        let mut in_block = false;
        for line in t.content.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("```") {
                in_block = !in_block;
                continue;
            }
            if trimmed.is_empty() || addresses_the_grader(&words(trimmed)) {
                continue;
            }
            if in_block || looks_like_code(trimmed) {
                lines += 1;
                let w = words(trimmed);
                if w.iter().any(|x| x == "assert" || x.starts_with("test")) {
                    tests = true;
                }
                let is_signature = trimmed.starts_with("def ")
                    || trimmed.starts_with("fn ")
                    || trimmed.starts_with("class ")
                    || trimmed.starts_with("async ")
                    || trimmed.starts_with("pub ");
                if is_signature && ev.len() < MAX_EVIDENCE && trimmed.len() >= 8 {
                    ev.push(Evidence {
                        turn_id: t.turn_id,
                        quote: trimmed.to_string(),
                    });
                }
            }
        }
    }
    if ev.is_empty() && lines >= 3 {
        // No signature line: quote the first code line instead.
        if let Some((turn_id, line)) = input.candidate_turns.iter().find_map(|t| {
            t.content
                .lines()
                .map(str::trim)
                .find(|l| looks_like_code(l) && l.len() >= 8)
                .map(|l| (t.turn_id, l))
        }) {
            ev.push(Evidence {
                turn_id,
                quote: line.to_string(),
            });
        }
    }
    let value = (lines as f64 / 30.0).min(1.0) * 0.8 + if tests { 0.2 } else { 0.0 };
    Measured {
        value,
        evidence: ev,
        detail: format!(
            "About {lines} line(s) of code written{}.",
            if tests { ", with tests" } else { ", no tests" }
        ),
        strength: "wrote working-shaped code for the core of the problem".to_string(),
        improvement: "write the core of the solution as code, then test it".to_string(),
    }
}
