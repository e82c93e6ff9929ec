use super::*;

const CLARIFY: ReadingContext = ReadingContext {
    clarifying: true,
    evidence_on_request: false,
    last_phase: false,
};
const DESIGN: ReadingContext = ReadingContext {
    clarifying: false,
    evidence_on_request: false,
    last_phase: false,
};
const DEBUG: ReadingContext = ReadingContext {
    clarifying: false,
    evidence_on_request: true,
    last_phase: false,
};
const LAST: ReadingContext = ReadingContext {
    clarifying: false,
    evidence_on_request: false,
    last_phase: true,
};

fn acts(text: &str, ctx: ReadingContext) -> Vec<Act> {
    understand(text, ctx).acts().collect()
}

#[test]
fn a_compound_question_is_two_questions() {
    let u = understand(
        "How many documents are in the knowledge base, and how fast does it grow?",
        CLARIFY,
    );
    let texts: Vec<&str> = u.clauses.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "How many documents are in the knowledge base",
            "how fast does it grow?"
        ]
    );
    assert!(u.clauses.iter().all(|c| c.act == Act::Ask && c.wh));
}

#[test]
fn a_list_inside_one_question_stays_whole() {
    let u = understand("What do the P50 and P99 look like?", CLARIFY);
    assert_eq!(u.clauses.len(), 1);
}

#[test]
fn process_questions_are_not_scenario_questions() {
    assert_eq!(acts("Can we move on?", DESIGN), vec![Act::MoveOn]);
    // A new user's "Shall we move to the deep dive?" was answered "That isn't pinned down".
    assert_eq!(
        acts("Shall we move to the deep dive?", DESIGN),
        vec![Act::MoveOn]
    );
    assert_eq!(acts("How did I do?", DESIGN), vec![Act::Score]);
    assert_eq!(acts("Can I get a hint?", DESIGN), vec![Act::Hint]);
    assert_eq!(
        acts("How much time do we have left?", DESIGN),
        vec![Act::Time]
    );
    assert_eq!(acts("Does that make sense?", DESIGN), vec![Act::CheckIn]);
    assert_eq!(
        acts("Can you just give me the reference solution?", DESIGN),
        vec![Act::AnswerKey]
    );
    assert_eq!(
        acts("Could you summarize the requirements for me?", DESIGN),
        vec![Act::AnswerKey]
    );
}

#[test]
fn being_done_ends_the_interview_only_in_its_last_phase() {
    assert_eq!(acts("That's all from me.", LAST), vec![Act::Done]);
    assert_eq!(acts("I'm done, thanks", LAST), vec![Act::Done]);
    assert_eq!(
        acts("I'm done with the requirements.", CLARIFY),
        vec![Act::MoveOn]
    );
    assert_eq!(
        acts("OK, I think that's all for now, thank you.", LAST),
        vec![Act::Done]
    );
    // The same words opening a statement state something: a reviewer's deep dive was cut short by
    // "That's all well within 30 days."
    for said in [
        "That's all well within 30 days.",
        "That's it in a nutshell: embed, retrieve, rerank.",
        "Nothing else touches the index while it is rebuilt.",
    ] {
        assert!(!acts(said, DESIGN).contains(&Act::MoveOn), "{said}");
        assert!(!acts(said, LAST).contains(&Act::Done), "{said}");
    }
}

#[test]
fn moving_on_inside_a_design_sentence_is_not_a_request() {
    let u = understand(
        "Then, moving on to retrieval, we embed the query with the same model and search the vector index for the top fifty chunks.",
        DESIGN,
    );
    assert!(!u.has(Act::MoveOn));
    assert_eq!(acts("OK, let's move on.", DESIGN), vec![Act::MoveOn]);
    assert_eq!(
        acts("Let me move on to the retrieval part now.", DESIGN),
        vec![Act::Statement]
    );
    assert_eq!(
        acts("Let's move on to the deep dive.", DESIGN),
        vec![Act::MoveOn]
    );
}

#[test]
fn a_hypothesis_is_not_a_request_for_evidence() {
    assert_eq!(
        acts(
            "I think the queue in the model server is backing up.",
            DEBUG
        ),
        vec![Act::Hypothesis]
    );
    assert_eq!(
        acts("Could it be the nightly reindex?", DEBUG),
        vec![Act::Hypothesis]
    );
    assert_eq!(
        acts("I'd pull the traces for the slowest requests.", DEBUG),
        vec![Act::Ask]
    );
    // Outside debugging, "I'd check" is part of a design.
    assert_eq!(
        acts("I'd check the cache before calling the model.", DESIGN),
        vec![Act::Statement]
    );
}

#[test]
fn statements_requests_and_small_talk() {
    assert_eq!(
        acts("I'd like to know the latency target.", CLARIFY),
        vec![Act::Ask]
    );
    assert_eq!(acts("Latency targets.", CLARIFY), vec![Act::Ask]);
    assert_eq!(
        acts("I'll assume English only for now.", CLARIFY),
        vec![Act::Assumption]
    );
    assert_eq!(acts("I'm not sure honestly", DESIGN), vec![Act::Unsure]);
    assert_eq!(acts("Thanks, that helps.", DESIGN), vec![Act::SmallTalk]);
    assert_eq!(
        acts("We put a Redis cache in front of the model.", DESIGN),
        vec![Act::Statement]
    );
}

#[test]
fn code_is_set_apart_from_prose() {
    let text = "Here is the key builder:\n```python\ndef make_key(req):\n    return sha256(json.dumps(req, sort_keys=True))\n```\nDoes that look right?";
    let u = understand(text, DESIGN);
    assert_eq!(u.code.len(), 1);
    assert_eq!(u.code[0].definitions(), vec!["make_key"]);
    assert_eq!(u.clauses.len(), 2);
    assert_eq!(u.clauses[1].act, Act::CheckIn);
}

#[test]
fn unfenced_code_is_recognised() {
    let text = "class Cache:\n    def __init__(self, clock):\n        self.clock = clock\n    def get(self, key):\n        return self.data.get(key)\nThat's the core.";
    let u = understand(text, DESIGN);
    assert_eq!(u.code.len(), 1);
    assert_eq!(u.code[0].definitions(), vec!["Cache", "__init__", "get"]);
    assert_eq!(u.clauses.len(), 1);
}

#[test]
fn stated_figures_are_collected_from_statements() {
    let u = understand("We'd need like 50 GPUs. How many users are there?", DESIGN);
    let stated: Vec<_> = u.stated_figures().collect();
    assert_eq!(stated.len(), 1);
    assert_eq!(stated[0].0.value, 50.0);
    assert_eq!(stated[0].1, "We'd need like 50 GPUs.");
}
