//! Property tests: the phase machine, sentence splitting, context fitting and the phrase index (on
//! generated phrases and on the built-in lexicon) hold their rules on any input, not only the examples.

use mock_interviewer::analysis::lexicon::{ConceptSource, Lexicon};
use mock_interviewer::analysis::text::{Phrase, PhraseIndex, PhraseSet, sentences, words};
use mock_interviewer::content::{
    ContentRoot, LexiconFile, PhaseMode, PhasePlan, PhaseSpec, Section,
};
use mock_interviewer::interview::phases::{self, PhaseState, Trigger};
use mock_interviewer::llm::{Message, Role};
use mock_interviewer::tokens::{Counted, PER_MESSAGE_OVERHEAD, fit};
use proptest::prelude::*;
use std::sync::LazyLock;

// ---- The phase machine -------------------------------------------------------------------------

fn plan(minutes: &[u32]) -> PhasePlan {
    PhasePlan {
        kind: "k".into(),
        name: "K".into(),
        rubric: "r".into(),
        closing_questions: Vec::new(),
        phases: minutes
            .iter()
            .enumerate()
            .map(|(i, &m)| PhaseSpec {
                id: format!("p{i}"),
                name: format!("Phase {i}"),
                minutes: m,
                mode: PhaseMode::Design,
                goals: vec!["g".into()],
                intro: "i".into(),
            })
            .collect(),
    }
}

/// A plan, a state inside it, and a time: before, during or long after the phase's budget.
fn plan_state_now() -> impl Strategy<Value = (PhasePlan, PhaseState, i64)> {
    prop::collection::vec(1u32..=120, 1..=6).prop_flat_map(|minutes| {
        let n = minutes.len();
        (
            Just(plan(&minutes)),
            0..n,
            0i64..4_000_000_000_000,
            -600_000i64..20_000_000,
        )
            .prop_map(|(plan, index, started_at, elapsed)| {
                (plan, PhaseState { index, started_at }, started_at + elapsed)
            })
    })
}

proptest! {
    #[test]
    fn a_candidate_turn_moves_at_most_one_phase_on_and_only_when_asked_or_out_of_time(
        (plan, state, now) in plan_state_now(),
        asked in any::<bool>(),
    ) {
        let last = state.index + 1 == plan.phases.len();
        let time_up = phases::time_left_ms(&plan, state, now) <= 0;
        match phases::on_candidate_turn(&plan, state, now, asked) {
            Some(t) => {
                prop_assert!(!last);
                prop_assert_eq!(t.from, state.index);
                prop_assert_eq!(t.to, state.index + 1);
                let expected = if asked { Trigger::Requested } else { Trigger::TimeUp };
                prop_assert_eq!(t.trigger, expected);
            }
            None => prop_assert!(last || (!asked && !time_up)),
        }
    }

    #[test]
    fn an_advance_is_refused_only_in_the_last_phase((plan, state, _) in plan_state_now()) {
        let last = state.index + 1 == plan.phases.len();
        match phases::on_advance(&plan, state) {
            Ok(t) => {
                prop_assert!(!last);
                prop_assert_eq!((t.from, t.to, t.trigger), (state.index, state.index + 1, Trigger::Requested));
            }
            Err(_) => prop_assert!(last),
        }
    }

    #[test]
    fn time_left_never_goes_below_zero_or_up_as_the_clock_runs(
        (plan, state, now) in plan_state_now(),
        later in 0i64..10_000_000,
    ) {
        let left = phases::interview_time_left_ms(&plan, state, now);
        prop_assert!(left >= 0);
        prop_assert!(phases::interview_time_left_ms(&plan, state, now + later) <= left);
        let budgets: i64 = plan.phases[state.index..].iter().map(|p| i64::from(p.minutes) * 60_000).sum();
        prop_assert_eq!(phases::interview_time_left_ms(&plan, state, state.started_at), budgets);
        // Overtime is the last phase with its time spent, nothing else.
        let last = state.index + 1 == plan.phases.len();
        prop_assert_eq!(
            phases::is_overtime(&plan, state, now),
            last && phases::time_left_ms(&plan, state, now) <= 0
        );
    }

    #[test]
    fn advancing_from_the_start_visits_every_phase_once_in_order(
        minutes in prop::collection::vec(1u32..=120, 1..=8),
    ) {
        let plan = plan(&minutes);
        let mut state = PhaseState { index: 0, started_at: 0 };
        let mut visited = vec![0];
        while let Ok(t) = phases::on_advance(&plan, state) {
            state = PhaseState { index: t.to, started_at: 0 };
            visited.push(t.to);
        }
        prop_assert_eq!(visited, (0..minutes.len()).collect::<Vec<_>>());
    }
}

