//! The analysis itself: split each candidate turn into sentences of visible prose, classify every
//! sentence, and credit each concept once, to the first working sentence that asserts it.

use std::collections::{HashMap, HashSet};

use crate::content::{ConceptIdx, Lexicon, Measure, QuestionEntry};

use super::vocab::{SELF_REFERENCE, is_abstract, is_figure};
use super::{Argument, Class, Sentence, question_concepts};
use crate::scoring::clean::{clean, norm_words, sentence_spans};
use crate::scoring::grader::sentence_addresses_the_grader;
use crate::scoring::input::{ScoringInput, Speaker};
use crate::scoring::lang::{
    COMPARISON, GENERIC, GUESS, IGNORANCE, MECHANISM, REASON, is_function_word, negation_scope,
    reports_an_outcome, tells_the_past,
};

fn content_words(words: &[String]) -> Vec<&String> {
    words
        .iter()
        .filter(|w| !is_function_word(w) && (w.len() > 1 || w.chars().all(|c| c.is_ascii_digit())))
        .collect()
}

/// The words of a sentence with concept words and figures replaced, to spot one template filled with
/// different nouns.
/// Only the connective tissue is kept (function words); every other word becomes `_`,
/// and runs of them collapse, so "caching versus no caching ... memory" and "sharding versus
/// replication ... latency" share one skeleton. `None` when too little is left to compare.
fn skeleton(words: &[String]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for w in words {
        // Articles come and go with the nouns ("a reranker gives ...", "caching gives ...").
        if matches!(w.as_str(), "a" | "an" | "the") {
            continue;
        }
        let keep = is_function_word(w) && !matches!(w.as_str(), "no" | "not" | "t");
        let tok = if keep { w.as_str() } else { "_" };
        if tok == "_" && out.last() == Some(&"_") {
            continue;
        }
        out.push(tok);
    }
    let kept: Vec<&&str> = out.iter().filter(|t| **t != "_").collect();
    // A contrast is distinctive enough with one more word ("_ us _ but _"); anything else needs three.
    let contrast = kept
        .iter()
        .any(|t| matches!(**t, "but" | "than" | "versus" | "vs" | "whereas"));
    (kept.len() >= 3 || (contrast && kept.len() >= 2)).then(|| out.join(" "))
}

