//! What one question clause asks for: the facts its cues point at, scored by where they sit (after the
//! question word, in a subordinate clause, in a list), and when it is ambiguous.

use crate::content::QuestionEntry;
use crate::content::fact_cues::CueMatch;

use super::ClauseFacts;
use super::grammar::{
    breaks_a_list, is_auxiliary, is_list_joiner, is_manner_word, is_subordinator,
};

pub(super) struct Scored {
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
