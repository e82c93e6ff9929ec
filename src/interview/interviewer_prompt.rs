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
mod tests {

    use super::*;
    use crate::content::{Catalog, ContentRoot};

    fn turn(id: i64, role: TurnRole, content: &str) -> TurnRow {
        TurnRow {
            id,
            session_id: "s".into(),
            role,
            phase: "clarify".into(),
            content: content.into(),
            created_at: 0,
            incomplete: false,
            source: None,
            prompt_tokens: None,
            completion_tokens: None,
            hint: false,
            spoken: false,
            speech_ms: None,
        }
    }

    /// Builds the same turn with two budgets and returns both results.
    fn build_with(budgets: [usize; 2]) -> [(Vec<Message>, PromptCount); 2] {
        let prompts = super::super::prompt_context::load_prompts(None).unwrap();
        build_with_prompts(&prompts, budgets)
    }

    fn build_with_prompts(
        prompts: &Prompts,
        budgets: [usize; 2],
    ) -> [(Vec<Message>, PromptCount); 2] {
        build_counting(prompts, &TokenCounter::new(), budgets)
    }

    fn build_counting(
        prompts: &Prompts,
        counter: &TokenCounter,
        budgets: [usize; 2],
    ) -> [(Vec<Message>, PromptCount); 2] {
        let catalog = Catalog::load(&ContentRoot::embedded(), &[]).unwrap();
        let entry = catalog.question("multi-tenant-rag").unwrap();
        let static_prompt = render_static(prompts, entry, Level::Senior).unwrap();
        let turns = vec![
            turn(
                1,
                TurnRole::Interviewer,
                "Welcome. Design a multi-tenant RAG platform.",
            ),
            turn(
                2,
                TurnRole::Candidate,
                "How many tenants, and how large is each corpus?",
            ),
            turn(
                3,
                TurnRole::Interviewer,
                "About 500 tenants, up to a million documents each.",
            ),
            turn(
                0,
                TurnRole::Candidate,
                "Then I would keep one index per tenant behind a router.",
            ),
        ];
        let coverage = Coverage::default();
        let directive = Directive::default();
        budgets.map(|budget_tokens| {
            build(
                prompts,
                counter,
                &TurnPrompt {
                    entry,
                    lexicon: &catalog.lexicon,
                    static_prompt: &static_prompt,
                    phase_index: 0,
                    phase_ms_left: 300_000,
                    total_ms_left: 3_000_000,
                    revealed: &[],
                    coverage: &coverage,
                    directive: &directive,
                    turns: &turns,
                    advance: false,
                    budget_tokens,
                },
            )
            .unwrap()
        })
    }

    #[test]
    fn a_prompt_that_surely_fits_is_sent_as_is_and_counted_later() {
        let [(roomy, roomy_count), (tight, tight_count)] = build_with([100_000, 1]);
        // Plenty of room: counting left for later, every turn sent.
        assert!(roomy_count.is_deferred());
        assert_eq!(roomy.len(), 5);
        assert!(roomy[4].content.contains("<candidate_answer>"));
        // No room at all: counted now, and only the instructions and the current turn are kept.
        assert!(!tight_count.is_deferred());
        assert!(tight_count.total() > 0);
        assert_eq!(tight.first().unwrap().content, roomy[0].content);
        assert_eq!(tight.last().unwrap().content, roomy[4].content);
        assert!(tight.len() < roomy.len());
    }

    #[test]
    fn turns_counted_after_a_prompt_that_fit_by_bytes_are_remembered_and_known_ones_reused() {
        let prompts = super::super::prompt_context::load_prompts(None).unwrap();
        let counter = TokenCounter::new();
        let [(_, later), _] = build_counting(&prompts, &counter, [100_000, 100_000]);
        assert!(later.is_deferred());
        assert_eq!(
            counter.known(1),
            None,
            "nothing is looked up or counted before the call"
        );
        let total = later.total();
        // Stored turns are remembered; the provisional one (id 0) is not.
        assert_eq!(
            counter.known(1),
            Some(count("Welcome. Design a multi-tenant RAG platform."))
        );
        assert!(counter.known(3).is_some());
        assert_eq!(counter.known(0), None);
        // A second turn's count reads the remembered counts and comes to the same.
        let [(_, again), _] = build_counting(&prompts, &counter, [100_000, 100_000]);
        assert_eq!(again.total(), total);
    }

    #[test]
    fn the_free_bound_never_lets_an_oversized_prompt_through() {
        let [(roomy, _), _] = build_with([100_000, 1]);
        let exact = crate::tokens::count_messages(&roomy);
        // A budget just under the exact size must trim, so the bound must not have said "fits".
        let [(trimmed, counted), (whole, whole_count)] = build_with([exact - 1, exact + 20]);
        assert!(!counted.is_deferred(), "a prompt over budget is counted");
        assert!(trimmed.len() < roomy.len());
        // Just over the exact size: the bound (which is looser) sends it to be counted, and nothing
        // is dropped.
        assert_eq!(whole.len(), roomy.len());
        assert!(!whole_count.is_deferred());
    }

    #[test]
    fn a_count_left_for_later_comes_to_what_counting_now_gives() {
        let [(roomy, later), _] = build_with([100_000, 1]);
        let exact = crate::tokens::count_messages(&roomy);
        // A budget the bound cannot vouch for but the prompt fits: counted now, nothing dropped.
        let [(whole, now), _] = build_with([exact + 20, 1]);
        assert!(later.is_deferred());
        assert!(!now.is_deferred());
        assert_eq!(whole, roomy);
        assert_eq!(later.total(), now.total());
    }

    #[test]
    fn an_overridden_turn_template_is_rendered_by_handlebars() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("prompts");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("interviewer_turn.hbs"),
            "{{!-- version: 9 --}}\nHouse rules for {{phase.name}}.",
        )
        .unwrap();
        let prompts = super::super::prompt_context::load_prompts(Some(root.path())).unwrap();
        assert!(!prompts.is_built_in(INTERVIEWER_TURN));
        assert!(prompts.is_built_in(TRANSITION));
        let [(messages, _), _] = build_with_prompts(&prompts, [100_000, 100_000]);
        assert!(
            messages[0]
                .content
                .ends_with("House rules for Clarification & requirements."),
            "{}",
            messages[0].content
        );
        // The built-in one is rendered in Rust, to the same text Handlebars gives.
        let built_in = super::super::prompt_context::load_prompts(None).unwrap();
        assert!(built_in.is_built_in(INTERVIEWER_TURN));
        let [(messages, _), _] = build_with([100_000, 100_000]);
        assert!(
            messages[0]
                .content
                .contains("# What to do in this reply, in this order")
        );
    }
}
