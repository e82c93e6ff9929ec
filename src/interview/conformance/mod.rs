//! Simulated candidates as regression tests: every persona (strong, terse, rambling, designs before
//! asking, asks everything at once, goes silent, tries to extract the answer key) interviewed on
//! every question of a catalog through the same turn planner the service runs, each interview held
//! to the checks in `checks.rs`. The test suite asserts the figures on the built-in bank;
//! `mock-interviewer content simulate [DIR]` runs the same on any content folder.

pub mod checks;
#[cfg(test)]
mod diagrams;
pub mod driver;
pub mod personas;
#[cfg(test)]
mod scenarios;
pub mod speech;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::content::{Catalog, QuestionEntry};

use super::memory::items;
use checks::{Tally, check};
use driver::Sim;
use personas::Persona;

/// The most turns one simulated interview may take before it counts as never closed.
const MAX_TURNS: usize = 400;

/// The figures over a set of simulated interviews.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub total: Tally,
    pub by_kind: BTreeMap<String, Tally>,
    pub by_persona: BTreeMap<String, Tally>,
}

/// Interviews one question with one persona.
pub fn interview(catalog: &Catalog, entry: &QuestionEntry, persona: &mut dyn Persona) -> Tally {
    let all = items(entry, &catalog.lexicon);
    let level = persona.level(&entry.question.levels);
    let mut sim = Sim::new(entry, &catalog.lexicon, level);
    let mut steps = 0;
    while !sim.closed() && steps < MAX_TURNS {
        let Some(turn) = persona.next(&sim, &all) else {
            break;
        };
        sim.play(turn);
        steps += 1;
    }
    let who = format!(
        "{} / {} ({})",
        entry.question.id,
        persona.name(),
        level.as_str()
    );
    check(
        entry,
        &catalog.lexicon,
        &all,
        &sim.turns,
        sim.refusals.len(),
        &who,
    )
}

/// Every persona on every question of a catalog (or only the given question ids).
pub fn simulate(catalog: &Catalog, only: Option<&[String]>) -> Report {
    let mut report = Report::default();
    for (id, entry) in &catalog.questions {
        if only.is_some_and(|o| !o.contains(id)) {
            continue;
        }
        for mut persona in personas::all() {
            let t = interview(catalog, entry, persona.as_mut());
            report
                .by_kind
                .entry(entry.question.kind.clone())
                .or_default()
                .add(&t);
            report
                .by_persona
                .entry(persona.name().to_string())
                .or_default()
                .add(&t);
            report.total.add(&t);
        }
    }
    report
}

impl Report {
    /// The figures as a table, then the first failures.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, name: &str, t: &Tally| {
            let _ = writeln!(
                out,
                "{name:<26} {:>4} {:>6} {:>6} {:>7.1}% {:>5} {:>7} {:>7} {:>9} {:>7} {:>6} {:>6}",
                t.interviews,
                t.turns,
                t.leaked,
                t.answered_pct(),
                t.wrong_facts,
                t.reasked,
                t.repeated_sentences,
                format!("{}/{}", t.skipped_probed, t.skipped_components),
                format!("{}/{}", t.closed, t.interviews),
                t.hints,
                t.challenges,
            );
        };
        let _ = writeln!(
            out,
            "{:<26} {:>4} {:>6} {:>6} {:>8} {:>5} {:>7} {:>7} {:>9} {:>7} {:>6} {:>6}",
            "",
            "int",
            "turns",
            "leaks",
            "answered",
            "wrong",
            "reasked",
            "repeats",
            "probed",
            "closed",
            "hints",
            "chall."
        );
        for (k, t) in &self.by_kind {
            row(&mut out, k, t);
        }
        for (p, t) in &self.by_persona {
            row(&mut out, p, t);
        }
        row(&mut out, "total", &self.total);
        let _ = writeln!(
            out,
            "facts asked {}, answered {}; manners {}; hints refused past the limit {}",
            self.total.facts_asked,
            self.total.facts_answered,
            self.total.manners,
            self.total.hints_refused
        );
        for f in self.total.failures.iter().take(40) {
            let _ = writeln!(out, "  {f}");
        }
        if self.total.failures.len() > 40 {
            let _ = writeln!(out, "  ... and {} more", self.total.failures.len() - 40);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content::ContentRoot;

    #[test]
    fn simulated_candidates_on_every_question_of_the_bank() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let report = simulate(&catalog, None);
        println!("{}", report.render());
        // Every failure, for whoever is fixing them: MOCK_SIM_FAILURES=/tmp/failures.txt.
        if let Ok(path) = std::env::var("MOCK_SIM_FAILURES") {
            std::fs::write(path, report.total.failures.join("\n")).unwrap();
        }
        let t = &report.total;
        assert_eq!(
            t.interviews,
            catalog.questions.len() * personas::all().len()
        );
        assert_eq!(t.leaked, 0, "hidden facts revealed without being asked");
        assert!(t.answered_pct() >= 95.0, "asked facts answered");
        assert_eq!(t.wrong_facts, 0, "facts answered with a wrong fact");
        assert_eq!(t.reasked, 0, "questions re-asked");
        assert_eq!(t.repeated_sentences, 0, "sentences said more than twice");
        assert_eq!(
            t.skipped_probed, t.skipped_components,
            "skipped components probed"
        );
        assert_eq!(t.closed, t.interviews, "interviews closed");
        assert_eq!(t.manners, 0, "manners");
        assert!(
            t.hints > 0 && t.hints_refused > 0,
            "hints given and limited"
        );
        assert!(t.challenges > 0, "weak claims challenged");
    }

    /// The memory the service keeps (caught up turn by turn, a provisional candidate turn
    /// renumbered once stored) is the memory a full read of the transcript gives.
    #[test]
    fn memory_caught_up_turn_by_turn_is_the_memory_of_the_whole_transcript() {
        use crate::interview::memory::{Memory, Repertoire};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let mut compared = 0;
        for question in [
            "rag-customer-support",
            "code-prompt-cache",
            "debug-latency-spikes",
        ] {
            let entry = catalog.question(question).unwrap();
            let rep = Repertoire::new(entry, &catalog.lexicon);
            for mut persona in personas::all() {
                let all = items(entry, &catalog.lexicon);
                let mut sim = Sim::new(
                    entry,
                    &catalog.lexicon,
                    persona.level(&entry.question.levels),
                );
                while !sim.closed() && sim.turns.len() < 2 * MAX_TURNS {
                    let Some(turn) = persona.next(&sim, &all) else {
                        break;
                    };
                    sim.play(turn);
                }
                let spoken = driver::spoken(&sim.turns);
                let whole = Memory::recall(&rep, &spoken, &catalog.lexicon);
                // As the service does: each candidate turn read first under a provisional id.
                let mut kept = Memory::default();
                for (n, t) in spoken.iter().enumerate() {
                    let mut provisional = spoken[..=n].to_vec();
                    if !t.by_interviewer {
                        provisional[n].id = 0;
                    }
                    kept.catch_up(&rep, &provisional, &catalog.lexicon);
                    kept.renumber(0, t.id);
                }
                assert_eq!(kept, whole, "{question} / {}", persona.name());
                assert!(!whole.asked.is_empty() && !whole.concepts_by_turn.is_empty());
                compared += 1;
            }
        }
        assert!(compared >= 3 * personas::all().len());
    }
}

