//! Red flags the candidate raised: a sentence of theirs that commits to a move the question's red
//! flags name ("I'd just add more retries"), by one of the flag's phrases or cues, which holds the
//! dimensions the flag concerns at 2 and is named in the feedback.

use std::ops::Range;
use std::sync::LazyLock;

use crate::analysis::lexicon::Lexicon;
use crate::analysis::text::{CueMatch, PhraseSet};
use crate::content::{QuestionEntry, Severity};

use super::argument::{Class, Sentence, analyze};
use super::input::{Speaker, with_turns_of};
use super::lang::{NEGATION_END, is_negation, negation_scope};

/// How far one raised red flag lowers each dimension it concerns, in measure units, beneath the
/// ceiling: on train cross-validation with the ceiling, no penalty and 0.05 were worse (README.md,
/// "Scoring").
pub const PENALTY: f64 = 0.1;

/// The highest score a dimension reaches once the candidate committed to a move its red flags name:
/// a wrong call is a notable gap, whatever else was said. Chosen on train cross-validation over no
/// ceiling and 3 (calibration/EXPERIMENTS.md).
pub const CEILING: u8 = 2;

/// The ceiling a raised flag of this severity holds its dimensions at: a minor wrong call (one a
/// hire-level candidate might still make) keeps a dimension from a 4, not from a 3.
pub fn ceiling(severity: Severity) -> u8 {
    match severity {
        Severity::Major => CEILING,
        Severity::Minor => 3,
    }
}

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

/// Words by which a sentence weighs options against each other rather than committing to one ("more
/// retries versus a smaller max_tokens"): that is how a strong candidate names a bad option.
static WEIGHING: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "versus",
        "vs",
        "trade off*",
        "tradeoff*",
        "whereas",
        "on the other hand",
        "the downside",
        "the alternative",
        "alternatively",
        "compared to",
        "compared with",
        "pros and cons",
        "at the cost of",
        "at the expense of",
    ])
});

/// Marks after which a move is the one turned down: "fix max_tokens instead of asking for quota".
static REJECTING: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&["instead of", "rather than", "as opposed to", "in place of"])
});

/// Words that offer a move as one possibility: "we could add retries, but ..." weighs it.
const MODAL: &[&str] = &["could", "might", "may", "can"];

/// The red flags the candidate's own sentences raise, each once, in the order first raised: a
/// sentence raises a flag when it says one of the flag's phrases, or all groups of one of its cues,
/// as a commitment. Only plain assertions count: not questions, grader-addressed, echoed or repeated
/// text; not a sentence that weighs options or puts the move under a condition; not a move said in a
/// negation or on the rejected side of "instead of" or "rather than", nor one offered with "could"
/// and answered with a "but", nor the subject of a hypothesis or a denial ("would leave too few",
/// "won't help").
pub fn raised(entry: &QuestionEntry, sentences: &[Sentence]) -> Vec<Raised> {
    let mut out: Vec<Raised> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        if !matches!(
            s.class,
            Class::Working | Class::Plain | Class::Filler | Class::NameDrop
        ) {
            continue;
        }
        let words = &s.words;
        let mut hits: Vec<(usize, CueMatch)> = entry
            .red_flag_index
            .matches_in(words)
            .into_iter()
            .map(|(flag, at, len)| {
                (
                    flag,
                    CueMatch {
                        said: std::iter::once(at..at + len).collect(),
                    },
                )
            })
            .collect();
        for (flag, cue) in &entry.red_flag_cues {
            hits.extend(cue.matches_in(words).into_iter().map(|m| (*flag, m)));
        }
        if hits.is_empty() || WEIGHING.found_in(words) || CONDITIONAL.found_in(words) {
            continue;
        }
        let negated = negation_scope(words);
        let rejected = rejected_scope(words);
        for (flag, m) in hits {
            let span = m.span();
            // A phrase may carry its own negating word ("skip validation", "with no expiry"): only
            // a negation reaching the match from before it ("we won't skip validation") or one of
            // the candidate's own words among the cue's ("I'll make sure no lock is held while
            // calling") turns it down.
            let from_before = if is_negation(words, span.start) {
                span.start > 0 && negated[span.start - 1]
            } else {
                negated[span.start]
            };
            let within = span.clone().any(|w| !m.is_said(w) && is_negation(words, w));
            let turned_down = from_before
                || within
                || span.clone().any(|w| rejected[w])
                || negated_just_before(words, &m);
            if turned_down
                || offered_then_answered(words, &span)
                || weighed_as_a_hypothesis(words, &span)
                || out.iter().any(|r| r.flag == flag)
            {
                continue;
            }
            out.push(Raised { flag, sentence: i });
        }
    }
    out
}

