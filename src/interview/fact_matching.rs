//! Which hidden facts a candidate's question asks for, by what the question is about rather than by
//! any word it shares with a fact. "How fast does it grow?" asks about growth: the vague "how fast"
//! gives way to the telling "grow". "What day did the P99 shift begin?" asks when, not for the P99:
//! a wh-question asks about what follows its question word, a cue in a subordinate clause ("when
//! latency spiked") or one the candidate read in the prompt is context. Several facts are answered
//! together only when the question lists them ("latency, availability and cost"). A question whose
//! only cues are vague and point at several facts is ambiguous: the interviewer asks which one.
//!
//! `fact_ids_asked` is the one entry point for anyone replaying transcripts (the scorer, `calibrate`).

use crate::content::fact_cues::CueMatch;
use crate::content::{PhaseMode, QuestionEntry};

use super::understanding::{Act, Clause, ReadingContext, Understanding, understand};

/// What one question clause asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseFacts {
    /// These facts (indices into the question's facts), in the order asked.
    Facts(Vec<usize>),
    /// Vague: it could be any of these.
    Ambiguous(Vec<usize>),
    /// No fact answers it.
    None,
}

/// A fact asked for in a turn, with the clause that asked.
#[derive(Debug, Clone, PartialEq)]
pub struct FactAsk {
    pub fact: usize,
    pub quote: String,
    /// Asked by a bare topic ("Latency."), not a question.
    pub bare: bool,
}

/// What a turn's questions ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnFacts {
    pub asked: Vec<FactAsk>,
    /// Vague questions, each with the facts it could mean.
    pub ambiguous: Vec<(String, Vec<usize>)>,
    /// Questions about the scenario that no fact answers.
    pub unanswered: Vec<String>,
}

/// Words that open a subordinate clause: what follows is context, not what is asked.
fn is_subordinator(w: &str) -> bool {
    matches!(
        w,
        "when"
            | "while"
            | "during"
            | "since"
            | "because"
            | "if"
            | "after"
            | "before"
            | "that"
            | "which"
            | "whenever"
            | "once"
            | "until"
            | "compared"
            | "versus"
            | "vs"
            | "given"
    )
}

/// Adverbs and adjectives that follow "how" to ask about a manner or degree.
fn is_manner_word(w: &str) -> bool {
    matches!(
        w,
        "fast"
            | "quickly"
            | "quick"
            | "often"
            | "frequently"
            | "soon"
            | "long"
            | "slow"
            | "slowly"
            | "much"
            | "badly"
            | "early"
            | "late"
            | "far"
            | "reliably"
            | "accurately"
    )
}

fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "do" | "does"
            | "did"
            | "is"
            | "are"
            | "was"
            | "were"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "must"
            | "has"
            | "have"
    )
}

/// Words that join items of one list.
fn is_list_joiner(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "the"
            | "a"
            | "an"
            | "plus"
            | "also"
            | "as"
            | "well"
            | "its"
            | "their"
            | "our"
            | "your"
            | "any"
            | "both"
            | "either"
            | "what"
            | "which"
            | "s"
            | "about"
            | "expected"
            | "target"
            | "targets"
            | "overall"
            | "then"
            | "last"
            | "finally"
    )
}

/// Words that make what lies between two cues a clause of its own rather than a list.
fn breaks_a_list(w: &str) -> bool {
    is_auxiliary(w)
        || is_subordinator(w)
        || matches!(
            w,
            "how"
                | "when"
                | "where"
                | "who"
                | "why"
                | "i"
                | "we"
                | "you"
                | "they"
                | "it"
                | "begin"
                | "began"
                | "start"
                | "started"
                | "go"
                | "goes"
                | "went"
                | "get"
                | "gets"
                | "of"
                | "in"
                | "on"
                | "for"
                | "from"
                | "by"
                | "to"
                | "with"
                | "only"
                | "just"
                | "not"
        )
}

