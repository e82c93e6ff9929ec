//! Mermaid flowcharts in a candidate's answer: the fenced ```mermaid blocks read out of a turn's
//! Markdown (`extract`), parsed into nodes, edges and subgraphs with line-numbered errors (`parse`,
//! over the statement scanner in `scan`), and read as a graph (`graph`: what is unconnected, what every
//! path goes through). Pure: no I/O, no interview types; the interviewer, the scorers and the parse
//! endpoint all read a diagram through it.

mod extract;
pub mod graph;
mod parse;
#[cfg(test)]
mod properties;
mod scan;

use serde::Serialize;
use utoipa::ToSchema;

pub use extract::{latest_diagram, mermaid_blocks, strip_mermaid_blocks};
pub use parse::parse;

/// The longest source the parser reads (a whiteboard diagram is far smaller).
pub const MAX_SOURCE_BYTES: usize = 16 * 1024;

/// Which way the flowchart is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Direction {
    TB,
    TD,
    BT,
    LR,
    RL,
}

impl Direction {
    fn parse(word: &str) -> Option<Direction> {
        Some(match word {
            "TB" => Direction::TB,
            "TD" => Direction::TD,
            "BT" => Direction::BT,
            "LR" => Direction::LR,
            "RL" => Direction::RL,
            _ => return None,
        })
    }
}

/// A node's drawn shape (mermaid's bracket syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// No brackets: the id is the label.
    Plain,
    /// `[..]`
    Rectangle,
    /// `(..)`
    Rounded,
    /// `([..])`
    Stadium,
    /// `[[..]]`
    Subroutine,
    /// `[(..)]`: a database.
    Cylinder,
    /// `((..))`
    Circle,
    /// `(((..)))`
    DoubleCircle,
    /// `>..]`
    Asymmetric,
    /// `{..}`
    Rhombus,
    /// `{{..}}`
    Hexagon,
    /// `[/../]`
    Parallelogram,
    /// `[\..\]`
    ParallelogramAlt,
    /// `[/..\]`
    Trapezoid,
    /// `[\../]`
    TrapezoidAlt,
    /// `@{ shape: .. }` (mermaid 11's shape syntax)
    Named,
}

/// A node, with the label it was last given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Node {
    pub id: String,
    /// The text shown (the id when none was given), with `<br>` and Markdown quotes removed.
    pub label: String,
    pub shape: Shape,
    /// The innermost subgraph it was first written in.
    pub subgraph: Option<String>,
    /// The 1-based line of the source it first appears on.
    pub line: usize,
}

/// How an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EdgeStyle {
    /// `-->`, `---`: solid.
    Solid,
    /// `-.-`: dotted.
    Dotted,
    /// `==`: thick.
    Thick,
    /// `~~~`: drawn invisibly (layout only).
    Invisible,
}

/// An edge between two nodes (or subgraphs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub style: EdgeStyle,
    /// It has an arrow (or circle or cross) head at `to`: `-->`, `--o`, `--x`.
    pub directed: bool,
    /// It has a head at `from` too: `<-->`, `o--o`, `x--x`.
    pub both_ways: bool,
    pub line: usize,
}

/// A `subgraph .. end` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Subgraph {
    pub id: String,
    pub title: String,
    /// Nodes first written inside it (not inside a nested one).
    pub nodes: Vec<String>,
    pub parent: Option<String>,
    pub line: usize,
}

/// A parsed flowchart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Diagram {
    /// `null` for a bare `flowchart` (mermaid lays it out top to bottom).
    pub direction: Option<Direction>,
    /// In order of first appearance.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub subgraphs: Vec<Subgraph>,
}

impl Diagram {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// A node's or a subgraph's display text.
    pub fn label_of<'a>(&'a self, id: &'a str) -> &'a str {
        if let Some(n) = self.node(id) {
            return &n.label;
        }
        self.subgraphs
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.title.as_str())
    }
}

/// Something the parser could not read, on its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
