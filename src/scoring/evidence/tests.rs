//! How a card chooses each dimension's quotes among what its measure found.

use super::*;
use crate::scoring::argument::analyze;
use crate::scoring::input::{Speaker, with_turns};

const HLD: &str = "The API gateway sends each question to a retriever over a vector index of 40k help articles, then to the LLM with the top 5 passages.";
const DEEP: &str = "Chunks are 400 tokens with 50 of overlap, because articles run to 3,000 words and one answer rarely needs more than two sections.";
const TRADE: &str = "A cross-encoder reranker adds about 80 ms per query but lifts precision at 5, which matters more here than the latency budget.";

/// The quotes `choose` gives each system-design dimension when every dimension's measure found the
/// sentences of `pools` (quotes, best first), for a candidate who said HLD, DEEP and TRADE in the
/// high-level design, deep-dive and trade-offs phases.
fn chosen(pools: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    let turns = [
        (Speaker::Candidate, "high_level_design", HLD),
        (Speaker::Interviewer, "high_level_design", "Go on."),
        (Speaker::Candidate, "deep_dive", DEEP),
        (Speaker::Interviewer, "deep_dive", "Go on."),
        (Speaker::Candidate, "tradeoffs_scaling", TRADE),
    ];
    with_turns("rag-customer-support", &turns, |input| {
        let arg = analyze(input);
        let dims = &input.entry.rubric.dimensions;
        let measured: Vec<Measured> = dims
            .iter()
            .map(|d| {
                let quotes = pools
                    .iter()
                    .find(|(id, _)| *id == d.id)
                    .map(|(_, q)| *q)
                    .unwrap_or(&[]);
                let evidence = quotes
                    .iter()
                    .map(|q| {
                        arg.sentences
                            .iter()
                            .position(|s| s.quote == *q)
                            .expect("the sentence was read")
                    })
                    .collect();
                Measured {
                    evidence,
                    ..Measured::default()
                }
            })
            .collect();
        dims.iter()
            .zip(choose(&arg, dims, &measured))
            .map(|(d, e)| (d.id.clone(), e.into_iter().map(|e| e.quote).collect()))
            .collect()
    })
}

fn of<'a>(all: &'a [(String, Vec<String>)], id: &str) -> &'a [String] {
    &all.iter().find(|(d, _)| d == id).unwrap().1
}

#[test]
fn a_dimension_quotes_what_was_said_where_the_interview_asked_for_it_first() {
    // The deep-dive sentence is the measure's best, but the trade-off was argued in its own phase.
    let all = chosen(&[("tradeoffs", &[DEEP, TRADE])]);
    assert_eq!(of(&all, "tradeoffs"), [TRADE, DEEP]);
}

#[test]
fn a_sentence_is_quoted_once_when_each_dimension_has_one_of_its_own() {
    let all = chosen(&[
        ("high_level_design", &[DEEP, HLD]),
        ("technical_depth", &[DEEP]),
        ("scaling_reliability", &[DEEP, TRADE]),
    ]);
    // Technical depth has one candidate and chooses first; the others keep to their own.
    assert_eq!(of(&all, "technical_depth"), [DEEP]);
    assert_eq!(of(&all, "high_level_design"), [HLD]);
    assert_eq!(of(&all, "scaling_reliability"), [TRADE]);
}

#[test]
fn a_dimension_with_nothing_of_its_own_still_quotes_its_best_sentence() {
    // Quoting nothing would read as no evidence, which holds a dimension at 1: choosing must never
    // take a dimension's only evidence away.
    let all = chosen(&[("technical_depth", &[DEEP]), ("tradeoffs", &[DEEP])]);
    assert_eq!(of(&all, "technical_depth"), [DEEP]);
    assert_eq!(of(&all, "tradeoffs"), [DEEP]);
    assert!(of(&all, "requirements").is_empty());
}
