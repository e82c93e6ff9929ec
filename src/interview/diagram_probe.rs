//! The interviewer reading the candidate's latest diagram: which of the question's components it
//! draws (named, never explained: coverage ignores diagram source), and the one question to ask about
//! it: a component the question expects that the diagram leaves out, a box connected to nothing, one
//! arrow (what flows along it, and what happens when its target is down), or a box every path goes
//! through. Each kind is asked once in a session, read back from the transcript like every other
//! question, and its words name only what the candidate drew or the question's own components.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::{ConceptIdx, Lexicon};
use crate::analysis::text::words;
use crate::content::{PhaseMode, QuestionEntry};
use crate::diagram::{self, Diagram, EdgeStyle, graph};

use super::directive::FollowUp;
use super::memory::{Memory, Spoken};

/// Labels that stand for whoever uses the system, not a part of it.
const OUTSIDE: &[&str] = &[
    "user",
    "users",
    "client",
    "clients",
    "browser",
    "customer",
    "customers",
    "widget",
    "app",
    "mobile",
];

/// The kinds of diagram question, in the order they are worth asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Missing,
    Unconnected,
    Edge,
    SinglePoint,
}

impl ProbeKind {
    const ALL: [ProbeKind; 4] = [
        ProbeKind::Missing,
        ProbeKind::Unconnected,
        ProbeKind::Edge,
        ProbeKind::SinglePoint,
    ];

    fn id(self) -> &'static str {
        match self {
            ProbeKind::Missing => "missing",
            ProbeKind::Unconnected => "unconnected",
            ProbeKind::Edge => "edge",
            ProbeKind::SinglePoint => "single_point",
        }
    }

    /// How a senior interviewer asks it, at a whiteboard. `{a}` and `{b}` are what the candidate drew
    /// (or, for a missing piece, the question's own component name). Each phrasing's opening words
    /// are its own, so the transcript shows which kinds were asked.
    fn phrasings(self) -> &'static [&'static str] {
        match self {
            ProbeKind::Missing => &[
                "I don't see {a} anywhere in your diagram. Where would it sit, and what talks to it?",
                "Your diagram leaves out {a}. Is that deliberate, or where does it go?",
            ],
            ProbeKind::Unconnected => &[
                "In your diagram {a} isn't connected to anything. What sends it data, and what does it feed?",
                "Nothing in your diagram points to or from {a}. How does it fit into the request path?",
            ],
            ProbeKind::Edge => &[
                "Take the arrow from {a} to {b} in your diagram: what flows along it, and what happens when {b} is down?",
                "What flows from {a} to {b}, and what happens when {b} is down?",
            ],
            ProbeKind::SinglePoint => &[
                "As drawn, every request goes through {a}. What happens when it fails, and how would you keep it from being a single point of failure?",
                "Your diagram has one {a} on every path. If it goes down, what is left of the system?",
            ],
        }
    }

    /// The fixed words that open a phrasing (before its first placeholder): found in an
    /// interviewer turn, they show the question was asked.
    fn markers(self) -> impl Iterator<Item = &'static str> {
        self.phrasings()
            .iter()
            .map(|p| p.split('{').next().unwrap_or(p).trim())
    }
}

/// The latest diagram of the session, read as the interviewer reads it (for the prompt too).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DiagramReading {
    /// One line per fact of the parse: boxes, arrows, groups, what is unconnected or on every path.
    pub summary: String,
    /// The question's components the diagram draws (named, not explained), by id.
    #[serde(skip)]
    pub drawn: Vec<String>,
    #[serde(skip)]
    diagram: Diagram,
    /// The turn that carried it.
    #[serde(skip)]
    pub turn_id: i64,
}

