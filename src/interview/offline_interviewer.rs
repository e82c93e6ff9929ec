//! The offline interviewer: turns the turn's directive into an interviewer's words, deterministically,
//! with no model and no network, and streams them as a model would. It is a real runtime mode (the
//! default when no model is configured) and the stand-in when a model cannot be reached. It also
//! writes every session's opening, whatever plays the interviewer.

use crate::content::{Level, PhasePlan, Question};
use crate::llm::{ReplyChunk, ReplyStream};

use super::directive::Directive;

/// The reply to a directive as a stream, in pieces of a few words, then finished.
pub fn stream(d: &Directive) -> ReplyStream {
    let chunks = pieces(&reply(d))
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

/// The interviewer's reply for a turn.
pub fn reply(d: &Directive) -> String {
    let mut parts: Vec<String> = Vec::new();

    if !d.answers.is_empty() {
        let lead = if d.answers.len() == 1 {
            "Good question."
        } else {
            "Good questions."
        };
        parts.push(lead.to_string());
        for a in &d.answers {
            parts.push(format!("- **{}**: {}", a.topic, a.answer));
        }
    }
    if d.unanswerable_question {
        parts.push(if d.answers.is_empty() {
            "I don't have a specific figure for that one: make a reasonable assumption, state it, and carry on.".to_string()
        } else {
            "For anything else you asked, I don't have a specific figure: state your assumption.".to_string()
        });
    }
    if d.nudge_to_clarify {
        parts.push(
            "Hold on before the architecture. You haven't asked me anything yet, and the right design depends on numbers you don't have: scale, latency, data, constraints. What do you need to know?"
                .to_string(),
        );
    } else if d.thin && d.answers.is_empty() && d.qa_answer.is_none() {
        parts.push(
            "That's quite brief. Could you expand on it and walk me through your reasoning?"
                .to_string(),
        );
    } else if !d.newly_covered.is_empty() && d.transition.is_none() && d.answers.is_empty() {
        let names = d.newly_covered.iter().take(3).cloned().collect::<Vec<_>>();
        parts.push(format!(
            "You've covered {}.",
            join_names(&names).to_lowercase()
        ));
    }

    if let Some(answer) = &d.qa_answer {
        parts.push(answer.clone());
    }
    if let Some(t) = &d.transition {
        parts.push(if t.time_up {
            format!(
                "We're out of time for {}, so let's move on.",
                t.from_name.to_lowercase()
            )
        } else {
            "Sure.".to_string()
        });
        parts.push(t.intro.clone());
    }
    if let Some(f) = &d.follow_up {
        parts.push(f.clone());
    }
    if d.closing {
        parts.push(if d.overtime {
            "We're at time. Thanks for your work today: finish the session when you're ready to see your scorecard.".to_string()
        } else {
            "Anything else you'd like to ask? Otherwise, finish the session to see your scorecard.".to_string()
        });
    } else if d.overtime {
        parts.push(
            "We're past the time for the whole interview: let's wrap up and finish the session."
                .to_string(),
        );
    }
    if parts.is_empty() {
        parts.push("Go on.".to_string());
    }
    parts.join("\n\n")
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_rebuild_the_reply_exactly() {
        let text = "Good question.\n\n- **Scale**: 200 QPS at peak, 50 on average.";
        let p = pieces(text);
        assert!(p.len() >= 3);
        assert_eq!(p.concat(), text);
        assert!(p.iter().all(|s| !s.is_empty()));
    }

    #[test]
    fn a_thin_turn_gets_no_praise() {
        let d = Directive {
            thin: true,
            newly_covered: vec!["Caching".into()],
            follow_up: Some("How do you rank results?".into()),
            ..Directive::default()
        };
        let r = reply(&d);
        assert!(r.contains("quite brief"));
        assert!(!r.contains("covered"));
        assert!(r.ends_with("How do you rank results?"));
    }
}
