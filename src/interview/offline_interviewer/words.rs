//! The words of a reply to a directive: the response to what was said (answers, refusals, a
//! challenge) then the move (a phase change, one question, or the close), in the phrasebook's phrasings.

use crate::content::PhaseMode;

use crate::interview::directive::{Closing, Directive, Lead};
use crate::interview::phrasebook::{Line, Voice};

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
    // One question per reply: when the interview moves on with a question of its own, a refusal's
    // question ("That's your call. What would you do ...?") keeps only its first sentence.
    let asks_next = d.follow_up.is_some()
        || d.transition.is_some()
        || !d.skipped_earlier.is_empty()
        || !d.before_moving_on.is_empty();
    let refusal = |text: Option<String>| {
        if asks_next {
            text.map(|t| without_its_question(&t))
        } else {
            text
        }
    };
    if d.no_figure {
        add(&mut parts, refusal(v.say(Line::NoFigure)));
    }
    if d.your_call {
        add(&mut parts, refusal(v.say(Line::YourCall)));
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
pub(super) fn facts(d: &Directive, v: &mut Voice<'_>, parts: &mut Vec<String>) {
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

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a, b and c" (or "or"); names that hold commas themselves are set apart by semicolons.
pub(super) fn join(names: &[String], word: &str) -> String {
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

/// "You tell me. What does the evidence so far point to?" -> "You tell me." A line without a
/// question, or one that is a question throughout, stays as it is.
fn without_its_question(line: &str) -> String {
    match line.find(". ") {
        Some(i) if line[i..].contains('?') && !line[..i].contains('?') => line[..=i].to_string(),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_its_question;

    #[test]
    fn a_refusal_keeps_its_question_only_when_nothing_else_is_asked() {
        assert_eq!(
            without_its_question("You tell me. What does the evidence so far point to?"),
            "You tell me."
        );
        assert_eq!(
            without_its_question("That's your call: pick one and tell me why."),
            "That's your call: pick one and tell me why."
        );
        assert_eq!(
            without_its_question("Which would you pick, and why?"),
            "Which would you pick, and why?"
        );
    }
}
