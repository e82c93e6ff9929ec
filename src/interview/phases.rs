//! The phase machine: a pure function of the plan, the current phase, the clock and the candidate's
//! wishes. All I/O sits around it.

use crate::analysis::text::{PhraseSet, words};
use crate::clock::Millis;
use crate::content::PhasePlan;
use crate::domain::PhaseTrigger;

/// Where an interview is in its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseState {
    pub index: usize,
    pub started_at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The candidate asked to move on (`/advance` or in plain words).
    Requested,
    /// The phase's time budget ran out; the interviewer says so at the next turn.
    TimeUp,
}

impl From<Trigger> for PhaseTrigger {
    fn from(t: Trigger) -> PhaseTrigger {
        match t {
            Trigger::Requested => PhaseTrigger::Requested,
            Trigger::TimeUp => PhaseTrigger::TimeUp,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: usize,
    pub to: usize,
    pub trigger: Trigger,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoNextPhase;

/// Milliseconds left in the current phase (negative once over budget).
pub fn time_left_ms(plan: &PhasePlan, state: PhaseState, now: Millis) -> i64 {
    let budget = plan
        .phases
        .get(state.index)
        .map(|p| i64::from(p.minutes) * 60_000)
        .unwrap_or(0);
    state.started_at + budget - now
}

/// Milliseconds left in the whole interview: what is left of this phase (never below zero) plus the
/// budgets of the phases after it.
pub fn interview_time_left_ms(plan: &PhasePlan, state: PhaseState, now: Millis) -> i64 {
    let later: i64 = plan
        .phases
        .iter()
        .skip(state.index + 1)
        .map(|p| i64::from(p.minutes) * 60_000)
        .sum();
    time_left_ms(plan, state, now).max(0) + later
}

fn next(plan: &PhasePlan, state: PhaseState) -> Option<usize> {
    (state.index + 1 < plan.phases.len()).then_some(state.index + 1)
}

/// What a candidate turn does to the phase: move on when asked to, or when time is up.
pub fn on_candidate_turn(
    plan: &PhasePlan,
    state: PhaseState,
    now: Millis,
    wants_to_move_on: bool,
) -> Option<Transition> {
    let to = next(plan, state)?;
    let trigger = if wants_to_move_on {
        Trigger::Requested
    } else if time_left_ms(plan, state, now) <= 0 {
        Trigger::TimeUp
    } else {
        return None;
    };
    Some(Transition {
        from: state.index,
        to,
        trigger,
    })
}

/// An explicit `/advance`.
pub fn on_advance(plan: &PhasePlan, state: PhaseState) -> Result<Transition, NoNextPhase> {
    let to = next(plan, state).ok_or(NoNextPhase)?;
    Ok(Transition {
        from: state.index,
        to,
        trigger: Trigger::Requested,
    })
}

/// Whether the last phase's time is spent: the interview is over and should be finished.
pub fn is_overtime(plan: &PhasePlan, state: PhaseState, now: Millis) -> bool {
    next(plan, state).is_none() && time_left_ms(plan, state, now) <= 0
}

/// Whether a candidate's text asks, in plain words, to move to the next phase.
pub fn asks_to_move_on(text: &str) -> bool {
    if text.trim() == "/advance" {
        return true;
    }
    static PHRASES: std::sync::LazyLock<PhraseSet> = std::sync::LazyLock::new(|| {
        PhraseSet::compile(&[
            "move on",
            "moving on",
            "next phase",
            "next section",
            "next stage",
            "ready to proceed",
            "let s proceed",
            "proceed to the",
            "go to the next",
            "ready for the next",
        ])
    });
    PHRASES.found_in(&words(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{PhaseMode, PhaseSpec};

    fn plan() -> PhasePlan {
        let phase = |id: &str, minutes| PhaseSpec {
            id: id.into(),
            name: id.into(),
            minutes,
            mode: PhaseMode::Design,
            goals: vec!["g".into()],
            intro: "i".into(),
        };
        PhasePlan {
            kind: "system_design".into(),
            name: "x".into(),
            rubric: "system_design".into(),
            phases: vec![
                phase("clarification", 7),
                phase("high_level_design", 12),
                phase("qa", 5),
            ],
            closing_questions: Vec::new(),
        }
    }

    #[test]
    fn a_turn_inside_the_budget_keeps_the_phase() {
        let s = PhaseState {
            index: 0,
            started_at: 0,
        };
        assert_eq!(on_candidate_turn(&plan(), s, 6 * 60_000, false), None);
        assert_eq!(time_left_ms(&plan(), s, 6 * 60_000), 60_000);
    }

    #[test]
    fn the_whole_interview_counts_this_phase_and_the_later_ones() {
        let s = PhaseState {
            index: 1,
            started_at: 0,
        };
        assert_eq!(
            interview_time_left_ms(&plan(), s, 2 * 60_000),
            (10 + 5) * 60_000
        );
        // An overrun phase counts as zero, not negative.
        assert_eq!(interview_time_left_ms(&plan(), s, 20 * 60_000), 5 * 60_000);
    }

    #[test]
    fn a_turn_after_the_budget_moves_on_because_time_is_up() {
        let s = PhaseState {
            index: 0,
            started_at: 0,
        };
        let t = on_candidate_turn(&plan(), s, 7 * 60_000, false).unwrap();
        assert_eq!((t.from, t.to, t.trigger), (0, 1, Trigger::TimeUp));
    }

    #[test]
    fn asking_to_move_on_wins_over_the_clock() {
        let s = PhaseState {
            index: 1,
            started_at: 0,
        };
        let t = on_candidate_turn(&plan(), s, 1000, true).unwrap();
        assert_eq!((t.to, t.trigger), (2, Trigger::Requested));
    }

    #[test]
    fn the_last_phase_never_advances_and_goes_overtime() {
        let s = PhaseState {
            index: 2,
            started_at: 0,
        };
        assert_eq!(on_candidate_turn(&plan(), s, 60 * 60_000, true), None);
        assert_eq!(on_advance(&plan(), s), Err(NoNextPhase));
        assert!(is_overtime(&plan(), s, 5 * 60_000));
        assert!(!is_overtime(&plan(), s, 4 * 60_000));
    }

    #[test]
    fn plain_words_ask_to_move_on() {
        assert!(asks_to_move_on("I think I have enough. Let's move on."));
        assert!(asks_to_move_on("/advance"));
        assert!(asks_to_move_on("Ready for the next phase"));
        assert!(!asks_to_move_on("We shard the index by tenant."));
    }
}
