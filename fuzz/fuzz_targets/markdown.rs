//! Markdown rendering (`markdown.rs`): whatever a candidate or a model writes, the HTML holds only
//! tags from the safe set, no event-handler attribute, no script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_interviewer::markdown::to_safe_html;

const SAFE: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sup",
    "sub",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "span",
    "div",
    "dl",
    "dt",
    "dd",
    "kbd",
    "q",
    "small",
    "u",
    "cite",
    "dfn",
    "figure",
    "figcaption",
    "mark",
    "samp",
    "var",
    "wbr",
    "caption",
    "col",
    "colgroup",
    "tfoot",
    "bdi",
    "bdo",
    "center",
    "data",
    "details",
    "summary",
    "ins",
    "map",
    "area",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "strike",
    "time",
    "tt",
    "acronym",
    "address",
    "article",
    "aside",
    "footer",
    "header",
    "hgroup",
    "nav",
    "section",
    "big",
];

fuzz_target!(|text: &str| {
    let html = to_safe_html(text);
    // Text is escaped, so every `<` opens a tag the sanitiser let through.
    for tag in html.split('<').skip(1) {
        let end = tag.find('>').unwrap_or(tag.len());
        let inside = &tag[..end].to_ascii_lowercase();
        let name = inside
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        assert!(SAFE.contains(&name), "tag <{name}> in {html:?}");
        assert!(
            !inside
                .split_whitespace()
                .skip(1)
                .any(|attr| attr.starts_with("on")),
            "an event handler in <{inside}>"
        );
        assert!(
            !inside.contains("javascript:"),
            "a script URL in <{inside}>"
        );
        assert!(!inside.contains("vbscript:"), "a script URL in <{inside}>");
    }
});