struct Scored {
    fact: usize,
    score: f64,
    start: usize,
    end: usize,
    specific: bool,
}

/// What one clause asks for. `wh`: the clause opens with a question word.
pub fn clause_facts(entry: &QuestionEntry, words: &[String], wh: bool) -> ClauseFacts {
    let mut matches = entry.fact_cues.matches(words);
    // A cue inside a longer cue of another fact is part of that phrase: "latency budget" is not
    // "budget".
    let all = matches.clone();
    matches.retain(|m| {
        !all.iter().any(|o| {
            o.cue.fact != m.cue.fact
                && o.len > m.len
                && o.start <= m.start
                && m.start + m.len <= o.start + o.len
        })
    });
    if matches.is_empty() {
        return ClauseFacts::None;
    }
    // Where a subordinate clause starts (not the question word that opens the clause).
    let subordinate_from = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, w)| is_subordinator(w))
        .map(|(i, _)| i)
        .unwrap_or(usize::MAX);
    let wh_at = words
        .iter()
        .position(|w| {
            matches!(
                w.as_str(),
                "what" | "how" | "which" | "when" | "where" | "who"
            )
        })
        .filter(|&i| i <= 1);
    // "How quickly do bad actors adapt?", "how fast does it grow?": after "how" and an adverb, the
    // question is about the verb at the end, not about the subject in the middle.
    let verb_focus = words.first().is_some_and(|w| w == "how")
        && words.get(1).is_some_and(|w| is_manner_word(w))
        && words.get(2).is_some_and(|w| is_auxiliary(w));
    let score_of = |m: &CueMatch<'_>| {
        let mut s = if m.cue.specific {
            2.0 + 0.5 * (m.cue.words as f64 - 1.0)
        } else {
            1.0
        };
        if m.cue.given {
            s *= 0.6;
        }
        if m.start >= subordinate_from {
            s *= 0.5;
        }
        if verb_focus {
            if m.start + m.len + 3 >= words.len() {
                s *= 1.5;
            }
        } else if wh
            && let Some(at) = wh_at
            && m.start <= at + 4
        {
            s *= 1.5;
        }
        s
    };
    let mut best: Vec<Scored> = Vec::new();
    for m in &matches {
        let s = score_of(m);
        match best.iter_mut().find(|b| b.fact == m.cue.fact) {
            Some(b) if b.score >= s => {}
            Some(b) => {
                b.score = s;
                b.start = m.start;
                b.end = m.start + m.len;
                b.specific |= m.cue.specific;
            }
            None => best.push(Scored {
                fact: m.cue.fact,
                score: s,
                start: m.start,
                end: m.start + m.len,
                specific: m.cue.specific,
            }),
        }
    }
    for b in best.iter_mut() {
        b.specific = matches
            .iter()
            .any(|m| m.cue.fact == b.fact && m.cue.specific);
    }
    if best.iter().any(|b| b.specific) {
        best.retain(|b| b.specific);
    } else if best.len() > 1 {
        // Only vague cues, pointing at several facts: ask which one.
        let mut facts: Vec<usize> = best.iter().map(|b| b.fact).collect();
        facts.sort();
        return ClauseFacts::Ambiguous(facts);
    }
    best.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.start.cmp(&b.start))
    });
    let Some(top) = best.first() else {
        return ClauseFacts::None;
    };
    let mut kept: Vec<&Scored> = vec![top];
    // Others count only when the question lists them beside a kept one.
    loop {
        let before = kept.len();
        for cand in best.iter().skip(1) {
            if kept.iter().any(|k| k.fact == cand.fact) || cand.score < top.score * 0.5 {
                continue;
            }
            // "the chunk content": a cue right after a kept fact's cue word modifies that item.
            let modifies_kept = cand.start > 0
                && matches.iter().any(|m| {
                    m.start + m.len == cand.start && kept.iter().any(|k| k.fact == m.cue.fact)
                });
            if !modifies_kept && kept.iter().any(|k| listed_together(words, k, cand)) {
                kept.push(cand);
            }
        }
        if kept.len() == before {
            break;
        }
    }
    kept.sort_by_key(|k| k.start);
    ClauseFacts::Facts(kept.iter().map(|k| k.fact).collect())
}

