//! The scorecard as the terminal shows it: overall score and recommendation, each dimension with its
//! score, feedback and evidence quotes, then strengths and improvements.

use std::io::Write;

use super::{BANNER, BOLD, DIM, Renderer, recommendation};
use crate::practice::wire::Scorecard;

impl<W: Write> Renderer<W> {
    pub fn scorecard(&mut self, card: &Scorecard) {
        self.end_reply();
        self.line("");
        self.line(&self.paint(BANNER, "== Scorecard =="));
        let overall = format!(
            "Overall {}/100: {}",
            card.overall.score,
            recommendation(&card.overall.recommendation)
        );
        self.line(&self.paint(BOLD, &overall));
        let meta = format!(
            "Level {}, scored by the {} scorer, {} hint(s) used",
            card.level,
            card.scorer.replace('_', " "),
            card.hints_used
        );
        self.line(&self.paint(DIM, &meta));
        if let Some(limits) = card.limits.as_deref().filter(|l| !l.trim().is_empty()) {
            self.line(&self.paint(DIM, limits.trim()));
        }
        if let Some(r) = card
            .reliability
            .as_ref()
            .filter(|r| !r.summary.trim().is_empty())
        {
            self.line(&self.paint(DIM, r.summary.trim()));
        }
        for d in &card.dimensions {
            self.line("");
            let head = format!("{}  {}/4", d.name, d.score);
            self.line(&self.paint(BOLD, &head));
            if !d.feedback.trim().is_empty() {
                self.line(&format!("  {}", d.feedback.trim()));
            }
            for e in &d.evidence {
                let q = format!("  > \"{}\" (turn {})", e.quote.trim(), e.turn_id);
                self.line(&self.paint(DIM, &q));
            }
        }
        self.list("Strengths", &card.strengths);
        self.list("Improvements", &card.improvements);
    }

    fn list(&mut self, title: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.line("");
        self.line(&self.paint(BOLD, title));
        for i in items {
            self.line(&format!("  - {}", i.trim()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::printed;
    use crate::practice::wire::{Dimension, Evidence, Overall, Reliability, Scorecard};

    #[test]
    fn the_scorecard_shows_scores_evidence_feedback_and_improvements() {
        let card = Scorecard {
            level: "senior".into(),
            scorer: "offline".into(),
            overall: Overall {
                score: 64,
                recommendation: "no_hire".into(),
            },
            dimensions: vec![Dimension {
                id: "requirements".into(),
                name: "Requirements".into(),
                score: 3,
                evidence: vec![Evidence {
                    turn_id: 2,
                    quote: "How many documents?".into(),
                }],
                feedback: "You asked about scale.".into(),
            }],
            improvements: vec!["Ask about latency.".into()],
            hints_used: 1,
            limits: Some("Scored by rules, without a language model.".into()),
            reliability: Some(Reliability {
                summary:
                    "How reliable is this recommendation? On 24 interviews it also said no-hire."
                        .into(),
            }),
            ..Scorecard::default()
        };
        let out = printed(false, |r| r.scorecard(&card));
        for want in [
            "== Scorecard ==",
            "Overall 64/100: no hire",
            "1 hint(s) used",
            "Requirements  3/4",
            "  You asked about scale.",
            "  > \"How many documents?\" (turn 2)",
            "Improvements\n  - Ask about latency.",
            "Scored by rules, without a language model.",
            "How reliable is this recommendation? On 24 interviews it also said no-hire.",
        ] {
            assert!(out.contains(want), "{want:?} in:\n{out}");
        }
    }
}
