//! What of a candidate's turn is the candidate's own visible argument. Markup that does not render as
//! text (HTML comments, tags, link titles, reference definitions, image alt text), pasted
//! "Interviewer:/System:/Assistant:" lines, quoted blocks and encoded blobs are masked out; code blocks
//! are set apart for the code measure, with their comments removed. Masking keeps byte offsets, so a
//! sentence found in the masked text is quoted verbatim from the original. Words are read after
//! Unicode normalisation (NFKC, invisible characters removed); words mixing Latin with Cyrillic or Greek
//! look-alikes are ignored.

use std::sync::LazyLock;

use regex::Regex;

/// Which kinds of hidden or injected text a turn held: none of it is the candidate's argument.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    pub markup: bool,
    /// Words hidden in markup that does not render them (an HTML comment, a link's title, an image's
    /// alt text, a reference definition), not just a tag.
    pub concealed: bool,
    pub fake_turn: bool,
    pub fake_tag: bool,
    pub quoted: bool,
    pub encoded: bool,
    pub invisible: bool,
    pub lookalike: bool,
}

impl Hidden {
    pub fn any(&self) -> bool {
        self.markup
            || self.fake_turn
            || self.fake_tag
            || self.quoted
            || self.encoded
            || self.invisible
            || self.lookalike
    }

    pub fn merge(&mut self, o: Hidden) {
        self.markup |= o.markup;
        self.concealed |= o.concealed;
        self.fake_turn |= o.fake_turn;
        self.fake_tag |= o.fake_tag;
        self.quoted |= o.quoted;
        self.encoded |= o.encoded;
        self.invisible |= o.invisible;
        self.lookalike |= o.lookalike;
    }
}

/// A candidate turn split into visible prose (masked, same byte offsets as the original) and code.
#[derive(Debug, Clone)]
pub struct CleanTurn {
    pub prose: String,
    /// Lines of code (fenced blocks), comments removed, blank lines dropped.
    pub code: Vec<String>,
    pub hidden: Hidden,
}

fn re(p: &str) -> Regex {
    // The patterns are constants of this module, checked by its tests.
    Regex::new(p).unwrap_or_else(|e| panic!("bad built-in pattern {p}: {e}"))
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| re(r"(?s)<!--.*?(?:-->|\z)"));
static IMAGE: LazyLock<Regex> = LazyLock::new(|| re(r"!\[[^\]\n]*\]\([^)\n]*\)"));
static LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]\n]*)\]\([^)\n]*\)"));
static REF_DEF: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$"));
static TAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"</?([A-Za-z][A-Za-z0-9_:-]*)(?:\s[^<>\n]*)?/?>"));
static ROLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?mi)^[ \t>*_#-]*(?:interviewer|system|assistant|user|human|ai|grader|evaluator|judge|model|bot)[ \t*_]*:.*$",
    )
});
static ROLE_INLINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:interviewer|system|assistant|grader)[ \t]*:[ \t].*$"));
static QUOTE_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^[ \t]*>.*$"));
static BLOB: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z0-9+/]{16,}={0,2}"));

fn mask(bytes: &mut [u8], start: usize, end: usize) {
    let end = end.min(bytes.len());
    for b in &mut bytes[start..end] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

/// Whether a character is invisible formatting (zero-width, joiners, BOM, soft hyphen, tags...).
pub fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xE0000..=0xE0FFF)
}

fn looks_encoded(token: &str) -> bool {
    let upper = token.chars().filter(|c| c.is_ascii_uppercase()).count();
    let lower = token.chars().filter(|c| c.is_ascii_lowercase()).count();
    let digit = token.chars().filter(|c| c.is_ascii_digit()).count();
    let special = token.contains('+') || token.contains('/') || token.ends_with('=');
    upper >= 2 && lower >= 2 && (digit >= 1 || special || upper * 4 >= token.len())
}

