//! The turn planner: one pure function from the session so far and what the candidate just did
//! (answered, pressed "next phase", asked for a hint) to what happens: the phase change, the facts
//! revealed, and the directive with the offline interviewer's words. The turn use-case wraps it in
//! storage and streaming; the simulated candidates call it directly, so what they check is what runs.
//!
//! Order of business, as a senior interviewer would: understand the turn; answer exactly what was
//! asked; respond to what was said (challenge what does not add up); then ask one question, the next
//! thing the candidate has not covered and was not asked, or close.

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::Lexicon;
use crate::clock::Millis;
use crate::content::{Level, PhaseMode, QuestionEntry};

use super::diagram_probe;
use super::directive::{Closing, Directive, FactAnswer, TimeLeft, TransitionNote};
use super::fact_matching::{reading_context, turn_facts};
use super::follow_ups::{Next, next_question, skipped_earlier};
use super::hints::{HintContext, MAX_HINTS_PER_PHASE, hint};
use super::listening::challenge;
use super::memory::{
    Item, ItemKind, Memory, PhaseSlot, Spoken, fits_phase, items, relevant_concepts,
};
use super::offline_interviewer::{CLOSING_LINES, words};
use super::phases::{self, PhaseState, Transition, Trigger};
use super::phrasebook::{GATE_MARKERS, Kind, Line, Voice, ever_said};
use super::understanding::{Act, Understanding, understand};

/// How many skipped components one question names.
const SKIPPED_PER_QUESTION: usize = 3;

/// The session as the planner sees it.
pub struct Session<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub level: Level,
    /// Where the interview was before this turn.
    pub state: PhaseState,
    pub now: Millis,
    /// The transcript, this turn's candidate text last when there is one.
    pub turns: &'a [Spoken<'a>],
    /// Coverage of every candidate turn, this one included.
    pub coverage: &'a Coverage,
    /// Facts revealed before this turn.
    pub revealed: &'a [String],
}

/// What the candidate did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request<'a> {
    /// Said something (the last turn of `Session::turns`).
    Answer(&'a str),
    /// Pressed "next phase".
    Advance,
    /// Asked for a hint.
    Hint,
}

/// What happens this turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub transition: Option<Transition>,
    /// Facts revealed for the first time, each with the candidate's words that asked.
    pub reveals: Vec<(String, String)>,
    pub directive: Directive,
    /// The reply is a hint.
    pub hint: bool,
}

/// Why a request cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    LastPhase,
    HintLimit,
}

