//! Figures in text: numbers with their units ("70,000", "$60K", "45%", "1.5 s", "six languages"),
//! normalised so that one quantity written two ways compares equal. The interviewer uses them to check
//! its own questions for hidden figures and to react to the numbers a candidate gives.

/// What a number measures, as far as its spelling tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Money,
    /// A multiple: "10x".
    Times,
    /// A duration, normalised to milliseconds.
    Millis,
    /// A size, normalised to bytes.
    Bytes,
    /// Tokens ("27k tokens").
    Tokens,
    /// A bare count ("70,000 documents", "six languages").
    Plain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The quantity in the unit's base (milliseconds, bytes, dollars...).
    pub value: f64,
    pub unit: Unit,
    /// For a bare count, the noun that follows it, singular and lower-case ("language").
    pub noun: Option<String>,
    /// That noun as written ("GPUs").
    pub noun_text: Option<String>,
    /// The figure as written, with its unit.
    pub text: String,
}

impl Figure {
    /// Whether two figures state the same quantity. Small bare counts ("three") are everywhere, so
    /// they are only the same when they count the same thing.
    pub fn same_quantity(&self, other: &Figure) -> bool {
        if !close(self.value, other.value) {
            return false;
        }
        match (self.unit, other.unit) {
            (Unit::Plain, Unit::Plain) => {
                self.value >= 100.0 || (self.noun.is_some() && self.noun == other.noun)
            }
            // "$60K" and "60,000 dollars a month" are one amount; so is "27k" beside "27,000 tokens".
            (Unit::Plain, Unit::Money | Unit::Tokens)
            | (Unit::Money | Unit::Tokens, Unit::Plain) => self.value >= 1000.0,
            (a, b) => a == b,
        }
    }

    /// A figure worth keeping secret: a bare "1", "2" or "10x" says nothing on its own.
    pub fn is_telling(&self) -> bool {
        match self.unit {
            Unit::Plain => self.value >= 100.0 || (self.value >= 2.0 && self.noun.is_some()),
            Unit::Times => self.value > 10.0 || self.value.fract() != 0.0,
            _ => self.value != 0.0,
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

const NUMBER_WORDS: [(&str, f64); 30] = [
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

fn scale_word(w: &str) -> Option<f64> {
    match w {
        "k" | "thousand" | "thousands" => Some(1e3),
        "m" | "mm" | "million" | "millions" | "mn" => Some(1e6),
        "b" | "bn" | "billion" | "billions" => Some(1e9),
        "t" | "trillion" => Some(1e12),
        "hundred" | "hundreds" => Some(1e2),
        _ => None,
    }
}

fn unit_word(w: &str) -> Option<(Unit, f64)> {
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

/// A lexical token of the scanner: a number as written, a word, or a sign.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64, String),
    Word(String),
    Sign(char),
}

fn tokens(text: &str) -> Vec<Tok> {
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
fn original_words(text: &str, toks: &[Tok]) -> Vec<Option<String>> {
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

/// Words that may sit between a count and what it counts ("70,000 new documents").
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "new" | "more" | "active" | "daily" | "total" | "unique" | "other" | "extra" | "of" | "the"
    )
}

/// Words that follow a number without being what it counts ("2 or 3", "5 to 10", "3 of them").
fn is_function_word(w: &str) -> bool {
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

fn singular(w: &str) -> String {
    let w = w.trim_end_matches('\'');
    if w.len() > 3 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The figures in a text, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let toks = tokens(text);
    let originals = original_words(text, &toks);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let money_sign = i > 0 && matches!(toks[i - 1], Tok::Sign('$' | '€' | '£'));
        let (mut value, mut text) = match &toks[i] {
            Tok::Num(v, raw) => (*v, raw.clone()),
            Tok::Word(w) => match NUMBER_WORDS.iter().find(|(n, _)| n == w) {
                // "half" and "one" alone are rarely quantities worth tracking.
                Some((n, v)) if !matches!(*n, "half" | "one" | "hundred") => (*v, w.clone()),
                _ => {
                    i += 1;
                    continue;
                }
            },
            Tok::Sign(_) => {
                i += 1;
                continue;
            }
        };
        if money_sign {
            text = format!("$ {text}");
        }
        i += 1;
        // "two million", "60K", "1.2 billion", "twenty five".
        if let Some(Tok::Word(w)) = toks.get(i)
            && let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| n == w)
            && value >= 20.0
            && *v < 10.0
        {
            value += v;
            text = format!("{text} {w}");
            i += 1;
        }
        if let Some(Tok::Word(w)) = toks.get(i)
            && let Some(scale) = scale_word(w)
        {
            value *= scale;
            text = format!("{text} {w}");
            i += 1;
        }
        let mut unit = if money_sign { Unit::Money } else { Unit::Plain };
        let mut noun = None;
        let mut noun_text = None;
        match toks.get(i) {
            Some(Tok::Sign('%')) => {
                unit = Unit::Percent;
                text.push('%');
                i += 1;
            }
            Some(Tok::Word(w)) => {
                if let Some((u, factor)) = unit_word(w).filter(|_| unit == Unit::Plain) {
                    unit = u;
                    value *= factor;
                    text = format!("{text} {w}");
                    i += 1;
                } else if unit == Unit::Plain {
                    let mut j = i;
                    while let Some(Tok::Word(f)) = toks.get(j) {
                        if !is_filler(f) || j > i + 1 {
                            break;
                        }
                        j += 1;
                    }
                    if let Some(Tok::Word(n)) = toks.get(j)
                        && n.len() > 1
                        && !is_function_word(n)
                    {
                        noun = Some(singular(n));
                        noun_text = originals.get(j).cloned().flatten();
                    }
                }
            }
            _ => {}
        }
        out.push(Figure {
            value,
            unit,
            noun,
            noun_text,
            text,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Figure {
        let f = figures(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn thousands_separators_and_scale_words_give_one_value() {
        assert_eq!(one("a nightly batch of 70,000").value, 70_000.0);
        assert_eq!(one("a nightly batch of 70k").value, 70_000.0);
        assert_eq!(one("about 2.5 million documents").value, 2_500_000.0);
        let money = one("costs $60K a month");
        assert_eq!((money.value, money.unit), (60_000.0, Unit::Money));
    }

    #[test]
    fn units_are_normalised() {
        let a = one("within 1.5 s at P95");
        let b = one("within 1,500 ms");
        assert!(a.same_quantity(&b));
        assert_eq!(one("45% of traffic").unit, Unit::Percent);
        assert_eq!(one("400 GB of text").value, 400e9);
        assert_eq!(one("10x the traffic").unit, Unit::Times);
    }

    #[test]
    fn small_counts_are_the_same_only_when_they_count_the_same_thing() {
        let six = one("six languages");
        assert_eq!(six.noun.as_deref(), Some("language"));
        assert!(six.same_quantity(&one("6 languages")));
        assert!(!six.same_quantity(&one("6 replicas")));
        assert!(one("70,000 new documents").same_quantity(&one("a batch of 70,000")));
    }

    #[test]
    fn money_and_bare_amounts_compare_when_large() {
        assert!(one("$60K").same_quantity(&one("60,000 per month")));
        assert!(!one("$5").same_quantity(&one("5 seconds")));
    }

    #[test]
    fn telling_figures_exclude_bare_small_numbers() {
        assert!(!one("pick 2 or so").is_telling());
        assert!(one("top 10,000 queries").is_telling());
        assert!(!one("under 10x load").is_telling());
        assert!(one("six languages").is_telling());
    }
}
