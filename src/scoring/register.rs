//! The register of a sentence: talk that praises, hedges and frames ("a robust, scalable platform,
//! designed holistically from day one") against talk that commits to something checkable (a figure, a
//! named technology, the problem's own nouns). A senior interviewer hears the first as saying how the
//! candidate feels about a design, not what the design does; it earns nothing however long it runs,
//! while a terse sentence that commits ("Redis cache on the normalised query.") does work.

use std::sync::LazyLock;

use crate::analysis::text::PhraseSet;

/// Evaluative, hedging and framing words and phrases: the vocabulary of an answer that sounds senior
/// and says nothing. Each match is one mark of vagueness.
static VAGUE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "really",
        "truly",
        "genuinely",
        "honestly",
        "incredibly",
        "fascinating",
        "exciting",
        "powerful",
        "thoughtful",
        "thoughtfully",
        "holistic*",
        "strategic*",
        "seamless*",
        "gracefully",
        "elegant*",
        "intelligent",
        "world class",
        "enterprise grade",
        "first class",
        "best of both worlds",
        "from day one",
        "at the end of the day",
        "the right balance",
        "striking the right",
        "a big advocate",
        "non negotiable",
        "lifeblood",
        "journey",
        "landscape",
        "ecosystem",
        "paradigm",
        "synergy",
        "empower*",
        "leverag*",
        "cutting edge",
        "state of the art",
        "industry is heading",
        "the whole industry",
        "great question",
        "appreciate the",
        "i d love to",
        "i love",
        "i always like",
        "take a step back",
        "problem space",
        "stakeholders",
        "alignment",
        "governance",
        "blueprint",
        "initiative",
        "principles",
        "pillars",
        "mindset",
        "culture",
        "data driven",
        "data informed",
        "cloud native",
        "loosely coupled",
        "future proof",
        "continuous journey",
        "comprehensive",
        "significant",
        "substantial",
        "very successful",
        "considered very",
        "robust scalable",
        "scalable secure",
        "resilient",
        "resilience",
        "agile",
        "iterate",
        "refine as we go",
        "in mind",
        "by design",
        "bolted on",
        "woven",
        "first principles",
        "of course",
        "a combination of",
        "so many",
        "competing priorities",
        "key theme",
        "key design principle",
        "the key is",
        "it s important to",
        "it is important to",
        "paint ourselves",
        "the usual",
        "clean well",
        "well documented",
        "best practice*",
        "i think",
        "i believe",
        "big believer",
        "clear view",
        "clear criteria",
        "closely",
        "meaningfully",
        "perfectly",
        "proud",
        "great learning",
        "core principle",
        "the idea is",
        "typical",
        "across the board",
        "opportunit*",
        "optimal",
        "classic",
        "envision",
        "visibility",
        "no free lunch",
        "every decision",
        "a balance",
        "in place",
        "the health of",
        "makes total sense",
        "aligns",
        "vision",
        "the biggest risks",
        "abstracts away",
        "as we go",
        "as the platform grows",
        "context is everything",
    ])
});

/// Words of the original sentence that name something: a capitalised word or acronym after the first
/// word ("Redis", "BM25", "RRF"), or a token holding a digit.
fn named(original: &str) -> usize {
    original
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .filter(|t| !t.is_empty())
        .skip(1)
        .filter(|t| {
            t.chars().any(|c| c.is_ascii_digit())
                || (t.chars().next().is_some_and(char::is_uppercase) && t.len() > 1)
        })
        .count()
}

/// True when the sentence's marks of vagueness outnumber what it commits to: figures and names, and
/// the concepts of the question it names (`concepts`).
pub fn is_vague(words: &[String], original: &str, concepts: usize) -> bool {
    let marks = VAGUE.count_in(words);
    marks > 0 && marks > named(original) + concepts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::text::words;

    fn vague(s: &str) -> bool {
        // The concepts of the question it names, roughly: caching, retrieval, reranking.
        let w = words(s);
        let concepts = ["cache", "caching", "bm25", "reranked", "reranker"]
            .iter()
            .filter(|c| w.iter().any(|x| x == *c))
            .count();
        is_vague(&w, s, concepts)
    }

    #[test]
    fn praise_and_framing_without_a_commitment_is_vague() {
        assert!(vague(
            "Caching is a powerful lever for both performance and cost, and I'm a big advocate of using it strategically."
        ));
        assert!(vague(
            "Before diving in, I always like to take a step back and think holistically about the problem space."
        ));
        assert!(vague(
            "Observability would be a first-class concern from day one, woven through every tier."
        ));
    }

    #[test]
    fn terse_commitments_are_not_vague() {
        assert!(!vague("Redis cache on the normalised query."));
        assert!(!vague(
            "BM25 and a vector search in parallel, merged with RRF, top 100 reranked by a small cross-encoder."
        ));
        assert!(!vague(
            "Honestly, the reranker costs 60 ms at p95, so we cap it at the top 50 candidates."
        ));
    }
}
