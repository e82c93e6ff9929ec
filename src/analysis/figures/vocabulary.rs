//! The words figures are read by: number words, scale words ("thousand", "K"), units, fillers and
//! function words between a count and what it counts, plurals.

use super::Unit;

pub(super) const NUMBER_WORDS: [(&str, f64); 30] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("half", 0.5),
];

pub(super) fn scale_word(w: &str) -> Option<f64> {
    match w {
        "k" | "thousand" | "thousands" => Some(1e3),
        "m" | "mm" | "million" | "millions" | "mn" => Some(1e6),
        "b" | "bn" | "billion" | "billions" => Some(1e9),
        "t" | "trillion" => Some(1e12),
        "hundred" | "hundreds" => Some(1e2),
        _ => None,
    }
}

pub(super) fn unit_word(w: &str) -> Option<(Unit, f64)> {
    Some(match w {
        "%" | "percent" | "pct" => (Unit::Percent, 1.0),
        "x" | "times" | "fold" => (Unit::Times, 1.0),
        "ms" | "millisecond" | "milliseconds" | "msec" => (Unit::Millis, 1.0),
        "s" | "sec" | "secs" | "second" | "seconds" => (Unit::Millis, 1e3),
        "min" | "mins" | "minute" | "minutes" => (Unit::Millis, 6e4),
        "h" | "hr" | "hrs" | "hour" | "hours" => (Unit::Millis, 3.6e6),
        "day" | "days" => (Unit::Millis, 8.64e7),
        "week" | "weeks" => (Unit::Millis, 6.048e8),
        "kb" => (Unit::Bytes, 1e3),
        "mb" => (Unit::Bytes, 1e6),
        "gb" => (Unit::Bytes, 1e9),
        "tb" => (Unit::Bytes, 1e12),
        "pb" => (Unit::Bytes, 1e15),
        "bytes" | "byte" => (Unit::Bytes, 1.0),
        "dollars" | "dollar" | "usd" | "eur" | "euros" | "euro" => (Unit::Money, 1.0),
        "token" | "tokens" => (Unit::Tokens, 1.0),
        _ => return None,
    })
}
/// Words that may sit between a count and what it counts ("70,000 new documents").
pub(super) fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "new" | "more" | "active" | "daily" | "total" | "unique" | "other" | "extra" | "of" | "the"
    )
}

/// Words that follow a number without being what it counts ("2 or 3", "5 to 10", "3 of them").
pub(super) fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "or" | "and"
            | "to"
            | "of"
            | "in"
            | "on"
            | "at"
            | "the"
            | "a"
            | "an"
            | "is"
            | "are"
            | "was"
            | "per"
            | "for"
            | "with"
            | "by"
            | "from"
            | "than"
            | "as"
            | "so"
            | "if"
            | "we"
            | "it"
            | "that"
            | "this"
            | "would"
            | "will"
            | "can"
            | "could"
            | "should"
            | "be"
            | "but"
            | "plus"
            | "minus"
            | "each"
            | "every"
            | "a day"
            | "more"
            | "less"
            | "times"
    )
}

pub(super) fn singular(w: &str) -> String {
    let w = w.trim_end_matches('\'');
    if w.len() > 3 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}