fn jaccard(a: &HashSet<&String>, b: &HashSet<&String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Concepts mentioned outside a negation's scope ("we won't need a cache" asserts no cache).
fn asserted_concepts(lex: &Lexicon, words: &[String]) -> (Vec<ConceptIdx>, Vec<ConceptIdx>) {
    let all = lex.concepts_in(words);
    let negated_words = negation_scope(words);
    let mut asserted = Vec::new();
    for c in &all {
        // Asserted when some mention of it lies outside every negation scope. A mention starts at
        // the word its phrase needs first: found in the window from that word, not in the same
        // window without it (so in "replicate, don't shard" sharding starts inside the negation).
        let positions: Vec<usize> = (0..words.len())
            .filter(|&i| {
                let end = (i + 4).min(words.len());
                lex.concepts_in(&words[i..end]).contains(c)
                    && !lex.concepts_in(&words[i + 1..end]).contains(c)
            })
            .collect();
        if positions.iter().any(|&i| !negated_words[i]) {
            asserted.push(*c);
        }
    }
    (all, asserted)
}

pub fn analyze(input: &ScoringInput<'_>) -> Argument {
    let entry: &QuestionEntry = input.entry;
    let lex = input.lexicon;
    let mut arg = Argument::default();

    // The question's own vocabulary, and what the interviewer had said before each candidate turn.
    let (prompt_words, _) = norm_words(&entry.question.prompt);
    let mut said: HashSet<String> = prompt_words.iter().cloned().collect();
    let mut question_words: HashSet<String> = said.clone();
    let (outline_words, _) = norm_words(&entry.question.reference_outline);
    question_words.extend(outline_words.iter().cloned());
    for f in &entry.question.facts {
        question_words.extend(norm_words(&f.answer).0);
    }
    let descriptor_words: HashSet<String> = entry
        .rubric
        .dimensions
        .iter()
        .flat_map(|d| d.descriptors.values())
        .flat_map(|t| norm_words(t).0)
        .filter(|w| !is_function_word(w))
        .collect();
    let concept_words: HashSet<String> = (0..lex.len()).flat_map(|i| lex.phrase_words(i)).collect();
    let universe = question_concepts(input);

    // Pass 1: sentences and their words.
    struct Raw {
        turn_index: usize,
        span_text: String,
        quotable: bool,
        words: Vec<String>,
        said_before: HashSet<String>,
        raised_before: HashSet<ConceptIdx>,
        question: bool,
        /// Addressed to the grader (read on the visible text, quotes left out).
        to_grader: bool,
    }
    let mut raised: HashSet<ConceptIdx> = lex.concepts_in(&prompt_words).into_iter().collect();
    let mut raws: Vec<Raw> = Vec::new();
    for (ti, t) in input.turns.iter().enumerate() {
        if t.speaker == Speaker::Interviewer {
            let w = norm_words(t.content).0;
            raised.extend(lex.concepts_in(&w));
            said.extend(w);
            continue;
        }
        let c = clean(t.content);
        let mut hidden = c.hidden;
        if !c.code.is_empty() {
            arg.code.push((t.turn_id, c.code.clone()));
        }
        for span in sentence_spans(&c.prose) {
            let original = &t.content[span.start..span.end];
            let masked = &c.prose[span.start..span.end];
            let (words, lookalike) = norm_words(masked);
            hidden.lookalike |= lookalike;
            if words.is_empty() {
                continue;
            }
            raws.push(Raw {
                turn_index: ti,
                span_text: original.to_string(),
                quotable: original == masked
                    && !original.chars().any(crate::scoring::clean::invisible),
                question: masked.trim_end().ends_with('?') || masked.trim_end().ends_with('？'),
                to_grader: sentence_addresses_the_grader(masked, &words),
                words,
                said_before: said.clone(),
                raised_before: raised.clone(),
            });
        }
        if hidden.any() {
            arg.hidden.merge(hidden);
            arg.hidden_turns.push(t.turn_id);
        }
    }
    // By now `said` holds the prompt and every interviewer turn.
    question_words.extend(said.iter().cloned());

    // Templates: one skeleton filled with three or more different nouns.
    let mut skeletons: HashMap<String, usize> = HashMap::new();
    for r in &raws {
        if let Some(k) = skeleton(&r.words) {
            *skeletons.entry(k).or_default() += 1;
        }
    }

    // Where the rubric scores a past story's measured results, an outcome reported by a candidate who
    // never tells anything they did ("I don't have one from work, can I do the scenario?", then "p95
    // dropped from 6.8 s to 2.3 s") is nobody's result: it is classed plain and off the question, so
    // that it earns nothing anywhere (neither as a measured result nor as a figured working sentence).
    let no_story = entry
        .rubric
        .dimensions
        .iter()
        .any(|d| d.measure == Measure::Outcomes)
        && !raws
            .iter()
            .any(|r| !r.question && !r.to_grader && tells_the_past(&r.words));

    // Pass 2: classify.
    let mut earlier: Vec<HashSet<&String>> = Vec::new();
    for r in &raws {
        let t = &input.turns[r.turn_index];
        let words = &r.words;
        let content = content_words(words);
        let content_set: HashSet<&String> = content.iter().copied().collect();
        let novel_words: Vec<&String> = content
            .iter()
            .copied()
            .filter(|w| !r.said_before.contains(*w) && !GENERIC.contains(&w.as_str()))
            .collect();
        let novel_specific = novel_words
            .iter()
            .filter(|w| !concept_words.contains(**w) && !is_abstract(w))
            .count();
        // Concrete words of the problem, whoever said them first: reasoning over the interviewer's
        // evidence uses the interviewer's words.
        let grounded = content
            .iter()
            .filter(|w| !GENERIC.contains(&w.as_str()) && !is_abstract(w))
            .count();
        let figure =
            (0..words.len()).any(|i| is_figure(words, i) && !r.said_before.contains(&words[i]));
        let (mentioned, asserted) = asserted_concepts(lex, words);
        let echo_share = if content.is_empty() {
            0.0
        } else {
            content
                .iter()
                .filter(|w| r.said_before.contains(**w))
                .count() as f64
                / content.len() as f64
        };
        let descriptor_share = if content.len() < 5 {
            0.0
        } else {
            content
                .iter()
                .filter(|w| descriptor_words.contains(**w))
                .count() as f64
                / content.len() as f64
        };
        let function_share =
            words.iter().filter(|w| is_function_word(w)).count() as f64 / words.len() as f64;
        let repeated =
            content_set.len() >= 3 && earlier.iter().any(|e| jaccard(e, &content_set) >= 0.8);
        let template = skeleton(words).is_some_and(|k| skeletons.get(&k).is_some_and(|&n| n >= 3));
        let distinct = mentioned.len();
        // A list names things without saying what they do: few function words and no verb of
        // mechanism, reason or comparison.
        let argues =
            MECHANISM.found_in(words) || REASON.found_in(words) || COMPARISON.found_in(words);
        // Dense with names but arguing ("fusion by reciprocal rank, because cosine and BM25 scores
        // aren't comparable") is how terse and strong candidates talk: such sentences were 4-9% of
        // theirs and under 1% of weak ones'. A list with an argument tacked on ("latency, scale,
        // QPS, GDPR, PII, because they are important") is still a list.
        let dense_argument = argues && !list_shaped(&r.span_text);
        let list_like = table_row(&r.span_text)
            || (words.len() >= 4 && function_share < 0.12)
            || (distinct >= 3 && (words.len() as f64) < 3.0 * distinct as f64 && !dense_argument)
            || (distinct >= 3 && !argues && function_share < 0.3);
        let invented = no_story && figure && reports_an_outcome(words);
        let relevant = !invented
            && (mentioned.iter().any(|c| universe.contains(c))
                || content
                    .iter()
                    .filter(|w| question_words.contains(**w) && !GENERIC.contains(&w.as_str()))
                    .count()
                    >= 2);
        let class = if r.to_grader {
            Class::Grader
        } else if r.question {
            Class::Question
        } else if IGNORANCE.found_in(words) {
            Class::Ignorance
        } else if descriptor_share >= 0.6
            && content.len() >= 6
            && !figure
            && SELF_REFERENCE.found_in(words)
        {
            // The rubric's own words describing the answer: self-assessment, not argument.
            Class::Grader
        } else if repeated {
            Class::Repeated
        } else if !mentioned.is_empty()
            && asserted.is_empty()
            && !REASON.found_in(words)
            && (mentioned.len() >= 2 || !figure)
        {
            // Everything it names is negated ("no cache, no sharding, no reranker are needed"):
            // it rules things out without saying why, so it argues nothing.
            Class::Plain
        } else if echo_share >= 0.7 && novel_specific < 2 && !figure {
            Class::Echo
        } else if list_like {
            Class::NameDrop
        } else if template
            || (!figure && crate::scoring::register::is_undecided(words, &r.span_text))
            || crate::scoring::register::is_hedged_proposal(words)
            || crate::scoring::register::is_vague(
                words,
                &r.span_text,
                mentioned.iter().filter(|c| universe.contains(c)).count(),
            )
        {
            Class::Filler
        } else if invented || GUESS.found_in(words) {
            // A guess ("maybe a global list that requests append to") is not a claim: it earns
            // what a plain sentence does.
            Class::Plain
        } else if (novel_specific >= 2 && (relevant || !asserted.is_empty()))
            || (figure && novel_specific >= 1)
            || (grounded >= 3
                && (!asserted.is_empty() || relevant)
                && (REASON.found_in(words)
                    || MECHANISM.found_in(words)
                    || COMPARISON.found_in(words)))
        {
            Class::Working
        } else if REASON.found_in(words) || COMPARISON.found_in(words) || !asserted.is_empty() {
            Class::Filler
        } else {
            Class::Plain
        };
        if content_set.len() >= 3 {
            earlier.push(content_set);
        }
        let working = class == Class::Working;
        arg.sentences.push(Sentence {
            turn_id: t.turn_id,
            turn_index: r.turn_index,
            phase: t.phase.to_string(),
            quote: r.span_text.clone(),
            quotable: r.quotable,
            words: words.clone(),
            class,
            credited: Vec::new(),
            echoed: asserted
                .iter()
                .copied()
                .filter(|c| r.raised_before.contains(c))
                .collect(),
            asserted: if working { asserted } else { Vec::new() },
            mentioned,
            figure: working && figure,
            mechanism: working && MECHANISM.found_in(words),
            reason: working && REASON.found_in(words),
            comparison: working && COMPARISON.found_in(words),
            novel: novel_words.len(),
            relevant,
        });
    }
    drop(raws);

    // Pass 3: each concept earned once, by the first working sentence that asserts it on its own.
    for (i, s) in arg.sentences.iter_mut().enumerate() {
        if s.class != Class::Working {
            continue;
        }
        let cap = (s.words.len() / 6).max(2);
        let mut credited = Vec::new();
        for &c in &s.asserted {
            if arg.earned.contains_key(&c) || credited.len() >= cap {
                continue;
            }
            if s.echoed.contains(&c) && s.depth() == 0 {
                continue;
            }
            credited.push(c);
        }
        for &c in &credited {
            arg.earned.insert(c, i);
        }
        s.credited = credited;
    }
    arg.question_words = question_words;
    // The reference outline's own words that neither the prompt nor the interviewer said: what a
    // candidate can only bring by knowing the answer.
    arg.reference_words = outline_words
        .into_iter()
        .filter(|w| telling_word(w) && !said.contains(w))
        .collect();
    arg.red_flags = crate::scoring::red_flags::raised(entry, &arg.sentences);
    arg.story = entry.rubric.story;
    arg
}

/// A word that can say something about a design: four letters or more, not a function word.
pub fn telling_word(w: &str) -> bool {
    w.chars().count() >= 4 && !crate::scoring::lang::is_function_word(w)
}

/// A row of a Markdown table ("| Reranker | cross-encoder over top 50 |"): cells name things side by
/// side, as a list does, without saying how they work together.
fn table_row(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('|') && t.matches('|').count() >= 3
}

/// Shaped like a list: three or more items of one or two words between commas, semicolons, slashes
/// or the words that chain items ("latency, scale, QPS, GDPR and PII"; "Redis caching and reranking
/// and sharding with replicas").
fn list_shaped(text: &str) -> bool {
    let short = |len: usize| usize::from((1..=2).contains(&len));
    let (mut items, mut item_len) = (0, 0);
    for w in text.split_inclusive('/').flat_map(str::split_whitespace) {
        let separator = ["and", "or", "with", "plus"]
            .iter()
            .any(|s| w.eq_ignore_ascii_case(s));
        if !separator {
            item_len += 1;
        }
        if separator || w.ends_with([',', ';', '/']) {
            items += short(item_len);
            item_len = 0;
        }
    }
    items + short(item_len) >= 3
}
