//! How simulated candidates put things into words: a fact's example question, a component covered
//! in the lexicon's own phrases, an answer to whatever the interviewer asked, code for a coding
//! question. Deterministic, so a failing simulation replays exactly.

use crate::analysis::lexicon::Lexicon;
use crate::content::{Component, Fact, QuestionEntry};

use super::super::memory::{Item, ItemKind};

/// A phrase that shows a concept, as a candidate would say it: the first of the lexicon's phrases
/// that is plain words, else the first with its `*` dropped.
pub fn phrase_for(lexicon: &Lexicon, concept: &str) -> String {
    let Some(idx) = lexicon.index(concept) else {
        return concept.replace('_', " ");
    };
    let c = lexicon.get(idx);
    // A noun phrase, not a question ("since when") a candidate would not use to describe a design.
    let interrogative = |p: &&String| {
        let first = p.split_whitespace().next().unwrap_or("");
        matches!(
            first,
            "how" | "what" | "when" | "since" | "which" | "why" | "where" | "who"
        )
    };
    c.phrases
        .iter()
        .filter(|p| !interrogative(p))
        .find(|p| !p.contains('*') && p.split_whitespace().count() <= 3)
        .or_else(|| c.phrases.iter().find(|p| !interrogative(p)))
        .or_else(|| c.phrases.first())
        .map(|p| p.trim_end_matches('*').to_string())
        .unwrap_or_else(|| c.name.to_lowercase())
}

/// A natural question asking for a fact: one of its examples, or its topic.
pub fn ask_fact(fact: &Fact, variant: usize) -> String {
    if fact.examples.is_empty() {
        // Without examples, the fact's own first phrase, as a question.
        let cue = fact
            .asked_by
            .first()
            .map(|c| c.trim_end_matches('*'))
            .unwrap_or("");
        format!("Quick question on {}: {cue}?", fact.topic.to_lowercase())
    } else {
        fact.examples[variant % fact.examples.len()].clone()
    }
}

/// A sentence covering a component in its concepts' phrases.
pub fn cover_component(lexicon: &Lexicon, c: &Component) -> String {
    let phrases: Vec<String> = c
        .concepts
        .iter()
        .take(2)
        .map(|x| phrase_for(lexicon, x))
        .collect();
    // One concept per sentence: a sentence that names many concepts counts for only a few.
    let mut out = format!("Next, {}.", c.name.to_lowercase().replace('?', ""));
    for p in phrases {
        out.push_str(&format!(" Here I'd use {p}."));
    }
    out
}

/// An answer to an interviewer question, in the phrases that show it answered.
pub fn answer_item(entry: &QuestionEntry, lexicon: &Lexicon, item: &Item) -> String {
    let phrases: Vec<String> = item
        .concepts
        .iter()
        .take(2)
        .map(|c| phrase_for(lexicon, &lexicon.get(*c).id))
        .collect();
    let own = item
        .answered_by
        .is_empty()
        .then(String::new)
        .unwrap_or_else(|| answered_by_phrase(entry, item));
    match item.kind {
        ItemKind::Component => entry
            .question
            .components
            .iter()
            .find(|c| c.id == item.group)
            .map(|c| cover_component(lexicon, c))
            .unwrap_or_default(),
        ItemKind::Tradeoff => format!(
            "It's a trade-off between {}. I'd take the simpler option first{}, and revisit it later.",
            if phrases.is_empty() {
                "the two options".to_string()
            } else {
                phrases.join(" and ")
            },
            if own.is_empty() {
                String::new()
            } else {
                format!(" ({own})")
            }
        ),
        ItemKind::EdgeCase => {
            format!(
                "```python\ndef test_{}():\n    # {own}\n    assert run_case() is not None\n```",
                item.group
            )
        }
        _ => {
            let topic = deep_dive_phrases(entry, lexicon, item);
            format!(
                "I'd handle that with {topic}.{} That's how I'd approach it.",
                if own.is_empty() {
                    String::new()
                } else {
                    format!(" Concretely: {own}.")
                }
            )
        }
    }
}

fn answered_by_phrase(entry: &QuestionEntry, item: &Item) -> String {
    let q = &entry.question;
    let raw: Option<&String> = match item.kind {
        ItemKind::Probe => q
            .deep_dives
            .iter()
            .flat_map(|d| d.probes.iter())
            .find(|p| p.ask() == item.text)
            .and_then(|p| p.answered_by().first()),
        ItemKind::Tradeoff => q
            .tradeoffs
            .iter()
            .find(|t| t.id == item.group)
            .and_then(|t| t.answered_by.first()),
        ItemKind::EdgeCase => q
            .edge_cases
            .iter()
            .find(|e| e.id == item.group)
            .and_then(|e| e.covered_by.first()),
        _ => None,
    };
    raw.map(|r| r.trim_end_matches('*').to_string())
        .unwrap_or_default()
}

fn deep_dive_phrases(entry: &QuestionEntry, lexicon: &Lexicon, item: &Item) -> String {
    let concepts: Vec<String> = match item.kind {
        ItemKind::Probe => entry
            .question
            .deep_dives
            .iter()
            .find(|d| d.id == item.group)
            .map(|d| d.concepts.iter().take(2).cloned().collect())
            .unwrap_or_default(),
        _ => item
            .concepts
            .iter()
            .take(2)
            .map(|c| lexicon.get(*c).id.clone())
            .collect(),
    };
    let out: Vec<String> = concepts.iter().map(|c| phrase_for(lexicon, c)).collect();
    if out.is_empty() {
        "monitoring and a fallback".to_string()
    } else {
        out.join(" and ")
    }
}

/// Code a candidate writes for a coding question: a class whose comments name the components'
/// concepts (and `notes`), and, when `tests`, tests that cover each of the question's edge cases.
pub fn code_for(entry: &QuestionEntry, lexicon: &Lexicon, tests: bool, notes: &[String]) -> String {
    let q = &entry.question;
    let mut code = String::from(
        "```python\nclass Solution:\n    def __init__(self, client, clock):\n        self.client = client\n        self.clock = clock\n\n",
    );
    for n in notes {
        code.push_str(&format!("    # {n}\n"));
    }
    for c in &q.components {
        let name: String =
            c.id.chars()
                .map(|ch| if ch.is_alphanumeric() { ch } else { '_' })
                .collect();
        let phrases: Vec<String> = c
            .concepts
            .iter()
            .take(2)
            .map(|x| phrase_for(lexicon, x))
            .collect();
        code.push_str(&format!(
            "    def {name}(self, request):\n        # {}\n        return self.client.call(request)\n\n",
            phrases.join(", ")
        ));
    }
    if tests {
        for e in &q.edge_cases {
            let cover = e
                .covered_by
                .first()
                .map(|p| p.trim_end_matches('*'))
                .unwrap_or("");
            code.push_str(&format!(
                "def test_{}():\n    # {cover}\n    assert Solution(FakeClient(), FakeClock()).handle({cover:?})\n\n",
                e.id
            ));
        }
    }
    code.push_str("```");
    code
}
