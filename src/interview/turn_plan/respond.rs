//! Responding to what the candidate said before asking anything: acknowledging a decision, challenging
//! what does not add up, noting time; and whether a turn is design rather than questions.

use crate::content::PhaseMode;

use crate::interview::directive::{Directive, FactAnswer, TimeLeft};
use crate::interview::fact_matching::turn_facts;
use crate::interview::hints::{HintContext, MAX_HINTS_PER_PHASE, hint};
use crate::interview::listening::challenge;
use crate::interview::memory::{Item, Memory, PhaseSlot};
use crate::interview::phases;
use crate::interview::phrasebook::{Kind, Line, ever_said};
use crate::interview::understanding::{Act, Understanding};

use super::Session;

/// Everything in the reply that responds to what the candidate said.
#[allow(clippy::too_many_arguments)]
pub(super) fn respond(
    s: &Session<'_>,
    u: &Understanding,
    slot: PhaseSlot<'_>,
    memory: &Memory,
    d: &mut Directive,
    reveals: &mut Vec<(String, String)>,
    hinted: &mut bool,
    all: &[Item],
) {
    let entry = s.entry;
    let q = &entry.question;
    let kind = Kind::of(&q.kind);
    let tf = turn_facts(entry, u);
    let times_answered = |answer: &str| memory.times_answered(answer);
    for ask in &tf.asked {
        let f = &q.facts[ask.fact];
        let answer = FactAnswer {
            id: f.id.clone(),
            topic: f.topic.clone(),
            answer: f.answer.clone(),
        };
        if !s.revealed.contains(&f.id) {
            reveals.push((f.id.clone(), ask.quote.clone()));
            d.answers.push(answer);
        } else if ask.bare {
            // A topic named again in passing ("OK, modest QPS.") is not a request to repeat it.
        } else if times_answered(&f.answer) >= 2 {
            d.answered_before.push(f.topic.clone());
        } else {
            d.repeated.push(answer);
        }
    }
    if let Some((_, facts)) = tf.ambiguous.first() {
        d.which_one = facts
            .iter()
            .take(3)
            .map(|i| q.facts[*i].topic.to_lowercase())
            .collect();
    }
    for quote in &tf.unanswered {
        // Questions about the team, the role or next steps get their short answer, once or twice;
        // "I'd check the alerts" is not one.
        let is_question = u.clauses.iter().any(|c| c.text == *quote && c.question);
        let qa = entry
            .qa_matchers
            .iter()
            .position(|m| m.found_in(&crate::analysis::text::words(quote)))
            .filter(|_| is_question);
        match qa {
            Some(i) if times_answered(&q.qa[i].answer) >= 2 => {
                d.answered_before.push("that".to_string());
            }
            Some(i) => d.qa_answer = Some(q.qa[i].answer.clone()),
            None if is_decision(quote) && slot.mode != PhaseMode::Qa => d.your_call = true,
            None if slot.mode == PhaseMode::Qa => d.qa_unknown = true,
            None => d.no_figure = true,
        }
    }
    let asked_anything = u.has(Act::Ask);
    if let Some(key) = u.clauses.iter().find(|c| c.act == Act::AnswerKey) {
        let recap = ["summar", "recap", "repeat", "told me", "play back"]
            .iter()
            .any(|w| key.text.to_lowercase().contains(w));
        if recap {
            d.play_back = true;
        } else {
            d.answer_key = true;
        }
    }
    d.score_question = u.has(Act::Score);
    if u.has(Act::Time) {
        let state = s.state;
        d.time_left = Some(TimeLeft {
            phase_minutes: minutes(phases::time_left_ms(&entry.plan, state, s.now)),
            total_minutes: minutes(phases::interview_time_left_ms(&entry.plan, state, s.now)),
        });
    }
    let substantive = u.substantive_words();
    let answered_something = !d.answers.is_empty()
        || !d.repeated.is_empty()
        || d.qa_answer.is_some()
        || d.no_figure
        || d.your_call;
    d.check_in = u.has(Act::CheckIn) && !answered_something;
    d.small_talk = u.acts().all(|a| a == Act::SmallTalk);
    d.unsure = u.has(Act::Unsure) && substantive < 8 && u.code.is_empty();
    d.assumption = u.has(Act::Assumption) && slot.mode == PhaseMode::Clarify && !asked_anything;
    let process_only = u.acts().all(|a| {
        matches!(
            a,
            Act::MoveOn
                | Act::Done
                | Act::Score
                | Act::Time
                | Act::CheckIn
                | Act::SmallTalk
                | Act::Unsure
                | Act::Hint
                | Act::AnswerKey
        )
    });
    d.thin = !process_only && !asked_anything && u.prose_words < 8 && u.code.is_empty();
    // In debugging, a cause proposed without a test ("I think it's the reindex", "could it be the
    // reindex?") is met with "how would you check?", not with evidence or another question.
    if u.has(Act::Hypothesis) && kind == Kind::Debugging && !asked_anything {
        d.test_hypothesis = true;
        d.thin = false;
    }
    if d.answer_key || d.play_back {
        d.no_figure = false;
        d.your_call = false;
    }
    if u.has(Act::Hint) {
        let used = memory.hints_in(slot.id);
        if used < MAX_HINTS_PER_PHASE {
            d.hint = Some(hint(
                &HintContext {
                    entry,
                    lexicon: s.lexicon,
                    kind,
                    slot,
                    items: all,
                    memory,
                    coverage: s.coverage,
                    revealed: s.revealed,
                },
                used,
            ));
            *hinted = true;
        } else {
            d.hint_refused = true;
        }
    }
    let mut known: Vec<String> = s.revealed.to_vec();
    known.extend(reveals.iter().map(|(id, _)| id.clone()));
    let designing = slot.mode != PhaseMode::Clarify && kind != Kind::Behavioral;
    // A challenge is made once: said before, it is not made again.
    d.challenge = challenge(entry, u, &known, designing)
        .map(|c| c.words())
        .filter(|c| memory.times_said(c) == 0);
    if slot.mode == PhaseMode::Clarify
        && kind != Kind::Behavioral
        && s.revealed.is_empty()
        && !asked_anything
        && !u.has(Act::MoveOn)
        && designs(s, u)
        && !ever_said(Line::NudgeToClarify, kind, slot.mode, memory)
    {
        d.nudge_to_clarify = true;
    }
    let praise_turns = memory.turns_with_facts;
    d.praise = !d.answers.is_empty()
        && u.clauses.iter().any(|c| c.act == Act::Ask && c.question)
        && praise_turns % 3 == 0;
}

