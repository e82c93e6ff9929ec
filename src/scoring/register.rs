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

/// Phrases that leave a weighing or a reason undecided: the comparison is named, then handed back
/// ("the trade-off is between speed and safety, and the right answer depends on the situation"), or
/// the reason ends in a priority instead of a mechanism ("so performance has to be a priority"). An
/// interviewer credits the decision and what it costs, not the announcement that one exists.
static UNDECIDED: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "right answer depends",
        "depends on the situation",
        "depends on the context",
        "depends on the requirements",
        "depends on the use case",
        "depends on your",
        "has to be a priority",
        "should be a priority",
        "needs to be a priority",
        "must be a priority",
    ])
});

/// True when the sentence hands its weighing or its reason back undecided (see `UNDECIDED`) and holds
/// no figure or name to commit it.
pub fn is_undecided(words: &[String], original: &str) -> bool {
    UNDECIDED.found_in(words) && named(original) == 0
}

/// True when the sentence offers a move under a condition instead of choosing it: "if we needed
/// better recall we could add BM25", "when it gets slow we might add servers". Such proposals were
/// about one per weak transcript of the corpus and none of the strong or terse-right ones' (a
/// consequence reasoned under a condition, "if two replicas read it, both could spend the last
/// tokens", is not one: its subject is not the candidate's side).
pub fn is_hedged_proposal(words: &[String]) -> bool {
    let conditional = words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "if" | "when" | "once")
            || (w == "case" && i > 0 && words[i - 1] == "in")
    });
    conditional
        && words.windows(2).enumerate().any(|(i, pair)| {
            let condition_of_its_own =
                i > 0 && matches!(words[i - 1].as_str(), "if" | "whether" | "when");
            matches!(pair[0].as_str(), "we" | "i" | "you")
                && matches!(pair[1].as_str(), "could" | "might" | "may")
                && !condition_of_its_own
        })
}

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
    fn a_move_offered_under_a_condition_is_a_hedged_proposal() {
        let hedged = |s: &str| is_hedged_proposal(&words(s));
        assert!(hedged(
            "If we needed better recall we could add BM25 next to the dense embeddings."
        ));
        assert!(hedged("When it gets too slow we might add more servers."));
        assert!(hedged("In case of a spike, I could scale out the workers."));
        // Chosen, or a consequence reasoned under a condition, or a condition of its own.
        assert!(!hedged(
            "If the reranker times out, we fall back to the dense order."
        ));
        assert!(!hedged(
            "If two replicas read the bucket at once, both could spend the last tokens."
        ));
        assert!(!hedged(
            "My lead asked me to see if I could cut the bill by half."
        ));
        assert!(!hedged(
            "We could add BM25 for error codes, which dense vectors miss."
        ));
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
    fn an_undecided_weighing_or_a_priority_is_not_a_commitment() {
        let undecided = |s: &str| is_undecided(&words(s), s);
        assert!(undecided(
            "The trade-off here is between speed and safety, and the right answer depends on the situation."
        ));
        assert!(undecided(
            "The reason this is important is that latency affects users, so performance has to be a priority."
        ));
        assert!(!undecided(
            "Latency depends on the prompt length, so we cap inputs at 8k tokens."
        ));
        assert!(!undecided(
            "Which one wins depends on the situation: at 50 QPS the GPU pool is cheaper than the API."
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
