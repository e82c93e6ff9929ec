//! Markdown to safe HTML: rendered with pulldown-cmark, then sanitised with ammonia, so nothing the
//! model or the candidate writes reaches the page as live HTML.

use pulldown_cmark::{Options, Parser, html};

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
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_allowed_classes("code", CODE_CLASSES)
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
