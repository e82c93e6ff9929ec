//! The phrasebook's text: every phrasing of every line, per interview kind and phase mode.

use crate::content::PhaseMode;

use super::{Kind, Line};

/// The phrasings of a line in a kind and phase mode. Templates hold `{}` for one value.
pub(super) fn phrasings(line: Line, kind: Kind, mode: PhaseMode) -> &'static [&'static str] {
    use Kind::*;
    use Line::*;
    use PhaseMode as M;
    match (line, kind, mode) {
        (AnswerLead, _, _) => &[
            "Sure.",
            "Right.",
            "OK.",
            "Here's what I have.",
            "Here you go.",
        ],
        (Praise, _, _) => &[
            "Good question.",
            "That's worth pinning down.",
            "Glad you asked that one.",
        ],
        (AnswerAgain, _, _) => &["As I said earlier:", "Same as before:", "Again:"],
        (AnsweredBefore, _, _) => &[
            "I've already answered that one above.",
            "That's in my earlier answer, a few turns up.",
            "We covered that already; scroll up to my answer.",
        ],
        (NoFigure, Debugging, _) => &[
            "I don't have data on that here. What would you expect it to show, and how would it change your thinking?",
            "Nothing on that in front of me. If you had it, what would you be looking for?",
            "No data on that one. Move on to what you can check.",
        ],
        (NoFigure, Coding, _) => &[
            "That's not specified: make a reasonable assumption, state it, and carry on.",
            "Up to you. Pick something sensible and tell me what you chose.",
            "Not pinned down. Write down your assumption and go with it.",
        ],
        (NoFigure, Behavioral, _) => &[
            "Whatever fits your story; I don't need anything specific there.",
            "That's up to you. Go with what you actually did.",
        ],
        (NoFigure, _, _) => &[
            "I don't have a specific figure for that one: make a reasonable assumption, state it, and carry on.",
            "No number for that. Assume something sensible and tell me what you assumed.",
            "That isn't pinned down. Pick a reasonable assumption and say it out loud.",
            "I'll leave that one to you: state your assumption.",
        ],
        (YourCall, Debugging, _) => &[
            "That's your call. What would you do, and what evidence is it based on?",
            "You tell me. What does the evidence so far point to?",
        ],
        (YourCall, Coding, _) => &[
            "Your call. Which would you pick, and why?",
            "Up to you. What are you weighing?",
        ],
        (YourCall, _, _) => &[
            "That's your call: pick one and tell me why.",
            "Your choice. What would you pick, and what does it cost you?",
            "I'd rather hear what you'd do, and why.",
        ],
        (AnswerKey, Debugging, _) => &[
            "I won't hand you the cause; finding it is the exercise. Ask for the data you need and I'll tell you what it shows.",
            "No shortcuts here. Tell me what you want to look at, and I'll show you.",
        ],
        (AnswerKey, Behavioral, _) => &[
            "There's no answer sheet for your own story. Tell it your way and I'll ask about the details.",
            "Nothing to hand over there. Tell me what happened, and I'll dig in.",
        ],
        (AnswerKey, _, _) => &[
            "I can't share a reference answer or the rubric. Ask me about something specific and I'll answer that.",
            "There's no answer sheet I can hand over. Ask me a specific question and I'll tell you what I know.",
            "That's not something I'll share. Specific questions, though, I'm happy to answer.",
        ],
        (PlayBack, _, _) => &[
            "I'd rather you play it back: summarize what you've got, in your own words.",
            "You summarize it for me. It's a good habit, and I'll correct anything that's off.",
        ],
        (Score, _, _) => &[
            "No score mid-interview. When you finish the session you'll get a scorecard with a score and evidence for each dimension.",
            "I'll keep the feedback for the scorecard; you'll see it as soon as you finish the session.",
            "You'll get the full scorecard when we finish. Let's keep going for now.",
        ],
        (CheckIn, _, M::Clarify) => &["Sure, ask away.", "Go ahead.", "Yes, of course."],
        (CheckIn, _, _) => &[
            "Yes, go on.",
            "Makes sense. Keep going.",
            "Fine by me. Continue.",
            "Sure.",
        ],
        (Unsure, Debugging, _) => &[
            "That's fine. What's the cheapest thing you could check to find out?",
            "Fair enough. What would you look at first to narrow it down?",
            "No problem. Which piece of data would settle it?",
        ],
        (Unsure, Coding, _) => &[
            "That's fine. Take a guess and tell me how you'd check it.",
            "No problem. What's the simplest version you're confident about?",
            "Fair enough. Start with what you know and build from there.",
        ],
        (Unsure, Behavioral, _) => &[
            "That's fine. Tell me what you remember, even roughly.",
            "No problem. Give me your best recollection.",
        ],
        (Unsure, _, _) => &[
            "That's fine. Think it through out loud: what would you try first?",
            "No problem. Take a guess and tell me how you'd check it.",
            "Fair enough. What's your instinct, even if you're not certain?",
        ],
        (Thin, _, _) => &[
            "Say a bit more: what's your reasoning?",
            "That's brief. Walk me through the why.",
            "Can you expand on that?",
            "Give me a little more detail there.",
        ],
        (Assumption, _, M::Clarify) => &[
            "Fair assumption; keep it written down.",
            "OK, noted as an assumption.",
            "That works as an assumption.",
        ],
        (Assumption, _, _) => &[
            "Noted.",
            "OK, that's your assumption.",
            "Fine, go with that.",
        ],
        (NudgeToClarify, Debugging, _) => &[
            "Before jumping to causes: what do you want to know about the symptom? I have the dashboards, traces and deploy history in front of me.",
            "Hold on a second. You're guessing at causes before you've seen any data. What would you like to look at first?",
        ],
        (NudgeToClarify, Coding, _) => &[
            "Before you write anything: what do you need to know about the inputs, the helpers and the limits?",
            "Hold on. You haven't asked me anything about the spec yet. What do you need to know first?",
        ],
        (NudgeToClarify, _, _) => &[
            "Hold on before the architecture. You haven't asked me anything yet, and the right design depends on numbers you don't have. What do you need to know?",
            "Let's pause the design for a moment. What would you want to know about scale, latency or constraints before committing to it?",
        ],
        (ClarifyMore, Debugging, _) => &[
            "What else would you like to see?",
            "What else do you want to check before forming a theory?",
            "Anything else you want to look at?",
        ],
        (ClarifyMore, Coding, _) => &[
            "Anything else about the inputs or the limits?",
            "What else do you need before you start?",
            "Anything else?",
        ],
        (ClarifyMore, Behavioral, _) => &["Anything else before you start?", "Anything else?"],
        (ClarifyMore, _, _) => &[
            "What else would you like to know?",
            "Anything else before you design?",
            "What else do you need?",
        ],
        (EnoughToStart, Debugging, _) => &[
            "You've got a decent picture of the symptom. Anything else, or shall we move to hypotheses?",
        ],
        (EnoughToStart, Coding, _) => {
            &["That covers the spec. Anything else, or shall we talk about your approach?"]
        }
        (EnoughToStart, Behavioral, _) => {
            &["Sounds like you're ready. Go ahead whenever you like."]
        }
        (EnoughToStart, _, _) => {
            &["You have a good picture of the requirements. Anything else, or shall we move on?"]
        }
        (PhaseWrap, SystemDesign, M::Design) => &[
            "That covers the main components. Which two or three would you like to go deep on, and why those?",
        ],
        (PhaseWrap, SystemDesign, M::DeepDive) => {
            &["Good. Is there anything in your design you'd revisit now that we've gone deeper?"]
        }
        (PhaseWrap, SystemDesign, _) => {
            &["Anything else you'd trade differently, looking at the whole design?"]
        }
        (PhaseWrap, Debugging, M::Design) => {
            &["That's a reasonable set. Which would you test first, and what would confirm it?"]
        }
        (PhaseWrap, Debugging, M::DeepDive) => {
            &["Where does that leave you: what do you think the root cause is?"]
        }
        (PhaseWrap, Debugging, _) => &["How would you confirm the fix actually worked?"],
        (PhaseWrap, Coding, M::Design) => {
            &["The plan makes sense. Anything you'd change before you start writing code?"]
        }
        (PhaseWrap, Coding, M::DeepDive) => {
            &["Is there anything in the code you'd clean up before we test it?"]
        }
        (PhaseWrap, Coding, _) => {
            &["What would you look at next if this went to production tomorrow?"]
        }
        (PhaseWrap, Behavioral, M::Design) => {
            &["Thanks. What was the hardest part for you personally?"]
        }
        (PhaseWrap, Behavioral, M::DeepDive) => {
            &["Anything else about how it worked technically that I should know?"]
        }
        (PhaseWrap, Behavioral, _) => {
            &["What would you tell a colleague facing the same situation?"]
        }
        (PhaseWrap, Other, _) => &["Anything else you'd add here?"],
        (Skipped, _, _) => &[
            "Back to something we skipped earlier.",
            "One thing from earlier we didn't get to.",
            "Going back for a moment.",
        ],
        (MoveOnAck, _, _) => &["Sure.", "OK, let's move on.", "Alright.", "Let's do that."],
        (Invite, _, _) => &[
            "We have a few minutes left. Any questions for me?",
            "Before we close: anything you'd like to ask me?",
        ],
        (InviteMore, _, _) => &[
            "Anything else you'd like to ask?",
            "Any other questions for me?",
        ],
        (Close, _, _) => &[
            "That's all from me. Thanks for your time today. Press Finish to end the session: your scorecard comes right after, with a score and evidence for each dimension.",
            "Thanks, that's a good place to stop. Finish the session to see your scorecard.",
        ],
        (CloseAtTime, _, _) => &[
            "We're at time, so let's stop here. Thanks for your work today. Press Finish to see your scorecard.",
            "That's our time. Thank you. Finish the session whenever you're ready to see your scorecard.",
        ],
        (AfterClose, _, _) => &[
            "We're done for today. Press Finish whenever you're ready to see your scorecard.",
            "The interview is over. Finish the session to get your scorecard.",
        ],
        (Overtime, _, _) => &[
            "We're past our time for the whole interview, so let's wrap up.",
            "We're over time; let's bring this to a close.",
        ],
        (TestHypothesis, Debugging, M::Clarify) => &[
            "Maybe. Keep gathering the facts first: what would you want to see?",
            "Possible. What data would tell you?",
        ],
        (TestHypothesis, _, _) => &[
            "How would you confirm or rule that out?",
            "What evidence would tell you whether that's it?",
            "What would you look at to test that?",
        ],
        (WriteCode, _, _) => &[
            "Let's see it in code: write the core of it now.",
            "Put that into code, the core parts at least, not pseudocode.",
        ],
        (HintLead, _, _) => &["Here's a nudge:", "A hint:", "One direction:"],
        (HintLimit, _, _) => &[
            "No more hints in this phase. Go with your best idea and I'll follow.",
            "That's the hints for this phase. Take your best shot.",
        ],
        (QaUnknown, _, _) => &[
            "I don't know the details there; that one is for the hiring manager.",
            "Good one for the team you'd join. I can't answer it well myself.",
        ],
        (SmallTalk, _, _) => &["Sure.", "OK.", "Alright."],
        (BeforeMovingOn, Debugging, M::Design) => &[
            "Before we test anything: you haven't considered {}. Could any of that explain what we're seeing?",
            "Before we move on: you haven't said anything about {}. Briefly, how do they fit in?",
        ],
        (BeforeMovingOn, Coding, _) => &[
            "Before you code: you haven't said how you'll handle {}. Briefly, what's the plan there?",
            "Before we move on: you haven't covered {}. How would you handle them?",
        ],
        (BeforeMovingOn, Behavioral, _) => &[
            "Before we go deeper: you haven't told me about {}. Briefly, what happened there?",
            "Before we move on: I haven't heard about {} yet.",
        ],
        (BeforeMovingOn, _, _) => &[
            "Before we move on: you haven't said anything about {}. Briefly, where would they fit in your design?",
            "Before we move on: what about {}?",
        ],
        (BeforeWrappingUp, _, _) => &[
            "Before we wrap up: what about {}?",
            "Before we wrap up, one quick last one: you haven't covered {}. Briefly, how would you handle that?",
        ],
        (SkippedEarlier, Debugging, _) => &[
            "One thing we skipped earlier: {}. Could any of that matter here?",
            "Something we didn't get to: {}. Does it change your picture?",
        ],
        (SkippedEarlier, Behavioral, _) => &[
            "One thing we skipped earlier: {}. Briefly, what happened there?",
            "Something we didn't get to: {}. Tell me briefly.",
        ],
        (SkippedEarlier, _, _) => &[
            "One thing we skipped earlier: {}. Briefly, how would you handle that?",
            "Something we didn't get to: {}. Where would that fit?",
        ],
        (WhichOne, _, _) => &[
            "Do you mean {}?",
            "Which one do you mean: {}?",
            "That could be a few things: {}. Which one?",
        ],
        (Noted, _, _) => &["OK, {}.", "Noted: {}.", "{}, got it."],
        (ThinLead, _, _) => &[
            "Let's take it piece by piece.",
            "Let me make it more specific.",
            "Let me narrow it down.",
        ],
        (UnsureLead, _, _) => &[
            "That's fine. Let's try another angle.",
            "No problem, let's come at it differently.",
            "OK, a different angle then.",
        ],
        (YouMentioned, _, _) => &["You mentioned {}.", "On {}:", "Let's stay on {}."],
        (LookingAt, _, _) => &["Looking at `{}`:", "In `{}`:", "About `{}`:"],
        (NoTestCovers, _, _) => &[
            "None of your tests covers {}.",
            "Nothing in your tests checks {}.",
        ],
    }
}
