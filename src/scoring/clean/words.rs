//! Words and sentences of the visible prose: Unicode-normalised words (look-alike words set aside)
//! and sentence spans that do not cut "e.g." or "vs.".

use unicode_normalization::UnicodeNormalization;

use super::invisible;

/// Words of a text after Unicode normalisation: NFKC, invisible characters removed, lower-cased;
/// a word mixing Latin letters with Cyrillic or Greek ones (a look-alike) is dropped. Returns the
/// words and whether any look-alike was dropped.
pub fn norm_words(text: &str) -> (Vec<String>, bool) {
    let visible: String = text.chars().filter(|c| !invisible(*c)).collect();
    let normal: String = visible.nfkc().collect();
    let mut lookalike = false;
    let words = crate::analysis::text::words(&normal)
        .into_iter()
        .filter(|w| {
            let latin = w.chars().any(|c| c.is_ascii_alphabetic());
            let other = w.chars().any(|c| matches!(c as u32, 0x0370..=0x052F));
            if latin && other {
                lookalike = true;
                false
            } else {
                true
            }
        })
        .collect();
    (words, lookalike)
}

/// A sentence of visible prose: its byte span in the original turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

const ABBREVIATIONS: [&str; 18] = [
    "e.g", "i.e", "etc", "vs", "approx", "cf", "eg", "ie", "fig", "no", "mr", "mrs", "dr", "incl",
    "esp", "resp", "a.k.a", "min",
];

/// Splits masked prose into sentences at line breaks and at `.`, `?`, `!` followed by white space,
/// but not after an abbreviation ("e.g.", "vs.") nor before a lower-case word or a figure.
pub fn sentence_spans(prose: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = prose.as_bytes();
    let mut start = 0;
    let push = |out: &mut Vec<Span>, s: usize, e: usize| {
        let slice = &prose[s..e];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.len() - slice.trim_end().len();
        if e - s > lead + trail {
            out.push(Span {
                start: s + lead,
                end: e - trail,
            });
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end = match b {
            b'\n' => Some(i),
            b'?' | b'!' => {
                (bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())).then_some(i + 1)
            }
            b'.' => {
                let at_end = bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
                let before = prose[start..i]
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let abbreviation = ABBREVIATIONS.contains(&before.as_str())
                    || (before.len() <= 3 && before.contains('.'));
                let next_word = prose[i + 1..]
                    .trim_start_matches([' ', '\t'])
                    .chars()
                    .next();
                let continues = next_word.is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
                (at_end && !abbreviation && !continues).then_some(i + 1)
            }
            _ => None,
        };
        if let Some(e) = end {
            push(&mut out, start, e);
            start = e.max(i + 1);
        }
        i += 1;
    }
    push(&mut out, start, prose.len());
    out
}
