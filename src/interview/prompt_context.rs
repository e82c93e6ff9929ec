//! What the interviewer's templates read: one typed context per template, and the start-up load that
//! renders each of them with a sample so a field typo fails at start-up, not mid-interview.

use std::path::Path;

use serde::Serialize;

use crate::content::Fact;
use crate::embedded;
use crate::prompting::{PromptError, Prompts, TemplateSource};
use crate::scoring::judging;

use super::directive::{Closing, Directive, FactAnswer, FollowUp, Lead, TimeLeft, TransitionNote};

/// The interviewer's templates, by name (file stem); `transition` is also a partial of `interviewer_turn`.
pub const INTERVIEWER: &str = "interviewer";
pub const INTERVIEWER_TURN: &str = "interviewer_turn";
pub const TRANSITION: &str = "transition";

#[derive(Debug, Clone, Serialize)]
pub struct PhaseLine {
    pub name: String,
    pub minutes: u32,
}

/// The part of the interviewer's system prompt that is the same for every turn of a question and level.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewerStatic {
    pub kind_name: String,
    pub level: String,
    pub question_title: String,
    pub question_prompt: String,
    pub phases: Vec<PhaseLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactLine {
    pub topic: String,
    pub answer: String,
    pub revealed: bool,
}

impl FactLine {
    pub fn of(fact: &Fact, revealed: bool) -> FactLine {
        FactLine {
            topic: fact.topic.clone(),
            answer: fact.answer.clone(),
            revealed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CurrentPhase {
    pub name: String,
    pub index: usize,
    pub total: usize,
    pub minutes_left: i64,
    pub goals: Vec<String>,
}

/// The part that changes every turn: phase, clock, ledger, coverage and what to do now.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewerTurn<'a> {
    pub phase: CurrentPhase,
    pub minutes_left_total: i64,
    pub revealed: Vec<String>,
    pub covered: Vec<String>,
    pub missing: Vec<String>,
    pub turn: &'a Directive,
    pub ending: Ending,
}

/// How the reply ends the interview, if it does, as the template reads it.
#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Ending {
    /// The interview was closed already.
    pub already: bool,
    /// Ask whether the candidate has questions.
    pub invite: bool,
    /// Close the interview now.
    pub close: bool,
}

impl Ending {
    pub fn of(d: &Directive) -> Ending {
        Ending {
            already: d.closing == Closing::Already,
            invite: d.closing == Closing::Invite,
            close: matches!(d.closing, Closing::Close | Closing::AtTime),
        }
    }
}

/// Loads every template (the interviewer's and the judge's) and renders each with a sample. Each is
/// `ROOT/prompts/NAME.hbs` when `root` is given and holds that file, else the copy built into the binary.
pub fn load_prompts(root: Option<&Path>) -> Result<Prompts, PromptError> {
    let prompts = Prompts::load_from(
        &[INTERVIEWER, INTERVIEWER_TURN, TRANSITION, judging::TEMPLATE],
        |name| template(root, name),
    )?;
    check(&prompts)?;
    judging::check_template(&prompts)?;
    Ok(prompts)
}

/// The template `NAME.hbs`: `ROOT/prompts/NAME.hbs` when a root is given and holds that file, else the
/// built-in copy.
fn template(root: Option<&Path>, name: &str) -> TemplateSource {
    let file_name = format!("{name}.hbs");
    if let Some(file) = root
        .map(|r| r.join("prompts").join(&file_name))
        .filter(|f| f.exists())
    {
        return TemplateSource {
            text: std::fs::read_to_string(&file).map_err(|e| format!("cannot read: {e}")),
            file,
            built_in: false,
        };
    }
    TemplateSource {
        file: Path::new("prompts").join(&file_name),
        text: embedded::PROMPTS
            .get_file(&file_name)
            .ok_or_else(|| "no such built-in template".to_string())
            .and_then(|f| {
                f.contents_utf8()
                    .map(str::to_string)
                    .ok_or_else(|| "not UTF-8 text".to_string())
            }),
        built_in: true,
    }
}

fn check(prompts: &Prompts) -> Result<(), PromptError> {
    let st = InterviewerStatic {
        kind_name: "k".into(),
        level: "senior".into(),
        question_title: "q".into(),
        question_prompt: "p".into(),
        phases: vec![PhaseLine {
            name: "n".into(),
            minutes: 1,
        }],
    };
    let directive = Directive {
        transition: Some(TransitionNote {
            from_id: "a".into(),
            from_name: "A".into(),
            to_id: "b".into(),
            to_name: "B".into(),
            time_up: true,
            intro: "i".into(),
        }),
        answers: vec![FactAnswer {
            id: "i".into(),
            topic: "t".into(),
            answer: "a".into(),
        }],
        repeated: vec![FactAnswer {
            id: "j".into(),
            topic: "u".into(),
            answer: "b".into(),
        }],
        answered_before: vec!["v".into()],
        which_one: vec!["x".into(), "y".into()],
        no_figure: true,
        your_call: true,
        answer_key: true,
        play_back: true,
        score_question: true,
        time_left: Some(TimeLeft {
            phase_minutes: 1,
            total_minutes: 2,
        }),
        unsure: true,
        thin: true,
        assumption: true,
        test_hypothesis: true,
        nudge_to_clarify: true,
        enough_to_start: true,
        ask_more: true,
        challenge: Some("c".into()),
        hint: Some("h".into()),
        hint_refused: true,
        already_in: Some("p".into()),
        before_moving_on: vec!["m".into()],
        skipped_earlier: vec!["s".into()],
        follow_up: Some(FollowUp {
            item: "components.c".into(),
            question: "f".into(),
            lead: Some(Lead::Mentioned("n".into())),
        }),
        phase_wrap: true,
        write_code: true,
        qa_answer: Some("q".into()),
        qa_unknown: true,
        closing: Closing::Close,
        overtime: true,
        ..Directive::default()
    };
    let turn = InterviewerTurn {
        phase: CurrentPhase {
            name: "n".into(),
            index: 1,
            total: 5,
            minutes_left: 3,
            goals: vec!["g".into()],
        },
        minutes_left_total: 30,
        revealed: vec!["t".into()],
        covered: vec!["c".into()],
        missing: vec!["m".into()],
        turn: &directive,
        ending: Ending {
            already: true,
            invite: true,
            close: true,
        },
    };
    prompts.check(INTERVIEWER, &st)?;
    prompts.check(INTERVIEWER_TURN, &turn)?;
    // And with every optional part absent, as on most turns.
    let quiet = Directive::default();
    let empty = InterviewerTurn {
        turn: &quiet,
        ending: Ending::default(),
        revealed: vec![],
        covered: vec![],
        missing: vec![],
        ..turn.clone()
    };
    prompts.check(INTERVIEWER_TURN, &empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_prompts_load_with_versions() {
        let p = load_prompts(None).unwrap();
        assert_eq!(p.versions()["interviewer"], "interviewer@2");
        assert_eq!(p.versions()["judge"], "judge@3");
    }

    #[test]
    fn a_root_overrides_one_template_and_a_broken_one_names_its_file() {
        let root = tempfile::tempdir().unwrap();
        let prompts = root.path().join("prompts");
        std::fs::create_dir_all(&prompts).unwrap();
        let judge = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/judge.hbs"),
        )
        .unwrap();
        std::fs::write(
            prompts.join("judge.hbs"),
            judge.replace("version: 3", "version: 7"),
        )
        .unwrap();
        let p = load_prompts(Some(root.path())).unwrap();
        assert_eq!(p.versions()["judge"], "judge@7");
        assert_eq!(p.versions()["interviewer"], "interviewer@2");

        std::fs::write(
            prompts.join("judge.hbs"),
            judge.replace("{{question_title}}", "{{question_titel}}"),
        )
        .unwrap();
        let e = load_prompts(Some(root.path())).unwrap_err();
        assert_eq!(e.file, prompts.join("judge.hbs"), "{e}");
    }
}