/// Plans the interviewer's reply.
pub fn plan(s: &Session<'_>, request: Request<'_>) -> Result<Plan, Refusal> {
    let entry = s.entry;
    let kind = Kind::of(&entry.question.kind);
    let all = items(entry, s.lexicon);
    let asking: Vec<&str> = entry
        .plan
        .phases
        .iter()
        .filter(|p| p.mode == PhaseMode::Clarify)
        .map(|p| p.id.as_str())
        .collect();
    let relevant = relevant_concepts(entry, s.lexicon, &all);
    let memory = Memory::recall(
        &all,
        s.turns,
        s.lexicon,
        &relevant,
        CLOSING_LINES,
        &GATE_MARKERS,
        &asking,
    );
    let slot_before = PhaseSlot::of(&entry.plan, s.state.index);
    let mut d = Directive::default();
    let mut reveals = Vec::new();
    let mut hinted = false;
    let (transition, understanding) = match request {
        Request::Advance => {
            let t = phases::on_advance(&entry.plan, s.state).map_err(|_| Refusal::LastPhase)?;
            (Some(t), None)
        }
        Request::Hint => {
            let used = memory.hints_in(slot_before.id);
            if used >= MAX_HINTS_PER_PHASE {
                return Err(Refusal::HintLimit);
            }
            d.hint = Some(hint(
                &HintContext {
                    entry,
                    lexicon: s.lexicon,
                    kind,
                    slot: slot_before,
                    items: &all,
                    memory: &memory,
                    coverage: s.coverage,
                    revealed: s.revealed,
                },
                used,
            ));
            hinted = true;
            (None, None)
        }
        Request::Answer(text) => {
            let ctx = reading_context(&entry.question.kind, slot_before.mode, slot_before.last);
            let u = understand(text, ctx);
            let mut gate = gate(entry, s, &all, &memory, &u, slot_before);
            // "Let's move on" before saying anything in a phase (often just after the clock moved
            // the interview on): the phase is started, not skipped. Asked again, it moves on.
            let said_here = s
                .turns
                .iter()
                .rev()
                .skip(1)
                .take_while(|t| t.phase == slot_before.id)
                .any(|t| !t.by_interviewer);
            let just_started =
                u.has(Act::MoveOn) && !said_here && slot_before.mode != PhaseMode::Clarify;
            if just_started {
                d.already_in = Some(entry.plan.phases[s.state.index].name.to_lowercase());
                gate.clear();
            }
            // When the clock moves the interview on anyway, the gate waits: what was skipped is
            // carried over instead.
            if phases::on_candidate_turn(&entry.plan, s.state, s.now, false).is_some() {
                gate.clear();
            }
            let wants = u.has(Act::MoveOn) && gate.is_empty() && !just_started;
            d.wrapping_up = !gate.is_empty() && slot_before.last;
            d.before_moving_on = gate;
            let t = phases::on_candidate_turn(&entry.plan, s.state, s.now, wants);
            (t, Some(u))
        }
    };
    let state = match transition {
        Some(t) => PhaseState {
            index: t.to,
            started_at: s.now,
        },
        None => s.state,
    };
    let slot = PhaseSlot::of(&entry.plan, state.index);
    d.overtime = phases::is_overtime(&entry.plan, state, s.now);
    if let Some(t) = transition {
        let from = &entry.plan.phases[t.from];
        let to = &entry.plan.phases[t.to];
        d.transition = Some(TransitionNote {
            from_id: from.id.clone(),
            from_name: from.name.clone(),
            to_id: to.id.clone(),
            to_name: to.name.clone(),
            time_up: t.trigger == Trigger::TimeUp,
            intro: to.intro.clone(),
        });
    }
    // "Pick the two or three components that matter most" is not asked of a candidate who just
    // named them: the deep dive starts with the first one they named.
    if let (Some(t), Some(note)) = (transition, d.transition.as_mut())
        && entry.plan.phases[t.to].mode == PhaseMode::DeepDive
        && let Some(named) = named_topic(s)
    {
        note.intro = format!("Good, let's go deeper, starting with {named}.");
    }
    let turn_count = s.turns.iter().filter(|t| t.by_interviewer).count();
    let mut voice = Voice::new(kind, slot.mode, &memory, turn_count);
    if let Some(u) = &understanding {
        respond(
            s,
            u,
            slot_before,
            &memory,
            &mut d,
            &mut reveals,
            &mut hinted,
            &all,
        );
    }
    // A reply that opens a new phase does not also ask about the old one.
    if d.transition.is_some() {
        d.unsure = false;
        d.thin = false;
        d.test_hypothesis = false;
        d.check_in = false;
    }
    if memory.closed {
        d.closing = Closing::Already;
    } else if understanding.as_ref().is_some_and(|u| u.has(Act::Done))
        && slot.last
        && d.before_moving_on.is_empty()
    {
        d.closing = Closing::Close;
    } else if d.overtime && slot.last {
        // At time, one quick last question about what the candidate skipped in this phase, if it
        // was never asked; then the close.
        let mut last_call = unasked_here(entry, s, &all, &memory, slot);
        if !last_call.is_empty() {
            last_call.extend(skipped_earlier(entry, &all, &memory, slot));
        }
        if last_call.is_empty() || !d.before_moving_on.is_empty() {
            d.closing = Closing::AtTime;
        } else {
            d.before_moving_on = last_call;
            d.wrapping_up = true;
            d.challenge = None;
        }
    }
    // What the candidate skipped in an earlier phase is asked about a few at a time, when their
    // latest turn gives nothing better to respond to (a thin, unsure or silent turn); a real
    // answer or code gets its follow-up first, and the gate at the end of the phase asks the rest.
    let substantive = understanding
        .as_ref()
        .is_some_and(|u| u.prose_words >= 40 || !u.code.is_empty());
    if d.challenge.is_none()
        && d.before_moving_on.is_empty()
        && d.which_one.is_empty()
        && !d.nudge_to_clarify
        && d.hint.is_none()
        && d.closing == Closing::No
        && d.transition.is_none()
        && slot.mode != PhaseMode::Qa
        && !substantive
    {
        d.skipped_earlier = skipped_earlier(entry, &all, &memory, slot);
        d.skipped_earlier.truncate(SKIPPED_PER_QUESTION);
        if !d.skipped_earlier.is_empty() {
            d.thin = false;
            d.unsure = false;
        }
    }
    // A hypothesis with nothing else said gets its test asked for before anything new.
    let only_a_hypothesis = understanding.as_ref().is_some_and(|u| {
        u.acts()
            .all(|a| matches!(a, Act::Hypothesis | Act::SmallTalk | Act::Unsure))
    });
    let question_taken = (d.test_hypothesis && only_a_hypothesis)
        || d.already_in.is_some()
        || !d.skipped_earlier.is_empty()
        || d.challenge.is_some()
        || !d.before_moving_on.is_empty()
        || !d.which_one.is_empty()
        || d.nudge_to_clarify
        || d.hint.is_some()
        || d.closing != Closing::No;
    let intro_asks = d.transition.as_ref().is_some_and(|t| asks(&t.intro));
    // The latest diagram: summarised for a model, and asked about when it has just been sent (or
    // when nothing else is left to ask).
    let reading = diagram_probe::read(entry, s.lexicon, s.turns);
    d.diagram = reading.as_ref().map(|r| r.summary.clone());
    let drew_now =
        matches!(request, Request::Answer(t) if !crate::diagram::mermaid_blocks(t).is_empty());
    let mut diagram_next = reading
        .as_ref()
        .and_then(|r| diagram_probe::next(entry, s.lexicon, s.coverage, s.turns, r, slot.mode));
    if !question_taken && (d.transition.is_none() || !intro_asks) && drew_now {
        d.follow_up = diagram_next.take();
    }
    if !question_taken && (d.transition.is_none() || !intro_asks) && d.follow_up.is_none() {
        let next = next_question(&super::follow_ups::Context {
            entry,
            lexicon: s.lexicon,
            level: s.level,
            kind,
            slot,
            items: &all,
            memory: &memory,
            coverage: s.coverage,
            revealed: s.revealed,
            turns: s.turns,
            understanding: understanding.as_ref(),
            phase_ms_left: phases::time_left_ms(&entry.plan, state, s.now),
            answered_now: !d.answers.is_empty(),
            transitioned: d.transition.is_some(),
        });
        match next {
            Next::FollowUp(f) => d.follow_up = Some(f),
            Next::Wrap => match diagram_next.take() {
                Some(f) => d.follow_up = Some(f),
                None => d.phase_wrap = true,
            },
            Next::WriteCode => d.write_code = true,
            Next::AskMore => d.ask_more = true,
            Next::EnoughToStart => d.enough_to_start = true,
            Next::TestHypothesis => d.test_hypothesis = true,
            Next::Invite => d.closing = Closing::Invite,
            Next::Close => d.closing = Closing::Close,
            Next::Nothing => d.follow_up = diagram_next.take(),
        }
    }
    if understanding.is_some() && d.test_hypothesis && d.follow_up.is_some() {
        d.test_hypothesis = false;
    }
    d.words = words(&d, &mut voice, slot.mode, d.transition.is_some());
    Ok(Plan {
        transition,
        reveals,
        directive: d,
        hint: hinted,
    })
}

