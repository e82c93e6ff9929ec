//! The turn planner: one pure function from the session so far and what the candidate just did
//! (answered, pressed "next phase", asked for a hint) to what happens: the phase change, the facts
//! revealed, and the directive with the offline interviewer's words. The turn use-case wraps it in
//! storage and streaming; the simulated candidates call it directly, so what they check is what runs.
//!
//! Order of business, as a senior interviewer would: understand the turn; answer exactly what was
//! asked; respond to what was said (challenge what does not add up); then ask one question, the next
//! thing the candidate has not covered and was not asked, or close.

mod ask;
mod respond;
#[cfg(test)]
mod tests;

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::Lexicon;
use crate::clock::Millis;
use crate::content::{Level, PhaseMode, QuestionEntry};

use super::diagram_probe;
use super::directive::{Closing, Directive, TransitionNote};
use super::fact_matching::reading_context;
use super::follow_ups::{Next, next_question, skipped_earlier};
use super::hints::{HintContext, MAX_HINTS_PER_PHASE, hint};
use super::memory::{Memory, PhaseSlot, Repertoire, Spoken};
use super::offline_interviewer::words;
use super::phases::{self, PhaseState, Transition, Trigger};
use super::phrasebook::{Kind, Voice};
use super::understanding::{Act, understand};

use ask::{asks, gate, named_topic, unasked_here};
use respond::respond;

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
    /// What can be asked of this question (`Repertoire::new`, kept per question).
    pub repertoire: &'a Repertoire,
    /// What the interviewer remembers of `turns`, this turn's included (`Memory::recall`, or kept
    /// beside the transcript and caught up).
    pub memory: &'a Memory,
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
    /// How the offline interviewer would say the directive (`words_of`).
    pub speech: Speech,
}

/// What the offline interviewer's words for a planned directive depend on, besides the directive and
/// the memory the plan read: kept so the words can be chosen later, and only when they are said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Speech {
    kind: Kind,
    mode: PhaseMode,
    /// Interviewer turns so far, to rotate phrasings by.
    turn_count: usize,
}

/// The offline interviewer's words for a planned directive; `memory` is the one the plan read.
pub fn words_of(d: &Directive, speech: Speech, memory: &Memory) -> String {
    let mut voice = Voice::new(speech.kind, speech.mode, memory, speech.turn_count);
    words(d, &mut voice, speech.mode, d.transition.is_some())
}

/// Why a request cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    LastPhase,
    HintLimit,
}

/// Plans the interviewer's reply, with the offline interviewer's words.
pub fn plan(s: &Session<'_>, request: Request<'_>) -> Result<Plan, Refusal> {
    let mut planned = plan_unspoken(s, request)?;
    planned.directive.words = words_of(&planned.directive, planned.speech, s.memory);
    Ok(planned)
}

/// Plans the interviewer's reply without choosing the offline interviewer's words (`words_of`): a
/// model plays the interviewer, and the words serve only if it cannot be reached, so they are not
/// chosen before the model is called.
pub fn plan_unspoken(s: &Session<'_>, request: Request<'_>) -> Result<Plan, Refusal> {
    let entry = s.entry;
    let kind = Kind::of(&entry.question.kind);
    let all = &s.repertoire.items;
    let memory = s.memory;
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
                    items: all,
                    memory,
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
            let mut gate = gate(entry, s, all, memory, &u, slot_before);
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
    let speech = Speech {
        kind,
        mode: slot.mode,
        turn_count: s.turns.iter().filter(|t| t.by_interviewer).count(),
    };
    if let Some(u) = &understanding {
        respond(
            s,
            u,
            slot_before,
            memory,
            &mut d,
            &mut reveals,
            &mut hinted,
            all,
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
        let mut last_call = unasked_here(entry, s, all, memory, slot);
        if !last_call.is_empty() {
            last_call.extend(skipped_earlier(entry, all, memory, slot));
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
        d.skipped_earlier = skipped_earlier(entry, all, memory, slot);
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
    let reading = diagram_probe::read(entry, s.lexicon, s.turns, memory);
    d.diagram = reading.as_ref().map(|r| r.summary.clone());
    let drew_now =
        matches!(request, Request::Answer(t) if !crate::diagram::mermaid_blocks(t).is_empty());
    let mut diagram_next = reading
        .as_ref()
        .and_then(|r| diagram_probe::next(entry, s.lexicon, s.coverage, s.turns, r, slot.mode));
    if !question_taken && (d.transition.is_none() || !intro_asks) && drew_now {
        d.follow_up = diagram_next.take();
    }
    // A diagram with a line of text is an answer, not a thin one.
    if drew_now && d.follow_up.is_some() {
        d.thin = false;
    }
    if !question_taken && (d.transition.is_none() || !intro_asks) && d.follow_up.is_none() {
        let next = next_question(&super::follow_ups::Context {
            entry,
            lexicon: s.lexicon,
            level: s.level,
            kind,
            slot,
            items: all,
            memory,
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
    Ok(Plan {
        transition,
        reveals,
        directive: d,
        hint: hinted,
        speech,
    })
}
