//! Each hidden fact's cues (its `asked_by` phrases) compiled for matching by meaning: where each one
//! occurs in a clause, and how telling it is. A cue made only of question words and vague adjectives
//! ("how fast", "slow") says little on its own; a cue whose words the candidate already read in the
//! question's prompt ("P99" when the prompt mentions the P99 alert) is likely context, not the thing
//! asked. The interviewer's fact matcher weighs them.

use std::collections::HashSet;

use crate::analysis::text::{Phrase, PhraseIndex, words};

use super::model::Question;

/// One cue of one fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub fact: usize,
    pub words: usize,
    /// Holds a content word, not only question words and vague adjectives.
    pub specific: bool,
    /// Every content word of it is already in the question's prompt.
    pub given: bool,
}

/// A cue found in a clause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CueMatch<'a> {
    pub cue: &'a Cue,
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Default)]
pub struct FactCues {
    index: PhraseIndex,
    cues: Vec<Cue>,
}

/// Words that frame a question without saying what it is about.
pub fn is_frame_word(w: &str) -> bool {
    matches!(
        w,
        "how"
            | "what"
            | "which"
            | "when"
            | "where"
            | "who"
            | "why"
            | "whats"
            | "is"
            | "are"
            | "was"
            | "were"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "should"
            | "will"
            | "would"
            | "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "in"
            | "on"
            | "for"
            | "it"
            | "its"
            | "this"
            | "that"
            | "there"
            | "we"
            | "you"
            | "they"
            | "i"
            | "s"
            | "t"
            | "much"
            | "many"
            | "fast"
            | "quick"
            | "quickly"
            | "slow"
            | "slowly"
            | "long"
            | "often"
            | "big"
            | "large"
            | "small"
            | "soon"
            | "time"
            | "good"
            | "bad"
            | "kind"
            | "type"
            | "types"
            | "sort"
            | "any"
            | "some"
            | "like"
            | "look"
            | "looks"
            | "get"
            | "need"
            | "needs"
            | "expected"
            | "expect"
            | "be"
            | "have"
            | "has"
            | "and"
            | "or"
            | "if"
            | "else"
            | "more"
            | "most"
            | "less"
            | "per"
            | "our"
            | "your"
            | "their"
            | "at"
            | "by"
            | "with"
            | "from"
            | "about"
            | "than"
            | "so"
            | "anything"
            | "something"
            | "change"
            | "changed"
            | "changes"
            | "happen"
            | "happened"
    )
}

/// A cue and, when its last word is a noun-like word of four letters or more, its plural: "access
/// control" also matches "access controls".
fn with_plural(raw: &str) -> Vec<Phrase> {
    let mut out: Vec<Phrase> = Phrase::compile(raw).into_iter().collect();
    let trimmed = raw.trim();
    if trimmed.ends_with('*') {
        return out;
    }
    if let Some(last) = trimmed.split_whitespace().last()
        && last.len() >= 4
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && !last.ends_with('s')
    {
        let plural = if let Some(stem) = last.strip_suffix('y') {
            format!("{stem}ies")
        } else {
            format!("{last}s")
        };
        let head = &trimmed[..trimmed.len() - last.len()];
        out.extend(Phrase::compile(&format!("{head}{plural}")));
    }
    out
}

impl FactCues {
    pub fn compile(q: &Question) -> FactCues {
        let prompt: HashSet<String> = words(&q.prompt).into_iter().collect();
        let mut out = FactCues::default();
        for (fact, f) in q.facts.iter().enumerate() {
            for phrase in f.asked_by.iter().flat_map(|p| with_plural(p)) {
                let content: Vec<&String> = phrase
                    .words()
                    .iter()
                    .filter(|w| !is_frame_word(w))
                    .collect();
                let given = !content.is_empty()
                    && content.iter().enumerate().all(|(i, w)| {
                        let last = i + 1 == content.len() && phrase.is_prefix();
                        if last {
                            prompt.iter().any(|p| p.starts_with(w.as_str()))
                        } else {
                            prompt.contains(*w)
                        }
                    });
                let tag = out.cues.len();
                out.cues.push(Cue {
                    fact,
                    words: phrase.words().len(),
                    specific: !content.is_empty(),
                    given,
                });
                out.index.add(tag, phrase);
            }
        }
        out
    }

    /// Every cue found in a clause, in text order.
    pub fn matches<'a>(&'a self, words: &[String]) -> Vec<CueMatch<'a>> {
        self.index
            .matches_in(words)
            .into_iter()
            .map(|(tag, start, len)| CueMatch {
                cue: &self.cues[tag],
                start,
                len,
            })
            .collect()
    }
}
