//! What the interviewer should do this turn, decided by the turn planner (`turn_plan.rs`) from what
//! the candidate just said, the plan, the ledger and the interviewer's memory. The offline interviewer
//! turns it into words (`offline_interviewer.rs`); a model receives it in its prompt, with only the
//! facts this turn may reveal.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactAnswer {
    pub id: String,
    pub topic: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TransitionNote {
    pub from_id: String,
    pub from_name: String,
    pub to_id: String,
    pub to_name: String,
    pub time_up: bool,
    pub intro: String,
}

/// Minutes left, for a candidate who asks.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct TimeLeft {
    pub phase_minutes: i64,
    pub total_minutes: i64,
}

/// The question to ask next: a line from the content, verbatim, and what to say before it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FollowUp {
    /// The item it comes from (`components.caching`, `deep_dives.retrieval.probes[1]`...).
    pub item: String,
    pub question: String,
    /// A short link to what the candidate said or wrote, said before the question.
    pub lead: Option<Lead>,
}

/// What a follow-up links to.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Lead {
    /// A component the candidate just named ("OK, caching.").
    Noted(String),
    /// The topic the candidate is on ("You mentioned reranking.").
    Mentioned(String),
    /// A function in the candidate's code ("Looking at `make_key`:").
    Looking(String),
    /// An edge case no test of theirs covers ("None of your tests covers expiry.").
    Untested(String),
    /// A component skipped in an earlier phase.
    Skipped(String),
}

/// How the interview ends, if it does this turn.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Closing {
    #[default]
    No,
    /// Ask whether the candidate has questions before closing.
    Invite,
    /// Close: the candidate is done, or the follow-ups are spent.
    Close,
    /// Close: the interview is at time.
    AtTime,
    /// The interview was closed already; point to the scorecard.
    Already,
}

impl Closing {
    pub fn closes(self) -> bool {
        matches!(self, Closing::Close | Closing::AtTime | Closing::Already)
    }
}

#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Directive {
    pub transition: Option<TransitionNote>,
    /// Hidden facts the candidate asked for: reveal exactly these.
    pub answers: Vec<FactAnswer>,
    /// Facts asked for again: answer again, briefly.
    pub repeated: Vec<FactAnswer>,
    /// Facts asked for three times or more: point back to the earlier answer.
    pub answered_before: Vec<String>,
    /// A vague question could mean any of these topics: ask which.
    pub which_one: Vec<String>,
    /// A question about the scenario with no fact behind it: invite a stated assumption.
    pub no_figure: bool,
    /// A question whose answer is the candidate's own design decision.
    pub your_call: bool,
    /// An attempt at the answer key: decline.
    pub answer_key: bool,
    /// A request to recap the requirements: ask the candidate to play them back.
    pub play_back: bool,
    /// "How did I do?": the scorecard comes when the session is finished.
    pub score_question: bool,
    pub time_left: Option<TimeLeft>,
    /// "Does that make sense?": a short yes.
    pub check_in: bool,
    pub small_talk: bool,
    /// "I'm not sure": encourage reasoning out loud.
    pub unsure: bool,
    /// An assumption stated in a phase for asking: acknowledge it.
    pub assumption: bool,
    /// A hypothesis stated without a test: ask how to test it.
    pub test_hypothesis: bool,
    /// The turn was too short to count as an answer.
    pub thin: bool,
    /// The candidate is designing before asking anything.
    pub nudge_to_clarify: bool,
    /// The candidate has most of what they need: offer to move on.
    pub enough_to_start: bool,
    /// Invite more questions in a phase for asking.
    pub ask_more: bool,
    /// A claim that does not add up, in the interviewer's words.
    pub challenge: Option<String>,
    /// A hint: a direction, never the answer.
    pub hint: Option<String>,
    /// A hint was asked for in words, but this phase's hints are spent.
    pub hint_refused: bool,
    /// The candidate asked to move on before saying anything in this phase (named here): it has
    /// only just started.
    pub already_in: Option<String>,
    /// The candidate asked to move on, but skipped these: ask about them first.
    pub before_moving_on: Vec<String>,
    /// The skipped components are asked about before the interview ends, not before a new phase.
    pub wrapping_up: bool,
    /// Components skipped in an earlier phase and never asked about: ask about them now.
    pub skipped_earlier: Vec<String>,
    /// The question to ask next.
    pub follow_up: Option<FollowUp>,
    /// The candidate's latest diagram as parsed (boxes, arrows, groups, loose boxes, boxes on every
    /// path), for a model to read beside the Markdown source.
    pub diagram: Option<String>,
    /// Close the phase with its wrap-up question (nothing left to ask in it).
    pub phase_wrap: bool,
    /// In implementation, no code yet: ask for code.
    pub write_code: bool,
    /// A short answer to the candidate's question about the team, the role or next steps.
    pub qa_answer: Option<String>,
    /// A question about the company the interviewer cannot answer.
    pub qa_unknown: bool,
    pub closing: Closing,
    /// The whole interview is over its time.
    pub overtime: bool,
    /// A "good question" fits this turn (it asked, and praise has not been given lately).
    pub praise: bool,
    /// The offline interviewer's words for all of the above, as `turn_plan::plan` chooses them;
    /// empty from `turn_plan::plan_unspoken`, whose caller chooses them only when they are said.
    #[serde(skip)]
    pub words: String,
}
