//! Builds what the LLM interviewer reads each turn: the system prompt (a cached static part for the
//! question and level, plus this turn's phase, clock, ledger, coverage and directive) and the
//! conversation with every candidate answer delimited as data, fitted into the context window.

use std::sync::Arc;

use crate::content::{Lexicon, QuestionEntry};
use crate::llm::{Message, Role};
use crate::prompting::{
    CurrentPhase, FactLine, InterviewerStatic, InterviewerTurn, PhaseLine, PromptError, Prompts,
    delimit_candidate,
};
use crate::storage::TurnRow;
use crate::tokens::{Counted, TokenCounter, count, fit};

use super::coverage::Coverage;
use super::directive::Directive;

/// The static part of the system prompt, rendered once per question and level, with its token count.
pub type StaticPrompt = Arc<(String, usize)>;

pub fn render_static(
    prompts: &Prompts,
    entry: &QuestionEntry,
    level: &str,
) -> Result<StaticPrompt, PromptError> {
    let q = &entry.question;
    let text = prompts.interviewer_static(&InterviewerStatic {
        kind_name: entry.plan.name.clone(),
        level: level.to_string(),
        question_title: q.title.clone(),
        question_prompt: q.prompt.trim().to_string(),
        phases: entry
            .plan
            .phases
            .iter()
            .map(|p| PhaseLine {
                name: p.name.clone(),
                minutes: p.minutes,
            })
            .collect(),
        facts: q.facts.iter().map(|f| FactLine::of(f, false)).collect(),
    })?;
    let tokens = count(&text);
    Ok(Arc::new((text, tokens)))
}

pub struct TurnPrompt<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub static_prompt: &'a StaticPrompt,
    pub phase_index: usize,
    pub phase_ms_left: i64,
    pub total_ms_left: i64,
    pub revealed: &'a [String],
    pub coverage: &'a Coverage,
    pub directive: &'a Directive,
    pub turns: &'a [TurnRow],
    /// True for an explicit advance, where the candidate said nothing.
    pub advance: bool,
    pub budget_tokens: usize,
}

fn minutes(ms: i64) -> i64 {
    (ms.max(0) + 59_999) / 60_000
}

pub fn build(
    prompts: &Prompts,
    counter: &TokenCounter,
    t: &TurnPrompt<'_>,
) -> Result<(Vec<Message>, usize), PromptError> {
    let q = &t.entry.question;
    let phase = &t.entry.plan.phases[t.phase_index];
    let mut covered = Vec::new();
    let mut missing = Vec::new();
    for (name, concepts) in q
        .components
        .iter()
        .map(|c| (&c.name, &c.concepts))
        .chain(q.deep_dives.iter().map(|d| (&d.name, &d.concepts)))
    {
        if t.coverage.covers_any(t.lexicon, concepts) {
            covered.push(name.clone());
        } else {
            missing.push(name.clone());
        }
    }
    let revealed = q
        .facts
        .iter()
        .filter(|f| t.revealed.contains(&f.id))
        .map(|f| f.topic.clone())
        .collect();
    let dynamic = prompts.interviewer_turn(&InterviewerTurn {
        phase: CurrentPhase {
            name: phase.name.clone(),
            index: t.phase_index + 1,
            total: t.entry.plan.phases.len(),
            minutes_left: minutes(t.phase_ms_left),
            goals: phase.goals.clone(),
        },
        minutes_left_total: minutes(t.total_ms_left),
        revealed,
        covered,
        missing,
        turn: t.directive,
    })?;
    let system_tokens = t.static_prompt.1 + count(&dynamic) + 2;
    let system = Counted {
        message: Message::new(
            Role::System,
            format!("{}\n\n{}", t.static_prompt.0, dynamic),
        ),
        tokens: system_tokens,
    };
    let mut history: Vec<Counted> = t
        .turns
        .iter()
        .map(|turn| {
            // A provisional turn (id 0, not yet committed) is counted but not remembered.
            let tokens = if turn.id > 0 {
                counter.turn(turn.id, &turn.content)
            } else {
                count(&turn.content)
            };
            if turn.role == "candidate" {
                // The delimiters add a handful of tokens to the counted content.
                Counted {
                    message: Message::new(Role::User, delimit_candidate(&turn.content)),
                    tokens: tokens + 12,
                }
            } else {
                Counted {
                    message: Message::new(Role::Assistant, turn.content.clone()),
                    tokens,
                }
            }
        })
        .collect();
    if t.advance {
        let note =
            "(The candidate asked to move on to the next phase; they have not said anything new.)";
        history.push(Counted {
            message: Message::new(Role::User, note),
            tokens: count(note),
        });
    }
    let fitted = fit(system, history, t.budget_tokens);
    if fitted.dropped > 0 {
        tracing::debug!(
            dropped = fitted.dropped,
            tokens = fitted.tokens,
            "older turns trimmed to fit the context window"
        );
    }
    Ok((fitted.messages, fitted.tokens))
}
