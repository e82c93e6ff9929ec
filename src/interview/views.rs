//! The JSON shapes the API returns for questions, sessions and turns.

use std::sync::{Arc, LazyLock};

use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::rfc3339;
use crate::content::{Level, PhasePlan, PhaseSpec, Question, QuestionEntry};
use crate::domain::{InterviewerMode, Recommendation, ReplySource, SessionStatus, TurnRole};
use crate::scoring::Overall;
use crate::storage::TurnRow;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhaseView {
    pub id: String,
    pub name: String,
    pub minutes: u32,
    pub budget_seconds: u32,
    pub mode: crate::content::PhaseMode,
    pub goals: Vec<String>,
}

impl From<&PhaseSpec> for PhaseView {
    fn from(p: &PhaseSpec) -> Self {
        PhaseView {
            id: p.id.clone(),
            name: p.name.clone(),
            minutes: p.minutes,
            budget_seconds: p.minutes * 60,
            mode: p.mode,
            goals: p.goals.clone(),
        }
    }
}

pub fn phase_views(plan: &PhasePlan) -> Vec<PhaseView> {
    plan.phases.iter().map(PhaseView::from).collect()
}

/// A question as candidates see it: never the hidden facts, the rubric or the reference outline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub prompt: String,
    pub prompt_html: String,
    pub levels: Vec<crate::content::Level>,
    pub duration_minutes: u32,
    pub phases: Vec<PhaseView>,
}

