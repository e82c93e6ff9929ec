//! A flowchart read as a system: which nodes are drawn but connected to nothing, and which node every
//! request path goes through with no replica drawn (a single point of failure).

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::{Diagram, EdgeStyle, Node};

/// Words in a label that say the box is more than one machine.
const REPLICATED: &[&str] = &[
    "replica",
    "replicas",
    "replicated",
    "cluster",
    "clustered",
    "pool",
    "fleet",
    "redundant",
    "ha",
    "multi-az",
    "multi-region",
    "autoscaled",
    "autoscaling",
    "shards",
    "sharded",
    "nodes",
    "instances",
    "workers",
];

/// Nodes drawn but joined to nothing (directly or through a subgraph they sit in). A diagram of one
/// node has nothing to join it to.
pub fn unconnected(d: &Diagram) -> Vec<&Node> {
    if d.nodes.len() < 2 {
        return Vec::new();
    }
    let touched: BTreeSet<&str> = d
        .edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .collect();
    d.nodes
        .iter()
        .filter(|n| {
            !touched.contains(n.id.as_str()) && !ancestors(d, n).iter().any(|s| touched.contains(s))
        })
        .collect()
}

fn ancestors<'a>(d: &'a Diagram, n: &'a Node) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut cur = n.subgraph.as_deref();
    while let Some(id) = cur {
        if out.contains(&id) {
            break;
        }
        out.push(id);
        cur = d
            .subgraphs
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.parent.as_deref());
    }
    out
}

/// Whether a label says the component is replicated.
pub fn replicated(label: &str) -> bool {
    let lower = label.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|w| REPLICATED.contains(&w))
        || lower.contains(" x ")
        || lower.contains('×')
        || lower.chars().any(|c| c.is_ascii_digit()) && lower.contains(" x")
}

/// Nodes that every path from an entry (a node nothing points to) to an exit (a node that points
/// nowhere) goes through, entries and exits themselves aside, and whose label shows no replica;
/// nearest the entries first. Open links (`---`) count both ways; invisible ones not at all.
pub fn single_points_of_failure(d: &Diagram) -> Vec<&Node> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut indeg: HashMap<&str, usize> = HashMap::new();
    let mut vertices: Vec<&str> = Vec::new();
    for e in d.edges.iter().filter(|e| e.style != EdgeStyle::Invisible) {
        let (a, b) = (e.from.as_str(), e.to.as_str());
        if a == b {
            continue;
        }
        for v in [a, b] {
            if !vertices.contains(&v) {
                vertices.push(v);
            }
        }
        out.entry(a).or_default().push(b);
        *indeg.entry(b).or_default() += 1;
        if !e.directed || e.both_ways {
            out.entry(b).or_default().push(a);
            *indeg.entry(a).or_default() += 1;
        }
    }
    let sources: Vec<&str> = vertices
        .iter()
        .copied()
        .filter(|v| indeg.get(v).copied().unwrap_or(0) == 0)
        .collect();
    let sinks: BTreeSet<&str> = vertices
        .iter()
        .copied()
        .filter(|v| out.get(v).is_none_or(Vec::is_empty))
        .collect();
    if sources.is_empty() || sinks.is_empty() {
        return Vec::new();
    }
    let reaches_a_sink = |without: Option<&str>| {
        let (order, _) = bfs(&out, &sources, without);
        order
            .iter()
            .any(|v| sinks.contains(v) && Some(*v) != without)
    };
    if !reaches_a_sink(None) {
        return Vec::new();
    }
    let (order, _) = bfs(&out, &sources, None);
    order
        .into_iter()
        .filter(|v| !sources.contains(v) && !sinks.contains(v))
        .filter(|v| !reaches_a_sink(Some(v)))
        .filter_map(|v| d.node(v))
        .filter(|n| !replicated(&n.label))
        .collect()
}

/// Breadth-first order from the sources, skipping `without`.
fn bfs<'a>(
    out: &HashMap<&'a str, Vec<&'a str>>,
    sources: &[&'a str],
    without: Option<&str>,
) -> (Vec<&'a str>, BTreeSet<&'a str>) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::new();
    let mut queue: VecDeque<&str> = sources
        .iter()
        .copied()
        .filter(|s| Some(*s) != without)
        .collect();
    while let Some(v) = queue.pop_front() {
        if !seen.insert(v) {
            continue;
        }
        order.push(v);
        for &w in out.get(v).into_iter().flatten() {
            if Some(w) != without && !seen.contains(w) {
                queue.push_back(w);
            }
        }
    }
    (order, seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::parse;

    fn labels(nodes: Vec<&Node>) -> Vec<&str> {
        nodes.into_iter().map(|n| n.label.as_str()).collect()
    }

    #[test]
    fn nodes_joined_to_nothing_are_unconnected() {
        let d = parse("flowchart LR\nU[User] --> G[Gateway]\nM[Monitoring]\nsubgraph s\nQ[Queue]\nend\nG --> s").unwrap();
        assert_eq!(labels(unconnected(&d)), ["Monitoring"]);
        assert!(unconnected(&parse("flowchart LR\nA[Alone]").unwrap()).is_empty());
    }

    #[test]
    fn a_node_every_path_goes_through_is_a_single_point_of_failure() {
        let d = parse(
            "flowchart LR\nU[User] --> LB[Load balancer] --> API[API server]\nAPI --> C[(Cache)]\nAPI --> DB[(Postgres)]",
        )
        .unwrap();
        assert_eq!(
            labels(single_points_of_failure(&d)),
            ["Load balancer", "API server"]
        );
    }

    #[test]
    fn a_replica_or_a_second_path_is_no_single_point_of_failure() {
        let d = parse(
            "flowchart LR\nU[User] --> A1[API 1] & A2[API 2]\nA1 & A2 --> R[(Postgres replicas)] --> W[Warehouse]",
        )
        .unwrap();
        assert!(single_points_of_failure(&d).is_empty());
        let d = parse("flowchart LR\nU --> G[Gateway cluster] --> S[Service]").unwrap();
        assert!(single_points_of_failure(&d).is_empty());
    }

    #[test]
    fn a_cycle_with_no_entry_has_no_single_point_of_failure() {
        let d = parse("flowchart LR\nA --> B --> C --> A").unwrap();
        assert!(single_points_of_failure(&d).is_empty());
    }
}
