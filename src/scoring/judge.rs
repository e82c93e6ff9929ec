//! Keeping an LLM judge honest: parse its JSON (plain or fenced), reject unknown dimensions and
//! out-of-range scores, keep only quotes of the candidate's own credited sentences, demand evidence
//! for every score above 1, and lift no dimension past what the verified evidence reaches (`bound`).

use serde::Deserialize;

use crate::content::Rubric;

use super::bound::{EvidenceBound, verify};
use super::{DimensionScore, Evidence, Scorecard, Scorer, aggregate};

const MAX_LIST_ITEMS: usize = 8;
const MAX_TEXT_CHARS: usize = 600;
/// A judge may lift only when it lowers more than this many dimensions for each one it lifts. At 1
/// (lower more than lift), the generous mock judge (every label plus one) lifted a fresh held-out
/// middling transcript the offline scorer had put two points over the raters on two dimensions; at 2
/// it lifted nothing, and the honest one lost one lift of nine (`calibrate --llm`). The fresh weak
/// juniors of batches 10 and 11, fluent enough for the offline scorer to put five dimensions two
/// points over the raters, let it lift one at 2 (train and held-out); at 4 it lifts nothing on either
/// split, and the honest judge's figures stay within a hundredth (calibration/EXPERIMENTS.md).
const LOWERS_PER_LIFT: usize = 4;

