//! Asking the judge model for a scorecard: its prompt (the `judge` template and its context), the
//! transcript as it reads it, and the loop around the call. Invalid output gets one retry; after that,
//! or when the model is unreachable, the offline scorer's card stands, marked `offline_fallback`.
//! What the judge says is checked in `judge.rs`.

use serde::Serialize;

use crate::content::{Level, QuestionEntry, RedFlag, Severity};
use crate::domain::{Scorer, TurnRole};
use crate::llm::{CompletionRequest, Llm, Message, Role};
use crate::prompting::{PromptError, Prompts, delimit_candidate};
use crate::storage::TurnRow;
use crate::tokens::count;

use super::Scorecard;
use super::bound::EvidenceBound;
use super::judge::{self, JudgeError};

/// The judge's template, by name (file stem).
pub const TEMPLATE: &str = "judge";

/// Calls per grading: the first, and one retry after invalid output.
const ATTEMPTS: usize = 2;

#[derive(Debug, Clone, Serialize)]
pub struct JudgeFact {
    pub topic: String,
    pub answer: String,
    pub revealed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionLine {
    pub id: String,
    pub name: String,
    pub d1: String,
    pub d2: String,
    pub d3: String,
    pub d4: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JudgeContext {
    pub kind_name: String,
    pub level: String,
    pub question_title: String,
    pub question_prompt: String,
    pub reference_outline: String,
    /// What a senior interviewer marks down on this question.
    pub red_flags: Vec<String>,
    pub facts: Vec<JudgeFact>,
    pub rubric_id: String,
    pub rubric_version: String,
    pub dimensions: Vec<DimensionLine>,
}

/// Renders the judge's template with a sample, so a field typo fails at start-up.
pub fn check_template(prompts: &Prompts) -> Result<(), PromptError> {
    let sample = JudgeContext {
        kind_name: "k".into(),
        level: "senior".into(),
        question_title: "q".into(),
        question_prompt: "p".into(),
        reference_outline: "r".into(),
        red_flags: vec!["f".into()],
        facts: vec![JudgeFact {
            topic: "t".into(),
            answer: "a".into(),
            revealed: true,
        }],
        rubric_id: "r".into(),
        rubric_version: "1".into(),
        dimensions: vec![DimensionLine {
            id: "d".into(),
            name: "n".into(),
            d1: "1".into(),
            d2: "2".into(),
            d3: "3".into(),
            d4: "4".into(),
        }],
    };
    prompts.check(TEMPLATE, &sample)
}

/// What the judge grades.
pub struct JudgeInput<'a> {
    pub session_id: &'a str,
    pub entry: &'a QuestionEntry,
    pub level: Level,
    /// The whole transcript, both sides.
    pub turns: &'a [TurnRow],
    /// Ids of the facts the candidate uncovered.
    pub revealed: &'a [String],
    /// The offline scorer's card: the card that stands if the judge fails.
    pub anchor: Scorecard,
    /// What the verified evidence lets the judge do (see `bound`).
    pub bound: EvidenceBound,
}

/// The card, and what the judge's calls cost.
pub struct Judged {
    pub card: Scorecard,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    /// The error code of a call to the judge model that failed (`upstream_timeout`, ...), if one did.
    pub upstream_error: Option<&'static str>,
}

/// A red flag as the judge reads it: the wrong call, with the dimensions it concerns and how far it
/// holds them (as the offline scorer does: a major one at 2, a minor one at 3).
fn judge_line(flag: &RedFlag) -> String {
    if flag.dimensions.is_empty() {
        return flag.text.clone();
    }
    let severity = match flag.severity {
        Severity::Major => "major",
        Severity::Minor => "minor",
    };
    format!(
        "{} ({severity}: {} at most {})",
        flag.text,
        flag.dimensions.join(", "),
        super::red_flags::ceiling(flag.severity)
    )
}

fn context(input: &JudgeInput<'_>) -> JudgeContext {
    let q = &input.entry.question;
    let rubric = &input.entry.rubric;
    JudgeContext {
        kind_name: input.entry.plan.name.clone(),
        level: input.level.as_str().to_string(),
        question_title: q.title.clone(),
        question_prompt: q.prompt.trim().to_string(),
        reference_outline: q.reference_outline.trim().to_string(),
        red_flags: q.red_flags.iter().map(judge_line).collect(),
        facts: q
            .facts
            .iter()
            .map(|f| JudgeFact {
                topic: f.topic.clone(),
                answer: f.answer.clone(),
                revealed: input.revealed.contains(&f.id),
            })
            .collect(),
        rubric_id: rubric.id.clone(),
        rubric_version: rubric.version.clone(),
        dimensions: rubric
            .dimensions
            .iter()
            .map(|d| DimensionLine {
                id: d.id.clone(),
                name: d.name.clone(),
                d1: d.descriptor(1).to_string(),
                d2: d.descriptor(2).to_string(),
                d3: d.descriptor(3).to_string(),
                d4: d.descriptor(4).to_string(),
            })
            .collect(),
    }
}

/// The transcript as the judge reads it, candidate answers delimited as data.
fn transcript(turns: &[TurnRow]) -> String {
    turns
        .iter()
        .map(|t| match t.role {
            TurnRole::Candidate => format!(
                "Turn {} ({}), candidate:\n{}",
                t.id,
                t.phase,
                delimit_candidate(&t.content)
            ),
            TurnRole::Interviewer => {
                format!("Turn {} ({}), interviewer:\n{}", t.id, t.phase, t.content)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Asks the judge model for a scorecard and checks it against the transcript.
pub async fn judge(llm: &dyn Llm, prompts: &Prompts, input: JudgeInput<'_>) -> Judged {
    let judge_model = Some(llm.judge_model().to_string());
    let fallback = |mut card: Scorecard,
                    why: &str,
                    prompt_tokens,
                    completion_tokens,
                    upstream_error: Option<&'static str>| {
        tracing::warn!(session = %input.session_id, reason = why, "the judge's card was not usable; the offline scorer's stands");
        card.scorer = Scorer::OfflineFallback;
        card.judge_model = judge_model.clone();
        Judged {
            card,
            prompt_tokens,
            completion_tokens,
            upstream_error,
        }
    };
    let system = match prompts.render(TEMPLATE, &context(&input)) {
        Ok(s) => s,
        Err(e) => return fallback(input.anchor.clone(), &e.to_string(), 0, 0, None),
    };
    let mut messages = vec![
        Message::new(Role::System, system),
        Message::new(
            Role::User,
            format!(
                "The transcript:\n\n{}\n\nGrade the candidate now. Reply with the JSON object only.",
                transcript(input.turns)
            ),
        ),
    ];
    let (mut prompt_tokens, mut completion_tokens) = (0i64, 0i64);
    let mut last_problem = String::new();
    let mut upstream_error = None;
    for _attempt in 0..ATTEMPTS {
        let reply = match llm
            .complete(CompletionRequest {
                messages: messages.clone(),
                json_mode: true,
            })
            .await
        {
            Ok(r) => r,
            Err(e) => {
                last_problem = e.to_string();
                upstream_error = Some(e.code());
                break;
            }
        };
        prompt_tokens += i64::from(
            reply
                .prompt_tokens
                .unwrap_or_else(|| messages.iter().map(|m| count(&m.content) as u32).sum()),
        );
        completion_tokens += i64::from(
            reply
                .completion_tokens
                .unwrap_or_else(|| count(&reply.text) as u32),
        );
        match judge::parse(&reply.text)
            .and_then(|r| judge::validate(r, &input.entry.rubric, &input.anchor, &input.bound))
        {
            Ok(mut card) => {
                card.judge_model = judge_model.clone();
                return Judged {
                    card,
                    prompt_tokens,
                    completion_tokens,
                    upstream_error: None,
                };
            }
            Err(e) => {
                last_problem = e.to_string();
                let hint = match e {
                    JudgeError::NotJson(_) => "was not the JSON object asked for",
                    JudgeError::Invalid(_) => "did not follow the rubric",
                };
                messages.push(Message::new(Role::Assistant, reply.text));
                messages.push(Message::new(
                    Role::User,
                    format!("That reply {hint} ({e}). Reply again with only the JSON object described above."),
                ));
            }
        }
    }
    fallback(
        input.anchor.clone(),
        &last_problem,
        prompt_tokens,
        completion_tokens,
        upstream_error,
    )
}
