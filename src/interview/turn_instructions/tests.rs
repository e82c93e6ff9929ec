//! Tests of the turn's instructions: rendered in Rust, they say what the built-in templates say.

use proptest::prelude::*;

use super::*;
use crate::interview::directive::{Closing, FollowUp, TimeLeft, TransitionNote};
use crate::interview::prompt_context::{
    CurrentPhase, Ending, INTERVIEWER_TURN, InterviewerTurn, load_prompts,
};

static PROMPTS: std::sync::OnceLock<crate::prompting::Prompts> = std::sync::OnceLock::new();

/// Texts as content and candidates produce them, and the empty string Handlebars finds false.
const TEXTS: &[&str] = &[
    "",
    "caching",
    "About 10,000 QPS at p99 < 200 ms & \"bursty\"",
    "two\nlines",
    "{{not a tag}} <b>x</b>",
    "ñandú €",
];

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(TEXTS).prop_map(str::to_string)
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..3)
}

fn maybe() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn facts() -> impl Strategy<Value = Vec<FactAnswer>> {
    prop::collection::vec(
        (text(), text()).prop_map(|(topic, answer)| FactAnswer {
            id: "f".into(),
            topic,
            answer,
        }),
        0..3,
    )
}

fn lead() -> impl Strategy<Value = Option<Lead>> {
    prop::option::of((0..5u8, text()).prop_map(|(k, n)| match k {
        0 => Lead::Noted(n),
        1 => Lead::Mentioned(n),
        2 => Lead::Looking(n),
        3 => Lead::Untested(n),
        _ => Lead::Skipped(n),
    }))
}

fn closing() -> impl Strategy<Value = Closing> {
    prop::sample::select(vec![
        Closing::No,
        Closing::Invite,
        Closing::Close,
        Closing::AtTime,
        Closing::Already,
    ])
}

prop_compose! {
    fn directive()(
        flags in prop::collection::vec(any::<bool>(), 22),
        lists in (facts(), facts(), texts(), texts(), texts(), texts()),
        options in (maybe(), maybe(), maybe(), maybe(), maybe()),
        transition in prop::option::of((text(), text(), any::<bool>(), text())),
        follow_up in prop::option::of((text(), lead())),
        time_left in prop::option::of((-2..90i64, -2..90i64)),
        closing in closing(),
    ) -> Directive {
        let (answers, repeated, answered_before, which_one, before_moving_on, skipped_earlier) =
            lists;
        let (challenge, hint, already_in, diagram, qa_answer) = options;
        Directive {
            transition: transition.map(|(from_name, to_name, time_up, intro)| TransitionNote {
                from_id: "a".into(),
                from_name,
                to_id: "b".into(),
                to_name,
                time_up,
                intro,
            }),
            answers,
            repeated,
            answered_before,
            which_one,
            no_figure: flags[0],
            your_call: flags[1],
            answer_key: flags[2],
            play_back: flags[3],
            score_question: flags[4],
            time_left: time_left.map(|(phase_minutes, total_minutes)| TimeLeft {
                phase_minutes,
                total_minutes,
            }),
            check_in: flags[5],
            small_talk: flags[6],
            unsure: flags[7],
            assumption: flags[8],
            test_hypothesis: flags[9],
            thin: flags[10],
            nudge_to_clarify: flags[11],
            enough_to_start: flags[12],
            ask_more: flags[13],
            challenge,
            hint,
            hint_refused: flags[14],
            already_in,
            before_moving_on,
            wrapping_up: flags[15],
            skipped_earlier,
            follow_up: follow_up.map(|(question, lead)| FollowUp {
                item: "components.c".into(),
                question,
                lead,
            }),
            diagram,
            phase_wrap: flags[16],
            write_code: flags[17],
            qa_answer,
            qa_unknown: flags[18],
            closing,
            overtime: flags[19],
            praise: flags[20],
            words: String::new(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    /// Byte for byte what Handlebars renders from the built-in templates, for any directive.
    #[test]
    fn renders_what_the_built_in_templates_render(
        d in directive(),
        goals in texts(),
        revealed in texts(),
        missing in texts(),
        minutes in (-3..60i64, -3..120i64),
    ) {
        let prompts = PROMPTS.get_or_init(|| load_prompts(None).unwrap());
        let turn = InterviewerTurn {
            phase: CurrentPhase {
                name: "Deep dive".into(),
                index: 3,
                total: 5,
                minutes_left: minutes.0,
                goals,
            },
            minutes_left_total: minutes.1,
            revealed,
            covered: vec![],
            missing,
            turn: &d,
            ending: Ending::of(&d),
        };
        let by_handlebars = prompts.render(INTERVIEWER_TURN, &turn).unwrap();
        prop_assert_eq!(render(&turn), by_handlebars);
    }
}
