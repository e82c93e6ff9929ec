//! Phrases and their matching: a phrase is whole lower-case words, the last optionally a prefix
//! (`rerank*`); a set matches when any phrase does; an index finds which tagged phrases a text holds.

use rustc_hash::FxHashMap;

use super::text::words;

/// A phrase compiled for matching: whole words, the last one optionally a prefix (`rerank*`).
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    words: Vec<String>,
    last_is_prefix: bool,
}

impl Phrase {
    /// The phrase's words (the last one a prefix when `is_prefix`).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn is_prefix(&self) -> bool {
        self.last_is_prefix
    }

    /// Compiles a phrase; `None` when it holds no word at all.
    pub fn compile(raw: &str) -> Option<Phrase> {
        let trimmed = raw.trim();
        let last_is_prefix = trimmed.ends_with('*');
        let words = words(trimmed.trim_end_matches('*'));
        if words.is_empty() {
            return None;
        }
        Some(Phrase {
            words,
            last_is_prefix,
        })
    }

    pub fn matches_at(&self, text: &[String], at: usize) -> bool {
        if at + self.words.len() > text.len() {
            return false;
        }
        let last = self.words.len() - 1;
        self.words.iter().enumerate().all(|(i, w)| {
            let t = &text[at + i];
            if i == last && self.last_is_prefix {
                t.starts_with(w.as_str())
            } else {
                t == w
            }
        })
    }

    pub fn found_in(&self, text: &[String]) -> bool {
        (0..text.len()).any(|at| self.matches_at(text, at))
    }
}

/// A set of phrases; matches when any of them does. Indexed like `PhraseIndex` (every phrase under
/// one tag), so a match costs a hash lookup per word, not a scan of every phrase at every word.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    index: PhraseIndex,
    len: usize,
}

impl PhraseSet {
    pub fn compile<S: AsRef<str>>(raw: &[S]) -> PhraseSet {
        let mut set = PhraseSet::default();
        for p in raw.iter().filter_map(|p| Phrase::compile(p.as_ref())) {
            set.index.add(0, p);
            set.len += 1;
        }
        set
    }

    pub fn found_in(&self, text: &[String]) -> bool {
        (0..text.len()).any(|at| self.index.any_at(text, at))
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The positions of `text` some phrase matches at.
    pub fn positions_in(&self, text: &[String]) -> Vec<usize> {
        (0..text.len())
            .filter(|&at| self.index.any_at(text, at))
            .collect()
    }

    /// How many positions of `text` some phrase matches at.
    pub fn count_in(&self, text: &[String]) -> usize {
        (0..text.len())
            .filter(|&at| self.index.any_at(text, at))
            .count()
    }
}

/// How far apart, in words, the groups of a cue may start and still be one thing said.
pub const CUE_WINDOW: usize = 8;

/// Groups of phrases said together: a cue matches where one phrase of every group occurs, in any
/// order, all starting within `CUE_WINDOW` words of each other. Written as groups joined by `+` and
/// alternatives by `|` ("raise | more + retr*"), so that one wrong move phrased many ways ("raise the
/// retry count", "more attempts") is one line of content, not a phrase per wording.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Every group's phrases, tagged with the group's index.
    index: PhraseIndex,
    groups: usize,
}

impl Cue {
    /// Compiles a cue; `None` unless it has two or more groups, each with a phrase.
    pub fn compile(raw: &str) -> Option<Cue> {
        let mut index = PhraseIndex::default();
        let mut groups = 0;
        for (tag, group) in raw.split('+').enumerate() {
            let mut any = false;
            for p in group.split('|').filter_map(Phrase::compile) {
                index.add(tag, p);
                any = true;
            }
            if !any {
                return None;
            }
            groups += 1;
        }
        (groups >= 2).then_some(Cue { index, groups })
    }

    /// Every match in `words`, with the words each group's phrase took.
    pub fn matches_in(&self, words: &[String]) -> Vec<CueMatch> {
        let mut found: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.groups];
        for (tag, at, len) in self.index.matches_in(words) {
            found[tag].push((at, at + len));
        }
        if found.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut chosen = Vec::with_capacity(found.len());
        spans_of_choices(&found, &mut chosen, &mut out);
        out
    }
}

