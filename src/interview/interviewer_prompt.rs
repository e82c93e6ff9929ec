//! Builds what the LLM interviewer reads each turn: the system prompt (a cached static part for the
//! question and level, plus this turn's phase, clock, ledger, coverage and directive) and the
//! conversation with every candidate answer delimited as data, fitted into the context window.

use std::sync::Arc;

use crate::analysis::coverage::Coverage;
use crate::content::{Level, Lexicon, QuestionEntry};
use crate::domain::TurnRole;
use crate::llm::{Message, Role};
use crate::prompting::{PromptError, Prompts, delimit_candidate};
use crate::storage::TurnRow;
use crate::tokens::{Counted, PER_MESSAGE_OVERHEAD, TokenCounter, at_most, count, fit};

use super::directive::Directive;
use super::prompt_context::{
    CurrentPhase, Ending, INTERVIEWER, INTERVIEWER_TURN, InterviewerStatic, InterviewerTurn,
    PhaseLine, TRANSITION,
};
use super::turn_instructions;

/// The static part of the system prompt, rendered once per question and level, with its token count.
pub type StaticPrompt = Arc<(String, usize)>;

pub fn render_static(
    prompts: &Prompts,
    entry: &QuestionEntry,
    level: Level,
) -> Result<StaticPrompt, PromptError> {
    let q = &entry.question;
    let text = prompts.render(
        INTERVIEWER,
        &InterviewerStatic {
            kind_name: entry.plan.name.clone(),
            level: level.as_str().to_string(),
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
        },
    )?;
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

/// A prompt's token count as far as it is known when the prompt is sent: the known part, and the
/// texts still to count (this turn's dynamic instructions and any turn not counted yet). Holding
/// those few texts instead of the whole prompt keeps a live stream small.
#[derive(Debug, Default)]
pub struct PromptCount {
    known: usize,
    /// This turn's instructions, counted afterwards.
    uncounted: Vec<String>,
    /// Turns whose counts were not known (or, when the bound by bytes alone showed the prompt fits,
    /// not even looked up) before the call: looked up, or counted and remembered, afterwards.
    turns: Vec<(i64, String)>,
    counter: Option<TokenCounter>,
}

impl PromptCount {
    /// Whether counting is left to do (`total` will look up or run tiktoken).
    pub fn is_deferred(&self) -> bool {
        !self.uncounted.is_empty() || !self.turns.is_empty()
    }

    pub fn total(&self) -> usize {
        let turns: usize = self
            .turns
            .iter()
            .map(|(id, text)| match &self.counter {
                // A provisional turn (id 0, not yet committed) is counted but not remembered.
                Some(counter) if *id > 0 => counter.turn(*id, text),
                _ => count(text),
            })
            .sum();
        self.known + turns + self.uncounted.iter().map(|t| count(t)).sum::<usize>()
    }
}

/// Tokens the candidate-answer delimiters add to a counted answer.
const DELIMITER_TOKENS: usize = 12;

/// This turn's part of the system prompt: the built-in templates in Rust (`turn_instructions`), an
/// overridden one through Handlebars.
fn render_turn(prompts: &Prompts, turn: &InterviewerTurn<'_>) -> Result<String, PromptError> {
    if prompts.is_built_in(INTERVIEWER_TURN) && prompts.is_built_in(TRANSITION) {
        Ok(turn_instructions::render(turn))
    } else {
        prompts.render(INTERVIEWER_TURN, turn)
    }
}

/// The messages for this turn and their token count. When a free bound shows they fit, only the
/// cheap part of the count is taken now and the rest is left for later, off the path to the first
/// token.
pub fn build(
    prompts: &Prompts,
    counter: &TokenCounter,
    t: &TurnPrompt<'_>,
) -> Result<(Vec<Message>, PromptCount), PromptError> {
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
    let turn = InterviewerTurn {
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
        ending: Ending::of(t.directive),
    };
    let dynamic = render_turn(prompts, &turn)?;
    let system = Message::new(
        Role::System,
        format!("{}\n\n{}", t.static_prompt.0, dynamic),
    );
    let note = t.advance.then_some(
        "(The candidate asked to move on to the next phase; they have not said anything new.)",
    );
    // Most turns fit with room to spare. Known counts plus byte lengths for the rest bound the
    // prompt's size; when the bound fits, nothing is counted now. Counting with tiktoken took
    // ~0.5 ms of a turn's time to first token.
    let fixed = PER_MESSAGE_OVERHEAD
        + t.static_prompt.1
        + at_most(&dynamic)
        + 2
        + note.map_or(0, |n| at_most(n) + PER_MESSAGE_OVERHEAD);
    let bound_with = |known: &dyn Fn(usize) -> Option<usize>| {
        fixed
            + t.turns
                .iter()
                .enumerate()
                .map(|(i, turn)| {
                    let text = known(i).unwrap_or_else(|| at_most(&turn.content));
                    // The delimiters of a candidate answer, bytes included.
                    let delimiters = if turn.role == TurnRole::Candidate {
                        64
                    } else {
                        0
                    };
                    text + delimiters + PER_MESSAGE_OVERHEAD
                })
                .sum::<usize>()
    };
    // First by bytes alone, which needs no lookup: most prompts fit by far, and looking up forty
    // counts in the cache took a fifth of the prompt's time. Else each turn's count, where it is
    // known, looked up once.
    let fits_by_bytes = bound_with(&|_| None) <= t.budget_tokens;
    let known: Vec<Option<usize>> = if fits_by_bytes {
        vec![None; t.turns.len()]
    } else {
        t.turns.iter().map(|turn| counter.known(turn.id)).collect()
    };
    if fits_by_bytes || bound_with(&|i| known[i]) <= t.budget_tokens {
        // The same accounting as the counted path below, with the turns not known yet looked up
        // (or counted and remembered) after the call.
        let mut tally = PromptCount {
            known: t.static_prompt.1 + 2 + PER_MESSAGE_OVERHEAD,
            uncounted: vec![dynamic],
            turns: Vec::new(),
            counter: Some(counter.clone()),
        };
        let mut messages = Vec::with_capacity(t.turns.len() + 2);
        messages.push(system);
        for (turn, known) in t.turns.iter().zip(known) {
            let candidate = turn.role == TurnRole::Candidate;
            tally.known += PER_MESSAGE_OVERHEAD + if candidate { DELIMITER_TOKENS } else { 0 };
            match known {
                Some(n) => tally.known += n,
                None => tally.turns.push((turn.id, turn.content.clone())),
            }
            messages.push(if candidate {
                Message::new(Role::User, delimit_candidate(&turn.content))
            } else {
                Message::new(Role::Assistant, turn.content.clone())
            });
        }
        if let Some(n) = note {
            tally.known += count(n) + PER_MESSAGE_OVERHEAD;
            messages.push(Message::new(Role::User, n));
        }
        return Ok((messages, tally));
    }
    let system_tokens = t.static_prompt.1 + count(&dynamic) + 2;
    let system = Counted {
        message: system,
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
            if turn.role == TurnRole::Candidate {
                // The delimiters add a handful of tokens to the counted content.
                Counted {
                    message: Message::new(Role::User, delimit_candidate(&turn.content)),
                    tokens: tokens + DELIMITER_TOKENS,
                }
            } else {
                Counted {
                    message: Message::new(Role::Assistant, turn.content.clone()),
                    tokens,
                }
            }
        })
        .collect();
    if let Some(note) = note {
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
    Ok((
        fitted.messages,
        PromptCount {
            known: fitted.tokens,
            ..PromptCount::default()
        },
    ))
}

#[cfg(test)]
mod tests;
