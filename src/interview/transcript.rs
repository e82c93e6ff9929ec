//! Transcripts for review: the JSON shape and its Markdown rendering.

use std::fmt::Write;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::TurnRole;
use crate::scoring::Scorecard;

use super::views::{PhaseUsage, SessionView};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Transcript {
    pub session: SessionView,
    pub phases: Vec<PhaseUsage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<Scorecard>,
}

fn minutes(secs: i64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

pub fn markdown(t: &Transcript) -> String {
    let s = &t.session;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", s.question.title);
    let _ = writeln!(out, "- Session: `{}`", s.id);
    let _ = writeln!(
        out,
        "- Kind: {} · Level: {} · Status: {}",
        s.question.kind,
        s.level.as_str(),
        s.status
    );
    let _ = writeln!(out, "- Started: {}", s.started_at);
    if let Some(f) = &s.finished_at {
        let _ = writeln!(out, "- Finished: {f}");
    }
    let _ = writeln!(out, "- Interviewer: {}", s.interviewer.mode);
    let _ = writeln!(out, "\n## Question\n\n{}\n", s.question.prompt);
    let _ = writeln!(out, "## Phases\n\n| Phase | Budget | Used |\n|---|---|---|");
    for p in &t.phases {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            p.name,
            minutes(i64::from(p.budget_seconds)),
            minutes(p.time_used_seconds)
        );
    }
    let _ = writeln!(out, "\n## Transcript");
    let mut phase = String::new();
    for turn in &s.turns {
        if turn.phase != phase {
            phase = turn.phase.clone();
            let name = s
                .phases
                .iter()
                .find(|p| p.id == phase)
                .map(|p| p.name.as_str())
                .unwrap_or(&phase);
            let _ = writeln!(out, "\n### {name}\n");
        }
        let who = match turn.role {
            TurnRole::Candidate => "Candidate",
            TurnRole::Interviewer => "Interviewer",
        };
        let marks: Vec<&str> = [
            (turn.spoken, "spoken"),
            (turn.hint, "hint"),
            (turn.incomplete, "incomplete"),
        ]
        .into_iter()
        .filter_map(|(on, mark)| on.then_some(mark))
        .collect();
        let flag = if marks.is_empty() {
            String::new()
        } else {
            format!(" ({})", marks.join(", "))
        };
        let _ = writeln!(
            out,
            "**{who}** · {} · turn {}{flag}\n",
            turn.created_at, turn.id
        );
        let _ = writeln!(out, "{}\n", turn.content.trim());
    }
    if !s.requirements_revealed.is_empty() {
        let _ = writeln!(out, "## Requirements revealed\n");
        for r in &s.requirements_revealed {
            let _ = writeln!(out, "- **{}** (turn {}): {}", r.topic, r.turn_id, r.answer);
        }
        out.push('\n');
    }
    if let Some(c) = &t.scorecard {
        let _ = writeln!(
            out,
            "## Scorecard\n\nOverall **{}/100**, recommendation **{}** (scorer: {}, rubric {}@{})\n",
            c.overall.score,
            c.overall.recommendation.as_str(),
            c.scorer,
            c.rubric.id,
            c.rubric.version
        );
        if c.hints_used > 0 {
            let _ = writeln!(out, "Hints used: {}\n", c.hints_used);
        }
        // What the scorer cannot see and how far to trust it travel with the card.
        for note in [
            c.limits.as_deref(),
            c.reliability.as_ref().map(|r| r.summary.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            let _ = writeln!(out, "_{}_\n", note.trim());
        }
        for d in &c.dimensions {
            let _ = writeln!(out, "### {} — {}/4\n\n{}\n", d.name, d.score, d.feedback);
            for e in &d.evidence {
                let _ = writeln!(
                    out,
                    "> {} (turn {})\n",
                    e.quote.replace('\n', " "),
                    e.turn_id
                );
            }
        }
        if !c.requirements.missed.is_empty() {
            let _ = writeln!(out, "### Requirements missed\n");
            for m in &c.requirements.missed {
                let _ = writeln!(out, "- **{}**: {}", m.topic, m.answer);
            }
            out.push('\n');
        }
        for (title, list) in [
            ("Strengths", &c.strengths),
            ("Improvements", &c.improvements),
        ] {
            if !list.is_empty() {
                let _ = writeln!(out, "### {title}\n");
                for item in list.iter() {
                    let _ = writeln!(out, "- {item}");
                }
                out.push('\n');
            }
        }
    }
    out
}
