//! Figures in text: numbers with their units ("70,000", "$60K", "45%", "1.5 s", "six languages"),
//! normalised so that one quantity written two ways compares equal. The interviewer uses them to check
//! its own questions for hidden figures and to react to the numbers a candidate gives.

#[cfg(test)]
mod tests;
mod tokens;
mod vocabulary;

use tokens::{Tok, original_words, tokens};
use vocabulary::{NUMBER_WORDS, is_filler, is_function_word, scale_word, singular, unit_word};

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

/// Whether a text can hold a figure at all: a figure starts at a digit or at a number word other
/// than "one", "half" and "hundred" (a word as the scanner reads it: a run of letters, lower-cased).
/// Most sentences hold neither, and this is checked without building the scanner's tokens.
fn may_hold_figure(text: &str) -> bool {
    let starts_a_figure = |w: &str| {
        NUMBER_WORDS
            .iter()
            .any(|(n, _)| !matches!(*n, "half" | "one" | "hundred") && n.eq_ignore_ascii_case(w))
    };
    text.bytes().any(|b| b.is_ascii_digit())
        || text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| (3..=9).contains(&w.len()) || !w.is_ascii())
            .any(|w| {
                if w.is_ascii() {
                    starts_a_figure(w)
                } else {
                    starts_a_figure(&w.to_lowercase())
                }
            })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The figures in a text, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    if !may_hold_figure(text) {
        return Vec::new();
    }
    scan(text)
}

/// `figures` without the check that most texts need no scan.
fn scan(text: &str) -> Vec<Figure> {
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
