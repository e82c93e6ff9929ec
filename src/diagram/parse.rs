//! A flowchart's source, line by line: the header (`flowchart`/`graph` and a direction), statements
//! split on `;`, subgraph blocks, ignored styling lines, and `%%` comments; every line it cannot read
//! is reported with its number, and every other diagram type is named as unsupported.

use super::scan::{self, Chain, NodeRef};
use super::{Diagram, Direction, Edge, MAX_SOURCE_BYTES, Node, ParseError, Shape, Subgraph};

/// Mermaid's other diagram types, named in the error when a source starts with one.
const OTHER_TYPES: &[&str] = &[
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "stateDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "journey",
    "gantt",
    "pie",
    "quadrantChart",
    "requirementDiagram",
    "gitGraph",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "mindmap",
    "timeline",
    "zenuml",
    "sankey-beta",
    "xychart-beta",
    "block-beta",
    "packet-beta",
    "kanban",
    "architecture-beta",
    "radar-beta",
    "treemap-beta",
];

/// Lines that style or link out and carry nothing about the design.
const IGNORED: &[&str] = &[
    "classDef",
    "class",
    "style",
    "linkStyle",
    "click",
    "accTitle",
    "accDescr",
    "title",
];

/// Parses a Mermaid flowchart (`flowchart` or `graph`). Every problem is reported, each with its line.
pub fn parse(source: &str) -> Result<Diagram, Vec<ParseError>> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(vec![err(
            1,
            format!("the diagram is over {} KiB", MAX_SOURCE_BYTES / 1024),
        )]);
    }
    let mut b = Builder::default();
    let mut header: Option<usize> = None;
    let mut front_matter = false;
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let text = strip_comment(raw).trim();
        if header.is_none() && (text == "---" || front_matter) {
            // YAML front matter (`---` ... `---`) before the header: a title or config.
            front_matter = !(front_matter && text == "---");
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let mut statements = split_statements(text).into_iter();
        if header.is_none() {
            let first = statements.next().unwrap_or_default();
            match read_header(first) {
                Ok(dir) => {
                    b.diagram.direction = dir;
                    header = Some(line);
                }
                Err(message) => return Err(vec![err(line, message)]),
            }
        }
        for statement in statements {
            b.statement(statement, line);
        }
    }
    if header.is_none() {
        return Err(vec![err(
            1,
            "the diagram is empty: start it with `flowchart LR` (or `graph TD`)".into(),
        )]);
    }
    for open in b.open.drain(..).rev() {
        let line = b.diagram.subgraphs[open].line;
        let id = b.diagram.subgraphs[open].id.clone();
        b.errors.push(err(
            line,
            format!("subgraph `{id}` is not closed with `end`"),
        ));
    }
    if !b.errors.is_empty() {
        b.errors.sort_by_key(|e| e.line);
        return Err(b.errors);
    }
    Ok(b.finish())
}

fn err(line: usize, message: String) -> ParseError {
    ParseError { line, message }
}

fn read_header(text: &str) -> Result<Option<super::Direction>, String> {
    let mut words = text.split_whitespace();
    let keyword = words.next().unwrap_or_default();
    if keyword != "flowchart" && keyword != "graph" {
        if let Some(other) = OTHER_TYPES.iter().find(|t| t.eq_ignore_ascii_case(keyword)) {
            return Err(format!(
                "`{other}` diagrams are not supported: draw the design as a `flowchart` (or `graph`)"
            ));
        }
        return Err(format!(
            "a diagram starts with `flowchart` or `graph` and a direction (TD, LR...), not `{}`",
            text.chars().take(30).collect::<String>()
        ));
    }
    let dir = match words.next() {
        None => None,
        Some(w) => Some(
            Direction::parse(w)
                .ok_or_else(|| format!("`{w}` is not a direction: use TB, TD, BT, LR or RL"))?,
        ),
    };
    if let Some(extra) = words.next() {
        return Err(format!(
            "unexpected `{extra}` after the diagram's direction"
        ));
    }
    Ok(dir)
}

