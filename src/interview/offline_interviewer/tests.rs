use super::*;
use crate::content::PhaseMode;
use crate::interview::directive::{Closing, Directive, Lead};
use crate::interview::directive::{FactAnswer, FollowUp};
use crate::interview::memory::Memory;
use crate::interview::phrasebook::Kind;
use crate::interview::phrasebook::Voice;

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
