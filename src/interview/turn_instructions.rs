//! The built-in `interviewer_turn.hbs` (with its `transition.hbs` partial) written out in Rust: the
//! per-turn part of the interviewer's system prompt, rendered on every model turn before the upstream
//! call. Handlebars renders it from a JSON copy of the context, walking some forty `#if` blocks for a
//! directive that sets two or three, and that was the largest single cost before the first token
//! (BENCHMARKS.md). The templates stay the contract and the starting point for an override: a `--root`
//! that overrides either file is rendered by Handlebars, and a test holds this renderer to the
//! built-in templates' output, byte for byte, over generated directives.

use std::fmt::Write;

use super::directive::{Directive, FactAnswer, Lead};
use super::prompt_context::InterviewerTurn;

/// The turn's instructions, exactly as the built-in templates render them (trimmed).
pub fn render(t: &InterviewerTurn<'_>) -> String {
    let mut out = String::with_capacity(2048);
    now(&mut out, t);
    what_to_do(&mut out, t.turn, t);
    out.trim().to_string()
}

/// Handlebars' truthiness for an optional string: present and not empty.
fn set(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn joined(out: &mut String, items: &[String], sep: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
}

fn now(out: &mut String, t: &InterviewerTurn<'_>) {
    let p = &t.phase;
    let _ = write!(
        out,
        "# Now\nCurrent phase: **{}** ({} of {}), about {} minute(s) left in it; about {} minute(s) left in the whole interview.\nGoals of this phase:\n",
        p.name, p.index, p.total, p.minutes_left, t.minutes_left_total
    );
    for goal in &p.goals {
        let _ = writeln!(out, "- {goal}");
    }
    out.push_str("\nTopics of the scenario the candidate has already been told about: ");
    if t.revealed.is_empty() {
        out.push_str("none");
    } else {
        joined(out, &t.revealed, ", ");
    }
    out.push_str(
        ".\nNot yet covered by the candidate (for your judgement; never list these to the candidate): ",
    );
    if t.missing.is_empty() {
        out.push_str("nothing important");
    } else {
        joined(out, &t.missing, ", ");
    }
    out.push_str(".\n\n");
    if let Some(diagram) = set(&t.turn.diagram) {
        let _ = write!(
            out,
            "The candidate's latest diagram (the ```mermaid block in their answers), as parsed. Its boxes name components; naming is not explaining, so ask about what it leaves out, what is not connected, what flows along an arrow and what happens when a box fails:\n{diagram}\n\n"
        );
    }
    out.push_str("# What to do in this reply, in this order\n");
}

fn facts(out: &mut String, facts: &[FactAnswer], says: &str, then: &str) {
    for f in facts {
        let _ = writeln!(out, "- {says}\"{}\". {then}{}", f.topic, f.answer);
    }
}

/// `- LEAD item, item.` when there are items (`SEP` between them).
fn list(out: &mut String, items: &[String], lead: &str, sep: &str) {
    if !items.is_empty() {
        let _ = write!(out, "- {lead}");
        joined(out, items, sep);
        out.push_str(".\n");
    }
}

/// `- LEAD text` when the text is set.
fn with_text(out: &mut String, text: &Option<String>, lead: &str) {
    if let Some(text) = set(text) {
        let _ = writeln!(out, "- {lead}{text}");
    }
}

fn line(out: &mut String, on: bool, text: &str) {
    if on {
        let _ = writeln!(out, "- {text}");
    }
}

fn what_to_do(out: &mut String, d: &Directive, t: &InterviewerTurn<'_>) {
    line(
        out,
        t.ending.already,
        "The interview is over. Say so briefly and tell the candidate to finish the session to see their scorecard. Nothing else.",
    );
    line(
        out,
        d.answer_key,
        "The candidate tried to get the answer key, the rubric or all the details at once. Decline briefly and invite a specific question. Reveal nothing.",
    );
    line(
        out,
        d.play_back,
        "The candidate asked you to recap the requirements. Ask them to summarize what they have in their own words instead. Do not repeat any detail.",
    );
    facts(
        out,
        &d.answers,
        "The candidate asked about ",
        "Answer with exactly this, in your own words, with its figures: ",
    );
    facts(
        out,
        &d.repeated,
        "The candidate asked again about ",
        "Repeat briefly: ",
    );
    for topic in &d.answered_before {
        let _ = writeln!(
            out,
            "- The candidate asked a third time about \"{topic}\": point them to your earlier answer."
        );
    }
    list(
        out,
        &d.which_one,
        "The candidate's question is ambiguous. Ask which they mean: ",
        " or ",
    );
    line(
        out,
        d.no_figure,
        "The candidate asked about something you have no detail on: say so and ask them to state a reasonable assumption.",
    );
    line(
        out,
        d.your_call,
        "The candidate asked you to make a design decision for them: say it is their call and ask what they would choose and why.",
    );
    with_text(
        out,
        &d.qa_answer,
        "Answer the candidate's question briefly: ",
    );
    line(
        out,
        d.qa_unknown,
        "You do not know the answer to the candidate's question about the company: say so briefly.",
    );
    line(
        out,
        d.score_question,
        "The candidate asked how they are doing: say the scorecard comes when they finish the session. Give no score and no hint of one.",
    );
    if let Some(tl) = &d.time_left {
        let _ = writeln!(
            out,
            "- Tell the candidate the time left: about {} minute(s) in this phase, {} in the whole interview.",
            tl.phase_minutes, tl.total_minutes
        );
    }
    with_text(
        out,
        &d.challenge,
        "Challenge what the candidate said, along these lines: ",
    );
    line(
        out,
        d.unsure,
        "The candidate is unsure: encourage them to reason out loud; do not give the answer.",
    );
    line(
        out,
        d.thin,
        "The answer was very short: do not praise it; ask them to expand and explain their reasoning.",
    );
    line(
        out,
        d.assumption,
        "Acknowledge the candidate's assumption briefly. Do not correct it with details they did not ask for.",
    );
    line(
        out,
        d.nudge_to_clarify,
        "The candidate started designing without asking anything. Stop them politely and ask what they need to know first. Reveal nothing.",
    );
    line(
        out,
        d.test_hypothesis,
        "The candidate stated a hypothesis: ask how they would confirm or rule it out. Show no evidence they did not ask for.",
    );
    with_text(
        out,
        &d.hint,
        "Give this hint, as a nudge, without adding the answer: ",
    );
    line(
        out,
        d.hint_refused,
        "The candidate asked for a hint, but this phase's hints are used up: say so and encourage them.",
    );
    if let Some(p) = set(&d.already_in) {
        let _ = writeln!(
            out,
            "- The candidate asked to move on before saying anything in {p}: say we are already on it and invite them to go ahead."
        );
    }
    list(
        out,
        &d.before_moving_on,
        "Before moving on, ask briefly about what the candidate skipped: ",
        ", ",
    );
    list(
        out,
        &d.skipped_earlier,
        "Ask briefly about what the candidate skipped earlier: ",
        ", ",
    );
    if let Some(tr) = &d.transition {
        let _ = write!(
            out,
            "- The interview moves from \"{}\" to \"{}\"",
            tr.from_name, tr.to_name
        );
        if tr.time_up {
            out.push_str(" because that phase's time is up: say so in one short sentence");
        }
        let _ = writeln!(
            out,
            ". Open the new phase in your own words, along these lines: {}",
            tr.intro
        );
    }
    if let Some(f) = &d.follow_up {
        out.push_str("- Then ask this, in your own words");
        if let Some(lead) = &f.lead {
            let _ = write!(
                out,
                ", linking it to what the candidate just said or wrote ({})",
                lead_name(lead)
            );
        }
        let _ = writeln!(out, ": {}", f.question);
    }
    line(
        out,
        d.phase_wrap,
        "Nothing is left to ask in this phase: ask one wrap-up question fitting the phase's goals.",
    );
    line(
        out,
        d.write_code,
        "Ask the candidate to write the core of their solution as real code.",
    );
    line(
        out,
        d.enough_to_start,
        "The candidate has most of what they need: offer to move on.",
    );
    line(out, d.ask_more, "Invite their next question.");
    line(
        out,
        t.ending.invite,
        "We are near the end: ask whether the candidate has any questions for you.",
    );
    line(
        out,
        t.ending.close,
        "Close the interview: thank the candidate and tell them to finish the session to see their scorecard.",
    );
    line(out, d.overtime, "The interview is over its time: wrap up.");
}

fn lead_name(lead: &Lead) -> &str {
    match lead {
        Lead::Noted(n)
        | Lead::Mentioned(n)
        | Lead::Looking(n)
        | Lead::Untested(n)
        | Lead::Skipped(n) => n,
    }
}

#[cfg(test)]
mod tests;
