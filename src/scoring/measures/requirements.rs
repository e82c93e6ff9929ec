//! The requirements measure: hidden facts the candidate uncovered by asking.

use std::collections::BTreeSet;

use crate::analysis::text::has_figure;
use crate::content::PhaseMode;
use crate::scoring::argument::{Argument, Class, Sentence};
use crate::scoring::clean::norm_words;
use crate::scoring::input::{ScoringInput, Speaker};
use crate::scoring::lang::is_function_word;

use super::{Gap, Measured};

fn content_of(text: &str) -> BTreeSet<String> {
    norm_words(text)
        .0
        .into_iter()
        .filter(|w| !is_function_word(w) && w.len() > 1)
        .collect()
}

/// Requirements are credited for questions the candidate asked and the interviewer answered: a fact
/// counts when the interviewer's next turn carries its answer right after a candidate turn that asked
/// something (the interviewer answers only what was asked, so the answer shows what the question
/// uncovered, however tersely it was put). A turn that asks without a question mark ("next, the
/// non-functional side: peak traffic, latency targets, languages"; in a debugging interview "per-stage
/// traces for the slow requests") is asking too, when the reply carries the answer. Other statements
/// earn nothing, a bare one- or two-word question counts for less unless it names the fact, and a
/// volley of more than eight questions in one turn is discounted. Only questions asked in the phase
/// the interview gives to clarifying count: the rubrics ask for requirements pinned down before the
/// design, the code or the fix, and a fact asked for once the answer is under way (the latency target
/// after the design that misses it) did not drive it. Such facts are named in the detail, not credited
/// (train cross-validated: recommendation 69.4 -> 70.6% exact, MAE 11.9 -> 11.3; calibration/EXPERIMENTS.md).
pub(super) fn requirements(input: &ScoringInput<'_>, arg: &Argument) -> Measured {
    let entry = input.entry;
    let facts = &entry.question.facts;
    let important: Vec<usize> = (0..facts.len()).filter(|&i| facts[i].important).collect();
    let pool: Vec<usize> = if important.is_empty() {
        (0..facts.len()).collect()
    } else {
        important
    };
    let answers: Vec<BTreeSet<String>> = facts.iter().map(|f| content_of(&f.answer)).collect();
    let mut credit = vec![0.0f64; facts.len()];
    let mut asked = Vec::new();
    let mut asked_late: BTreeSet<usize> = BTreeSet::new();
    for (ti, t) in input.turns.iter().enumerate() {
        if t.speaker != Speaker::Candidate {
            continue;
        }
        let clarifying = entry
            .plan
            .phases
            .iter()
            .any(|p| p.id == t.phase && p.mode == PhaseMode::Clarify);
        let questions: Vec<&Sentence> = arg
            .sentences
            .iter()
            .filter(|s| s.turn_index == ti && s.class == Class::Question)
            .collect();
        let requests: Vec<&Sentence> = if questions.is_empty() {
            arg.sentences
                .iter()
                .filter(|s| s.turn_index == ti && s.class == Class::Working)
                .collect()
        } else {
            Vec::new()
        };
        let asking: Vec<&Sentence> = questions.iter().chain(&requests).copied().collect();
        if asking.is_empty() {
            continue;
        }
        let Some(reply) = input.turns[ti + 1..]
            .iter()
            .take_while(|t| t.speaker == Speaker::Interviewer)
            .next()
        else {
            continue;
        };
        let next = content_of(reply.content);
        let volley = questions.len();
        for &fi in &pool {
            let answer = &answers[fi];
            let shared = answer.intersection(&next).count();
            let shared_figures = answer
                .intersection(&next)
                .filter(|w| has_figure(std::slice::from_ref(*w)))
                .count();
            // The question that named the fact, else the turn's most specific one. A fact the
            // question named needs less of its answer in the reply to count as answered.
            let named = asking
                .iter()
                .find(|s| entry.fact_index.tags_in(&s.words).contains(&fi));
            let carried = if named.is_some() {
                shared as f64 >= 0.25 * answer.len() as f64 || shared_figures >= 2
            } else {
                shared as f64 >= 0.4 * answer.len() as f64
                    || (shared_figures >= 2 && shared as f64 >= 0.25 * answer.len() as f64)
            };
            if !carried {
                continue;
            }
            if !clarifying {
                asked_late.insert(fi);
                continue;
            }
            let Some(q) = named.or_else(|| {
                asking
                    .iter()
                    .max_by_key(|s| s.words.iter().filter(|w| !is_function_word(w)).count())
            }) else {
                continue;
            };
            let content = q.words.iter().filter(|w| !is_function_word(w)).count();
            let mut c = if content <= 2 && named.is_none() {
                0.6
            } else {
                1.0
            };
            if volley > 8 {
                c *= 8.0 / volley as f64;
            }
            if c > credit[fi] {
                credit[fi] = c;
            }
            if !asked.iter().any(|(_, quote)| quote == &q.quote) {
                asked.push((q.turn_id, q.quote.clone()));
            }
        }
    }
    let got: f64 = pool.iter().map(|&i| credit[i]).sum();
    let covered: Vec<String> = pool
        .iter()
        .filter(|&&i| credit[i] > 0.0)
        .map(|&i| facts[i].topic.clone())
        .collect();
    let gaps: Vec<Gap> = pool
        .iter()
        .filter(|&&i| credit[i] == 0.0)
        .map(|&i| Gap {
            name: facts[i].topic.clone(),
            concepts: Vec::new(),
            prompt: None,
            late: asked_late.contains(&i),
        })
        .collect();
    let late: Vec<String> = pool
        .iter()
        .filter(|&&i| credit[i] == 0.0 && asked_late.contains(&i))
        .map(|&i| facts[i].topic.to_lowercase())
        .collect();
    let mut detail = format!(
        "Asked and answered: {} of {} key requirements.",
        covered.len(),
        pool.len()
    );
    if !late.is_empty() {
        detail.push_str(&format!(
            " Asked only once the answer was under way: {}.",
            late.join(", ")
        ));
    }
    Measured {
        value: got / pool.len().max(1) as f64,
        evidence: Vec::new(),
        detail,
        asked,
        covered,
        gaps,
        ..Measured::default()
    }
}
