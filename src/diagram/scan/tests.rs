//! The chain scanner: shapes, links, labels and what it refuses.

use super::*;

fn ids(c: &Chain) -> Vec<Vec<String>> {
    c.groups
        .iter()
        .map(|g| g.iter().map(|n| n.id.clone()).collect())
        .collect()
}

#[test]
fn every_bracket_shape_is_read_with_its_label() {
    let cases = [
        ("A[Gateway]", Shape::Rectangle, "Gateway"),
        ("A(Gateway)", Shape::Rounded, "Gateway"),
        ("A([Gateway])", Shape::Stadium, "Gateway"),
        ("A[[Gateway]]", Shape::Subroutine, "Gateway"),
        ("A[(Vector DB)]", Shape::Cylinder, "Vector DB"),
        ("A((Gateway))", Shape::Circle, "Gateway"),
        ("A(((Gateway)))", Shape::DoubleCircle, "Gateway"),
        ("A>Gateway]", Shape::Asymmetric, "Gateway"),
        ("A{Cache hit?}", Shape::Rhombus, "Cache hit?"),
        ("A{{Gateway}}", Shape::Hexagon, "Gateway"),
        ("A[/Gateway/]", Shape::Parallelogram, "Gateway"),
        ("A[\\Gateway\\]", Shape::ParallelogramAlt, "Gateway"),
        ("A[/Gateway\\]", Shape::Trapezoid, "Gateway"),
        ("A[\\Gateway/]", Shape::TrapezoidAlt, "Gateway"),
        ("A[\"Cache (Redis)\"]", Shape::Rectangle, "Cache (Redis)"),
        ("A(Cache (Redis))", Shape::Rounded, "Cache (Redis)"),
        ("A[Model<br/>serving]", Shape::Rectangle, "Model serving"),
        (
            "A@{ shape: cyl, label: \"Vector DB\" }",
            Shape::Named,
            "Vector DB",
        ),
    ];
    for (text, shape, label) in cases {
        let c = chain(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            c.groups[0][0].shape,
            Some((shape, label.to_string())),
            "{text}"
        );
    }
}

#[test]
fn links_of_every_kind_are_read() {
    let cases = [
        ("A-->B", EdgeStyle::Solid, true, false, None),
        ("A --- B", EdgeStyle::Solid, false, false, None),
        ("A-.->B", EdgeStyle::Dotted, true, false, None),
        ("A -.- B", EdgeStyle::Dotted, false, false, None),
        ("A==>B", EdgeStyle::Thick, true, false, None),
        ("A ~~~ B", EdgeStyle::Invisible, false, false, None),
        ("A <--> B", EdgeStyle::Solid, true, true, None),
        ("A --o B", EdgeStyle::Solid, true, false, None),
        ("A x--x B", EdgeStyle::Solid, true, true, None),
        (
            "A -->|cache miss| B",
            EdgeStyle::Solid,
            true,
            false,
            Some("cache miss"),
        ),
        (
            "A -- cache miss --> B",
            EdgeStyle::Solid,
            true,
            false,
            Some("cache miss"),
        ),
        (
            "A -. async .-> B",
            EdgeStyle::Dotted,
            true,
            false,
            Some("async"),
        ),
        (
            "A == hot path ==> B",
            EdgeStyle::Thick,
            true,
            false,
            Some("hot path"),
        ),
        ("A ----> B", EdgeStyle::Solid, true, false, None),
    ];
    for (text, style, directed, both, label) in cases {
        let c = chain(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(ids(&c), vec![vec!["A"], vec!["B"]], "{text}");
        let l = &c.links[0];
        assert_eq!(
            (l.style, l.directed, l.both_ways, l.label.as_deref()),
            (style, directed, both, label),
            "{text}"
        );
    }
}

#[test]
fn chains_and_ampersands_make_groups() {
    let c = chain("A & B --> C --> D & E").unwrap();
    assert_eq!(ids(&c), vec![vec!["A", "B"], vec!["C"], vec!["D", "E"]]);
    assert_eq!(c.links.len(), 2);
}

#[test]
fn ids_may_hold_dashes_and_class_suffixes_are_dropped() {
    let c = chain("api-gw[API gateway]:::hot --> orders").unwrap();
    assert_eq!(ids(&c), vec![vec!["api-gw"], vec!["orders"]]);
}

#[test]
fn what_cannot_be_read_says_why() {
    assert!(
        chain("A[Gateway")
            .unwrap_err()
            .contains("not closed with `]`")
    );
    assert!(chain("A -->").unwrap_err().contains("points at nothing"));
    assert!(chain("A -- text B").unwrap_err().contains("-- text -->"));
    assert!(chain("A B").unwrap_err().contains("cannot read `B`"));
    assert!(chain("A - B").unwrap_err().contains("a link is written"));
}
