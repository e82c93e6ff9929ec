//! Markdown to safe HTML: rendered with pulldown-cmark, then sanitised with ammonia, so nothing the
//! model or the candidate writes reaches the page as live HTML, and nothing in it makes a reader's
//! browser (or any other consumer of the `html` fields) fetch a remote resource: remote and
//! protocol-relative images are dropped (a Markdown image keeps its alt text as plain text), and
//! protocol-relative links lose their target.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// The `language-*` classes kept on `<code>`, so the room can render diagrams and highlight code:
/// Mermaid and the code editor's languages (with the spellings a fence may use).
const CODE_CLASSES: &[&str] = &[
    "language-mermaid",
    "language-python",
    "language-py",
    "language-javascript",
    "language-js",
    "language-typescript",
    "language-ts",
    "language-java",
    "language-cpp",
    "language-c",
    "language-go",
    "language-rust",
    "language-rs",
    "language-sql",
];

pub fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut dropped_images = 0usize;
    let events = parser.filter(|e| match e {
        Event::Start(Tag::Image { dest_url, .. }) if fetches_remotely(dest_url) => {
            dropped_images += 1;
            false
        }
        Event::End(TagEnd::Image) if dropped_images > 0 => {
            dropped_images -= 1;
            false
        }
        _ => true,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if fetches_remotely(value) => None,
            (_, "href") if protocol_relative(value) => None,
            _ => Some(Cow::Borrowed(value)),
        })
        .add_allowed_classes("code", CODE_CLASSES)
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

/// An address with a scheme or a host of its own (`https://...`, `//host/...`): fetching it leaves
/// this server.
fn fetches_remotely(url: &str) -> bool {
    protocol_relative(url)
        || url
            .trim_start()
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

/// `//host/...`, or a spelling browsers read the same way (`/\host`, `\\host`).
fn protocol_relative(url: &str) -> bool {
    let url = url.trim_start().as_bytes();
    url.len() >= 2 && matches!(url[0], b'/' | b'\\') && matches!(url[1], b'/' | b'\\')
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
    fn fenced_blocks_keep_their_language_class_and_nothing_else() {
        let h = to_safe_html(
            "```mermaid\nflowchart LR\nA --> B\n```\n\n```python\nx = 1\n```\n\n<code class=\"evil language-python\">y</code>",
        );
        assert!(
            h.contains("<code class=\"language-mermaid\">flowchart LR\nA --&gt; B"),
            "{h}"
        );
        assert!(h.contains("<code class=\"language-python\">x = 1"), "{h}");
        assert!(!h.contains("evil"), "{h}");
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

    #[test]
    fn remote_images_and_protocol_relative_links_are_dropped() {
        for payload in [
            "![tracker](https://evil.example/pixel.png)",
            "![tracker](//evil.example/pixel.png)",
            "![tracker](HTTP://evil.example/pixel.png)",
            "![tracker](data:image/png;base64,AAAA)",
            "<img src=\"https://evil.example/x.png\">",
            "<img src=//evil.example/x.png>",
            "<img src=\"\\\\evil.example\\x.png\">",
            "[![nested](https://evil.example/a.png)](https://example.com)",
        ] {
            let h = to_safe_html(payload);
            assert!(!h.contains("evil.example"), "{payload} -> {h}");
            assert!(!h.contains("src=\"data:"), "{payload} -> {h}");
        }
        let alt = to_safe_html("see ![the diagram](https://evil.example/d.png) here");
        assert!(alt.contains("the diagram"), "{alt}");
        assert!(!alt.contains("<img"), "{alt}");
        let link = to_safe_html("[docs](//evil.example/x) and <a href=\"//evil.example\">a</a>");
        assert!(!link.contains("evil.example"), "{link}");
        assert!(link.contains("docs"), "{link}");
        // Relative images stay (they come from this server), absolute links too.
        let ok = to_safe_html("![local](/app.css) [site](https://example.com/docs)");
        assert!(ok.contains("src=\"/app.css\""), "{ok}");
        assert!(ok.contains("href=\"https://example.com/docs\""), "{ok}");
    }
}
