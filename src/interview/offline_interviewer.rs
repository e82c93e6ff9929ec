//! The offline interviewer: turns the turn's directive into an interviewer's words, deterministically,
//! with no model and no network, and streams them as a model would. It is a real runtime mode (the
//! default when no model is configured) and the stand-in when a model cannot be reached. It also
//! writes every session's opening, whatever plays the interviewer.
//!
//! A reply first responds to what the candidate said (answers, refusals, a challenge), then moves
//! the interview (a phase change, one question, or the close). The words come from the phrasebook,
//! so no sentence is said more than twice in a session.

use crate::content::{Level, PhaseMode, PhasePlan, Question};
use crate::llm::{ReplyChunk, ReplyStream};

use super::directive::{Closing, Directive, Lead};
use super::phrasebook::{Line, Voice};

/// Every closing line holds this, so a transcript shows the interview was closed.
pub const CLOSING_LINES: &[&str] = &["your scorecard"];

/// The reply to a directive as a stream, in pieces of a few words, then finished.
pub fn stream(d: &Directive) -> ReplyStream {
    let text = if d.words.is_empty() {
        "Go on.".to_string()
    } else {
        d.words.clone()
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

/// The interviewer's words for a directive.
pub fn words(d: &Directive, v: &mut Voice<'_>, mode: PhaseMode, _transitioned: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    let add = |parts: &mut Vec<String>, text: Option<String>| {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            parts.push(t);
        }
    };
    if d.closing == Closing::Already {
        add(&mut parts, v.say(Line::AfterClose));
        if parts.is_empty() {
            parts.push("See your scorecard.".to_string());
        }
        return parts.join("\n\n");
    }
    // What the candidate said, answered first.
    if d.answer_key {
        add(&mut parts, v.say(Line::AnswerKey));
    }
    if d.play_back {
        add(&mut parts, v.say(Line::PlayBack));
    }
    facts(d, v, &mut parts);
    if !d.which_one.is_empty() {
        add(
            &mut parts,
            v.say_with(Line::WhichOne, &join(&d.which_one, "or")),
        );
    }
    if d.no_figure {
        add(&mut parts, v.say(Line::NoFigure));
    }
    if d.your_call {
        add(&mut parts, v.say(Line::YourCall));
    }
    if let Some(a) = &d.qa_answer {
        parts.push(a.clone());
    }
    if d.qa_unknown {
        add(&mut parts, v.say(Line::QaUnknown));
    }
    if d.score_question {
        let said = v.say(Line::Score);
        parts.push(said.unwrap_or_else(|| "Scorecard comes later.".to_string()));
    }
    if let Some(t) = d.time_left {
        parts.push(format!(
            "About {} minute{} left in this phase, {} in the whole interview.",
            t.phase_minutes,
            if t.phase_minutes == 1 { "" } else { "s" },
            t.total_minutes
        ));
    }
    let moving =
        d.follow_up.is_some() || d.transition.is_some() || d.closing != Closing::No || d.phase_wrap;
    if d.check_in && !moving {
        add(&mut parts, v.say(Line::CheckIn));
    }
    if d.assumption {
        add(&mut parts, v.say(Line::Assumption));
    }
    if let Some(c) = &d.challenge {
        if v.may_say(c) {
            v.note(c);
            parts.push(c.clone());
        }
    }
    // A thin or unsure answer with a next question to ask gets a short bridge to it; without
    // one, an invitation to say more.
    let next = d.follow_up.is_some();
    if d.unsure {
        add(
            &mut parts,
            v.say(if next { Line::UnsureLead } else { Line::Unsure }),
        );
    } else if d.thin && d.challenge.is_none() {
        add(
            &mut parts,
            v.say(if next { Line::ThinLead } else { Line::Thin }),
        );
    }
    if d.nudge_to_clarify {
        add(&mut parts, v.say(Line::NudgeToClarify));
    }
    if d.test_hypothesis && d.follow_up.is_none() && d.transition.is_none() {
        add(&mut parts, v.say(Line::TestHypothesis));
    }
    if let Some(h) = &d.hint {
        let lead = v.say(Line::HintLead).unwrap_or_default();
        parts.push(format!("{lead} {h}").trim().to_string());
    }
    if d.hint_refused {
        add(&mut parts, v.say(Line::HintLimit));
    }
    // Then the interview moves on.
    if let Some(phase) = &d.already_in {
        parts.push(format!("We're already on {phase}, so go ahead."));
    }
    if !d.before_moving_on.is_empty() {
        let line = if d.closing == Closing::No && d.wrapping_up {
            Line::BeforeWrappingUp
        } else {
            Line::BeforeMovingOn
        };
        add(
            &mut parts,
            v.say_with(line, &join(&d.before_moving_on, "and")),
        );
    }
    if !d.skipped_earlier.is_empty() {
        add(
            &mut parts,
            v.say_with(Line::SkippedEarlier, &join(&d.skipped_earlier, "and")),
        );
    }
    if let Some(t) = &d.transition {
        if t.time_up {
            parts.push(format!(
                "We're out of time for {}, so let's move on.",
                t.from_name.to_lowercase()
            ));
        } else {
            add(&mut parts, v.say_in(Line::MoveOnAck, mode));
        }
        if v.may_say(&t.intro) {
            v.note(&t.intro);
            parts.push(t.intro.clone());
        }
    }
    if let Some(f) = &d.follow_up {
        let lead = match &f.lead {
            Some(Lead::Noted(n)) => v.say_with(Line::Noted, &capitalise(n)),
            Some(Lead::Mentioned(n)) => v.say_with(Line::YouMentioned, n),
            Some(Lead::Looking(def)) => v.say_with(Line::LookingAt, def),
            Some(Lead::Untested(n)) => v.say_with(Line::NoTestCovers, n),
            Some(Lead::Skipped(_)) => v.say(Line::Skipped),
            None => None,
        };
        v.note(&f.question);
        parts.push(match lead {
            Some(l) => format!("{l} {}", f.question),
            None => f.question.clone(),
        });
    }
    if d.phase_wrap {
        add(&mut parts, v.say(Line::PhaseWrap));
    }
    if d.write_code {
        add(&mut parts, v.say(Line::WriteCode));
    }
    if d.enough_to_start {
        add(&mut parts, v.say(Line::EnoughToStart));
    }
    if d.ask_more {
        add(&mut parts, v.say(Line::ClarifyMore));
    }
    match d.closing {
        Closing::Invite => {
            let line = if d.qa_answer.is_some() {
                Line::InviteMore
            } else {
                Line::Invite
            };
            add(&mut parts, v.say(line));
        }
        Closing::Close | Closing::AtTime => {
            let line = if d.closing == Closing::AtTime {
                Line::CloseAtTime
            } else {
                Line::Close
            };
            let said = v.say(line);
            parts.push(said.unwrap_or_else(|| "See your scorecard.".to_string()));
        }
        Closing::No | Closing::Already => {
            if d.overtime {
                add(&mut parts, v.say(Line::Overtime));
            }
        }
    }
    if parts.is_empty() {
        add(&mut parts, v.say(Line::SmallTalk));
    }
    if parts.is_empty() {
        parts.push("Go on.".to_string());
    }
    parts.join("\n\n")
}