/// Whether a candidate turn is design rather than questions: several concepts named, or a long
/// stretch of statements.
pub(super) fn designs(s: &Session<'_>, u: &Understanding) -> bool {
    let statement_words: usize = u
        .clauses
        .iter()
        .filter(|c| c.act == Act::Statement)
        .map(|c| c.words.len())
        .sum();
    let concepts = s
        .turns
        .last()
        .filter(|t| !t.by_interviewer)
        .map(|t| s.coverage.concepts_in_turn(t.id).len())
        .unwrap_or(0);
    concepts >= 3 || statement_words >= 40
}

/// A question whose answer is the candidate's own decision ("should we use Pinecone?").
pub(super) fn is_decision(quote: &str) -> bool {
    let w = crate::analysis::text::words(quote);
    let head: Vec<&str> = w.iter().take(3).map(String::as_str).collect();
    // "Can I see the burn-rate panel?" asks for data, not for permission: it gets "no data on that",
    // not "that's your call".
    if let ["can" | "could", "i" | "we", verb] = head.as_slice()
        && DATA_VERBS.contains(verb)
    {
        return false;
    }
    matches!(
        head.as_slice(),
        ["should", ..]
            | ["would", "you", ..]
            | ["is", "it", "ok", ..]
            | ["is", "it", "okay", ..]
            | ["is", "it", "fine", ..]
            | ["can", "i", ..]
            | ["can", "we", "use", ..]
            | ["could", "we", "use", ..]
            | ["do", "you", "prefer", ..]
            | ["which", "is", "better", ..]
            | ["which", "one", ..]
            | ["do", "you", "want", ..]
    ) || w.iter().any(|x| x == "prefer" || x == "better")
}

/// Verbs of asking to see data ("can I see / look at / pull ...").
const DATA_VERBS: &[&str] = &[
    "see", "look", "get", "have", "check", "pull", "view", "query", "grab", "access", "inspect",
    "compare",
];

pub(super) fn minutes(ms: i64) -> i64 {
    (ms.max(0) + 59_999) / 60_000
}
