//! Drives one whole interview through the turn planner exactly as the turn use-case does (coverage
//! grows by each turn, the planner decides, reveals and phase changes are applied), with the
//! transcript in memory and a simulated clock that advances by each turn's thinking time.

use crate::analysis::coverage::{CandidateText, Coverage};
use crate::analysis::lexicon::Lexicon;
use crate::clock::Millis;
use crate::content::{Level, QuestionEntry};

use super::super::directive::Directive;
use super::super::memory::{Memory, Repertoire, Spoken};
use super::super::offline_interviewer::opening;
use super::super::phases::PhaseState;
use super::super::turn_plan::{self, Refusal, Request, Session};

/// What the candidate does in a turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Say(String),
    Advance,
    Hint,
}

/// A candidate turn with what its author meant by it: the ground truth the checks hold the
/// interviewer to.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateTurn {
    pub action: Action,
    /// Facts the turn asks for, by id.
    pub asks: Vec<String>,
    /// Interviewer questions (item ids) the turn answers.
    pub answers: Vec<String>,
    /// Components the turn covers, by id.
    pub covers: Vec<String>,
    /// Minutes the candidate spends on it (thinking and typing).
    pub minutes: f64,
}

impl CandidateTurn {
    pub fn say(text: impl Into<String>, minutes: f64) -> CandidateTurn {
        CandidateTurn {
            action: Action::Say(text.into()),
            asks: Vec::new(),
            answers: Vec::new(),
            covers: Vec::new(),
            minutes,
        }
    }

    pub fn advance() -> CandidateTurn {
        CandidateTurn {
            action: Action::Advance,
            asks: Vec::new(),
            answers: Vec::new(),
            covers: Vec::new(),
            minutes: 0.2,
        }
    }

    pub fn hint() -> CandidateTurn {
        CandidateTurn {
            action: Action::Hint,
            ..CandidateTurn::advance()
        }
    }
}

/// One turn of a simulated transcript.
#[derive(Debug, Clone)]
pub struct SimTurn {
    pub id: i64,
    pub by_interviewer: bool,
    pub phase: String,
    pub text: String,
    pub hint: bool,
    /// For a candidate turn, what it meant.
    pub intent: Option<CandidateTurn>,
    /// For an interviewer turn, what the planner decided.
    pub directive: Option<Directive>,
    /// Facts the planner revealed with this turn (on the candidate turn that asked).
    pub reveals: Vec<String>,
}

/// The transcript as the planner reads it: an advance or a hint leaves no candidate turn in the
/// real transcript.
pub fn spoken(turns: &[SimTurn]) -> Vec<Spoken<'_>> {
    turns
        .iter()
        .filter(|t| t.id != 0)
        .map(|t| Spoken {
            id: t.id,
            by_interviewer: t.by_interviewer,
            phase: &t.phase,
            text: &t.text,
            hint: t.hint,
        })
        .collect()
}

/// An interview in progress.
pub struct Sim<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub level: Level,
    pub now: Millis,
    pub state: PhaseState,
    pub turns: Vec<SimTurn>,
    pub coverage: Coverage,
    pub revealed: Vec<String>,
    /// Requests the planner refused (a hint past the limit, an advance from the last phase).
    pub refusals: Vec<Refusal>,
    /// What can be asked of the question, made once as the service does.
    pub repertoire: Repertoire,
    /// The interviewer's memory, caught up before each plan as the service does.
    pub memory: Memory,
    next_id: i64,
}

impl<'a> Sim<'a> {
    pub fn new(entry: &'a QuestionEntry, lexicon: &'a Lexicon, level: Level) -> Sim<'a> {
        let first = entry.plan.phases[0].id.clone();
        Sim {
            entry,
            lexicon,
            level,
            now: 0,
            state: PhaseState {
                index: 0,
                started_at: 0,
            },
            turns: vec![SimTurn {
                id: 1,
                by_interviewer: true,
                phase: first,
                text: opening(&entry.question, &entry.plan, level),
                hint: false,
                intent: None,
                directive: None,
                reveals: Vec::new(),
            }],
            coverage: Coverage::default(),
            revealed: Vec::new(),
            refusals: Vec::new(),
            repertoire: Repertoire::new(entry, lexicon),
            memory: Memory::default(),
            next_id: 2,
        }
    }

    pub fn phase_id(&self) -> &str {
        &self.entry.plan.phases[self.state.index].id
    }

    /// The last interviewer turn.
    pub fn last_reply(&self) -> Option<&SimTurn> {
        self.turns.iter().rev().find(|t| t.by_interviewer)
    }

    /// Plays one candidate turn and the interviewer's reply.
    pub fn play(&mut self, turn: CandidateTurn) {
        self.now += (turn.minutes * 60_000.0) as Millis;
        let phase = self.phase_id().to_string();
        let request_text = match &turn.action {
            Action::Say(text) => {
                let id = self.next_id;
                self.next_id += 1;
                self.coverage.add_turn(
                    self.lexicon,
                    &CandidateText {
                        turn_id: id,
                        phase: &phase,
                        content: text,
                    },
                );
                self.turns.push(SimTurn {
                    id,
                    by_interviewer: false,
                    phase: phase.clone(),
                    text: text.clone(),
                    hint: false,
                    intent: Some(turn.clone()),
                    directive: None,
                    reveals: Vec::new(),
                });
                Some(text.clone())
            }
            Action::Advance | Action::Hint => {
                // The real transcript keeps no candidate turn for these; the simulation keeps the
                // intent (id 0, never shown to the planner) so the checks can see what was asked.
                self.turns.push(SimTurn {
                    id: 0,
                    by_interviewer: false,
                    phase: phase.clone(),
                    text: String::new(),
                    hint: false,
                    intent: Some(turn.clone()),
                    directive: None,
                    reveals: Vec::new(),
                });
                None
            }
        };
        let planned = {
            let spoken = spoken(&self.turns);
            let request = match (&turn.action, &request_text) {
                (Action::Say(_), Some(text)) => Request::Answer(text),
                (Action::Hint, _) => Request::Hint,
                _ => Request::Advance,
            };
            self.memory
                .catch_up(&self.repertoire, &spoken, self.lexicon);
            turn_plan::plan(
                &Session {
                    entry: self.entry,
                    lexicon: self.lexicon,
                    level: self.level,
                    state: self.state,
                    now: self.now,
                    turns: &spoken,
                    coverage: &self.coverage,
                    revealed: &self.revealed,
                    repertoire: &self.repertoire,
                    memory: &self.memory,
                },
                request,
            )
        };
        let planned = match planned {
            Ok(p) => p,
            Err(r) => {
                self.refusals.push(r);
                return;
            }
        };
        if let Some(last) = self.turns.last_mut() {
            last.reveals = planned.reveals.iter().map(|(id, _)| id.clone()).collect();
        }
        self.revealed
            .extend(planned.reveals.iter().map(|(id, _)| id.clone()));
        if let Some(t) = planned.transition {
            self.state = PhaseState {
                index: t.to,
                started_at: self.now,
            };
        }
        let id = self.next_id;
        self.next_id += 1;
        let phase = self.phase_id().to_string();
        self.turns.push(SimTurn {
            id,
            by_interviewer: true,
            phase,
            text: planned.directive.words.clone(),
            hint: planned.hint,
            intent: None,
            directive: Some(planned.directive),
            reveals: Vec::new(),
        });
    }

    /// Whether the interviewer has closed the interview.
    pub fn closed(&self) -> bool {
        self.last_reply()
            .and_then(|t| t.directive.as_ref())
            .is_some_and(|d| d.closing.closes())
    }
}