/// The flags one candidate sentence raises, said on its own in the middle of an interview: what each
/// flag's `examples` must raise and its `counter_examples` must not (`content check`).
pub fn raised_by_sentence(entry: &QuestionEntry, lexicon: &Lexicon, sentence: &str) -> Vec<usize> {
    let phases = &entry.plan.phases;
    let phase = phases.get(phases.len() / 2).map_or("", |p| p.id.as_str());
    let turns = [
        (Speaker::Interviewer, phase, "Go on."),
        (Speaker::Candidate, phase, sentence),
    ];
    with_turns_of(entry, lexicon, &turns, |input| {
        analyze(input).red_flags.iter().map(|r| r.flag).collect()
    })
}

/// For each word, whether it lies on the rejected side of "instead of" or "rather than": from the
/// mark to the end of its clause.
fn rejected_scope(words: &[String]) -> Vec<bool> {
    let marks = REJECTING.positions_in(words);
    let mut scope = vec![false; words.len()];
    let mut from: Option<usize> = None;
    for (i, w) in words.iter().enumerate() {
        if marks.contains(&i) {
            from = Some(i);
        } else if from.is_some_and(|f| i > f + 1) && NEGATION_END.contains(&w.as_str()) {
            from = None;
        }
        scope[i] = from.is_some();
    }
    scope
}

/// "Not only add retries", "I would not just scale out": a "not" just before the move or among the
/// candidate's own words between a cue's phrases turns it down, even where "not just" reads elsewhere
/// as "not only" and opens no negation scope.
fn negated_just_before(words: &[String], m: &CueMatch) -> bool {
    let span = m.span();
    let from = span.start.saturating_sub(3);
    let last_break = words[from..span.start]
        .iter()
        .rposition(|w| NEGATION_END.contains(&w.as_str()))
        .map_or(from, |i| from + i + 1);
    (last_break..span.end)
        .filter(|&w| !m.is_said(w))
        .any(|w| matches!(words[w].as_str(), "not" | "never" | "t"))
}

/// "Filtering after top-k would leave too few results", "pushing to 10 replicas won't help", "a
/// clean class may auto-route almost everything": the move as the subject of a hypothesis or of a
/// denial, or a possibility foreseen, is weighed, not chosen.
fn weighed_as_a_hypothesis(words: &[String], span: &Range<usize>) -> bool {
    let after = &words[span.end..(span.end + 2).min(words.len())];
    let before = &words[span.start.saturating_sub(3)..span.start];
    after.iter().any(|w| {
        matches!(
            w.as_str(),
            "would" | "could" | "might" | "wouldn" | "couldn" | "won" | "doesn" | "isn"
        )
    }) || before.iter().any(|w| matches!(w.as_str(), "may" | "might"))
}

/// "We could add more retries, but each one reserves another 14k tokens": a move offered as a
/// possibility and answered with its cost is weighed, not chosen.
fn offered_then_answered(words: &[String], span: &Range<usize>) -> bool {
    words[..span.start]
        .iter()
        .any(|w| MODAL.contains(&w.as_str()))
        && words[span.end..].iter().any(|w| w == "but")
}

impl Raised {
    /// Whether this flag lowers dimension `dim_id`.
    pub fn lowers(&self, entry: &QuestionEntry, dim_id: &str) -> bool {
        entry.question.red_flags[self.flag]
            .dimensions
            .iter()
            .any(|d| d == dim_id)
    }

    /// The highest score this flag leaves the dimensions it lowers (`ceiling` of its severity).
    pub fn ceiling(&self, entry: &QuestionEntry) -> u8 {
        ceiling(entry.question.red_flags[self.flag].severity)
    }
}