/// One match of a cue (or of a single phrase): the words each of its phrases took. Between them are
/// the candidate's own words, where a "no" or a "not" turns the move down.
#[derive(Debug, Clone, PartialEq)]
pub struct CueMatch {
    pub said: Vec<std::ops::Range<usize>>,
}

impl CueMatch {
    /// From the first matched word of the earliest phrase to the last of the latest.
    pub fn span(&self) -> std::ops::Range<usize> {
        let start = self.said.iter().map(|r| r.start).min().unwrap_or(0);
        let end = self.said.iter().map(|r| r.end).max().unwrap_or(0);
        start..end
    }

    /// Whether word `at` is one of the cue's own phrases.
    pub fn is_said(&self, at: usize) -> bool {
        self.said.iter().any(|r| r.contains(&at))
    }
}

/// Every choice of one occurrence per group whose starts lie within the window, as matches.
fn spans_of_choices(
    found: &[Vec<(usize, usize)>],
    chosen: &mut Vec<(usize, usize)>,
    out: &mut Vec<CueMatch>,
) {
    let Some(group) = found.get(chosen.len()) else {
        out.push(CueMatch {
            said: chosen.iter().map(|&(a, b)| a..b).collect(),
        });
        return;
    };
    for &occurrence in group {
        let fits = chosen
            .iter()
            .all(|c| c.0.abs_diff(occurrence.0) <= CUE_WINDOW);
        if fits {
            chosen.push(occurrence);
            spans_of_choices(found, chosen, out);
            chosen.pop();
        }
    }
}

/// Many phrases, each tagged with a value, indexed by first word so that finding which tags a text
/// mentions costs a hash lookup per word instead of a scan of every phrase.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    exact: FxHashMap<String, Vec<(usize, Phrase)>>,
    /// Single-word prefix phrases (`rerank*`), bucketed by their first two bytes (a lexicon has
    /// hundreds, up to eighty under one first letter), or by their only byte.
    prefix: FxHashMap<[u8; 2], Vec<(usize, Phrase)>>,
    short_prefix: FxHashMap<u8, Vec<(usize, Phrase)>>,
}

impl PhraseIndex {
    pub fn add(&mut self, tag: usize, phrase: Phrase) {
        let first = phrase.words[0].clone();
        if phrase.words.len() == 1 && phrase.last_is_prefix {
            match *first.as_bytes() {
                [a, b, ..] => self.prefix.entry([a, b]).or_default().push((tag, phrase)),
                [a] => self.short_prefix.entry(a).or_default().push((tag, phrase)),
                [] => {}
            }
        } else {
            self.exact.entry(first).or_default().push((tag, phrase));
        }
    }

    /// The single-word prefix phrases that may match word `w`.
    fn prefixes_of<'a>(&'a self, w: &str) -> impl Iterator<Item = &'a (usize, Phrase)> {
        let bytes = w.as_bytes();
        // Most sets (the interviewer's cue phrases) hold no prefix at all: no lookup then.
        let short = (!self.short_prefix.is_empty())
            .then(|| bytes.first().and_then(|a| self.short_prefix.get(a)))
            .flatten();
        let long = match *bytes {
            [a, b, ..] if !self.prefix.is_empty() => self.prefix.get(&[a, b]),
            _ => None,
        };
        short
            .into_iter()
            .chain(long)
            .flatten()
            .filter(move |(_, p)| w.starts_with(p.words[0].as_str()))
    }

    /// Every occurrence of every phrase in `words`: (tag, start, length in words), in text order.
    pub fn matches_in(&self, words: &[String]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (at, w) in words.iter().enumerate() {
            if let Some(list) = self.exact.get(w) {
                for (tag, p) in list {
                    if p.matches_at(words, at) {
                        out.push((*tag, at, p.words.len()));
                    }
                }
            }
            for (tag, _) in self.prefixes_of(w) {
                out.push((*tag, at, 1));
            }
        }
        out
    }

    /// Whether some phrase starts at `words[at]`.
    pub fn any_at(&self, words: &[String], at: usize) -> bool {
        let w = &words[at];
        self.exact
            .get(w)
            .is_some_and(|list| list.iter().any(|(_, p)| p.matches_at(words, at)))
            || self.prefixes_of(w).next().is_some()
    }

    /// The tags whose phrases occur in `words`, ascending.
    pub fn tags_in(&self, words: &[String]) -> Vec<usize> {
        // A sentence names a handful of tags out of hundreds: collect the hits, not a flag per tag.
        let mut hit = Vec::new();
        for (at, w) in words.iter().enumerate() {
            if let Some(list) = self.exact.get(w) {
                for (tag, p) in list {
                    if !hit.contains(tag) && p.matches_at(words, at) {
                        hit.push(*tag);
                    }
                }
            }
            for (tag, _) in self.prefixes_of(w) {
                if !hit.contains(tag) {
                    hit.push(*tag);
                }
            }
        }
        hit.sort_unstable();
        hit
    }
}

