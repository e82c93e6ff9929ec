//! Replaying a corpus transcript through the scorer as if it had been a live session: the hidden facts
//! the candidate asked for are found by the interview's ledger, then the offline scorer grades it.

use crate::analysis::text::sentences;
use crate::content::{Catalog, PhaseMode, QuestionEntry};
use crate::interview::ledger;
use crate::scoring::input::{Reveal, ScoringInput, Speaker, TurnText};
use crate::scoring::{Scorecard, offline};

use super::corpus::{Role, Transcript};

/// The transcript's turns as the scorer reads them; turn ids are 1-based positions.
pub fn turn_texts(t: &Transcript) -> Vec<TurnText<'_>> {
    t.turns
        .iter()
        .enumerate()
        .map(|(i, turn)| TurnText {
            turn_id: i as i64 + 1,
            speaker: match turn.role {
                Role::Interviewer => Speaker::Interviewer,
                Role::Candidate => Speaker::Candidate,
            },
            phase: &turn.phase,
            content: &turn.content,
        })
        .collect()
}

/// The facts the ledger would have revealed, turn by turn.
pub fn reveals(entry: &QuestionEntry, turns: &[TurnText<'_>]) -> Vec<Reveal> {
    let mut revealed: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for t in turns.iter().filter(|t| t.speaker == Speaker::Candidate) {
        let clarifying = entry
            .plan
            .phases
            .iter()
            .any(|p| p.id == t.phase && p.mode == PhaseMode::Clarify);
        let asked = ledger::facts_asked(entry, &sentences(t.content), clarifying, &revealed);
        for hit in asked.hits.into_iter().filter(|h| h.first_time) {
            let id = entry.question.facts[hit.fact].id.clone();
            revealed.push(id.clone());
            out.push(Reveal {
                fact_id: id,
                turn_id: t.turn_id,
                quote: hit.quote,
            });
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("{0}: unknown question `{1}`")]
    UnknownQuestion(String, String),
}

/// Grades one transcript with the offline scorer.
pub fn score(catalog: &Catalog, t: &Transcript) -> Result<Scorecard, ReplayError> {
    let entry = catalog
        .question(&t.question_id)
        .ok_or_else(|| ReplayError::UnknownQuestion(t.id.clone(), t.question_id.clone()))?;
    let turns = turn_texts(t);
    let reveals = reveals(entry, &turns);
    let input = ScoringInput {
        session_id: &t.id,
        entry,
        lexicon: &catalog.lexicon,
        level: t.level,
        turns: &turns,
        reveals: &reveals,
        created_at: String::new(),
    };
    Ok(offline::score(&input))
}

/// The pseudo-dimension carrying the transcript's substance among the values.
pub const SUBSTANCE: &str = "_substance";
/// The pseudo-dimension saying (1.0) whether the candidate tried to steer the grader.
pub const STEERING: &str = "_steering";

/// A dimension's id, measured value, and the highest score it can get (1 without quotable evidence).
pub type DimensionValue = (String, f64, u8);

/// Grades one transcript and returns, beside the card, each dimension's measured value and the
/// highest score it can get (what fitting thresholds needs).
pub fn assess(
    catalog: &Catalog,
    t: &Transcript,
) -> Result<(Scorecard, Vec<DimensionValue>), ReplayError> {
    let entry = catalog
        .question(&t.question_id)
        .ok_or_else(|| ReplayError::UnknownQuestion(t.id.clone(), t.question_id.clone()))?;
    let turns = turn_texts(t);
    let reveals = reveals(entry, &turns);
    let input = ScoringInput {
        session_id: &t.id,
        entry,
        lexicon: &catalog.lexicon,
        level: t.level,
        turns: &turns,
        reveals: &reveals,
        created_at: String::new(),
    };
    let (arg, measured) = offline::assess(&input);
    let mut values: Vec<DimensionValue> = entry
        .rubric
        .dimensions
        .iter()
        .zip(&measured)
        .map(|(d, m)| {
            let ev = crate::scoring::evidence::has_any(&arg, m, d);
            (d.id.clone(), m.value, offline::ceiling(ev, m))
        })
        .collect();
    values.push((SUBSTANCE.to_string(), arg.substance(), 4));
    values.push((
        STEERING.to_string(),
        if offline::steers_the_grader(&arg) {
            1.0
        } else {
            0.0
        },
        4,
    ));
    Ok((offline::card(&input, &arg, &measured), values))
}

/// How the scorer read a transcript, sentence by sentence (for `calibrate --explain`).
pub fn explain(catalog: &Catalog, t: &Transcript) -> Result<String, ReplayError> {
    use std::fmt::Write as _;
    let entry = catalog
        .question(&t.question_id)
        .ok_or_else(|| ReplayError::UnknownQuestion(t.id.clone(), t.question_id.clone()))?;
    let turns = turn_texts(t);
    let reveals = reveals(entry, &turns);
    let input = ScoringInput {
        session_id: &t.id,
        entry,
        lexicon: &catalog.lexicon,
        level: t.level,
        turns: &turns,
        reveals: &reveals,
        created_at: String::new(),
    };
    let (arg, measured) = offline::assess(&input);
    let mut out = String::new();
    for s in &arg.sentences {
        let names: Vec<&str> = s
            .credited
            .iter()
            .map(|c| catalog.lexicon.get(*c).id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "[{}] {:?}{}{}{}{} novel={} {} {:?} | {}",
            s.turn_id,
            s.class,
            if s.figure { " F" } else { "" },
            if s.mechanism { " M" } else { "" },
            if s.reason { " R" } else { "" },
            if s.comparison { " C" } else { "" },
            s.novel,
            if s.relevant { "rel" } else { "OFF" },
            names,
            s.quote.chars().take(140).collect::<String>()
        );
    }
    for r in &arg.red_flags {
        let _ = writeln!(
            out,
            "red flag: {} <- [{}] {}",
            entry.question.red_flags[r.flag].text,
            arg.sentences[r.sentence].turn_id,
            arg.sentences[r.sentence].quote
        );
    }
    let (share, said) = arg.reference_share();
    let _ = writeln!(
        out,
        "substance: {:.2} (reference share {share:.2} of {said} telling words)",
        arg.substance()
    );
    for (d, m) in entry.rubric.dimensions.iter().zip(&measured) {
        let _ = writeln!(out, "{}: {:.2} {}", d.id, m.value, m.detail);
    }
    Ok(out)
}
