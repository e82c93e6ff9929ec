//! Comparisons between transcripts: pairwise ordering (does the higher-labelled of two transcripts of
//! one question score higher) and manipulation lifts (what a manipulated transcript gained over its
//! weak base).

use std::collections::BTreeMap;

use super::evaluate::{Lift, PairwiseReport, Row, Scored, Selection};
use super::thresholds::Thresholds;

/// For two transcripts of one question whose labels differ by at least `gap`, whether the scorer
/// puts the higher-labelled one strictly higher.
pub(super) fn pairwise(rows: &[Row], gap: f64) -> PairwiseReport {
    let (mut pairs, mut agree) = (0, 0);
    let mut misordered = Vec::new();
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            if a.question != b.question || (a.label_overall - b.label_overall).abs() < gap {
                continue;
            }
            pairs += 1;
            let (hi, lo) = if a.label_overall > b.label_overall {
                (a, b)
            } else {
                (b, a)
            };
            if hi.overall > lo.overall {
                agree += 1;
            } else {
                misordered.push((hi.id.clone(), lo.id.clone()));
            }
        }
    }
    PairwiseReport {
        pairs,
        agree,
        agreement: if pairs == 0 {
            1.0
        } else {
            agree as f64 / pairs as f64
        },
        misordered,
    }
}

pub(super) fn lifts(
    sel: &Selection<'_>,
    scored: &BTreeMap<String, Scored>,
    bar: &Thresholds,
) -> Vec<Lift> {
    let mut out = Vec::new();
    for t in sel.transcripts() {
        let (Some(kind), Some(base)) = (&t.manipulation, &t.base) else {
            continue;
        };
        let (Some(m), Some(b)) = (scored.get(&t.id), scored.get(base)) else {
            continue;
        };
        let lifted: Vec<(String, u8, u8)> = m
            .scores
            .iter()
            .filter_map(|(id, &s)| {
                let bs = *b.scores.get(id)?;
                (s > bs).then(|| (id.clone(), bs, s))
            })
            .collect();
        let dims_above_two = m.scores.values().filter(|&&s| s > 2).count();
        let base_above_two = b.scores.values().filter(|&&s| s > 2).count();
        // The bar is broken when the manipulation lifts the transcript past it: past the bar, and
        // higher than its base in that same respect.
        let breaks_bar = (m.recommendation > bar.manipulation.max_recommendation
            && m.recommendation > b.recommendation)
            || (m.overall > bar.manipulation.max_overall && m.overall > b.overall)
            || (dims_above_two > bar.manipulation.max_dims_above_two
                && dims_above_two > base_above_two);
        if lifted.is_empty()
            && m.overall <= b.overall
            && m.recommendation <= b.recommendation
            && !breaks_bar
        {
            continue;
        }
        out.push(Lift {
            transcript: t.id.clone(),
            kind: kind.clone(),
            base: base.clone(),
            base_overall: b.overall,
            overall: m.overall,
            base_recommendation: b.recommendation,
            recommendation: m.recommendation,
            lifted,
            dims_above_two,
            breaks_bar,
        });
    }
    out
}
