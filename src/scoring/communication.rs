//! Communication measured by structure, relevance and economy, never by length: how much of what the
//! candidate said does work for the question asked, whether the answers are organised (signposts,
//! stated assumptions, clarifying questions where the plan has a clarification phase), and whether every
//! phase got a real answer.

use std::collections::BTreeSet;

use crate::content::PhaseMode;

use super::argument::{Argument, Class, SIGNPOSTS};
use super::input::ScoringInput;
use super::measures::{EVIDENCE_POOL, Measured, best_evidence};

pub fn measure(input: &ScoringInput<'_>, arg: &Argument) -> Measured {
    let plan = &input.entry.plan;
    let said: Vec<_> = arg
        .sentences
        .iter()
        .filter(|s| s.class != Class::Grader)
        .collect();
    let statements: Vec<_> = said.iter().filter(|s| s.class != Class::Question).collect();
    let working: Vec<_> = statements
        .iter()
        .filter(|s| s.class == Class::Working)
        .collect();
    let wasted = statements
        .iter()
        .filter(|s| {
            matches!(
                s.class,
                Class::Filler | Class::NameDrop | Class::Echo | Class::Repeated | Class::Ignorance
            ) || (s.class == Class::Plain && !s.relevant)
        })
        .count();
    let irrelevant = statements.iter().filter(|s| !s.relevant).count();

    // Economy: the share of statements doing work; relevance: the share about the question.
    let economy = if statements.is_empty() {
        0.0
    } else {
        1.0 - wasted as f64 / statements.len() as f64
    };
    let relevance = if statements.is_empty() {
        0.0
    } else {
        1.0 - irrelevant as f64 / statements.len() as f64
    };
    // Substance saturates quickly: ten working sentences are enough to show one can explain.
    let substance = (working.len() as f64 / 10.0).min(1.0);
    let answerable_phases: BTreeSet<&str> = plan
        .phases
        .iter()
        .filter(|p| p.mode != PhaseMode::Qa)
        .map(|p| p.id.as_str())
        .collect();
    // Working sentences in the Q&A phase are welcome but it is not a phase to answer in ("answered
    // in 5 of 4 phases").
    let answered: BTreeSet<&str> = working
        .iter()
        .map(|s| s.phase.as_str())
        .filter(|p| answerable_phases.contains(p))
        .collect();
    let answerable = answerable_phases.len().max(1);
    let phases = (answered.len() as f64 / answerable as f64).min(1.0);
    let has_clarify = plan.phases.iter().any(|p| p.mode == PhaseMode::Clarify);
    let clarified = said.iter().any(|s| {
        s.class == Class::Question
            && plan
                .phases
                .iter()
                .any(|p| p.id == s.phase && p.mode == PhaseMode::Clarify)
    });
    let signposted = working
        .iter()
        .filter(|s| SIGNPOSTS.found_in(&s.words))
        .count();
    let reasoned = working.iter().filter(|s| s.reason).count();
    let structure = 0.4 * (signposted as f64 / 3.0).min(1.0)
        + 0.3 * (reasoned as f64 / 5.0).min(1.0)
        + 0.3 * if !has_clarify || clarified { 1.0 } else { 0.0 };
    let value =
        (0.3 * substance + 0.2 * economy + 0.1 * relevance + 0.2 * phases + 0.2 * structure)
            * economy.max(0.3).sqrt();
    let support: Vec<_> = working
        .iter()
        .filter(|s| s.reason || SIGNPOSTS.found_in(&s.words))
        .map(|s| ***s)
        .collect();
    Measured {
        value,
        evidence: best_evidence(arg, &support, EVIDENCE_POOL),
        detail: format!(
            "{} of your {} statements made a specific point (a mechanism, a number, a reason, a comparison); {} were off the question; you answered in {} of {} phases{}.",
            working.len(),
            statements.len(),
            irrelevant,
            answered.len(),
            answerable,
            if has_clarify && !clarified {
                "; no clarifying question"
            } else {
                ""
            }
        ),
        ..Measured::default()
    }
}