/// Reads the newest diagram a candidate turn carried, if it parses. A memory that has read the
/// whole transcript knows which turn that is; otherwise the transcript is searched.
pub fn read(
    entry: &QuestionEntry,
    lexicon: &Lexicon,
    turns: &[Spoken<'_>],
    memory: &Memory,
) -> Option<DiagramReading> {
    let known = if memory.has_read(turns.len()) {
        Some(memory.last_diagram?)
    } else {
        None
    };
    let (turn_id, source) = turns
        .iter()
        .rev()
        .filter(|t| !t.by_interviewer && known.is_none_or(|id| t.id == id))
        .find_map(|t| diagram::mermaid_blocks(t.text).pop().map(|s| (t.id, s)))?;
    let d = diagram::parse(&source).ok()?;
    let named = drawn_concepts(&d, lexicon);
    let drawn = entry
        .question
        .components
        .iter()
        .filter(|c| {
            c.concepts
                .iter()
                .filter_map(|id| lexicon.index(id))
                .any(|i| named.contains(&i))
        })
        .map(|c| c.id.clone())
        .collect();
    Some(DiagramReading {
        summary: summary(&d),
        drawn,
        diagram: d,
        turn_id,
    })
}

/// The concepts the diagram's boxes, groups and arrow labels name.
fn drawn_concepts(d: &Diagram, lexicon: &Lexicon) -> BTreeSet<ConceptIdx> {
    d.nodes
        .iter()
        .map(|n| n.label.as_str())
        .chain(d.subgraphs.iter().map(|s| s.title.as_str()))
        .chain(d.edges.iter().filter_map(|e| e.label.as_deref()))
        .flat_map(|l| lexicon.concepts_in(&words(l)))
        .collect()
}

fn summary(d: &Diagram) -> String {
    let mut lines = vec![format!(
        "Boxes: {}.",
        d.nodes
            .iter()
            .map(|n| n.label.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    )];
    let arrows: Vec<String> = d
        .edges
        .iter()
        .filter(|e| e.style != EdgeStyle::Invisible)
        .map(|e| {
            let op = if e.both_ways {
                "<->"
            } else if e.directed {
                "->"
            } else {
                "--"
            };
            match &e.label {
                Some(l) => format!("{} {op} {} ({l})", d.label_of(&e.from), d.label_of(&e.to)),
                None => format!("{} {op} {}", d.label_of(&e.from), d.label_of(&e.to)),
            }
        })
        .collect();
    if !arrows.is_empty() {
        lines.push(format!("Arrows: {}.", arrows.join("; ")));
    }
    for s in &d.subgraphs {
        let members: Vec<&str> = s.nodes.iter().map(|n| d.label_of(n)).collect();
        lines.push(format!("Group {}: {}.", s.title, members.join("; ")));
    }
    let loose: Vec<&str> = graph::unconnected(d)
        .iter()
        .map(|n| n.label.as_str())
        .collect();
    if !loose.is_empty() {
        lines.push(format!("Not connected: {}.", loose.join("; ")));
    }
    let spof: Vec<&str> = graph::single_points_of_failure(d)
        .iter()
        .map(|n| n.label.as_str())
        .collect();
    if !spof.is_empty() {
        lines.push(format!(
            "On every path, no replica drawn: {}.",
            spof.join("; ")
        ));
    }
    lines.join("\n")
}

/// Whether the interviewer asked this kind already in the session.
fn asked(kind: ProbeKind, turns: &[Spoken<'_>]) -> bool {
    turns
        .iter()
        .filter(|t| t.by_interviewer)
        .any(|t| kind.markers().any(|m| t.text.contains(m)))
}

/// The next diagram question, if any is left: only in the phases where a design is drawn and
/// discussed (not while asking about requirements, not in Q&A).
pub fn next(
    entry: &QuestionEntry,
    lexicon: &Lexicon,
    coverage: &Coverage,
    turns: &[Spoken<'_>],
    reading: &DiagramReading,
    mode: PhaseMode,
) -> Option<FollowUp> {
    if matches!(mode, PhaseMode::Clarify | PhaseMode::Qa) {
        return None;
    }
    let seed = reading.turn_id.unsigned_abs() as usize;
    ProbeKind::ALL
        .into_iter()
        .filter(|k| !asked(*k, turns))
        .find_map(|kind| {
            let (a, b) = target(kind, entry, lexicon, coverage, reading)?;
            let options = kind.phrasings();
            let text = options[seed % options.len()]
                .replace("{a}", &a)
                .replace("{b}", &b);
            Some(FollowUp {
                item: format!("diagram.{}", kind.id()),
                question: text,
                lead: None,
            })
        })
}

/// What the question names: a missing component (one never covered in prose first), a loose box,
/// an arrow between two parts of the system (one between two of the question's components first),
/// or a box on every path.
fn target(
    kind: ProbeKind,
    entry: &QuestionEntry,
    lexicon: &Lexicon,
    coverage: &Coverage,
    reading: &DiagramReading,
) -> Option<(String, String)> {
    let d = &reading.diagram;
    match kind {
        ProbeKind::Missing => {
            let missing: Vec<_> = entry
                .question
                .components
                .iter()
                .filter(|c| !reading.drawn.contains(&c.id))
                .collect();
            let untold = missing
                .iter()
                .find(|c| !coverage.covers_any(lexicon, &c.concepts))
                .or(missing.first())?;
            Some((short_name(&untold.name), String::new()))
        }
        ProbeKind::Unconnected => graph::unconnected(d)
            .first()
            .map(|n| (the(&n.label), String::new())),
        ProbeKind::Edge => {
            let inside = |id: &str| !outside(d.label_of(id));
            let component = |id: &str| !lexicon.concepts_in(&words(d.label_of(id))).is_empty();
            let edges: Vec<_> = d
                .edges
                .iter()
                .filter(|e| e.style != EdgeStyle::Invisible && e.from != e.to)
                .filter(|e| inside(&e.from) && inside(&e.to))
                .collect();
            let e = edges
                .iter()
                .find(|e| component(&e.from) && component(&e.to))
                .or_else(|| edges.iter().find(|e| component(&e.to)))
                .or(edges.first())?;
            Some((the(d.label_of(&e.from)), the(d.label_of(&e.to))))
        }
        ProbeKind::SinglePoint => graph::single_points_of_failure(d)
            .into_iter()
            .find(|n| !outside(&n.label))
            .map(|n| (n.label.clone(), String::new())),
    }
}

fn outside(label: &str) -> bool {
    words(label).iter().any(|w| OUTSIDE.contains(&w.as_str()))
}

/// A drawn label as spoken: "the API gateway" (as the candidate wrote it, with an article).
fn the(label: &str) -> String {
    let lower = label.to_lowercase();
    if ["the ", "a ", "an ", "our ", "my "]
        .iter()
        .any(|a| lower.starts_with(a))
    {
        label.to_string()
    } else {
        format!("the {label}")
    }
}

/// A component's name as spoken: "Ingestion, parsing and chunking pipeline" becomes "the ingestion,
/// parsing and chunking pipeline"; parenthesised detail is dropped.
fn short_name(name: &str) -> String {
    let base = name.split('(').next().unwrap_or(name).trim();
    let mut chars = base.chars();
    let lowered = match (chars.next(), chars.next()) {
        // Keep an acronym's capitals ("API gateway", "LLM serving").
        (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase() => base.to_string(),
        _ => {
            let mut s = base.to_string();
            if let Some(first) = s.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            s
        }
    };
    format!("the {lowered}")
}
