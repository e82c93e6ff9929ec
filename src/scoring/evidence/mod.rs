//! Which of the candidate's sentences each dimension of a card quotes: the best its measure found,
//! those said where the interview asked for the dimension first, and never another dimension's
//! quote when the dimension has one of its own. Choosing changes no score: a dimension quotes
//! something exactly when its measure found something quotable.

use std::collections::HashSet;

use crate::content::{Dimension, Measure};

use super::Evidence;
use super::argument::Argument;
use super::measures::{self, Measured};

/// How many quotes a dimension shows; the communication and code measures' sentences are
/// illustrations more than proof, so two.
fn shown(dim: &Dimension) -> usize {
    match dim.measure {
        Measure::Communication | Measure::Code => 2,
        _ => 3,
    }
}

/// Sentence indices a dimension may quote, best first, before the card chooses among them.
pub fn pool(arg: &Argument, m: &Measured, dim: &Dimension) -> Vec<usize> {
    if m.evidence.is_empty() && dim.measure == Measure::Communication {
        let working: Vec<_> = arg.working().filter(|s| s.relevant).collect();
        return measures::best_evidence(arg, &working, measures::EVIDENCE_POOL);
    }
    m.evidence.clone()
}

/// Whether a dimension has anything quotable: what holds a dimension without evidence at 1.
pub fn has_any(arg: &Argument, m: &Measured, dim: &Dimension) -> bool {
    if dim.measure == Measure::Requirements {
        !m.asked.is_empty()
    } else {
        !pool(arg, m, dim).is_empty()
    }
}

/// Every dimension's quotes, in the rubric's order. Dimensions with the fewest candidates choose
/// first, each taking sentences no other dimension has taken, those said in its evidence phases
/// (`Dimension::evidence_phases`) ahead of the rest; one left with nothing of its own quotes its
/// best sentence even if another dimension does too.
pub fn choose(arg: &Argument, dims: &[Dimension], measured: &[Measured]) -> Vec<Vec<Evidence>> {
    let pools: Vec<Vec<usize>> = dims
        .iter()
        .zip(measured)
        .map(|(dim, m)| {
            let mut p = pool(arg, m, dim);
            let phases = dim.evidence_phases();
            // Stable: within each group the measure's order (deepest first) stands.
            p.sort_by_key(|&i| !phases.contains(&arg.sentences[i].phase));
            p
        })
        .collect();
    let mut order: Vec<usize> = (0..dims.len()).collect();
    order.sort_by_key(|&d| pools[d].len());
    let mut taken: HashSet<&str> = HashSet::new();
    let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); dims.len()];
    for d in order {
        let limit = shown(&dims[d]);
        for &i in &pools[d] {
            if chosen[d].len() == limit {
                break;
            }
            let quote = arg.sentences[i].quote.as_str();
            if taken.insert(quote) {
                chosen[d].push(i);
            }
        }
        if chosen[d].is_empty() {
            chosen[d].extend(pools[d].first());
        }
    }
    dims.iter()
        .zip(measured)
        .zip(chosen)
        .map(|((dim, m), idx)| {
            if dim.measure == Measure::Requirements {
                return m
                    .asked
                    .iter()
                    .take(shown(dim))
                    .map(|(turn_id, quote)| Evidence {
                        turn_id: *turn_id,
                        quote: quote.clone(),
                    })
                    .collect();
            }
            idx.into_iter()
                .map(|i| Evidence {
                    turn_id: arg.sentences[i].turn_id,
                    quote: arg.sentences[i].quote.clone(),
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests;