/// Plays one question with one persona and returns the transcript as text, for reading.
pub fn transcript_of(catalog: &Catalog, question: &str, persona: &str) -> Option<String> {
    let entry = catalog.question(question)?;
    let mut p = personas::all().into_iter().find(|p| p.name() == persona)?;
    let all = items(entry, &catalog.lexicon);
    let level = p.level(&entry.question.levels);
    let mut sim = Sim::new(entry, &catalog.lexicon, level);
    let mut steps = 0;
    while !sim.closed() && steps < MAX_TURNS {
        let Some(turn) = p.next(&sim, &all) else {
            break;
        };
        sim.play(turn);
        steps += 1;
    }
    let mut out = String::new();
    for t in &sim.turns {
        let who = if t.by_interviewer {
            "INTERVIEWER"
        } else {
            "CANDIDATE"
        };
        let intent = t
            .intent
            .as_ref()
            .map(|i| {
                format!(" {:?}", i.action)
                    .chars()
                    .take(12)
                    .collect::<String>()
            })
            .unwrap_or_default();
        let _ = writeln!(out, "--- {who} [{}]{intent}\n{}\n", t.phase, t.text);
    }
    Some(out)
}

#[cfg(test)]
mod scratch {
    use std::path::Path;

    use super::*;
    use crate::content::ContentRoot;

    /// MOCK_SIM_SHOW=question/persona prints one simulated transcript.
    #[test]
    #[ignore]
    fn show_one_transcript() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let which = std::env::var("MOCK_SIM_SHOW").unwrap();
        let (q, p) = which.split_once('/').unwrap();
        println!("{}", transcript_of(&catalog, q, p).unwrap());
    }
}

#[cfg(test)]
mod script_scratch {
    use std::path::Path;

    use super::*;
    use crate::content::{ContentRoot, Level};
    use driver::CandidateTurn;

    /// MOCK_SCRIPT=file: first line the question id, then one candidate turn per paragraph
    /// ("/advance" and "/hint" press the buttons); prints the conversation.
    #[test]
    #[ignore]
    fn play_a_script() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let script = std::fs::read_to_string(std::env::var("MOCK_SCRIPT").unwrap()).unwrap();
        let mut parts = script.split("\n\n");
        let q = parts.next().unwrap().trim();
        let entry = catalog.question(q).unwrap();
        let mut sim = Sim::new(entry, &catalog.lexicon, Level::Senior);
        for p in parts {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let turn = match p {
                "/advance" => CandidateTurn::advance(),
                "/hint" => CandidateTurn::hint(),
                text => CandidateTurn::say(text, 2.0),
            };
            sim.play(turn);
        }
        for t in &sim.turns {
            let who = if t.by_interviewer {
                "INTERVIEWER"
            } else {
                "CANDIDATE"
            };
            println!("--- {who} [{}]\n{}\n", t.phase, t.text);
        }
    }
}
