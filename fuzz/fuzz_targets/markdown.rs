//! Markdown rendering (`markdown.rs`): whatever a candidate or a model writes, the HTML holds only
//! tags from the safe set, no event-handler attribute, no script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_interviewer::markdown::to_safe_html;

// The tags the sanitiser may keep, space-separated.
const SAFE: &str = "a abbr b blockquote br code del em h1 h2 h3 h4 h5 h6 hr i img input li ol p pre s strong \
    sup sub table tbody td th thead tr ul span div dl dt dd kbd q small u cite dfn figure \
    figcaption mark samp var wbr caption col colgroup tfoot bdi bdo center data details \
    summary ins map area rp rt rtc ruby strike time tt acronym address article aside footer \
    header hgroup nav section big";

fuzz_target!(|text: &str| {
    let html = to_safe_html(text);
    // Text is escaped, so every `<` opens a tag the sanitiser let through; its serialiser quotes every
    // attribute value with `"` (escaping any inside), so splitting on `"` alternates names and values.
    for tag in html.split('<').skip(1) {
        let end = tag.find('>').unwrap_or(tag.len());
        let inside = tag[..end].to_ascii_lowercase();
        let name = inside
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        assert!(
            SAFE.split_whitespace().any(|t| t == name),
            "tag <{name}> in {html:?}"
        );
        let mut last_attr = "";
        for (k, piece) in inside.split('"').enumerate() {
            if k % 2 == 0 {
                for word in piece.split_whitespace().skip(usize::from(k == 0)) {
                    last_attr = word.trim_end_matches('=');
                    assert!(
                        !last_attr.starts_with("on"),
                        "an event handler in <{inside}>"
                    );
                }
            } else if matches!(last_attr, "href" | "src") {
                let url: String = piece.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    !url.starts_with("javascript:") && !url.starts_with("vbscript:"),
                    "a script URL in <{inside}>"
                );
            }
        }
    }
});
