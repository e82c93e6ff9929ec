//! Cue phrase sets and the one index `classify` reads them through: a clause is classified against
//! some eighteen sets, and walking its words once for all of them, instead of once per set, was most
//! of the cost of reading an answer before the interviewer's first token.

use std::sync::LazyLock;

use crate::analysis::phrases::{Phrase, PhraseIndex};
use crate::analysis::text::PhraseSet;

use super::interview_phrases::*;
use super::talk_phrases::*;

/// A named set of cue phrases: the phrases as written, and the set compiled from them on first use.
/// It reads as its `PhraseSet` (`CUE.found_in(words)`).
pub(crate) struct Cue {
    pub(crate) raw: &'static [&'static str],
    pub(crate) set: LazyLock<PhraseSet>,
}

impl std::ops::Deref for Cue {
    type Target = PhraseSet;

    fn deref(&self) -> &PhraseSet {
        &self.set
    }
}

/// The sets `classify` asks about the whole clause, each tagged with its place here.
static READ_TOGETHER: [&Cue; 18] = [
    &REQUEST,
    &ANSWER_KEY,
    &ANSWER_KEY_ASKED,
    &DONE,
    &MOVE_ON,
    &MOVE_ON_SHORT,
    &MOVE_TO,
    &HINT,
    &SCORE,
    &TIME,
    &UNSURE,
    &CHECK_IN,
    &ESTIMATE,
    &HYPOTHESIS_ASKED,
    &DATA_REQUEST,
    &HYPOTHESIS,
    &ASSUME,
    &SMALL_TALK,
];

static INDEX: LazyLock<PhraseIndex> = LazyLock::new(|| {
    let mut index = PhraseIndex::default();
    for (tag, cue) in READ_TOGETHER.iter().enumerate() {
        for phrase in cue.raw.iter().filter_map(|p| Phrase::compile(p)) {
            index.add(tag, phrase);
        }
    }
    index
});

/// Which cue sets a clause's words hold, found in one walk over them.
pub(super) struct Present<'a> {
    words: &'a [String],
    hit: u32,
}

impl<'a> Present<'a> {
    pub(super) fn of(words: &'a [String]) -> Present<'a> {
        let hit = INDEX
            .tags_in(words)
            .into_iter()
            .fold(0u32, |hit, tag| hit | (1 << tag));
        Present { words, hit }
    }

    /// `cue.found_in(words)`: from the one walk for a set read together, by itself for any other.
    pub(super) fn has(&self, cue: &Cue) -> bool {
        match READ_TOGETHER.iter().position(|c| std::ptr::eq(*c, cue)) {
            Some(tag) => self.hit & (1 << tag) != 0,
            None => cue.found_in(self.words),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::text::words;

    /// The sets read together, and one that is not (asked by itself).
    fn all() -> Vec<&'static Cue> {
        let mut all = READ_TOGETHER.to_vec();
        all.push(&PHASE_WORD);
        all
    }

    /// Every word of every cue phrase, and some that are in none, so that matches are frequent.
    fn vocabulary() -> Vec<String> {
        let mut v: Vec<String> = all()
            .into_iter()
            .flat_map(|c| c.raw.iter().flat_map(|p| words(p)))
            .chain(["we", "shard", "the", "index", "cache", "50", "gpus"].map(String::from))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    proptest! {
        #[test]
        fn one_walk_finds_what_each_set_finds(
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..14)
        ) {
            let vocabulary = vocabulary();
            let clause: Vec<String> = picks.iter().map(|i| i.get(&vocabulary).clone()).collect();
            let present = Present::of(&clause);
            for cue in all() {
                prop_assert_eq!(present.has(cue), cue.found_in(&clause), "{:?}", clause);
            }
        }
    }
}
