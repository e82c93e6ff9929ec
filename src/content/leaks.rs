//! Hidden figures in what the interviewer says on its own: a follow-up, probe, trade-off, failure or
//! scaling question, or a phase opening that quotes a figure from a hidden fact gives away what the
//! candidate should have asked for. The loader reports each one with the field that holds it.

use crate::analysis::figures::{Figure, figures};

use super::model::Question;

/// A hidden figure found in an interviewer line.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    /// The figure as the line writes it.
    pub figure: String,
    /// The fact it comes from.
    pub fact: String,
}

/// The figures each hidden fact states that the question's prompt does not already give away.
#[derive(Debug, Clone, Default)]
pub struct HiddenFigures {
    facts: Vec<(String, Vec<Figure>)>,
    public: Vec<Figure>,
}

impl HiddenFigures {
    pub fn of(q: &Question) -> HiddenFigures {
        let public = figures(&q.prompt);
        let facts = q
            .facts
            .iter()
            .map(|f| {
                let own = figures(&f.answer)
                    .into_iter()
                    .filter(|fig| fig.is_telling() && !public.iter().any(|p| p.same_quantity(fig)))
                    .collect();
                (f.id.clone(), own)
            })
            .collect();
        HiddenFigures { facts, public }
    }

    /// The hidden figures a line quotes, each with the fact it belongs to.
    pub fn in_line(&self, line: &str) -> Vec<Leak> {
        let mut out: Vec<Leak> = Vec::new();
        for fig in figures(line) {
            if !fig.is_telling() || self.public.iter().any(|p| p.same_quantity(&fig)) {
                continue;
            }
            for (fact, own) in &self.facts {
                if own.iter().any(|h| h.same_quantity(&fig))
                    && !out.iter().any(|l| l.fact == *fact && l.figure == fig.text)
                {
                    out.push(Leak {
                        figure: fig.text.clone(),
                        fact: fact.clone(),
                    });
                }
            }
        }
        out
    }

    /// The facts whose hidden figures a text quotes.
    pub fn facts_in(&self, text: &str) -> Vec<String> {
        let mut ids: Vec<String> = self.in_line(text).into_iter().map(|l| l.fact).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// A fact's own hidden figures (what a reply must contain to have given it).
    pub fn of_fact(&self, fact: &str) -> &[Figure] {
        self.facts
            .iter()
            .find(|(id, _)| id == fact)
            .map(|(_, f)| f.as_slice())
            .unwrap_or(&[])
    }
}

/// Every line the interviewer may say unprompted, with the field that holds it.
pub fn interviewer_lines(q: &Question) -> Vec<(String, &str)> {
    let mut lines: Vec<(String, &str)> = Vec::new();
    for c in &q.components {
        lines.push((format!("components.{}.follow_up", c.id), &c.follow_up));
        // Names are said too: in hints and when asking about skipped parts.
        lines.push((format!("components.{}.name", c.id), &c.name));
    }
    for d in &q.deep_dives {
        lines.push((format!("deep_dives.{}.name", d.id), &d.name));
        for (i, p) in d.probes.iter().enumerate() {
            lines.push((format!("deep_dives.{}.probes[{i}]", d.id), p.ask()));
        }
    }
    for t in &q.tradeoffs {
        lines.push((format!("tradeoffs.{}.question", t.id), &t.question));
    }
    for (i, f) in q.failure_questions.iter().enumerate() {
        lines.push((format!("failure_questions[{i}]"), f));
    }
    for (i, s) in q.scaling_questions.iter().enumerate() {
        lines.push((format!("scaling_questions[{i}]"), s));
    }
    for e in &q.edge_cases {
        lines.push((format!("edge_cases.{}.name", e.id), &e.name));
        lines.push((format!("edge_cases.{}.question", e.id), &e.question));
    }
    // Answers about the team, the role or next steps are said to any candidate who asks about
    // those: they must not carry a hidden fact's figures either.
    for (i, a) in q.qa.iter().enumerate() {
        lines.push((format!("qa[{i}].answer"), &a.answer));
    }
    lines
}

/// The hidden figures in every line the interviewer may say unprompted.
pub fn leaks(q: &Question) -> Vec<(String, Leak)> {
    let hidden = HiddenFigures::of(q);
    interviewer_lines(q)
        .into_iter()
        .flat_map(|(field, line)| {
            hidden
                .in_line(line)
                .into_iter()
                .map(move |l| (field.clone(), l))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Fact;

    fn question(prompt: &str, answer: &str, follow_up: &str) -> Question {
        let q: Question = toml::from_str(&format!(
            r#"
id = "q"
kind = "system_design"
title = "t"
summary = "s"
prompt = "{prompt}"
reference_outline = "r"
[[facts]]
id = "scale"
topic = "Scale"
asked_by = ["scale"]
answer = "{answer}"
[[components]]
id = "c"
name = "C"
concepts = ["caching"]
follow_up = "{follow_up}"
[[deep_dives]]
id = "d"
name = "D"
concepts = ["caching"]
probes = ["p"]
[[tradeoffs]]
id = "t"
question = "q"
concepts = ["caching"]
"#
        ))
        .unwrap();
        let _: &Fact = &q.facts[0];
        q
    }

    #[test]
    fn a_follow_up_quoting_a_hidden_figure_is_a_leak() {
        let q = question(
            "Design a search system.",
            "A nightly batch of 70,000 new products and six languages.",
            "How do you ingest the nightly batch of 70k products across six languages?",
        );
        let found: Vec<String> = leaks(&q).into_iter().map(|(_, l)| l.figure).collect();
        assert_eq!(found, vec!["70 k", "six"]);
    }

    #[test]
    fn a_figure_the_prompt_already_gives_is_not_hidden() {
        let q = question(
            "Design a search system for 1,000 requests per second.",
            "Peak is 1,000 requests per second.",
            "What sits in front of the service at 1,000 RPS?",
        );
        assert!(leaks(&q).is_empty());
    }
}
