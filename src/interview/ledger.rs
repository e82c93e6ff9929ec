//! The hidden-facts ledger: which facts a candidate sentence asks for. Only what was asked is revealed.

use crate::analysis::text::Sentence;
use crate::content::QuestionEntry;

/// A fact the candidate asked for in this turn.
#[derive(Debug, Clone, PartialEq)]
pub struct FactHit {
    pub fact: usize,
    /// The candidate's sentence that asked, verbatim.
    pub quote: String,
    /// False when the fact had already been revealed earlier.
    pub first_time: bool,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Asked {
    pub hits: Vec<FactHit>,
    /// Questions the candidate asked that no hidden fact answers.
    pub unmatched_questions: usize,
    /// Questions asked at all.
    pub questions: usize,
}

/// Matches the candidate's sentences against the hidden facts. In a clarification phase any sentence
/// can ask (stating an assumption invites a correction); later only questions do.
pub fn facts_asked(
    entry: &QuestionEntry,
    sentences: &[Sentence<'_>],
    clarifying: bool,
    already_revealed: &[String],
) -> Asked {
    let mut asked = Asked::default();
    for s in sentences {
        if s.is_question {
            asked.questions += 1;
        }
        if !(clarifying || s.is_question) {
            continue;
        }
        let mut matched = false;
        for i in entry.fact_index.tags_in(&s.words) {
            matched = true;
            if asked.hits.iter().any(|h| h.fact == i) {
                continue;
            }
            let id = &entry.question.facts[i].id;
            asked.hits.push(FactHit {
                fact: i,
                quote: s.text.to_string(),
                first_time: !already_revealed.contains(id),
            });
        }
        if s.is_question && !matched {
            asked.unmatched_questions += 1;
        }
    }
    asked
}
