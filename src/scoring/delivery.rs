//! The measures that read how the candidate spoke rather than what they covered: communication
//! (structure, reasoning, figures) and, for coding interviews, the code they wrote.

use std::collections::BTreeSet;

use crate::analysis::text::{addresses_the_grader, sentences, words};
use crate::content::PhaseMode;

use super::Evidence;
use super::measures::{MAX_EVIDENCE, Measured, SUBSTANTIVE_SENTENCE_WORDS};
use super::offline::ScoringInput;

pub(super) fn communication(input: &ScoringInput<'_>) -> Measured {
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
    let reasoning = crate::analysis::text::PhraseSet::compile(&REASONING);
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

pub(super) fn code(input: &ScoringInput<'_>) -> Measured {
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