#[derive(Debug, Deserialize)]
pub struct JudgeReply {
    pub dimensions: Vec<JudgeDimension>,
    #[serde(default)]
    pub strengths: Vec<String>,
    #[serde(default)]
    pub improvements: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct JudgeDimension {
    pub id: String,
    pub score: serde_json::Value,
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JudgeError {
    #[error("the judge's reply is not the expected JSON: {0}")]
    NotJson(String),
    #[error("the judge's reply is invalid: {0}")]
    Invalid(String),
}

/// The JSON object inside a reply: the whole text, a fenced code block, or the outermost braces.
pub fn extract_json(text: &str) -> Option<&str> {
    let t = text.trim();
    if t.starts_with('{') && t.ends_with('}') {
        return Some(t);
    }
    if let Some(start) = t.find("```") {
        let after = &t[start + 3..];
        let body_start = after.find('\n').map(|i| i + 1).unwrap_or(0);
        let body = &after[body_start..];
        if let Some(end) = body.find("```") {
            let inner = body[..end].trim();
            if inner.starts_with('{') {
                return Some(inner);
            }
        }
    }
    let (a, b) = (t.find('{')?, t.rfind('}')?);
    (a < b).then(|| &t[a..=b])
}

pub fn parse(text: &str) -> Result<JudgeReply, JudgeError> {
    let json =
        extract_json(text).ok_or_else(|| JudgeError::NotJson("no JSON object found".into()))?;
    serde_json::from_str(json).map_err(|e| JudgeError::NotJson(e.to_string()))
}

fn clip(s: &str) -> String {
    s.chars()
        .take(MAX_TEXT_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Turns a judge reply into a scorecard, trusting nothing it says that the transcript does not show.
/// `anchor` is the offline scorer's card for the same transcript and `bound` what its verified
/// evidence allows (see `bound`).
pub fn validate(
    reply: JudgeReply,
    rubric: &Rubric,
    anchor: &Scorecard,
    bound: &EvidenceBound,
) -> Result<Scorecard, JudgeError> {
    for d in &reply.dimensions {
        if rubric.dimension(&d.id).is_none() {
            return Err(JudgeError::Invalid(format!("unknown dimension `{}`", d.id)));
        }
        let ok = d.score.as_u64().is_some_and(|s| (1..=4).contains(&s));
        if !ok {
            return Err(JudgeError::Invalid(format!(
                "score {} for `{}` is not an integer 1-4",
                d.score, d.id
            )));
        }
    }
    if reply.dimensions.is_empty() {
        return Err(JudgeError::Invalid("no dimensions".into()));
    }
    // A calibrated judge disagrees with the heuristics both ways, and lowers far more than it lifts:
    // the offline scorer errs on the generous side (on fresh transcripts, several points over the
    // raters on average, and far more on fluent middling candidates).
    // One that does not lower more than `LOWERS_PER_LIFT` dimensions for each it lifts is generous
    // (or was talked into it) and lifts nothing.
    let offline_of = |id: &str| {
        anchor
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.score)
            .unwrap_or(1)
    };
    let claims = |up: bool| {
        reply
            .dimensions
            .iter()
            .filter(|d| {
                let claimed = d.score.as_u64().unwrap_or(1) as u8;
                let offline = offline_of(&d.id);
                if up {
                    claimed > offline
                } else {
                    claimed < offline
                }
            })
            .count()
    };
    let may_lift = LOWERS_PER_LIFT * claims(true) < claims(false);
    let mut dims = Vec::new();
    for rd in &rubric.dimensions {
        let offline = anchor.dimensions.iter().find(|d| d.id == rd.id);
        let offline_score = offline.map(|d| d.score).unwrap_or(1);
        let Some(jd) = reply.dimensions.iter().find(|d| d.id == rd.id) else {
            // The judge skipped it: the offline assessment stands.
            if let Some(d) = offline {
                dims.push(d.clone());
            }
            continue;
        };
        let Some(db) = bound.dimension(&rd.id) else {
            continue;
        };
        let mut evidence: Vec<Evidence> = Vec::new();
        for q in &jd.evidence {
            if let Some(e) = verify(q, db)
                && !evidence.iter().any(|x| x.quote == e.quote)
            {
                evidence.push(e);
            }
        }
        let claimed = jd.score.as_u64().unwrap_or(1) as u8;
        let mut score = claimed;
        if evidence.is_empty() {
            score = 1;
        }
        // Lowering is the judge's call; lifting stops where the verified evidence stops.
        if score > offline_score {
            score = if may_lift {
                score.min(db.ceiling)
            } else {
                offline_score
            };
        }
        let mut feedback = clip(&jd.feedback);
        if score < claimed {
            feedback.push_str(&format!(
                " (The judge proposed {claimed}; capped at {score} because the transcript's evidence does not support more.)"
            ));
        }
        dims.push(DimensionScore {
            id: rd.id.clone(),
            name: rd.name.clone(),
            score,
            evidence: if score > 1 { evidence } else { Vec::new() },
            feedback: feedback.trim().to_string(),
            missing: offline.map(|d| d.missing.clone()).unwrap_or_default(),
            reference: offline.map(|d| d.reference.clone()).unwrap_or_default(),
        });
    }
    let overall = aggregate(rubric, &dims);
    let list = |v: &[String]| {
        v.iter()
            .map(|s| clip(s))
            .filter(|s| !s.is_empty())
            .take(MAX_LIST_ITEMS)
            .collect()
    };
    Ok(Scorecard {
        scorer: Scorer::Llm,
        overall,
        dimensions: dims,
        strengths: list(&reply.strengths),
        improvements: list(&reply.improvements),
        limits: None,
        reliability: None,
        ..anchor.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::bound::DimensionBound;
    use crate::scoring::input::with_one_answer;

    const SAID: &str =
        "A cross-encoder reranker takes the top 50 passages down to 5 in about 40 ms.";

    /// The scores a judge's reply ends with on a card whose every dimension the offline scorer gave
    /// a 2 and the evidence would let rise to 3; `claims` are the judge's scores, in rubric order.
    fn judged(claims: &[u8]) -> Vec<u8> {
        with_one_answer("Walk me through ranking.", SAID, |input| {
            let mut anchor = crate::scoring::offline::score(input);
            for d in &mut anchor.dimensions {
                d.score = 2;
            }
            let bound = EvidenceBound {
                dims: anchor
                    .dimensions
                    .iter()
                    .map(|d| DimensionBound {
                        id: d.id.clone(),
                        offline: 2,
                        ceiling: 3,
                        citable: vec![(2, SAID.to_string())],
                    })
                    .collect(),
                manipulated: false,
            };
            let reply = JudgeReply {
                dimensions: anchor
                    .dimensions
                    .iter()
                    .zip(claims)
                    .map(|(d, &score)| JudgeDimension {
                        id: d.id.clone(),
                        score: score.into(),
                        evidence: vec![SAID.to_string()],
                        feedback: String::new(),
                    })
                    .collect(),
                strengths: Vec::new(),
                improvements: Vec::new(),
            };
            let card = validate(reply, &input.entry.rubric, &anchor, &bound).unwrap();
            card.dimensions.iter().map(|d| d.score).collect()
        })
    }

    /// A judge that lowers more than four times as many dimensions as it lifts may lift (as far as
    /// the evidence goes); any other is generous and lifts nothing, though its lowering stands.
    #[test]
    fn a_judge_lifts_only_when_it_lowers_more_than_four_times_what_it_lifts() {
        assert_eq!(judged(&[4, 1, 1, 1, 1, 1]), vec![3, 1, 1, 1, 1, 1]);
        assert_eq!(judged(&[4, 1, 1, 1, 1, 2]), vec![2, 1, 1, 1, 1, 2]);
        assert_eq!(judged(&[4, 1, 1, 1, 2, 2]), vec![2, 1, 1, 1, 2, 2]);
        assert_eq!(judged(&[3, 1, 2, 2, 2, 2]), vec![2, 1, 2, 2, 2, 2]);
        assert_eq!(judged(&[3, 3, 1, 1, 1, 1]), vec![2, 2, 1, 1, 1, 1]);
    }

    /// The offline card says what it cannot see and how often its recommendation matched raters'; a
    /// judge's card, built on it, reads the answers and carries neither over (the figures are the
    /// offline scorer's).
    #[test]
    fn the_offline_card_states_its_limits_and_a_judges_card_does_not_inherit_them() {
        with_one_answer("Walk me through ranking.", SAID, |input| {
            let anchor = crate::scoring::offline::score(input);
            assert!(
                anchor
                    .limits
                    .as_deref()
                    .is_some_and(|l| l.contains("not whether each call was right")),
                "{:?}",
                anchor.limits
            );
            assert!(
                anchor
                    .reliability
                    .as_ref()
                    .is_some_and(|r| r.recommendation == anchor.overall.recommendation)
            );
            let bound = EvidenceBound {
                dims: Vec::new(),
                manipulated: false,
            };
            let reply = JudgeReply {
                dimensions: anchor
                    .dimensions
                    .iter()
                    .map(|d| JudgeDimension {
                        id: d.id.clone(),
                        score: d.score.into(),
                        evidence: Vec::new(),
                        feedback: String::new(),
                    })
                    .collect(),
                strengths: Vec::new(),
                improvements: Vec::new(),
            };
            let card = validate(reply, &input.entry.rubric, &anchor, &bound).unwrap();
            assert_eq!(card.scorer, Scorer::Llm);
            assert_eq!(card.limits, None);
            assert_eq!(card.reliability, None);
        });
    }

    #[test]
    fn json_is_found_plain_fenced_or_embedded() {
        assert_eq!(extract_json(r#"{"a":1}"#), Some(r#"{"a":1}"#));
        assert_eq!(extract_json("```json\n{\"a\":1}\n```"), Some("{\"a\":1}"));
        assert_eq!(
            extract_json("Here you go: {\"a\":1} thanks"),
            Some("{\"a\":1}")
        );
        assert_eq!(extract_json("no json"), None);
    }
}
