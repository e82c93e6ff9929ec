//! The small vocabularies the argument analysis reads sentences with: function words, generic words
//! that carry no specific content, and the markers of a mechanism, a reason, a comparison, a negation
//! and admitted ignorance, and what tells a reported outcome from a plan.

const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "if",
    "then",
    "so",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "onto",
    "over",
    "under",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "we",
    "i",
    "you",
    "they",
    "he",
    "she",
    "our",
    "my",
    "your",
    "their",
    "us",
    "me",
    "them",
    "do",
    "does",
    "did",
    "done",
    "have",
    "has",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "not",
    "no",
    "t",
    "s",
    "d",
    "ll",
    "ve",
    "re",
    "m",
    "which",
    "who",
    "whom",
    "what",
    "when",
    "where",
    "why",
    "how",
    "than",
    "too",
    "very",
    "just",
    "also",
    "all",
    "any",
    "each",
    "every",
    "some",
    "such",
    "more",
    "most",
    "less",
    "much",
    "many",
    "few",
    "about",
    "up",
    "down",
    "out",
    "off",
    "only",
    "own",
    "same",
    "other",
    "another",
    "both",
    "either",
    "neither",
    "nor",
    "because",
    "since",
    "while",
    "until",
    "after",
    "before",
    "per",
    "via",
    "between",
    "through",
    "during",
    "without",
    "within",
    "again",
    "once",
    "like",
    "get",
    "got",
    "let",
    "lets",
    "yes",
    "ok",
    "okay",
    "well",
    "really",
    "actually",
    "basically",
    "one",
    "via",
];

pub fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.contains(&w)
}

/// Words that end a negation's scope: a new clause with its own claim.
pub const NEGATION_END: &[&str] = &[
    "but", "because", "since", "so", "instead", "rather", "which", "however", "although", "yet",
    "though", "while", "whereas", "then", "except", "unless",
];

/// Whether the word at `i` negates what follows ("not", "no", "never", "without", "won't"...).
pub fn is_negation(words: &[String], i: usize) -> bool {
    let w = words[i].as_str();
    match w {
        "not" | "no" | "never" | "without" | "none" | "neither" | "nor" | "skip" | "avoid" => {
            // "not only", "no longer" are not negations of what follows.
            let next = words.get(i + 1).map(String::as_str);
            !matches!(
                next,
                Some("only") | Some("just") | Some("longer") | Some("matter")
            )
        }
        // "don't", "won't", "isn't" split into "don" "t".
        "t" => i > 0,
        _ => false,
    }
}

/// For each word, whether it lies in a negation's scope: from a negating word to the end of its
/// clause ("we won't need a cache, but ..." negates "need a cache").
pub fn negation_scope(words: &[String]) -> Vec<bool> {
    let mut scope = vec![false; words.len()];
    let mut in_scope = false;
    for (i, w) in words.iter().enumerate() {
        if NEGATION_END.contains(&w.as_str()) {
            in_scope = false;
        }
        if is_negation(words, i) {
            in_scope = true;
        }
        scope[i] = in_scope;
    }
    scope
}

mod generic;
mod markers;

pub use generic::GENERIC;
pub use markers::{
    COMPARISON, GUESS, IGNORANCE, MECHANISM, REASON, reports_an_outcome, tells_the_past,
};