#[cfg(test)]
mod cue_tests {
    use super::*;

    fn spans(cue: &str, text: &str) -> Vec<std::ops::Range<usize>> {
        Cue::compile(cue)
            .expect("a cue")
            .matches_in(&crate::analysis::text::words(text))
            .iter()
            .map(CueMatch::span)
            .collect()
    }

    #[test]
    fn every_group_in_any_order_within_the_window() {
        let cue = "raise | more + retr* | attempts";
        assert_eq!(spans(cue, "so I'd raise the retry count"), vec![3..6]);
        assert_eq!(
            spans(cue, "let the SDK retry it with more attempts"),
            vec![3..7, 6..8]
        );
        assert!(
            spans(cue, "we retry once").is_empty(),
            "one group is not the cue"
        );
        let far =
            "more of the traffic at peak comes from the batch job in the evening and we retry";
        assert!(spans(cue, far).is_empty(), "groups too far apart");
    }

    #[test]
    fn a_cue_needs_two_groups_each_with_a_phrase() {
        assert!(Cue::compile("retries").is_none());
        assert!(Cue::compile("more + ").is_none());
        assert!(Cue::compile("more + | ").is_none());
        assert!(Cue::compile("more | raise + retr*").is_some());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Phrases and texts over a small vocabulary, so that matches are frequent.
    fn phrase() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(prop::sample::select(VOCAB), 1..4),
            any::<bool>(),
        )
            .prop_map(|(w, prefix)| {
                let mut p = w.join(" ");
                if prefix {
                    // A prefix is the word cut short (`cach*` for cache, caching).
                    let keep = p.len().saturating_sub(2).max(1);
                    p.truncate(keep);
                    p.push('*');
                }
                p
            })
    }

    const VOCAB: &[&str] = &[
        "cache", "caching", "a", "top", "10", "rerank", "reranker", "db",
    ];

    proptest! {
        /// The indexed set and index agree with scanning every phrase at every word.
        #[test]
        fn indexed_matching_is_a_scan_of_every_phrase(
            raw in prop::collection::vec(phrase(), 0..8),
            text in prop::collection::vec(prop::sample::select(VOCAB), 0..12),
        ) {
            let text: Vec<String> = text.iter().map(|w| w.to_string()).collect();
            let compiled: Vec<Phrase> = raw.iter().filter_map(|p| Phrase::compile(p)).collect();
            let set = PhraseSet::compile(&raw);
            let scan_found = compiled.iter().any(|p| p.found_in(&text));
            prop_assert_eq!(set.found_in(&text), scan_found);
            let scan_count = (0..text.len())
                .filter(|&at| compiled.iter().any(|p| p.matches_at(&text, at)))
                .count();
            prop_assert_eq!(set.count_in(&text), scan_count);
            prop_assert_eq!(set.is_empty(), compiled.is_empty());
            let mut index = PhraseIndex::default();
            for (tag, p) in compiled.iter().enumerate() {
                index.add(tag, p.clone());
            }
            let scan_tags: Vec<usize> = compiled
                .iter()
                .enumerate()
                .filter(|(_, p)| p.found_in(&text))
                .map(|(tag, _)| tag)
                .collect();
            prop_assert_eq!(index.tags_in(&text), scan_tags.clone());
            // The occurrences name the same tags (the coverage reads its concepts from them).
            let mut occurring: Vec<usize> = index.matches_in(&text).iter().map(|m| m.0).collect();
            occurring.sort_unstable();
            occurring.dedup();
            prop_assert_eq!(occurring, scan_tags);
        }
    }
}
