//! The hidden-facts ledger: which facts a candidate turn asks for, exactly as the interviewer matches
//! them (`fact_matching`: by what each question is about, questions only, one fact per question
//! unless it lists several). Only what was asked is revealed. Kept as the entry point for replaying
//! transcripts sentence by sentence (the scorer's calibration).

use crate::analysis::text::Sentence;
use crate::content::{PhaseMode, QuestionEntry};

use super::fact_matching::{reading_context, turn_facts};
use super::understanding::understand;

/// A fact the candidate asked for in this turn.
#[derive(Debug, Clone, PartialEq)]
pub struct FactHit {
    pub fact: usize,
    /// The candidate's words that asked, verbatim.
    pub quote: String,
    /// False when the fact had already been revealed earlier.
    pub first_time: bool,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Asked {
    pub hits: Vec<FactHit>,
    /// Questions about the scenario that no hidden fact answers.
    pub unmatched_questions: usize,
    /// Questions asked at all.
    pub questions: usize,
}

/// The facts a candidate turn (given as its sentences) asks for, in a phase for asking
/// (`clarifying`) or a later one.
pub fn facts_asked(
    entry: &QuestionEntry,
    sentences: &[Sentence<'_>],
    clarifying: bool,
    already_revealed: &[String],
) -> Asked {
    let text = sentences
        .iter()
        .map(|s| s.text)
        .collect::<Vec<_>>()
        .join("\n");
    let mode = if clarifying {
        PhaseMode::Clarify
    } else {
        PhaseMode::Design
    };
    let u = understand(&text, reading_context(&entry.question.kind, mode, false));
    let tf = turn_facts(entry, &u);
    Asked {
        hits: tf
            .asked
            .into_iter()
            .map(|a| FactHit {
                first_time: !already_revealed.contains(&entry.question.facts[a.fact].id),
                fact: a.fact,
                quote: a.quote,
            })
            .collect(),
        unmatched_questions: tf.unanswered.len(),
        questions: u.clauses.iter().filter(|c| c.question).count(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::text::sentences;
    use crate::content::{Catalog, ContentRoot};

    #[test]
    fn the_ledger_matches_as_the_interviewer_does_and_quotes_verbatim() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[]).unwrap();
        let entry = catalog.question("enterprise-knowledge-base").unwrap();
        let text = "How many documents are in the knowledge base, and how fast does it grow? We'd shard it.";
        let asked = facts_asked(entry, &sentences(text), true, &[]);
        let ids: Vec<&str> = asked
            .hits
            .iter()
            .map(|h| entry.question.facts[h.fact].id.as_str())
            .collect();
        assert_eq!(ids, ["corpus_size"]);
        assert!(
            asked
                .hits
                .iter()
                .all(|h| text.contains(&h.quote) && h.first_time)
        );
        assert_eq!(asked.questions, 2);
    }
}
