//! The one question a reply asks, when nothing the candidate said calls for another: in a phase for
//! asking, more questions or an offer to move on; in design, the next component not covered and not
//! asked; in a deep dive, the next probe of the topic the candidate is on (or the least covered), with
//! code read for what it names; in trade-offs, the edge cases no test covers, then the trade-offs,
//! failure and scaling questions; in Q&A and at the end of the last phase, the closing questions,
//! then an invitation to ask, then the close. Components skipped in an earlier phase come first.

use std::collections::BTreeSet;

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::{ConceptIdx, Lexicon};
use crate::content::{Level, PhaseMode, QuestionEntry};

use super::directive::{FollowUp, Lead};
use super::memory::{Item, ItemKind, Memory, PhaseSlot, Spoken, fits_phase};
use super::phrasebook::{Kind, Line, ever_said};
use super::understanding::Understanding;

/// What the planner knows when it picks the next question.
pub struct Context<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub level: Level,
    pub kind: Kind,
    pub slot: PhaseSlot<'a>,
    pub items: &'a [Item],
    pub memory: &'a Memory,
    pub coverage: &'a Coverage,
    pub revealed: &'a [String],
    pub turns: &'a [Spoken<'a>],
    pub understanding: Option<&'a Understanding>,
    pub phase_ms_left: i64,
    /// Facts were answered in this reply.
    pub answered_now: bool,
    /// This reply opens a new phase.
    pub transitioned: bool,
}

/// The next thing to ask.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    FollowUp(FollowUp),
    Wrap,
    WriteCode,
    AskMore,
    EnoughToStart,
    TestHypothesis,
    Invite,
    Close,
    Nothing,
}

/// Share of the important facts a candidate should have before being offered to move on.
const ENOUGH_FACTS: f64 = 0.7;

pub fn next_question(c: &Context<'_>) -> Next {
    let slot = c.slot;
    if slot.mode == PhaseMode::Clarify {
        return clarify(c);
    }
    let own = match slot.mode {
        PhaseMode::Clarify => Next::Nothing,
        PhaseMode::Design => design(c),
        PhaseMode::DeepDive => deep_dive(c),
        PhaseMode::Tradeoffs => tradeoffs(c),
        PhaseMode::Qa => return closing(c),
    };
    // At the end of the last phase, or with nothing left to ask in it, the interview closes.
    let near_end = slot.last && c.phase_ms_left <= 60_000;
    match own {
        Next::Wrap | Next::Nothing if slot.last => closing(c),
        _ if near_end => closing(c),
        other => other,
    }
}

fn clarify(c: &Context<'_>) -> Next {
    let q = &c.entry.question;
    let important: Vec<_> = q.facts.iter().filter(|f| f.important).collect();
    let known = important
        .iter()
        .filter(|f| c.revealed.contains(&f.id))
        .count();
    let enough = !important.is_empty() && known as f64 >= important.len() as f64 * ENOUGH_FACTS;
    if enough && !ever_said(Line::EnoughToStart, c.kind, c.slot.mode, c.memory) {
        return Next::EnoughToStart;
    }
    if c.answered_now || c.transitioned {
        return Next::Nothing;
    }
    Next::AskMore
}

/// Components of earlier design phases the candidate never covered and was never asked about
/// (they pressed "next phase", or time ran out): asked about together, once.
pub fn skipped_earlier(
    entry: &QuestionEntry,
    items: &[Item],
    memory: &Memory,
    slot: PhaseSlot<'_>,
) -> Vec<String> {
    let plan = &entry.plan;
    let Some(here) = plan.phases.iter().position(|p| p.id == slot.id) else {
        return Vec::new();
    };
    let earlier: Vec<PhaseSlot<'_>> = (0..here).map(|i| PhaseSlot::of(plan, i)).collect();
    items
        .iter()
        .filter(|i| i.kind == ItemKind::Component && memory.open(i))
        .filter(|i| earlier.iter().any(|s| fits_phase(i, *s)))
        .filter_map(|i| i.name.clone())
        .collect()
}