impl QuestionView {
    pub fn new(entry: &QuestionEntry) -> QuestionView {
        let q: &Question = &entry.question;
        QuestionView {
            id: q.id.clone(),
            kind: q.kind.clone(),
            title: q.title.clone(),
            summary: q.summary.clone(),
            prompt: q.prompt.trim().to_string(),
            prompt_html: kept_html(q.prompt.trim()),
            levels: q.levels.clone(),
            duration_minutes: entry.plan.total_minutes(),
            phases: phase_views(&entry.plan),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TurnView {
    pub id: i64,
    pub role: TurnRole,
    pub phase: String,
    pub content: String,
    /// The content as sanitised HTML, for the browser (left out of stream events).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub html: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ReplySource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<i64>,
    /// An interviewer turn given as a hint (`POST /api/sessions/{id}/hint`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hint: bool,
    /// A candidate answer spoken (`POST /api/sessions/{id}/audio`), stored as its transcription.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub spoken: bool,
    /// How long the spoken answer took, in milliseconds, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_ms: Option<i64>,
    /// The turn's ```mermaid blocks, each with its parse (left out of stream events and when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagrams: Vec<TurnDiagram>,
}

/// A Mermaid flowchart submitted in a turn, as written and as the interviewer read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TurnDiagram {
    /// The source inside the fenced block.
    pub source: String,
    /// The flowchart, when it parses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parsed: Option<crate::diagram::Diagram>,
    /// What could not be read, by line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::diagram::ParseError>,
}

impl TurnDiagram {
    pub fn of(content: &str) -> Vec<TurnDiagram> {
        crate::diagram::mermaid_blocks(content)
            .into_iter()
            .map(|source| {
                let (parsed, errors) = match crate::diagram::parse(&source) {
                    Ok(d) => (Some(d), Vec::new()),
                    Err(e) => (None, e),
                };
                TurnDiagram {
                    source,
                    parsed,
                    errors,
                }
            })
            .collect()
    }
}

/// Text the service itself wrote as safe HTML, rendered once and kept (up to a bound in bytes): a
/// question's prompt (every new session and every listing of the bank shows it) and the
/// interviewer's turns (every session of a question at a level opens alike, and the offline
/// interviewer's lines recur). A candidate's text is rendered as it comes.
fn kept_html(markdown: &str) -> String {
    const KEPT_BYTES: u64 = 8 * 1024 * 1024;
    static RENDERED: LazyLock<moka::sync::Cache<String, Arc<str>>> = LazyLock::new(|| {
        moka::sync::Cache::builder()
            .max_capacity(KEPT_BYTES)
            .weigher(|k: &String, v: &Arc<str>| {
                u32::try_from(k.len() + v.len()).unwrap_or(u32::MAX)
            })
            .build()
    });
    if let Some(html) = RENDERED.get(markdown) {
        return html.to_string();
    }
    let html = crate::markdown::to_safe_html(markdown);
    RENDERED.insert(markdown.to_string(), Arc::from(html.as_str()));
    html
}

impl From<&TurnRow> for TurnView {
    fn from(t: &TurnRow) -> Self {
        let html = match t.role {
            TurnRole::Interviewer => kept_html(&t.content),
            TurnRole::Candidate => crate::markdown::to_safe_html(&t.content),
        };
        TurnView {
            html,
            diagrams: TurnDiagram::of(&t.content),
            ..TurnView::plain(t)
        }
    }
}

impl TurnView {
    /// Without the rendered HTML: the `turn` event is on the hot path and the page re-reads the session.
    pub fn plain(t: &TurnRow) -> Self {
        TurnView {
            id: t.id,
            role: t.role,
            phase: t.phase.clone(),
            content: t.content.clone(),
            html: String::new(),
            created_at: rfc3339(t.created_at),
            incomplete: t.incomplete,
            source: t.source,
            prompt_tokens: t.prompt_tokens,
            completion_tokens: t.completion_tokens,
            hint: t.hint,
            spoken: t.spoken,
            speech_ms: t.speech_ms,
            diagrams: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevealedView {
    pub id: String,
    pub topic: String,
    pub answer: String,
    pub turn_id: i64,
    pub revealed_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InterviewerView {
    pub mode: InterviewerMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge_model: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokensView {
    pub prompt: i64,
    pub completion: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub question: QuestionView,
    pub level: Level,
    pub status: SessionStatus,
    /// A reply is streaming right now (a new turn would get 409 `turn_in_progress`).
    pub streaming: bool,
    pub phase: String,
    pub phase_index: usize,
    pub phases: Vec<PhaseView>,
    pub phase_started_at: String,
    pub phase_time_left_seconds: i64,
    pub interview_time_left_seconds: i64,
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub interviewer: InterviewerView,
    /// The template versions the session was run with, e.g. `{"interviewer": "interviewer@1"}`.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub prompt_versions: serde_json::Value,
    pub tokens: TokensView,
    pub requirements_revealed: Vec<RevealedView>,
    pub turns: Vec<TurnView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overall_score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionSummary {
    pub id: String,
    pub question_id: String,
    pub question_title: String,
    pub kind: String,
    pub level: Level,
    pub status: SessionStatus,
    pub phase: String,
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overall_score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhaseUsage {
    pub id: String,
    pub name: String,
    pub budget_seconds: u32,
    pub time_used_seconds: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<String>,
}

/// Each finished session's scores, oldest first (`GET /api/progress`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressView {
    pub sessions: Vec<ProgressPoint>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressPoint {
    pub session_id: String,
    pub question_id: String,
    /// `null` when the question is no longer in the content.
    pub question_title: Option<String>,
    /// The rubric's id.
    pub rubric: String,
    pub level: Level,
    pub finished_at: String,
    pub overall: Overall,
    pub dimensions: Vec<ProgressDimension>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressDimension {
    pub id: String,
    pub name: String,
    pub score: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(role: TurnRole, content: &str) -> TurnRow {
        TurnRow::typed(1, "s", role, "clarification", content)
    }

    /// A kept rendering is the rendering: the same interviewer words give the same safe HTML the
    /// second time, and different words are not served another turn's HTML.
    #[test]
    fn interviewer_turns_render_the_same_when_kept() {
        let text = "**Scale**: 200 QPS <script>alert(1)</script>\n\n- one";
        let fresh = crate::markdown::to_safe_html(text);
        for _ in 0..2 {
            assert_eq!(
                TurnView::from(&turn(TurnRole::Interviewer, text)).html,
                fresh
            );
        }
        assert!(!fresh.contains("<script"));
        let other = TurnView::from(&turn(TurnRole::Interviewer, "Just *this*.")).html;
        assert_eq!(other, crate::markdown::to_safe_html("Just *this*."));
        let candidate = TurnView::from(&turn(TurnRole::Candidate, text)).html;
        assert_eq!(candidate, fresh);
    }
}