/// Whether two cues sit in one list: only joiners ("and", "or", "the") between them.
fn listed_together(words: &[String], a: &Scored, b: &Scored) -> bool {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if second.start < first.end {
        // Overlapping cues ("GPU memory snapshot"): one thing asked, read two ways.
        return false;
    }
    // "traffic, latency, models and budget": items of a list, even where one item ("models") is
    // not a cue; "what day and time did the P99 shift": not a list, a verb stands between.
    let between = &words[first.end..second.start];
    let separators = between
        .iter()
        .filter(|w| matches!(w.as_str(), "and" | "or" | "plus"))
        .count();
    let other = between.iter().filter(|w| !is_list_joiner(w)).count();
    separators > 0 && other <= 3 * separators && !between.iter().any(|w| breaks_a_list(w))
}

/// What a turn's asking clauses ask for.
pub fn turn_facts(entry: &QuestionEntry, understanding: &Understanding) -> TurnFacts {
    let mut out = TurnFacts::default();
    // A sentence naming topics asks about them in a phase for asking, in a turn that asks or is
    // short; in a design written too early, "Next, step limits and loop detection." does not.
    let clarifying = understanding.context.is_some_and(|c| c.clarifying)
        && (understanding.has(Act::Ask) || understanding.prose_words <= 30);
    // The facts the last clause was about, for a question that refers back ("how are they
    // modelled?").
    let mut topic: Vec<usize> = Vec::new();
    for clause in &understanding.clauses {
        let asking = clause.act == Act::Ask || (clarifying && is_topic_list(entry, clause));
        let found = clause_facts(entry, &clause.list_words, clause.wh);
        if !asking {
            if let ClauseFacts::Facts(f) = &found
                && has_specific_cue(entry, &clause.list_words)
            {
                topic = f.clone();
            }
            continue;
        }
        let found = match found {
            ClauseFacts::None | ClauseFacts::Ambiguous(_)
                if clause.question && refers_back(&clause.words) && !topic.is_empty() =>
            {
                ClauseFacts::Facts(topic.clone())
            }
            other => other,
        };
        if let ClauseFacts::Facts(f) = &found {
            topic = f.clone();
        }
        match found {
            ClauseFacts::Facts(facts) => {
                for fact in facts {
                    if !out.asked.iter().any(|a| a.fact == fact) {
                        out.asked.push(FactAsk {
                            fact,
                            quote: clause.text.clone(),
                            bare: clause.bare,
                        });
                    }
                }
            }
            ClauseFacts::Ambiguous(facts) => out.ambiguous.push((clause.text.clone(), facts)),
            ClauseFacts::None => {
                if is_about_the_scenario(clause) && !clause.bare {
                    out.unanswered.push(clause.text.clone());
                }
            }
        }
    }
    // A fact asked plainly elsewhere in the turn settles a vague question about it.
    out.ambiguous
        .retain(|(_, facts)| !facts.iter().any(|f| out.asked.iter().any(|a| a.fact == *f)));
    out
}

/// In a phase for asking, a sentence that only names topics ("A few more: budget and GPU prices;
/// privacy") asks about them. One that states a figure or speaks for the candidate ("we'd shard")
/// does not.
fn is_topic_list(entry: &QuestionEntry, clause: &Clause) -> bool {
    if clause.act != Act::Statement
        || clause.words.iter().any(|w| {
            w.chars().any(|c| c.is_ascii_digit()) || matches!(w.as_str(), "i" | "we" | "let")
        })
    {
        return false;
    }
    let matches = entry.fact_cues.matches(&clause.list_words);
    if matches.iter().filter(|m| m.cue.specific).count() < 2 {
        return false;
    }
    // Mostly topics: "Traffic, latency and budget." - not "In my experience latency always matters
    // more than people think."
    let mut in_cue = vec![false; clause.list_words.len()];
    for m in &matches {
        for w in in_cue.iter_mut().skip(m.start).take(m.len) {
            *w = true;
        }
    }
    let content: Vec<bool> = clause
        .list_words
        .iter()
        .zip(&in_cue)
        .filter(|(w, _)| !is_list_joiner(w))
        .map(|(_, c)| *c)
        .collect();
    let cued = content.iter().filter(|c| **c).count();
    cued * 10 >= content.len() * 6
}