/// Concepts the candidate's turn names.
fn said_now(c: &Context<'_>) -> BTreeSet<ConceptIdx> {
    c.turns
        .last()
        .filter(|t| !t.by_interviewer)
        .map(|t| c.memory.concepts(t.id))
        .unwrap_or_default()
}

fn open_in_phase<'a>(c: &'a Context<'_>, kind: ItemKind) -> impl Iterator<Item = &'a Item> {
    c.items
        .iter()
        .filter(move |i| i.kind == kind && fits_phase(i, c.slot) && c.memory.open(i))
}

fn design(c: &Context<'_>) -> Next {
    let now = said_now(c);
    match open_in_phase(c, ItemKind::Component).next() {
        Some(i) => {
            // Acknowledge a component the candidate just named, then ask about the next one.
            let relevant: BTreeSet<ConceptIdx> = c
                .items
                .iter()
                .filter(|x| x.kind == ItemKind::Component)
                .flat_map(|x| x.concepts.iter().copied())
                .collect();
            // A short name reads as an acknowledgement; "Pricing levers (batch, spot,
            // commitments)" does not.
            // Only a name the candidate actually used ("OK, caching."), and never in debugging,
            // where "noted" would read as agreeing with a cause.
            let said = c
                .turns
                .last()
                .filter(|t| !t.by_interviewer)
                .map(|t| t.text.to_lowercase())
                .unwrap_or_default();
            let named = now
                .iter()
                .find(|n| relevant.contains(n))
                .map(|n| c.lexicon.get(*n).name.to_lowercase())
                .filter(|n| c.kind != Kind::Debugging && said.contains(n.as_str()))
                .filter(|n| {
                    n.split_whitespace().count() <= 3
                        && n.chars()
                            .all(|ch| ch.is_alphanumeric() || ch == ' ' || ch == '-')
                });
            Next::FollowUp(FollowUp {
                item: i.id.clone(),
                question: i.text.clone(),
                lead: named.map(Lead::Noted),
            })
        }
        None if c.kind == Kind::Debugging
            && c.understanding
                .is_some_and(|u| u.has(super::understanding::Act::Hypothesis)) =>
        {
            Next::TestHypothesis
        }
        None => wrap_once(c),
    }
}

fn wrap_once(c: &Context<'_>) -> Next {
    if ever_said(Line::PhaseWrap, c.kind, c.slot.mode, c.memory) {
        Next::Nothing
    } else {
        Next::Wrap
    }
}

fn code_so_far(c: &Context<'_>) -> bool {
    c.turns.iter().any(|t| {
        !t.by_interviewer
            && t.phase == c.slot.id
            && (t.text.contains("```") || t.text.contains("def ") || t.text.contains("class "))
    })
}

