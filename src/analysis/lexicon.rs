//! The concept lexicon compiled for matching: which concepts a sentence mentions.

use rustc_hash::FxHashMap;

use super::text::{Phrase, PhraseIndex};

/// A concept as the lexicon is built from it: plain data, whatever file it was read from.
pub struct ConceptSource {
    pub id: String,
    pub name: String,
    pub phrases: Vec<String>,
}

#[derive(Debug)]
pub struct CompiledConcept {
    pub id: String,
    pub name: String,
    /// Every word of its phrases (prefix phrases without their `*`).
    pub words: Vec<String>,
    /// The phrases as written (a trailing `*` marks a prefix).
    pub phrases: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    concepts: Vec<CompiledConcept>,
    /// Looked up for every component of a question on every model turn: a fast hash.
    by_id: FxHashMap<String, usize>,
    index: PhraseIndex,
}

/// Index of a concept inside its lexicon.
pub type ConceptIdx = usize;

impl Lexicon {
    /// Builds the lexicon; ids are assumed unique (the loader checks).
    pub fn new(concepts: impl IntoIterator<Item = ConceptSource>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for c in concepts {
            let idx = lexicon.concepts.len();
            lexicon.by_id.insert(c.id.clone(), idx);
            for p in c.phrases.iter().filter_map(|p| Phrase::compile(p)) {
                lexicon.index.add(idx, p);
            }
            let mut words: Vec<String> = c
                .phrases
                .iter()
                .flat_map(|p| super::text::words(p.trim_end_matches('*')))
                .collect();
            words.sort();
            words.dedup();
            lexicon.concepts.push(CompiledConcept {
                id: c.id,
                name: c.name,
                words,
                phrases: c.phrases,
            });
        }
        lexicon
    }

    pub fn index(&self, id: &str) -> Option<ConceptIdx> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, idx: ConceptIdx) -> &CompiledConcept {
        &self.concepts[idx]
    }

    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.index(id)
            .map(|i| self.concepts[i].name.as_str())
            .unwrap_or(id)
    }

    /// The words of a concept's phrases.
    pub fn phrase_words(&self, idx: ConceptIdx) -> Vec<String> {
        self.concepts
            .get(idx)
            .map(|c| c.words.clone())
            .unwrap_or_default()
    }

    /// How many concepts there are.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Every concept a run of words mentions, with where (word index) each occurrence starts.
    pub fn concepts_at(&self, words: &[String]) -> Vec<(ConceptIdx, usize)> {
        self.index
            .matches_in(words)
            .into_iter()
            .map(|(tag, at, _)| (tag, at))
            .collect()
    }

    /// The concepts a run of words mentions, in lexicon order.
    pub fn concepts_in(&self, words: &[String]) -> Vec<ConceptIdx> {
        self.index.tags_in(words)
    }
}
