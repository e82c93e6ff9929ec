//! Cutting prose into clauses: where a second question starts, list separators read as "and", and
//! the words that open a question.

use crate::analysis::text::{first_words, has_words};

/// A clause with its list separators spelled "and": "P95/P99, latency" -> "P95 and P99 and
/// latency". A slash between single letters ("A/B") is a name, not a list.
pub(super) fn as_list(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let run = |from: usize, step: isize| {
        let mut n = 0;
        let mut i = from as isize;
        while i >= 0 && (i as usize) < chars.len() && chars[i as usize].is_alphanumeric() {
            n += 1;
            i += step;
        }
        n
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        let separator = match c {
            ',' | ';' | '&' => true,
            '/' => i > 0 && run(i - 1, -1) >= 2 && run(i + 1, 1) >= 2,
            _ => false,
        };
        if separator {
            out.push_str(" and ");
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn is_wh(w: &str) -> bool {
    matches!(
        w,
        "what" | "how" | "which" | "when" | "where" | "who" | "why" | "whats" | "hows"
    )
}

pub(super) fn is_lead_in(w: &str) -> bool {
    matches!(
        w,
        "and" | "also" | "so" | "ok" | "okay" | "then" | "but" | "plus"
    )
}

/// Splits a sentence where a second question starts: ", and how fast does it grow?", "; what about
/// latency?". A list inside one question ("P50 and P99") stays whole.
pub(super) fn split_clauses(sentence: &str) -> Vec<String> {
    let lower = sentence.to_lowercase();
    // Every separator holds a comma, a semicolon or " and ": most sentences hold none.
    if !(lower.contains([',', ';']) || lower.contains(" and ")) {
        let whole = sentence.trim();
        return if whole.is_empty() {
            Vec::new()
        } else {
            vec![whole.to_string()]
        };
    }
    let mut cuts = Vec::new();
    for sep in [
        ", and ", " and ", "; ", ", or ", ", also ", ", plus ", " also, ", ", then ",
    ] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(sep) {
            let pos = from + at;
            let after = &lower[pos + sep.len()..];
            if opens_question(&first_words(after, 3)) && has_words(&lower[..pos], 2) {
                cuts.push((pos, pos + sep.len()));
            }
            from = pos + sep.len();
        }
    }
    cuts.sort();
    cuts.dedup_by(|a, b| a.0 < b.1);
    let mut out = Vec::new();
    let mut start = 0;
    for (cut, resume) in cuts {
        if cut > start
            && let (Some(part), Some(_)) = (sentence.get(start..cut), sentence.get(resume..))
        {
            out.push(part.trim().to_string());
            start = resume;
        }
    }
    if let Some(rest) = sentence.get(start..) {
        out.push(rest.trim().to_string());
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Whether words start a new question: a question word, or an auxiliary with its subject ("is
/// there", "do we", "can you").
pub(super) fn opens_question(next: &[String]) -> bool {
    let Some(first) = next.first() else {
        return false;
    };
    if is_wh(first) && first != "when" {
        return true;
    }
    let aux = matches!(
        first.as_str(),
        "is" | "are"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "should"
            | "will"
            | "would"
            | "has"
            | "have"
            | "any"
    );
    let subject = next.get(1).is_some_and(|w| {
        matches!(
            w.as_str(),
            "there" | "we" | "you" | "it" | "they" | "i" | "the" | "this" | "that" | "users"
        )
    });
    aux && subject
}
