//! Mermaid sources in Markdown: the fenced blocks whose info string is `mermaid`, as the room, the
//! terminal and a model all write them.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Each ```mermaid block's source, in order, with the byte range of the whole fenced block.
fn blocks(markdown: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    // Most turns hold no diagram: they are not parsed as Markdown at all (the planner reads every
    // turn of the transcript for the latest diagram).
    if !markdown.contains("mermaid") {
        return out;
    }
    let mut current: Option<(String, usize)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("mermaid") =>
            {
                current = Some((String::new(), range.start));
            }
            Event::Text(text) => {
                if let Some((source, _)) = current.as_mut() {
                    source.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((source, start)) = current.take() {
                    out.push((source, start..range.end));
                }
            }
            _ => {}
        }
    }
    out
}

/// The source of every ```mermaid block in a turn, in order.
pub fn mermaid_blocks(markdown: &str) -> Vec<String> {
    blocks(markdown).into_iter().map(|(s, _)| s).collect()
}

/// The newest diagram of a transcript: the last ```mermaid block of the last turn that has one
/// (earlier versions stay in their turns).
pub fn latest_diagram<'a>(turns: impl DoubleEndedIterator<Item = &'a str>) -> Option<String> {
    turns.rev().find_map(|t| mermaid_blocks(t).pop())
}

/// The turn with its ```mermaid blocks blanked out (spaces, newlines kept), so byte offsets into
/// the rest still hold: a diagram's source is not prose.
pub fn strip_mermaid_blocks(markdown: &str) -> Cow<'_, str> {
    let blocks = blocks(markdown);
    if blocks.is_empty() {
        return Cow::Borrowed(markdown);
    }
    let mut bytes = markdown.as_bytes().to_vec();
    for (_, range) in blocks {
        for b in &mut bytes[range] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TURN: &str = "Here is the design.\n\n```mermaid\nflowchart LR\nA --> B\n```\n\nAnd code:\n\n```python\nprint(1)\n```\n\n~~~mermaid\nflowchart TD\nC --> D\n~~~\n";

    #[test]
    fn only_mermaid_fences_are_read() {
        assert_eq!(
            mermaid_blocks(TURN),
            ["flowchart LR\nA --> B\n", "flowchart TD\nC --> D\n"]
        );
    }

    #[test]
    fn the_latest_diagram_is_the_last_block_of_the_last_turn_with_one() {
        let turns = [TURN, "No diagram here.", "```python\nx = 1\n```"];
        assert_eq!(
            latest_diagram(turns.iter().copied()).as_deref(),
            Some("flowchart TD\nC --> D\n")
        );
        assert_eq!(latest_diagram(["plain"].iter().copied()), None);
    }

    #[test]
    fn stripping_keeps_offsets_and_the_other_blocks() {
        let s = strip_mermaid_blocks(TURN);
        assert_eq!(s.len(), TURN.len());
        assert!(!s.contains("flowchart"));
        assert!(s.contains("```python\nprint(1)\n```"));
        assert!(s.starts_with("Here is the design."));
    }
}