fn has_specific_cue(entry: &QuestionEntry, words: &[String]) -> bool {
    entry
        .fact_cues
        .matches(words)
        .iter()
        .any(|m| m.cue.specific)
}

/// A question that points back at the topic before it.
fn refers_back(words: &[String]) -> bool {
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "they" | "them" | "it" | "those" | "these" | "that" | "this"
        )
    }) || words
        .iter()
        .all(|w| crate::content::fact_cues::is_frame_word(w))
}

/// Whether a question with no fact behind it is still about the scenario (and deserves "no
/// specific figure: assume one"), rather than a bare "why?" or "and then?".
fn is_about_the_scenario(clause: &Clause) -> bool {
    clause
        .words
        .iter()
        .filter(|w| !crate::content::fact_cues::is_frame_word(w))
        .count()
        >= 1
}

/// How a phase of a kind reads candidate turns.
pub fn reading_context(kind: &str, mode: PhaseMode, last_phase: bool) -> ReadingContext {
    ReadingContext {
        clarifying: mode == PhaseMode::Clarify,
        evidence_on_request: kind == "debugging",
        last_phase,
    }
}

/// The ids of the hidden facts a candidate's text asks for, in a phase of the given mode: what the
/// interviewer would answer. For replaying transcripts (the scorer, `calibrate`).
pub fn fact_ids_asked(entry: &QuestionEntry, text: &str, mode: PhaseMode) -> Vec<String> {
    let u = understand(text, reading_context(&entry.question.kind, mode, false));
    turn_facts(entry, &u)
        .asked
        .into_iter()
        .map(|a| entry.question.facts[a.fact].id.clone())
        .collect()
}

/// Whether a clause is one that may be answered with facts.
pub fn asks(clause: &Clause) -> bool {
    clause.act == Act::Ask
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::LazyLock;

    use super::*;
    use crate::content::{Catalog, ContentRoot};

    static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
    });

    fn asked(question: &str, text: &str) -> Vec<String> {
        let entry = CATALOG.question(question).unwrap();
        fact_ids_asked(entry, text, PhaseMode::Clarify)
    }

    #[test]
    fn growth_is_not_latency() {
        assert_eq!(
            asked(
                "enterprise-knowledge-base",
                "How many documents are in the knowledge base, and how fast does it grow?"
            ),
            vec!["corpus_size"]
        );
        assert_eq!(
            asked(
                "enterprise-knowledge-base",
                "How fast should answers come back?"
            ),
            vec!["latency"]
        );
    }

    #[test]
    fn a_question_about_when_is_answered_with_when() {
        assert_eq!(
            asked(
                "debug-latency-spikes",
                "What day and time did the P95/P99 shift begin?"
            ),
            vec!["when_started"]
        );
    }

    #[test]
    fn a_listed_question_gets_every_fact_it_lists() {
        assert_eq!(
            asked(
                "enterprise-knowledge-base",
                "What are the latency, availability and budget targets?"
            ),
            vec!["latency", "availability", "budget"]
        );
    }

    #[test]
    fn statements_and_process_questions_ask_for_nothing() {
        for text in [
            "Can we move on?",
            "How did I do?",
            "I'll assume the latency target is about a second.",
            "We shard the index by tenant and cache query embeddings.",
        ] {
            assert!(
                asked("enterprise-knowledge-base", text).is_empty(),
                "{text}"
            );
        }
    }
}