/// Splits a candidate turn into its visible prose and its code.
pub fn clean(content: &str) -> CleanTurn {
    let mut bytes = content.as_bytes().to_vec();
    let mut hidden = Hidden::default();
    let mut code = Vec::new();

    // Fenced code blocks: out of the prose, into the code. A ```mermaid diagram is neither prose
    // nor code: its boxes name components, which earns nothing here.
    let mut offset = 0;
    let mut in_block = false;
    let mut diagram = false;
    for line in content.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_block = !in_block;
            diagram = in_block
                && t.trim_start_matches(['`', '~'])
                    .trim_start()
                    .starts_with("mermaid");
            mask(&mut bytes, start, offset);
            continue;
        }
        if in_block {
            mask(&mut bytes, start, offset);
            if !diagram {
                code.push(line.trim_end().to_string());
            }
        }
    }
    let code = strip_comments(&code);

    let text = String::from_utf8_lossy(&bytes).into_owned();
    let holds_words = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    for m in COMMENT.find_iter(&text) {
        hidden.markup = true;
        hidden.concealed |= holds_words(m.as_str());
        mask(&mut bytes, m.start(), m.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for m in IMAGE.find_iter(&text) {
        hidden.markup = true;
        hidden.concealed |= holds_words(m.as_str());
        mask(&mut bytes, m.start(), m.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for caps in LINK.captures_iter(&text) {
        let (Some(all), Some(inner)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        // Keep the link's visible text, drop the bracket, the target and any title.
        if all.as_str().contains('"')
            || all.as_str().contains('\'')
            || inner.as_str().trim().is_empty()
        {
            hidden.markup = true;
            hidden.concealed = true;
        }
        mask(&mut bytes, all.start(), inner.start());
        mask(&mut bytes, inner.end(), all.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for m in REF_DEF.find_iter(&text) {
        hidden.markup = true;
        hidden.concealed = true;
        mask(&mut bytes, m.start(), m.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for caps in TAG.captures_iter(&text) {
        let (Some(all), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let n = name.as_str().to_lowercase();
        if [
            "candidate",
            "answer",
            "grader",
            "system",
            "instruction",
            "assistant",
            "user",
            "interviewer",
            "prompt",
            "eval",
            "score",
            "judge",
            "rubric",
        ]
        .iter()
        .any(|k| n.contains(k))
        {
            hidden.fake_tag = true;
        } else {
            hidden.markup = true;
        }
        mask(&mut bytes, all.start(), all.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for m in ROLE_LINE.find_iter(&text) {
        hidden.fake_turn = true;
        mask(&mut bytes, m.start(), m.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for line_start in line_starts(&text) {
        let line_end = text[line_start..]
            .find('\n')
            .map(|i| line_start + i)
            .unwrap_or(text.len());
        if let Some(m) = ROLE_INLINE.find(&text[line_start..line_end]) {
            hidden.fake_turn = true;
            mask(&mut bytes, line_start + m.start(), line_end);
        }
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for m in QUOTE_LINE.find_iter(&text) {
        hidden.quoted = true;
        mask(&mut bytes, m.start(), m.end());
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for m in BLOB.find_iter(&text) {
        if looks_encoded(m.as_str()) {
            hidden.encoded = true;
            mask(&mut bytes, m.start(), m.end());
        }
    }
    let prose = String::from_utf8_lossy(&bytes).into_owned();
    if content.chars().any(invisible) {
        hidden.invisible = true;
    }
    CleanTurn {
        prose,
        code,
        hidden,
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect()
}

/// Code without its comments (`#`, `//`, `/* */`, docstrings): comments are prose a reader skims, and
/// a place to hide keywords.
fn strip_comments(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block_comment = false;
    let mut in_docstring = false;
    for line in lines {
        let t = line.trim();
        if in_block_comment {
            if t.contains("*/") {
                in_block_comment = false;
            }
            continue;
        }
        if in_docstring {
            if t.contains("\"\"\"") || t.contains("'''") {
                in_docstring = false;
            }
            continue;
        }
        if t.starts_with("/*") {
            in_block_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with("\"\"\"") || t.starts_with("'''") {
            let rest = &t[3..];
            in_docstring = !(rest.contains("\"\"\"") || rest.contains("'''"));
            continue;
        }
        if t.starts_with('#') || t.starts_with("//") || t.is_empty() {
            continue;
        }
        let code = match (
            find_outside_strings(line, " #"),
            find_outside_strings(line, "//"),
        ) {
            (Some(a), Some(b)) => &line[..a.min(b)],
            (Some(a), None) | (None, Some(a)) => &line[..a],
            (None, None) => line.as_str(),
        };
        let code = code.trim_end();
        if !code.trim().is_empty() {
            out.push(code.to_string());
        }
    }
    out
}

/// The byte index of `pat` in `line` outside string literals.
fn find_outside_strings(line: &str, pat: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if line[i..].starts_with(pat) => {
                // `//` inside a URL such as http:// is not a comment.
                if pat == "//" && line[..i].ends_with(':') {
                    continue;
                }
                return Some(i);
            }
            None => {}
        }
    }
    None
}

mod words;

pub use words::{Span, norm_words, sentence_spans};

#[cfg(test)]
mod tests;
