//! Red flags the candidate raised: a sentence of theirs that plainly says they would do what the
//! question's red flags name ("I'd just add more retries"), which lowers the dimensions the flag
//! concerns and is named in the feedback.

use std::sync::LazyLock;

use crate::analysis::text::PhraseSet;
use crate::content::QuestionEntry;

use super::argument::{Class, Sentence};
use super::lang::{COMPARISON, negation_scope};

/// How far one raised red flag lowers each dimension it concerns, in measure units. On train
/// cross-validation every value from 0.05 to 0.3 left the figures within noise (the phrases fire
/// rarely); 0.1 was the best of them (README.md, "Scoring").
pub const PENALTY: f64 = 0.1;

/// One red flag and the first sentence that raised it.
#[derive(Debug, Clone, PartialEq)]
pub struct Raised {
    /// Index into the question's `red_flags`.
    pub flag: usize,
    /// Index into the argument's sentences.
    pub sentence: usize,
}

/// A sentence that puts a move under a condition ("if the quota is still short, ask for more") is
/// not committing to it.
static CONDITIONAL: LazyLock<PhraseSet> =
    LazyLock::new(|| PhraseSet::compile(&["if", "unless", "last resort", "only when"]));

/// The red flags the candidate's own sentences raise, each once, in the order first raised: a
/// sentence raises a flag when it says one of the flag's phrases outside a negation. Only plain
/// assertions count: not questions, grader-addressed, echoed or repeated text, nor a sentence that
/// weighs the move against another or puts it under a condition, since that is how a strong
/// candidate names a bad option. The phrases match word for word: looser matching (any order, within
/// a few words) tripped on strong candidates' ordinary sentences in the train split.
pub fn raised(entry: &QuestionEntry, sentences: &[Sentence]) -> Vec<Raised> {
    let mut out: Vec<Raised> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        if !matches!(
            s.class,
            Class::Working | Class::Plain | Class::Filler | Class::NameDrop
        ) {
            continue;
        }
        let hits = entry.red_flag_index.matches_in(&s.words);
        if hits.is_empty() || COMPARISON.found_in(&s.words) || CONDITIONAL.found_in(&s.words) {
            continue;
        }
        let negated = negation_scope(&s.words);
        for (flag, at, _) in hits {
            if negated[at] || out.iter().any(|r| r.flag == flag) {
                continue;
            }
            out.push(Raised { flag, sentence: i });
        }
    }
    out
}

impl Raised {
    /// Whether this flag lowers dimension `dim_id`.
    pub fn lowers(&self, entry: &QuestionEntry, dim_id: &str) -> bool {
        entry.question.red_flags[self.flag]
            .dimensions
            .iter()
            .any(|d| d == dim_id)
    }
}

#[cfg(test)]
mod tests {
    use crate::scoring::argument::analyze;
    use crate::scoring::input::{ScoringInput, with_one_answer_to};
    use crate::scoring::measures::measure;

    /// A specific, reasoned sentence that commits to the red-flag move.
    const MORE_RETRIES: &str = "I'd add more retries with jitter so that each request gets five attempts at 2 s intervals, because the 429s are transient.";

    /// `f` run on a senior rate-limiting debugging interview where the candidate answers `answer`.
    fn answering<R>(answer: &str, f: impl FnOnce(&ScoringInput<'_>) -> R) -> R {
        with_one_answer_to("debug-rate-limiting", "What would you change?", answer, f)
    }

    /// The texts of the red flags an answer raises in the rate-limiting debugging question.
    fn raised_by(answer: &str) -> Vec<String> {
        answering(answer, |input| {
            analyze(input)
                .red_flags
                .iter()
                .map(|r| input.entry.question.red_flags[r.flag].text.clone())
                .collect()
        })
    }

    #[test]
    fn saying_the_wrong_move_raises_its_flag() {
        let raised = raised_by("I'd add more retries with a longer sleep between them.");
        assert_eq!(raised, vec!["Adds more retries".to_string()]);
    }

    #[test]
    fn rejecting_weighing_or_asking_about_the_move_raises_nothing() {
        for answer in [
            "We should not add more retries: each one reserves another 14k tokens.",
            "We could add more retries, but each one reserves another 14k tokens.",
            "If we are still short after sizing max_tokens, I'd add more retries.",
            "Should we add more retries here?",
        ] {
            // Each says the flag's phrase: only the negation, the weighing, the condition or the
            // question keeps it from counting.
            assert!(answer.contains("add more retries"), "{answer}");
            assert!(raised_by(answer).is_empty(), "{answer}");
        }
    }

    #[test]
    fn a_raised_flag_lowers_its_dimensions_and_is_not_their_evidence() {
        answering(MORE_RETRIES, |input| {
            let arg = analyze(input);
            let mut unflagged = analyze(input);
            unflagged.red_flags.clear();
            assert_eq!(arg.red_flags.len(), 1);
            let flag = &input.entry.question.red_flags[arg.red_flags[0].flag];
            let mut lowered_from_above_zero = 0;
            for dim in &input.entry.rubric.dimensions {
                let m = measure(dim, input, &arg);
                let lowered = flag.dimensions.contains(&dim.id);
                assert_eq!(!m.red_flags.is_empty(), lowered, "{}", dim.id);
                let before = measure(dim, input, &unflagged).value;
                if lowered {
                    assert!(
                        !m.evidence.contains(&arg.red_flags[0].sentence),
                        "{}",
                        dim.id
                    );
                    if before > 0.0 {
                        assert!(m.value < before, "{}", dim.id);
                        lowered_from_above_zero += 1;
                    }
                } else {
                    assert_eq!(m.value, before, "{}", dim.id);
                }
            }
            assert!(
                lowered_from_above_zero > 0,
                "some lowered dimension had credit"
            );
        });
    }

    #[test]
    fn the_card_names_a_raised_flag_and_leads_with_taking_it_back() {
        answering(MORE_RETRIES, |input| {
            let card = crate::scoring::offline::score(input);
            let flagged: Vec<_> = card
                .dimensions
                .iter()
                .filter(|d| {
                    d.feedback
                        .contains("Marked down for a red flag: Adds more retries")
                })
                .collect();
            assert!(!flagged.is_empty(), "{:?}", card.dimensions);
            let first = &card.improvement_plan[0];
            assert_eq!(first.turn_id, Some(2));
            assert!(
                first.text.contains("red flag (adds more retries)"),
                "{}",
                first.text
            );
        });
    }
}
