//! The figure scanner's tokens: numbers as written, words and signs, and the original words behind them.

/// A lexical token of the scanner: a number as written, a word, or a sign.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64, String),
    Word(String),
    Sign(char),
}

pub(super) fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            // Digits glued to a name are part of it: "P99", "H100", "GPT-4", "v2.14".
            let glued = i > 0
                && (chars[i - 1].is_alphabetic()
                    || (chars[i - 1] == '-' && i > 1 && chars[i - 2].is_alphabetic()));
            let mut s = String::new();
            while i < chars.len() {
                let ch = chars[i];
                let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if ch.is_ascii_digit() {
                    s.push(ch);
                } else if ch == ',' && next_digit && digits_after(&chars, i + 1) == 3 {
                    // A thousands separator: "70,000".
                } else if ch == '.' && next_digit {
                    s.push('.');
                } else {
                    break;
                }
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect();
            // "429s", "500s", "1990s": a plural of a code or a year, not seconds.
            let plural = chars.get(i) == Some(&'s')
                && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
                && !s.contains('.')
                && s.len() >= 3;
            if glued || plural {
                continue;
            }
            if let Ok(v) = s.parse::<f64>() {
                out.push(Tok::Num(v, raw));
            }
            // A unit glued to the number ("60K", "500ms", "10x") is read as the next word.
            continue;
        }
        if c.is_alphabetic() {
            let mut w = String::new();
            while i < chars.len() && chars[i].is_alphabetic() {
                w.extend(chars[i].to_lowercase());
                i += 1;
            }
            out.push(Tok::Word(w));
            continue;
        }
        if matches!(
            c,
            '$' | '€' | '£' | '%' | '-' | '/' | '.' | ',' | '?' | '!' | ';' | ':'
        ) {
            out.push(Tok::Sign(c));
        }
        i += 1;
    }
    out
}

/// Each word token as written (case kept), by token index; `None` for other tokens.
pub(super) fn original_words(text: &str, toks: &[Tok]) -> Vec<Option<String>> {
    let mut written = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty());
    toks.iter()
        .map(|t| match t {
            Tok::Word(_) => written.next().map(str::to_string),
            _ => None,
        })
        .collect()
}

fn digits_after(chars: &[char], from: usize) -> usize {
    chars[from..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}