// ---- Sentences -----------------------------------------------------------------------------------

/// Text with the characters that matter to splitting: ends of sentences, decimals, line breaks,
/// spaces, non-ASCII letters, `$` and `%`.
fn texty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-zA-Zé0-9]{1,8}",
            2 => Just(" ".to_string()),
            1 => prop::sample::select(vec![".", "?", "!", "\n", ". ", "? ", "! ", "\r\n", "99.9", "e.g.", "$", "%", "…", "  ", "\t", "—"])
                .prop_map(str::to_string),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn sentences_are_verbatim_in_order_and_keep_every_word(text in texty()) {
        let split = sentences(&text);
        let base = text.as_ptr() as usize;
        let mut after = 0;
        let mut all_words = Vec::new();
        for s in &split {
            // A slice of the text itself, so a quote of it is verbatim.
            let at = s.text.as_ptr() as usize - base;
            prop_assert!(at + s.text.len() <= text.len());
            prop_assert_eq!(&text[at..at + s.text.len()], s.text);
            prop_assert!(at >= after, "in order, without overlap");
            after = at + s.text.len();
            prop_assert_eq!(s.text, s.text.trim());
            prop_assert!(!s.words.is_empty());
            prop_assert!(!s.text.contains('\n'));
            prop_assert_eq!(s.is_question, s.text.ends_with('?'));
            prop_assert_eq!(&s.words, &words(s.text));
            all_words.extend(s.words.iter().cloned());
        }
        // Splitting happens only between words: no word is lost, cut or made up.
        prop_assert_eq!(all_words, words(&text));
    }
}

// ---- Context fitting -----------------------------------------------------------------------------

fn counted(role: Role, tokens: usize, n: usize) -> Counted {
    Counted {
        message: Message::new(role, format!("message {n}")),
        tokens,
    }
}

fn cost(tokens: usize) -> usize {
    tokens + PER_MESSAGE_OVERHEAD
}

proptest! {
    #[test]
    fn fitting_drops_the_oldest_turns_and_only_as_many_as_it_must(
        system in 1usize..3_000,
        history in prop::collection::vec(1usize..2_000, 1..30),
        budget in 1usize..20_000,
    ) {
        let n = history.len();
        let fitted = fit(
            counted(Role::System, system, 0),
            history.iter().enumerate().map(|(i, &t)| {
                counted(if i % 2 == 0 { Role::User } else { Role::Assistant }, t, i + 1)
            }).collect(),
            budget,
        );
        let dropped = fitted.dropped;
        prop_assert!(dropped < n, "the current turn always stays");
        // The system prompt first; then a note if anything was dropped; then the newest turns in order.
        prop_assert_eq!(&fitted.messages[0].content, "message 0");
        let kept = &fitted.messages[if dropped > 0 { 2 } else { 1 }..];
        if dropped > 0 {
            prop_assert_eq!(fitted.messages[1].role, Role::System);
            let note = format!("{} earlier", dropped);
            prop_assert!(fitted.messages[1].content.contains(&note));
        }
        let expected: Vec<String> = (dropped + 1..=n).map(|i| format!("message {i}")).collect();
        prop_assert_eq!(kept.iter().map(|m| m.content.clone()).collect::<Vec<_>>(), expected);

        let sent = cost(system) + history[dropped..].iter().map(|&t| cost(t)).sum::<usize>();
        let all = cost(system) + history.iter().map(|&t| cost(t)).sum::<usize>();
        if all <= budget {
            prop_assert_eq!(dropped, 0, "a prompt that fits is sent whole");
        }
        if dropped == 0 {
            prop_assert_eq!(fitted.tokens, sent);
        } else {
            // The note costs a little, and is counted.
            let note = fitted.tokens - sent;
            prop_assert!(note > PER_MESSAGE_OVERHEAD && note < 60, "{}", note);
            // Fits, unless only the system prompt and the current turn are left; and keeping one
            // more turn would not have fitted.
            prop_assert!(fitted.tokens <= budget || dropped == n - 1);
            prop_assert!(fitted.tokens + cost(history[dropped - 1]) > budget);
        }
    }
}