/// Drops a `%%` comment, unless it sits inside quotes (a label may say `50%%`).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let bytes = line.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b'%' if !quoted && bytes.get(i + 1) == Some(&b'%') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Splits a line on `;` outside quotes and brackets.
fn split_statements(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth = depth.saturating_sub(1),
            ';' if !quoted && depth == 0 => {
                out.push(line[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(line[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

#[derive(Default)]
struct Builder {
    diagram: Diagram,
    /// Indexes into `diagram.subgraphs` of the open ones, innermost last.
    open: Vec<usize>,
    errors: Vec<ParseError>,
}

impl Builder {
    fn statement(&mut self, text: &str, line: usize) {
        let keyword = text.split_whitespace().next().unwrap_or_default();
        let rest = text[keyword.len()..].trim();
        match keyword {
            "subgraph" => self.open_subgraph(rest, line),
            "end" if rest.is_empty() => {
                if self.open.pop().is_none() {
                    self.errors
                        .push(err(line, "`end` with no open `subgraph`".into()));
                }
            }
            "direction" => {
                if Direction::parse(rest).is_none() {
                    self.errors.push(err(
                        line,
                        format!("`{rest}` is not a direction: use TB, TD, BT, LR or RL"),
                    ));
                }
            }
            k if IGNORED.contains(&k) && !rest.starts_with(['-', '=', '.', '~', '&', '<']) => {}
            _ => match scan::chain(text) {
                Ok(chain) => self.add_chain(chain, line),
                Err(message) => self.errors.push(err(line, message)),
            },
        }
    }

    fn open_subgraph(&mut self, rest: &str, line: usize) {
        if rest.is_empty() {
            self.errors.push(err(
                line,
                "a subgraph needs a name: `subgraph id [Title]`".into(),
            ));
            return;
        }
        let id_end = rest
            .find(|c: char| !(scan::id_char(c) || c == '-'))
            .unwrap_or(rest.len());
        let (id, tail) = rest.split_at(id_end);
        let tail = tail.trim();
        let (id, title) = if !id.is_empty() && tail.starts_with('[') && tail.ends_with(']') {
            (id.to_string(), scan::clean_label(&tail[1..tail.len() - 1]))
        } else {
            let title = scan::clean_label(rest);
            (title.clone(), title)
        };
        let parent = self.current();
        self.diagram.subgraphs.push(Subgraph {
            id,
            title,
            nodes: Vec::new(),
            parent,
            line,
        });
        self.open.push(self.diagram.subgraphs.len() - 1);
    }

    fn current(&self) -> Option<String> {
        self.open
            .last()
            .map(|&i| self.diagram.subgraphs[i].id.clone())
    }

    fn add_chain(&mut self, chain: Chain, line: usize) {
        for group in &chain.groups {
            for node in group {
                self.add_node(node, line);
            }
        }
        for (i, link) in chain.links.iter().enumerate() {
            for from in &chain.groups[i] {
                for to in &chain.groups[i + 1] {
                    self.diagram.edges.push(Edge {
                        from: from.id.clone(),
                        to: to.id.clone(),
                        label: link.label.clone(),
                        style: link.style,
                        directed: link.directed,
                        both_ways: link.both_ways,
                        line,
                    });
                }
            }
        }
    }

    fn add_node(&mut self, r: &NodeRef, line: usize) {
        if let Some(n) = self.diagram.nodes.iter_mut().find(|n| n.id == r.id) {
            // Mermaid shows the last label a node was given.
            if let Some((shape, label)) = &r.shape {
                n.shape = *shape;
                n.label = label.clone();
            }
            return;
        }
        let subgraph = self.current();
        if let Some(&i) = self.open.last() {
            self.diagram.subgraphs[i].nodes.push(r.id.clone());
        }
        let (shape, label) = r
            .shape
            .clone()
            .unwrap_or_else(|| (Shape::Plain, r.id.clone()));
        self.diagram.nodes.push(Node {
            id: r.id.clone(),
            label,
            shape,
            subgraph,
            line,
        });
    }

    /// A bare id that names a subgraph is the subgraph (an edge to a whole group), not a node.
    fn finish(mut self) -> Diagram {
        let groups: Vec<String> = self
            .diagram
            .subgraphs
            .iter()
            .map(|s| s.id.clone())
            .collect();
        let is_group = |n: &Node| n.shape == Shape::Plain && groups.contains(&n.id);
        let dropped: Vec<String> = self
            .diagram
            .nodes
            .iter()
            .filter(|n| is_group(n))
            .map(|n| n.id.clone())
            .collect();
        self.diagram.nodes.retain(|n| !dropped.contains(&n.id));
        for s in &mut self.diagram.subgraphs {
            s.nodes.retain(|n| !dropped.contains(n));
        }
        self.diagram
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::EdgeStyle;

    #[test]
    fn a_whole_flowchart_is_read() {
        let d = parse(
            "%% the serving path\nflowchart LR\n  U([User]) --> GW[API gateway]\n  GW -->|lookup| C[(Redis cache)]\n  subgraph rag [Retrieval]\n    direction TB\n    R[Retriever] -.-> V[(Vector DB)]\n  end\n  GW --> R & LLM{{LLM}}\n  classDef hot fill:#f96\n  class GW hot\n  style C stroke:#333\n",
        )
        .unwrap();
        assert_eq!(d.direction, Some(Direction::LR));
        let labels: Vec<&str> = d.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "User",
                "API gateway",
                "Redis cache",
                "Retriever",
                "Vector DB",
                "LLM"
            ]
        );
        assert_eq!(d.edges.len(), 5);
        assert_eq!(d.edges[1].label.as_deref(), Some("lookup"));
        assert_eq!(d.edges[2].style, EdgeStyle::Dotted);
        assert_eq!(d.subgraphs[0].id, "rag");
        assert_eq!(d.subgraphs[0].title, "Retrieval");
        assert_eq!(d.subgraphs[0].nodes, ["R", "V"]);
        assert_eq!(d.node("V").and_then(|n| n.subgraph.as_deref()), Some("rag"));
        assert_eq!(d.node("C").map(|n| n.line), Some(4));
    }

    #[test]
    fn semicolons_front_matter_and_bare_headers_are_read() {
        let d = parse("---\ntitle: Serving\n---\ngraph;A-->B;B-->C").unwrap();
        assert_eq!(d.direction, None);
        assert_eq!(d.edges.len(), 2);
    }

    #[test]
    fn an_edge_to_a_subgraph_id_is_not_a_node() {
        let d = parse("flowchart TD\nsubgraph ingest [Ingestion]\nQ[Queue]\nend\nAPI --> ingest")
            .unwrap();
        assert_eq!(d.nodes.len(), 2);
        assert_eq!(d.edges[0].to, "ingest");
        assert_eq!(d.label_of("ingest"), "Ingestion");
    }

    #[test]
    fn subgraph_titles_with_spaces_and_nesting() {
        let d =
            parse("flowchart TD\nsubgraph Online serving\nsubgraph inner\nA\nend\nB\nend").unwrap();
        assert_eq!(d.subgraphs[0].id, "Online serving");
        assert_eq!(d.subgraphs[1].parent.as_deref(), Some("Online serving"));
        assert_eq!(d.subgraphs[0].nodes, ["B"]);
    }

    #[test]
    fn errors_carry_their_line_numbers() {
        let e = parse("flowchart LR\nA --> B\nC[Cache\nD -- x B\nend").unwrap_err();
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(e[2].message.contains("no open `subgraph`"));
        let e = parse("flowchart LR\nsubgraph s\nA").unwrap_err();
        assert_eq!(
            (e[0].line, e[0].message.as_str()),
            (2, "subgraph `s` is not closed with `end`")
        );
    }

    #[test]
    fn other_diagram_types_are_named_as_unsupported() {
        let e = parse("sequenceDiagram\nA->>B: hi").unwrap_err();
        assert_eq!(e[0].line, 1);
        assert!(
            e[0].message
                .contains("`sequenceDiagram` diagrams are not supported")
        );
        let e = parse("\n\nflowchart sideways").unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(e[0].message.contains("`sideways` is not a direction"));
        assert!(
            parse("  \n%% only a comment").unwrap_err()[0]
                .message
                .contains("empty")
        );
        assert!(
            parse("A --> B").unwrap_err()[0]
                .message
                .contains("starts with `flowchart`")
        );
    }

    #[test]
    fn comments_are_dropped_but_not_inside_quotes() {
        let d = parse("flowchart LR\nA[\"50%% hit\"] --> B %% a note").unwrap();
        assert_eq!(d.nodes[0].label, "50%% hit");
        assert_eq!(d.nodes.len(), 2);
    }
}
