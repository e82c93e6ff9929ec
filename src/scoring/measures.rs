//! What the offline scorer measures for each rubric dimension: a value in [0, 1] from the candidate's
//! own words, with the quotes that back it and the lines for the strengths and improvements lists.

use std::collections::BTreeSet;

use crate::analysis::coverage::{Coverage, Mention};
use crate::content::{Dimension, Measure};

use super::Evidence;
use super::delivery::{code, communication};
use super::offline::ScoringInput;

/// A sentence needs this many words to count as an explanation rather than a name-drop.
pub(super) const SUBSTANTIVE_SENTENCE_WORDS: usize = 6;
pub(super) const MAX_EVIDENCE: usize = 3;

pub(super) struct Measured {
    pub value: f64,
    pub evidence: Vec<Evidence>,
    pub detail: String,
    /// A short, specific line for the strengths list when the dimension scores well.
    pub strength: String,
    /// A short, specific line for the improvements list when it scores poorly.
    pub improvement: String,
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

pub(super) fn measure(dim: &Dimension, input: &ScoringInput<'_>, cov: &Coverage) -> Measured {
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
