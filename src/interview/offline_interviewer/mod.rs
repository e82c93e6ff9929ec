//! The offline interviewer: turns the turn's directive into an interviewer's words, deterministically,
//! with no model and no network, and streams them as a model would. It is a real runtime mode (the
//! default when no model is configured) and the stand-in when a model cannot be reached. It also
//! writes every session's opening, whatever plays the interviewer.
//!
//! A reply first responds to what the candidate said (answers, refusals, a challenge), then moves
//! the interview (a phase change, one question, or the close). The words come from the phrasebook,
//! so no sentence is said more than twice in a session.

#[cfg(test)]
mod tests;
mod words;

use crate::content::{Level, PhasePlan, Question};
use crate::llm::{ReplyChunk, ReplyStream};

pub use words::words;

/// Every closing line holds this, so a transcript shows the interview was closed.
pub const CLOSING_LINES: &[&str] = &["your scorecard"];

/// The reply to a directive (its words, `turn_plan::words_of`) as a stream, in pieces of a few
/// words, then finished.
pub fn stream(words: String) -> ReplyStream {
    let text = if words.is_empty() {
        "Go on.".to_string()
    } else {
        words
    };
    let chunks = pieces(&text)
        .into_iter()
        .map(|p| Ok(ReplyChunk::Delta(p)))
        .chain(std::iter::once(Ok(ReplyChunk::Finished)));
    Box::pin(futures::stream::iter(chunks))
}

/// The interviewer's opening turn: the question and how the interview will run.
pub fn opening(question: &Question, plan: &PhasePlan, level: Level) -> String {
    let phases = plan
        .phases
        .iter()
        .map(|p| format!("{} (~{} min)", p.name, p.minutes))
        .collect::<Vec<_>>()
        .join(", ");
    let first = plan
        .phases
        .first()
        .map(|p| p.intro.as_str())
        .unwrap_or_default();
    format!(
        "Hi, thanks for joining. I'll be your interviewer today, for a {}-level {} interview.\n\n**{}**\n\n{}\n\nWe have about {} minutes, in {} phases: {}. Think aloud as you go; tell me when you want to move on.\n\n{}",
        level.as_str(),
        plan.name,
        question.title,
        question.prompt.trim(),
        plan.total_minutes(),
        plan.phases.len(),
        phases,
        first
    )
}

/// Splits a reply into stream pieces of a few words, as a model would stream it. Concatenating the
/// pieces gives the reply back exactly.
pub fn pieces(text: &str) -> Vec<String> {
    const WORDS_PER_PIECE: usize = 4;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut words = 0;
    let mut in_word = false;
    for ch in text.chars() {
        let ws = ch.is_whitespace();
        if !ws && !in_word {
            words += 1;
            if words > WORDS_PER_PIECE {
                out.push(std::mem::take(&mut cur));
                words = 1;
            }
        }
        in_word = !ws;
        cur.push(ch);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
