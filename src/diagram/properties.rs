//! Property tests: any flowchart written from a generated graph parses back to that graph, and no
//! input makes the parser panic or report a line the source does not have.

use proptest::prelude::*;

use super::{EdgeStyle, Shape, parse};

/// (opener, closer, shape) as written.
const SHAPES: &[(&str, &str, Shape)] = &[
    ("[", "]", Shape::Rectangle),
    ("(", ")", Shape::Rounded),
    ("([", "])", Shape::Stadium),
    ("[[", "]]", Shape::Subroutine),
    ("[(", ")]", Shape::Cylinder),
    ("((", "))", Shape::Circle),
    ("(((", ")))", Shape::DoubleCircle),
    (">", "]", Shape::Asymmetric),
    ("{", "}", Shape::Rhombus),
    ("{{", "}}", Shape::Hexagon),
    ("[/", "/]", Shape::Parallelogram),
    ("[\\", "\\]", Shape::ParallelogramAlt),
    ("[/", "\\]", Shape::Trapezoid),
    ("[\\", "/]", Shape::TrapezoidAlt),
];

/// (operator, style, directed); `{}` marks where a text goes in the `-- text -->` forms.
const LINKS: &[(&str, EdgeStyle, bool)] = &[
    ("-->", EdgeStyle::Solid, true),
    ("---", EdgeStyle::Solid, false),
    ("-.->", EdgeStyle::Dotted, true),
    ("-.-", EdgeStyle::Dotted, false),
    ("==>", EdgeStyle::Thick, true),
    ("===", EdgeStyle::Thick, false),
    ("~~~", EdgeStyle::Invisible, false),
    ("--o", EdgeStyle::Solid, true),
    ("--x", EdgeStyle::Solid, true),
    ("-- {} -->", EdgeStyle::Solid, true),
    ("-. {} .->", EdgeStyle::Dotted, true),
    ("== {} ==>", EdgeStyle::Thick, true),
    ("-->|{}|", EdgeStyle::Solid, true),
];

fn label() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ]{0,14}[A-Za-z0-9]"
        .prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn edge_text() -> impl Strategy<Value = String> {
    "[a-z][a-z ]{0,10}[a-z]".prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[derive(Debug, Clone)]
struct Graph {
    nodes: Vec<(String, usize)>,
    edges: Vec<(usize, usize, usize, String)>,
    grouped: usize,
    semicolons: bool,
}

fn graph() -> impl Strategy<Value = Graph> {
    (2usize..8).prop_flat_map(|n| {
        (
            proptest::collection::vec((label(), 0..SHAPES.len()), n),
            proptest::collection::vec((0..n, 0..n, 0..LINKS.len(), edge_text()), 0..12),
            0..=n,
            any::<bool>(),
        )
            .prop_map(|(nodes, edges, grouped, semicolons)| Graph {
                nodes,
                edges,
                grouped,
                semicolons,
            })
    })
}

fn write(g: &Graph) -> String {
    let mut lines = vec!["flowchart LR".to_string(), "%% generated".to_string()];
    lines.push("subgraph grp [Group]".into());
    for (i, (label, shape)) in g.nodes.iter().enumerate() {
        if i == g.grouped {
            lines.push("end".into());
        }
        let (open, close, _) = SHAPES[*shape];
        lines.push(format!("  n{i}{open}\"{label}\"{close}"));
    }
    if g.grouped >= g.nodes.len() {
        lines.push("end".into());
    }
    lines.push("classDef hot fill:#f96".into());
    for (a, b, link, text) in &g.edges {
        let op = LINKS[*link].0.replace("{}", text);
        lines.push(format!("n{a} {op} n{b}"));
    }
    lines.join(if g.semicolons { ";\n" } else { "\n" })
}

proptest! {
    #[test]
    fn a_written_graph_parses_back_to_itself(g in graph()) {
        let source = write(&g);
        let d = parse(&source).map_err(|e| TestCaseError::fail(format!("{e:?}\n{source}")))?;
        prop_assert_eq!(d.nodes.len(), g.nodes.len());
        for (i, (n, (label, shape))) in d.nodes.iter().zip(&g.nodes).enumerate() {
            prop_assert_eq!(&n.id, &format!("n{i}"));
            prop_assert_eq!(&n.label, label);
            prop_assert_eq!(n.shape, SHAPES[*shape].2);
            prop_assert_eq!(n.subgraph.is_some(), i < g.grouped);
        }
        prop_assert_eq!(d.edges.len(), g.edges.len());
        for (e, (a, b, link, text)) in d.edges.iter().zip(&g.edges) {
            let (op, style, directed) = LINKS[*link];
            prop_assert_eq!(&e.from, &format!("n{a}"));
            prop_assert_eq!(&e.to, &format!("n{b}"));
            prop_assert_eq!(e.style, style);
            prop_assert_eq!(e.directed, directed);
            prop_assert_eq!(e.label.as_deref(), op.contains("{}").then_some(text.as_str()));
        }
        prop_assert_eq!(d.subgraphs.len(), 1);
        prop_assert_eq!(d.subgraphs[0].nodes.len(), g.grouped.min(g.nodes.len()));
    }

    #[test]
    fn any_input_parses_or_fails_on_a_real_line(source in "(flowchart LR\n)?[-A-Za-z0-9 \\[\\](){}<>|.=~&;:%\"\n]{0,200}") {
        let lines = source.lines().count().max(1);
        if let Err(errors) = parse(&source) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {}: {}", e.line, lines, e.message);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn chains_make_an_edge_for_every_pair_of_neighbouring_groups(sizes in proptest::collection::vec(1usize..4, 2..5)) {
        let mut k = 0;
        let groups: Vec<String> = sizes.iter().map(|&n| {
            let ids: Vec<String> = (0..n).map(|_| { k += 1; format!("v{k}") }).collect();
            ids.join(" & ")
        }).collect();
        let d = parse(&format!("graph TD\n{}", groups.join(" --> "))).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let want: usize = sizes.windows(2).map(|w| w[0] * w[1]).sum();
        prop_assert_eq!(d.edges.len(), want);
        prop_assert_eq!(d.nodes.len(), k);
    }
}
