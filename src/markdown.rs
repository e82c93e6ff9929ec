//! Markdown to safe HTML: rendered with pulldown-cmark, then sanitised with ammonia, so nothing the
//! model or the candidate writes reaches the page as live HTML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

pub fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

/// The words of a Markdown text, as one would read it aloud: formatting dropped, code blocks left
/// out, blocks and list items ended as sentences are.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_code_block = false;
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) if !in_code_block => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow,
            ) => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                if !out.is_empty() && !out.ends_with(['.', '!', '?', ':', ';']) {
                    out.push('.');
                }
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_reads_like_speech() {
        let t = to_plain_text(
            "**Scale**: 200 QPS\n\n- one\n- two\n\n```rust\nfn main() {}\n```\nDone?",
        );
        assert_eq!(t, "Scale: 200 QPS.\none.\ntwo.\nDone?");
    }

    #[test]
    fn markdown_is_rendered() {
        let h = to_safe_html("**Scale**: 200 QPS\n\n- one\n- two");
        assert!(h.contains("<strong>Scale</strong>"));
        assert!(h.contains("<li>one</li>"));
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let h = to_safe_html(
            "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) <iframe src=//evil></iframe>",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("href=\"javascript"), "{h}");
        assert!(!h.contains("<iframe"), "{h}");
        let link = to_safe_html("[click](javascript:alert(3)) and [docs](https://example.com)");
        assert!(!link.contains("javascript"), "{link}");
        assert!(link.contains("href=\"https://example.com\""), "{link}");
    }
}
