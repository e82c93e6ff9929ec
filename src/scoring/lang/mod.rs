//! The small vocabularies the argument analysis reads sentences with: function words, generic words
//! that carry no specific content, and the markers of a mechanism, a reason, a comparison, a negation
//! and admitted ignorance.

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

/// A consequence drawn inside the sentence: a clause, a comma, then "so" and what follows ("Fits in
/// RAM, so replicate."). Read from the sentence's text, since the words lose the comma; the clause
/// before it must say something (two words or more), so a leading "OK, so" is not a reason.
pub fn draws_consequence(text: &str) -> bool {
    let lower = text.to_lowercase();
    [", so ", "; so ", " - so ", " \u{2014} so "]
        .iter()
        .filter_map(|sep| lower.find(sep).map(|at| (at, at + sep.len())))
        .any(|(at, next)| {
            let follows = lower[next..].split_whitespace().next().unwrap_or("");
            let follows = follows.trim_matches(|c: char| !c.is_alphanumeric());
            lower[..at].split_whitespace().count() >= 2
                && !follows.is_empty()
                && !matches!(
                    follows,
                    "far" | "much" | "many" | "yes" | "yeah" | "basically"
                )
        })
}

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

mod generic;
mod markers;

pub use generic::GENERIC;
pub use markers::{COMPARISON, IGNORANCE, MECHANISM, REASON};