/// The facts answered this turn: one in a sentence, several as a list.
fn facts(d: &Directive, v: &mut Voice<'_>, parts: &mut Vec<String>) {
    if !d.answers.is_empty() {
        let lead = if d.praise {
            v.say(Line::Praise)
        } else {
            v.say(Line::AnswerLead)
        };
        if d.answers.len() == 1 {
            let a = &d.answers[0];
            v.note(&a.answer);
            parts.push(match lead {
                Some(l) => format!("{l} {}", a.answer),
                None => a.answer.clone(),
            });
        } else {
            if let Some(l) = lead {
                parts.push(l);
            }
            for a in &d.answers {
                v.note(&a.answer);
                parts.push(format!("- **{}**: {}", a.topic, a.answer));
            }
        }
    }
    if !d.repeated.is_empty() {
        let lead = v.say(Line::AnswerAgain).unwrap_or_default();
        for a in &d.repeated {
            v.note(&a.answer);
            parts.push(format!("{lead} {}", a.answer).trim().to_string());
        }
    }
    if !d.answered_before.is_empty()
        && let Some(t) = v.say(Line::AnsweredBefore)
    {
        parts.push(t);
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a, b and c" (or "or"); names that hold commas themselves are set apart by semicolons.
fn join(names: &[String], word: &str) -> String {
    let sep = if names.iter().any(|n| n.contains(',')) {
        "; "
    } else {
        ", "
    };
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{} {word} {}", init.join(sep), sep.trim_end(), last),
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
    use crate::interview::directive::{FactAnswer, FollowUp};
    use crate::interview::memory::Memory;
    use crate::interview::phrasebook::Kind;

    fn say(d: &Directive) -> String {
        let memory = Memory::default();
        let mut v = Voice::new(Kind::SystemDesign, PhaseMode::Design, &memory, 0);
        words(d, &mut v, PhaseMode::Design, false)
    }

    #[test]
    fn pieces_rebuild_the_reply_exactly() {
        let text = "Good question.\n\n- **Scale**: 200 QPS at peak, 50 on average.";
        let p = pieces(text);
        assert!(p.len() >= 3);
        assert_eq!(p.concat(), text);
        assert!(p.iter().all(|s| !s.is_empty()));
    }

    #[test]
    fn a_thin_turn_gets_no_praise_and_no_recap() {
        let d = Directive {
            thin: true,
            follow_up: Some(FollowUp {
                item: "components.ranking".into(),
                question: "How do you rank results?".into(),
                lead: None,
            }),
            ..Directive::default()
        };
        let r = say(&d);
        assert!(!r.to_lowercase().contains("good question"));
        assert!(!r.contains("covered"));
        assert!(r.ends_with("How do you rank results?"));
    }

    #[test]
    fn an_answer_opens_the_reply_and_a_question_ends_it() {
        let d = Directive {
            answers: vec![FactAnswer {
                id: "latency".into(),
                topic: "Latency".into(),
                answer: "Under a second at P95.".into(),
            }],
            follow_up: Some(FollowUp {
                item: "components.cache".into(),
                question: "What would you cache?".into(),
                lead: Some(Lead::Noted("retrieval".into())),
            }),
            ..Directive::default()
        };
        let r = say(&d);
        assert!(r.find("Under a second").unwrap() < r.find("What would you cache?").unwrap());
        assert!(r.contains("Retrieval"));
    }

    #[test]
    fn the_close_points_to_the_scorecard() {
        let d = Directive {
            closing: Closing::Close,
            ..Directive::default()
        };
        assert!(CLOSING_LINES.iter().any(|c| say(&d).contains(c)));
    }
}