// ---- The phrase index ----------------------------------------------------------------------------

const VOCABULARY: [&str; 10] = [
    "cache", "caching", "rag", "vector", "db", "p99", "latency", "shard", "sharding", "re",
];

fn phrase_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(VOCABULARY.to_vec()), 1..=3),
        any::<bool>(),
    )
        .prop_map(|(w, prefix)| format!("{}{}", w.join(" "), if prefix { "*" } else { "" }))
}

fn candidate_words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(VOCABULARY.to_vec()).prop_map(str::to_string),
            1 => "[a-z]{1,6}",
        ],
        0..40,
    )
}

/// What the index must answer: every tag with a phrase found anywhere, by plain scanning.
fn scanned(tagged: &[(usize, Phrase)], text: &[String]) -> Vec<usize> {
    let mut tags: Vec<usize> = tagged
        .iter()
        .filter(|(_, p)| p.found_in(text))
        .map(|(t, _)| *t)
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

proptest! {
    #[test]
    fn the_phrase_index_finds_exactly_what_scanning_every_phrase_finds(
        phrases in prop::collection::vec((0usize..12, phrase_text()), 1..40),
        text in candidate_words(),
    ) {
        let tagged: Vec<(usize, Phrase)> = phrases
            .iter()
            .filter_map(|(t, p)| Phrase::compile(p).map(|p| (*t, p)))
            .collect();
        let mut index = PhraseIndex::default();
        for (t, p) in &tagged {
            index.add(*t, p.clone());
        }
        prop_assert_eq!(index.tags_in(&text), scanned(&tagged, &text));
    }
}

/// The built-in lexicon's concepts, as its files hold them.
fn builtin_concepts() -> Vec<ConceptSource> {
    ContentRoot::embedded()
        .files(Section::Lexicon)
        .unwrap()
        .into_iter()
        .flat_map(|f| {
            toml::from_str::<LexiconFile>(&f.text.unwrap())
                .unwrap()
                .concepts
        })
        .map(|c| ConceptSource {
            id: c.id,
            name: c.name,
            phrases: c.phrases,
        })
        .collect()
}

/// The lexicon, each concept's phrases for plain scanning, and every word its phrases use: built
/// once, not per case.
static BUILTIN: LazyLock<(Lexicon, Vec<PhraseSet>, Vec<String>)> = LazyLock::new(|| {
    let concepts = builtin_concepts();
    let sets = concepts
        .iter()
        .map(|c| PhraseSet::compile(&c.phrases))
        .collect();
    let mut vocabulary: Vec<String> = concepts
        .iter()
        .flat_map(|c| {
            c.phrases
                .iter()
                .flat_map(|p| words(p.trim_end_matches('*')))
        })
        .collect();
    vocabulary.sort();
    vocabulary.dedup();
    (Lexicon::new(concepts), sets, vocabulary)
});

proptest! {
    #[test]
    fn the_lexicon_finds_a_concept_exactly_when_one_of_its_phrases_occurs(
        picks in prop::collection::vec((any::<prop::sample::Index>(), "[a-z]{0,3}"), 0..30),
    ) {
        let (lexicon, sets, vocabulary) = &*BUILTIN;
        // Lexicon words, some with a suffix (what a prefix phrase such as `rerank*` must match).
        let text: Vec<String> = picks
            .iter()
            .map(|(i, suffix)| format!("{}{suffix}", i.get(vocabulary)))
            .collect();
        let expected: Vec<usize> = (0..sets.len()).filter(|&i| sets[i].found_in(&text)).collect();
        prop_assert_eq!(lexicon.concepts_in(&text), expected);
    }
}