#[cfg(test)]
mod tests {
    use super::CEILING;
    use super::{Severity, Speaker};
    use crate::content::{Catalog, ContentRoot};
    use crate::scoring::argument::analyze;
    use crate::scoring::input::{ScoringInput, with_one_answer_to, with_turns_in};
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
        // A comparison word elsewhere in the sentence does not take the commitment back: the move
        // is the chosen side of "instead of", not the rejected one.
        let raised =
            raised_by("I'd add more retries so a summary goes through later instead of failing.");
        assert_eq!(raised, vec!["Adds more retries".to_string()]);
        // A cue: the move in other words than any of the flag's phrases.
        let said = "So I'd raise the retry count and honour retry-after.";
        assert!(!said.contains("add more retries"));
        assert_eq!(raised_by(said), vec!["Adds more retries".to_string()]);
    }

    #[test]
    fn rejecting_weighing_or_asking_about_the_move_raises_nothing() {
        for answer in [
            "We should not add more retries: each one reserves another 14k tokens.",
            "We could add more retries, but each one reserves another 14k tokens.",
            "If we are still short after sizing max_tokens, I'd add more retries.",
            "Should we add more retries here?",
            "Rather than add more retries, I'd size max_tokens to what a summary needs.",
            "I would not just add more retries: each one reserves another 14k tokens.",
            "To add more retries wouldn't help: each one reserves another 14k tokens.",
        ] {
            // Each says the flag's phrase: only the negation, the weighing, the condition, the
            // question, the rejected side of "rather than" or the move as the subject of a denial
            // keeps it from counting.
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
                    assert!(m.ceiling.is_some_and(|c| c <= CEILING), "{}", dim.id);
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
            assert!(
                flagged.iter().all(|d| d.score <= CEILING),
                "a flagged dimension is held at {CEILING}: {flagged:?}"
            );
            let first = &card.improvement_plan[0];
            assert_eq!(first.turn_id, Some(2));
            assert!(
                first.text.contains("red flag (adds more retries)"),
                "{}",
                first.text
            );
        });
    }

    /// A minor wrong call keeps the dimensions it concerns from a 4, not from a 3, and the card says
    /// an interviewer would push back on it rather than calling it a red flag. (The rate-limiting
    /// question again, its "Adds more retries" flag made minor, as a question of one's own.)
    #[test]
    fn a_minor_flag_holds_its_dimensions_at_three() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let builtin =
            std::fs::read_to_string(root.join("content/questions/debug-rate-limiting.toml"))
                .expect("the rate-limiting question is built in");
        let minor = builtin
            .replacen("id = \"debug-rate-limiting\"", "id = \"minor-retries\"", 1)
            .replacen(
                "text = \"Adds more retries\"",
                "text = \"Adds more retries\"\nseverity = \"minor\"",
                1,
            );
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("questions")).expect("a questions folder");
        std::fs::write(dir.path().join("questions/minor-retries.toml"), minor)
            .expect("the question is written");
        let catalog = Catalog::load(&ContentRoot::builtin(root), &[dir.path().to_path_buf()])
            .expect("the question loads beside the built-in ones");
        with_turns_in(
            &catalog,
            "minor-retries",
            &[
                (Speaker::Interviewer, "deep_dive", "What would you change?"),
                (Speaker::Candidate, "deep_dive", MORE_RETRIES),
            ],
            |input| {
                let arg = analyze(input);
                assert_eq!(arg.red_flags.len(), 1);
                let flag = &input.entry.question.red_flags[arg.red_flags[0].flag];
                assert_eq!(flag.severity, Severity::Minor);
                for dim in &input.entry.rubric.dimensions {
                    let m = measure(dim, input, &arg);
                    if flag.dimensions.contains(&dim.id) {
                        assert_eq!(m.ceiling, Some(3), "{}", dim.id);
                    }
                }
                let card = crate::scoring::offline::score(input);
                assert!(
                    card.dimensions.iter().any(|d| d.feedback.contains(
                        "Kept from the top score by a questionable call: Adds more retries"
                    )),
                    "{:?}",
                    card.dimensions
                );
                assert!(
                    card.dimensions
                        .iter()
                        .all(|d| !d.feedback.contains("Marked down for a red flag"))
                );
                assert!(
                    card.improvement_plan[0]
                        .text
                        .contains("would push back on this")
                );
            },
        );
    }
}