fn deep_dive(c: &Context<'_>) -> Next {
    let q = &c.entry.question;
    let u = c.understanding;
    if c.kind == Kind::Coding && !code_so_far(c) {
        let asked_for_code = ever_said(Line::WriteCode, c.kind, c.slot.mode, c.memory);
        if !asked_for_code {
            return Next::WriteCode;
        }
    }
    let now = said_now(c);
    // A junior candidate gets the first two probes of a topic; senior and staff all of them.
    let depth = if c.level == Level::Junior {
        2
    } else {
        usize::MAX
    };
    let topics: Vec<_> = q
        .deep_dives
        .iter()
        .filter(|d| d.phase.as_ref().is_none_or(|p| *p == c.slot.id))
        .collect();
    let open_probe = |id: &str| -> Option<&Item> {
        c.items
            .iter()
            .filter(|i| i.kind == ItemKind::Probe && i.group == id)
            .take(depth)
            .find(|i| c.memory.open(i))
    };
    let touches = |concepts: &[String]| {
        concepts
            .iter()
            .filter_map(|x| c.lexicon.index(x))
            .find(|x| now.contains(x))
    };
    // Stay with the topic the candidate just spoke about; otherwise the least covered one.
    let current = topics.iter().find_map(|t| {
        touches(&t.concepts)
            .and_then(|_| open_probe(&t.id).map(|i| (i, Some(t.name.to_lowercase()))))
    });
    let mut ordered = topics.clone();
    ordered.sort_by_key(|t| c.coverage.mentions_of_any(c.lexicon, &t.concepts).len());
    let next = current.or_else(|| {
        ordered
            .iter()
            .find_map(|t| open_probe(&t.id).map(|i| (i, None)))
    });
    let Some((item, topic)) = next else {
        return wrap_once(c);
    };
    let code_def = u
        .filter(|_| c.kind == Kind::Coding)
        .and_then(|u| u.code.iter().flat_map(|b| b.definitions()).next());
    let lead = match (code_def, topic) {
        (Some(def), _) => Some(Lead::Looking(def)),
        (None, Some(_)) if c.transitioned => None,
        (None, Some(n)) => Some(Lead::Mentioned(n)),
        _ => None,
    };
    Next::FollowUp(FollowUp {
        item: item.id.clone(),
        question: item.text.clone(),
        lead,
    })
}

fn tradeoffs(c: &Context<'_>) -> Next {
    let q = &c.entry.question;
    let wrote_tests = c.turns.iter().any(|t| {
        !t.by_interviewer && {
            let lower = t.text.to_lowercase();
            lower.contains("def test") || lower.contains("assert")
        }
    });
    if let Some(i) = open_in_phase(c, ItemKind::EdgeCase).next() {
        let name = q
            .edge_cases
            .iter()
            .find(|e| e.id == i.group)
            .map(|e| e.name.to_lowercase())
            .unwrap_or_default();
        return Next::FollowUp(FollowUp {
            item: i.id.clone(),
            question: i.text.clone(),
            lead: wrote_tests.then_some(Lead::Untested(name)),
        });
    }
    let mut trade: Vec<&Item> = open_in_phase(c, ItemKind::Tradeoff).collect();
    // The trade-offs the candidate has said least about come first.
    trade.sort_by_key(|i| i.concepts.iter().filter(|x| c.coverage.covers(**x)).count());
    let failure = open_in_phase(c, ItemKind::Failure);
    let scaling = open_in_phase(c, ItemKind::Scaling);
    // Staff candidates are pushed on scale before failures; juniors are not asked the 10x questions.
    let then: Vec<&Item> = match c.level {
        Level::Junior => failure.collect(),
        Level::Senior => failure.chain(scaling).collect(),
        Level::Staff => scaling.chain(failure).collect(),
    };
    match trade.into_iter().chain(then).next() {
        Some(i) => Next::FollowUp(FollowUp {
            item: i.id.clone(),
            question: i.text.clone(),
            lead: None,
        }),
        None => wrap_once(c),
    }
}

/// The end of the interview: the closing questions while there is time, then an invitation to ask,
/// then the close.
fn closing(c: &Context<'_>) -> Next {
    let time = c.phase_ms_left > 60_000;
    let asked_closing = c
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Closing && c.memory.asked.contains(&i.id))
        .count();
    if time && asked_closing < 2 {
        let open = c.items.iter().find(|i| {
            i.kind == ItemKind::Closing
                && c.memory.open(i)
                && !i.concepts.iter().any(|x| c.coverage.covers(*x))
        });
        if let Some(i) = open {
            return Next::FollowUp(FollowUp {
                item: i.id.clone(),
                question: i.text.clone(),
                lead: None,
            });
        }
    }
    if !ever_said(Line::Invite, c.kind, c.slot.mode, c.memory)
        && !ever_said(Line::InviteMore, c.kind, c.slot.mode, c.memory)
    {
        return Next::Invite;
    }
    // Invited already: a question gets its answer and the interview closes.
    Next::Close
}
