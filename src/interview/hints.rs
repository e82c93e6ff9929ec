//! Hints: a nudge that names a direction (a topic not yet asked about, a component not yet covered,
//! an area not yet explored) without giving the answer. Names only, never a hidden figure, never the
//! reference outline. A few per phase; the endpoint refuses more.

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::Lexicon;
use crate::content::{PhaseMode, QuestionEntry};

use super::memory::{Item, ItemKind, Memory, PhaseSlot, fits_phase};
use super::phrasebook::Kind;

/// How many hints a candidate may have in one phase.
pub const MAX_HINTS_PER_PHASE: usize = 2;

/// Where the interview stands, as a hint needs it.
pub struct HintContext<'a> {
    pub entry: &'a QuestionEntry,
    pub lexicon: &'a Lexicon,
    pub kind: Kind,
    pub slot: PhaseSlot<'a>,
    pub items: &'a [Item],
    pub memory: &'a Memory,
    pub coverage: &'a Coverage,
    pub revealed: &'a [String],
}

/// The hint for where the interview stands, the `nth` of the phase (0-based), so a second hint
/// points somewhere else.
pub fn hint(c: &HintContext<'_>, nth: usize) -> String {
    let HintContext {
        entry,
        lexicon,
        kind,
        slot,
        items,
        memory,
        coverage,
        revealed,
    } = *c;
    let q = &entry.question;
    let unasked_fact = || {
        q.facts
            .iter()
            .filter(|f| !revealed.contains(&f.id))
            .filter(|f| f.important)
            .chain(q.facts.iter().filter(|f| !revealed.contains(&f.id)))
            .nth(nth)
            .map(|f| f.topic.to_lowercase())
    };
    let open_named = |kinds: &[ItemKind]| -> Vec<String> {
        items
            .iter()
            .filter(|i| kinds.contains(&i.kind) && fits_phase(i, slot) && memory.open(i))
            .filter_map(|i| name_of(entry, lexicon, i))
            .collect()
    };
    let pick = |names: Vec<String>| names.into_iter().nth(nth).or(None);
    let text = match slot.mode {
        PhaseMode::Clarify => unasked_fact().map(|t| match kind {
            Kind::Debugging => format!("You haven't looked at {t} yet."),
            Kind::Coding => format!("You haven't asked about {t} yet; it affects the code."),
            Kind::Behavioral => {
                "If you're unsure where to start, ask me what I'm looking for.".to_string()
            }
            _ => format!("You haven't asked about {t} yet; it could change your design."),
        }),
        PhaseMode::Design => pick(open_named(&[ItemKind::Component])).map(|n| match kind {
            Kind::Debugging => format!("Consider {n}: could it explain what you're seeing?"),
            Kind::Coding => format!("Think about {n} before you write the code."),
            Kind::Behavioral => format!("Don't leave {n} out of the story."),
            _ => format!("Think about {n}: where does it fit in your design?"),
        }),
        PhaseMode::DeepDive => {
            let fact = (kind == Kind::Debugging).then(unasked_fact).flatten();
            match fact {
                Some(t) => Some(format!(
                    "There's evidence you haven't asked for, such as {t}."
                )),
                None => {
                    let topics: Vec<String> = q
                        .deep_dives
                        .iter()
                        .filter(|d| !coverage.covers_any(lexicon, &d.concepts))
                        .map(|d| d.name.to_lowercase())
                        .collect();
                    pick(topics).map(|n| match kind {
                        Kind::Coding => format!("Look again at {n} in your code."),
                        Kind::Behavioral => format!("Tell me more about {n}."),
                        _ => format!("One area worth going deeper on: {n}."),
                    })
                }
            }
        }
        PhaseMode::Tradeoffs => {
            pick(open_named(&[ItemKind::EdgeCase, ItemKind::Tradeoff])).map(|n| match kind {
                Kind::Coding => format!("Think about {n}."),
                Kind::Debugging => format!("Weigh {n}: what does each option cost you?"),
                _ => format!("Think about the trade-off around {n}."),
            })
        }
        PhaseMode::Qa => None,
    };
    text.unwrap_or_else(|| match slot.mode {
        PhaseMode::Qa => "Ask me about the team, the role or what happens next.".to_string(),
        _ => {
            let goal = entry
                .plan
                .phases
                .iter()
                .find(|p| p.id == slot.id)
                .and_then(|p| p.goals.get(nth % p.goals.len().max(1)))
                .map(|g| g.trim_end_matches('.').to_lowercase())
                .unwrap_or_default();
            format!("Go back to what this part is about: {goal}.")
        }
    })
}

/// The short name of an item for a hint: a component's or edge case's name, a trade-off's concepts.
fn name_of(entry: &QuestionEntry, lexicon: &Lexicon, item: &Item) -> Option<String> {
    let q = &entry.question;
    match item.kind {
        ItemKind::Component => q
            .components
            .iter()
            .find(|c| c.id == item.group)
            .map(|c| c.name.to_lowercase()),
        ItemKind::EdgeCase => q
            .edge_cases
            .iter()
            .find(|e| e.id == item.group)
            .map(|e| e.name.to_lowercase()),
        ItemKind::Tradeoff => {
            let names: Vec<String> = item
                .concepts
                .iter()
                .map(|c| lexicon.get(*c).name.to_lowercase())
                .collect();
            (!names.is_empty()).then(|| names.join(" and "))
        }
        _ => None,
    }
}
