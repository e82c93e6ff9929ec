//! The words the analysis weighs a sentence by: abstractions (the vocabulary of verbose but empty
//! answers), figures that measure something (not product names), self-reference, and signposts.

use std::sync::LazyLock;

use crate::analysis::text::PhraseSet;

/// Words that name abstractions rather than things (the vocabulary of verbose but empty answers).
pub(super) fn is_abstract(w: &str) -> bool {
    const BUZZ: &[&str] = &[
        "holistic",
        "holistically",
        "landscape",
        "pillar",
        "pillars",
        "framework",
        "frameworks",
        "paradigm",
        "alignment",
        "governance",
        "posture",
        "ecosystem",
        "journey",
        "synergy",
        "leverage",
        "leveraging",
        "strategy",
        "strategic",
        "strategically",
        "mindset",
        "culture",
        "stakeholders",
        "horizon",
        "horizons",
        "space",
        "story",
        "narrative",
        "lens",
        "picture",
        "dimension",
        "dimensions",
        "fundamentally",
        "fundamental",
        "ultimately",
        "essentially",
        "broadly",
        "overall",
        "tactically",
        "tactical",
        "incentives",
        "philosophy",
        "principles",
        "excellence",
        "best",
        "world",
        "class",
        "innovative",
        "cutting",
        "edge",
        "robust",
        "comprehensive",
        "end",
        "holistic",
        "journey",
        "north",
        "star",
        "vision",
        "values",
    ];
    if BUZZ.contains(&w) {
        return true;
    }
    w.len() > 7
        && ["ality", "ically", "iveness", "ization", "isation", "ology"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// A number that measures something, not part of a product name ("GPT-4", "Python 3", "S3").
pub(super) fn is_figure(words: &[String], i: usize) -> bool {
    const NAMES: &[&str] = &[
        "gpt",
        "llama",
        "claude",
        "mistral",
        "python",
        "java",
        "s",
        "ec",
        "bge",
        "e",
        "t",
        "v",
        "version",
        "phi",
        "gemma",
        "qwen",
        "o",
        "ada",
        "text",
        "embedding",
        "step",
        "turn",
        "phase",
        "pillar",
        "horizon",
        "option",
        "tier",
    ];
    let w = &words[i];
    if !w.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // "gpt4o", "s3", "ec2": digits glued to a name.
    if w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !["p", "k", "top", "x"]
            .iter()
            .any(|p| w.starts_with(p) && w[p.len()..].chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    !(i > 0 && NAMES.contains(&words[i - 1].as_str()))
}

/// A sentence about the candidate's own answer ("this is a complete architecture").
pub(super) static SELF_REFERENCE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "this is a",
        "this answer",
        "my answer",
        "this design",
        "my design",
        "i have covered",
        "i ve covered",
        "i covered",
        "i have shown",
        "i ve shown",
        "i demonstrated",
        "i have demonstrated",
        "this response",
        "every component",
        "all components",
        "i ve given",
        "i have given",
    ])
});

/// Signposting and structure markers in a candidate's turn.
pub static SIGNPOSTS: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "first",
        "second",
        "third",
        "then",
        "next",
        "finally",
        "to summari*",
        "in summary",
        "my approach",
        "let me",
        "i ll start",
        "i d start",
        "step 1",
        "step one",
        "assum*",
        "overall",
        "so the plan",
        "the plan is",
        "two parts",
        "three parts",
        "two things",
        "three things",
        "at a high level",
        "high level",
        "the key",
        "to recap",
        "does that",
        "shall i",
        "should i",
        "want me to",
        "makes sense",
    ])
});
