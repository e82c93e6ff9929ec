//! The candidates who answer: the strong one, who asks and explains, and the terse one, who is right in few words.

use super::*;

/// Thorough, structured, asks before designing, answers what is asked.
#[derive(Default)]
pub struct Strong {
    asked: Vec<String>,
    asked_qa: bool,
}

impl Persona for Strong {
    fn name(&self) -> &'static str {
        "strong"
    }

    fn level(&self, offered: &[Level]) -> Level {
        *offered.last().unwrap_or(&Level::Senior)
    }

    fn next(&mut self, sim: &Sim<'_>, items: &[Item]) -> Option<CandidateTurn> {
        if sim.closed() {
            return None;
        }
        let s = seen(sim);
        if s.slot.last
            && (s.invited || s.in_phase >= 6 || s.slot.mode == PhaseMode::Qa && s.in_phase >= 2)
        {
            return Some(finish(sim, &mut self.asked_qa));
        }
        match s.slot.mode {
            PhaseMode::Clarify => {
                let per_turn = if sim.entry.question.kind == "behavioral" {
                    2
                } else {
                    3
                };
                ask_facts(sim, &mut self.asked, per_turn, 0)
                    .filter(|_| s.in_phase < 5)
                    .or_else(|| Some(CandidateTurn::say(MOVE_ON, 0.3)))
            }
            PhaseMode::Qa => {
                if s.in_phase == 0 {
                    self.asked_qa = true;
                    return Some(CandidateTurn::say(qa_question(sim), 0.8));
                }
                answer_last(sim, items, 1.5).or_else(|| Some(CandidateTurn::say(DONE, 0.3)))
            }
            mode => {
                if s.in_phase == 0 {
                    if s.coding && mode != PhaseMode::Design {
                        let tests = mode == PhaseMode::Tradeoffs;
                        // The code answers up front what the probes would ask (a stable key,
                        // an injected clock...), in the phrases that show it.
                        let answered: Vec<&Item> = items
                            .iter()
                            .filter(|i| {
                                matches!(i.kind, ItemKind::Probe | ItemKind::Tradeoff)
                                    && fits_phase(i, s.slot)
                            })
                            .filter(|i| !pre_answer(sim, i).is_empty())
                            .collect();
                        let notes: Vec<String> =
                            answered.iter().map(|i| pre_answer(sim, i)).collect();
                        let mut t = CandidateTurn::say(
                            format!(
                                "Here's the code, with the tricky parts handled.\n{}",
                                code_for(sim.entry, sim.lexicon, tests, &notes)
                            ),
                            4.0,
                        );
                        t.answers = answered.iter().map(|i| i.id.clone()).collect();
                        if tests {
                            t.answers.extend(
                                items
                                    .iter()
                                    .filter(|i| i.kind == ItemKind::EdgeCase)
                                    .map(|i| i.id.clone()),
                            );
                        }
                        return Some(t);
                    }
                    if mode == PhaseMode::Design {
                        return Some(cover_phase(sim, items, s.slot, 1.0));
                    }
                }
                if s.in_phase >= 6 {
                    return Some(CandidateTurn::say(MOVE_ON, 0.3));
                }
                answer_last(sim, items, 2.0).or_else(|| Some(CandidateTurn::say(MOVE_ON, 0.3)))
            }
        }
    }
}

/// Says as little as possible, presses the buttons, asks for hints.
#[derive(Default)]
pub struct Terse {
    asked: Vec<String>,
}

impl Persona for Terse {
    fn name(&self) -> &'static str {
        "terse"
    }

    fn level(&self, offered: &[Level]) -> Level {
        offered[0]
    }

    fn next(&mut self, sim: &Sim<'_>, items: &[Item]) -> Option<CandidateTurn> {
        if sim.closed() {
            return None;
        }
        let s = seen(sim);
        if s.slot.last && (s.invited || s.in_phase >= 3 || s.slot.mode == PhaseMode::Qa) {
            return Some(CandidateTurn::say("No questions. I'm done.", 0.2));
        }
        let t = match (s.slot.mode, s.in_phase) {
            (PhaseMode::Clarify, 0) => {
                let f = unasked(sim, &self.asked).into_iter().next()?;
                let mut t =
                    CandidateTurn::say(ask_fact(f, f.examples.len().saturating_sub(1)), 0.5);
                t.asks = vec![f.id.clone()];
                self.asked.push(f.id.clone());
                t
            }
            (PhaseMode::Clarify, _) => CandidateTurn::advance(),
            (_, 0) => {
                if s.coding && s.slot.mode == PhaseMode::DeepDive {
                    CandidateTurn::say("```python\ndef solve(x):\n    return x\n```", 1.0)
                } else {
                    let named: Vec<&Item> = items
                        .iter()
                        .filter(|i| i.kind == ItemKind::Component && fits_phase(i, s.slot))
                        .take(2)
                        .collect();
                    let phrases: Vec<String> = named
                        .iter()
                        .filter_map(|i| i.concepts.first())
                        .map(|c| phrase_for(sim.lexicon, &sim.lexicon.get(*c).id))
                        .collect();
                    let mut t = CandidateTurn::say(format!("{}.", phrases.join(", ")), 0.5);
                    t.covers = named.iter().map(|i| i.group.clone()).collect();
                    t
                }
            }
            (_, 1) => CandidateTurn::hint(),
            (_, 2) => {
                let d = sim.last_reply().and_then(|t| t.directive.as_ref());
                match d.and_then(|d| d.follow_up.as_ref()) {
                    Some(f) => {
                        let item = items.iter().find(|i| i.id == f.item)?;
                        let phrase = item
                            .concepts
                            .first()
                            .map(|c| phrase_for(sim.lexicon, &sim.lexicon.get(*c).id))
                            .unwrap_or_else(|| "a queue".to_string());
                        let mut t = CandidateTurn::say(format!("Use {phrase}."), 0.5);
                        if item.kind == ItemKind::Component {
                            t.covers = vec![item.group.clone()];
                        }
                        t
                    }
                    None => CandidateTurn::say("Not sure.", 0.3),
                }
            }
            _ => CandidateTurn::advance(),
        };
        Some(t)
    }
}
