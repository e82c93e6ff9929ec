//! The API's JSON as the terminal client reads it: only the fields it shows, each lenient (a
//! missing field takes its default), so the client works against servers a version apart.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Question {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub prompt: String,
    pub levels: Vec<String>,
    pub duration_minutes: u32,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Phase {
    pub id: String,
    pub name: String,
    pub minutes: u32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Turn {
    pub id: i64,
    pub role: String,
    pub phase: String,
    pub content: String,
    pub hint: bool,
    pub incomplete: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Session {
    pub id: String,
    pub question: Question,
    pub level: String,
    pub status: String,
    pub phase: String,
    pub phase_index: usize,
    pub phases: Vec<Phase>,
    pub phase_time_left_seconds: i64,
    pub interview_time_left_seconds: i64,
    pub turns: Vec<Turn>,
}

impl Session {
    pub fn finished(&self) -> bool {
        self.status == "finished"
    }

    /// The phase's name, or its id when the session does not list it.
    pub fn phase_name(&self, id: &str) -> String {
        self.phases
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// 1-based position of a phase, for "phase 2 of 5".
    pub fn phase_number(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id).map(|i| i + 1)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Scorecard {
    pub session_id: String,
    pub question_id: String,
    pub level: String,
    pub scorer: String,
    pub overall: Overall,
    pub dimensions: Vec<Dimension>,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    pub hints_used: u32,
    pub limits: Option<String>,
    pub reliability: Option<Reliability>,
}

/// The card's track record; the terminal shows its sentence.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reliability {
    pub summary: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Overall {
    pub score: u32,
    pub recommendation: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub score: u32,
    pub evidence: Vec<Evidence>,
    pub feedback: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Evidence {
    pub turn_id: i64,
    pub quote: String,
}

/// An error body: `{"error":{"code","message"}}`, also the data of a stream's `notice` and `error`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CodeMessage {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    pub error: CodeMessage,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PhaseChange {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Token {
    pub delta: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub turn_id: i64,
    pub phase: String,
}

/// `POST /api/diagrams/parse`: a Mermaid flowchart as the interviewer reads it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DiagramParse {
    pub valid: bool,
    pub diagram: Option<DiagramShape>,
    pub errors: Vec<DiagramError>,
    pub unconnected: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DiagramShape {
    pub nodes: Vec<serde_json::Value>,
    pub edges: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DiagramError {
    pub line: u32,
    pub message: String,
}