/// Everything in the reply that responds to what the candidate said.
#[allow(clippy::too_many_arguments)]
fn respond(
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
    let times_answered = |answer: &str| {
        s.turns
            .iter()
            .filter(|t| t.by_interviewer && t.text.contains(answer))
            .count()
    };
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
    let praise_turns = s
        .turns
        .iter()
        .filter(|t| t.by_interviewer && q.facts.iter().any(|f| t.text.contains(f.answer.as_str())))
        .count();
    d.praise = !d.answers.is_empty()
        && u.clauses.iter().any(|c| c.act == Act::Ask && c.question)
        && praise_turns % 3 == 0;
}

/// Whether a candidate turn is design rather than questions: several concepts named, or a long
/// stretch of statements.
fn designs(s: &Session<'_>, u: &Understanding) -> bool {
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
fn is_decision(quote: &str) -> bool {
    let w = crate::analysis::text::words(quote);
    let head: Vec<&str> = w.iter().take(3).map(String::as_str).collect();
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

fn minutes(ms: i64) -> i64 {
    (ms.max(0) + 59_999) / 60_000
}

/// Components of this design phase not covered and never asked about, unless this phase's
/// "before we move on" was already asked.
fn unasked_here(
    entry: &QuestionEntry,
    s: &Session<'_>,
    all: &[Item],
    memory: &Memory,
    slot: PhaseSlot<'_>,
) -> Vec<String> {
    if slot.mode != PhaseMode::Design {
        return Vec::new();
    }
    let gated_before = s.turns.iter().any(|t| {
        t.by_interviewer && t.phase == slot.id && GATE_MARKERS.iter().any(|m| t.text.contains(m))
    });
    if gated_before {
        return Vec::new();
    }
    all.iter()
        .filter(|i| i.kind == ItemKind::Component && fits_phase(i, slot) && memory.open(i))
        .filter_map(|i| {
            entry
                .question
                .components
                .iter()
                .find(|c| c.id == i.group)
                .map(|c| c.name.to_lowercase())
        })
        .collect()
}

/// Components of the current design phase the candidate skipped and was never asked about: asked
/// once, together, before the phase ends. Applies when the candidate asks to move on from a design
/// phase, or says they are done in the last phase, and only once per phase.
fn gate(
    entry: &QuestionEntry,
    s: &Session<'_>,
    all: &[Item],
    memory: &Memory,
    u: &Understanding,
    slot: PhaseSlot<'_>,
) -> Vec<String> {
    let leaving = (u.has(Act::MoveOn) && !slot.last) || (u.has(Act::Done) && slot.last);
    if !leaving {
        return Vec::new();
    }
    let mut names = unasked_here(entry, s, all, memory, slot);
    if !names.is_empty() {
        names.extend(skipped_earlier(entry, all, memory, slot));
    }
    names
}

/// Whether a phase opening asks something: a question, or a request ("Walk me through...").
fn asks(intro: &str) -> bool {
    intro.contains('?')
        || crate::analysis::text::sentences(intro).iter().any(|s| {
            let w: Vec<&str> = s.words.iter().take(2).map(String::as_str).collect();
            matches!(
                w.as_slice(),
                ["tell", "me"]
                    | ["walk", "me"]
                    | ["talk", "me"]
                    | ["take", "me"]
                    | ["go", "ahead"]
                    | ["write", _]
                    | ["ask", "me"]
                    | ["give", "me"]
                    | ["show", "me"]
            ) || s.text.to_lowercase().contains("i'd like you to")
                || s.text.to_lowercase().contains("i want you to")
        })
}

/// The first deep-dive topic the candidate named when saying what they want to go deep on, in
/// their latest turns of this phase.
fn named_topic(s: &Session<'_>) -> Option<String> {
    let phase = &s.entry.plan.phases[s.state.index].id;
    let chose = s
        .turns
        .iter()
        .rev()
        .take_while(|t| t.phase == phase.as_str())
        .filter(|t| !t.by_interviewer)
        .take(3)
        .find(|t| {
            let lower = t.text.to_lowercase();
            [
                "deep dive",
                "go deep",
                "deep on",
                "go deeper",
                "focus on",
                "dig into",
            ]
            .iter()
            .any(|w| lower.contains(w))
        })?;
    let here = s.coverage.concepts_in_turn(chose.id);
    s.entry
        .question
        .deep_dives
        .iter()
        .find(|d| {
            d.concepts
                .iter()
                .filter_map(|c| s.lexicon.index(c))
                .any(|c| here.contains(&c))
        })
        .map(|d| d.name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::LazyLock;

    use super::*;
    use crate::analysis::coverage::CandidateText;
    use crate::content::{Catalog, ContentRoot};

    static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
    });

    /// Plans the reply to one candidate turn in the first phase of a fresh session.
    fn first_reply(question: &str, text: &str) -> Plan {
        let entry = CATALOG.question(question).unwrap();
        let mut coverage = Coverage::default();
        coverage.add_turn(
            &CATALOG.lexicon,
            &CandidateText {
                turn_id: 2,
                phase: &entry.plan.phases[0].id,
                content: text,
            },
        );
        let turns = [
            Spoken {
                id: 1,
                by_interviewer: true,
                phase: &entry.plan.phases[0].id,
                text: "Welcome.",
                hint: false,
            },
            Spoken {
                id: 2,
                by_interviewer: false,
                phase: &entry.plan.phases[0].id,
                text,
                hint: false,
            },
        ];
        plan(
            &Session {
                entry,
                lexicon: &CATALOG.lexicon,
                level: Level::Senior,
                state: PhaseState {
                    index: 0,
                    started_at: 0,
                },
                now: 60_000,
                turns: &turns,
                coverage: &coverage,
                revealed: &[],
            },
            Request::Answer(text),
        )
        .unwrap()
    }

    #[test]
    fn designing_before_asking_is_stopped_without_revealing_anything() {
        let p = first_reply(
            "rag-customer-support",
            "I'll put the documents in a vector database with embeddings, use an LLM to generate answers and cache them in Redis.",
        );
        assert!(p.directive.nudge_to_clarify, "{:?}", p.directive);
        assert!(p.reveals.is_empty());
    }
}
