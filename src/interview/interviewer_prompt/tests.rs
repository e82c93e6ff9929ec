//! Tests of the interviewer's prompt: what the model is told, turn by turn, and what it is never shown.

use super::*;
use crate::content::{Catalog, ContentRoot};

fn turn(id: i64, role: TurnRole, content: &str) -> TurnRow {
    TurnRow::typed(id, "s", role, "clarify", content)
}

/// Builds the same turn with two budgets and returns both results.
fn build_with(budgets: [usize; 2]) -> [(Vec<Message>, PromptCount); 2] {
    let prompts = super::super::prompt_context::load_prompts(None).unwrap();
    build_with_prompts(&prompts, budgets)
}

fn build_with_prompts(prompts: &Prompts, budgets: [usize; 2]) -> [(Vec<Message>, PromptCount); 2] {
    build_counting(prompts, &TokenCounter::new(), budgets)
}

fn build_counting(
    prompts: &Prompts,
    counter: &TokenCounter,
    budgets: [usize; 2],
) -> [(Vec<Message>, PromptCount); 2] {
    let catalog = Catalog::load(&ContentRoot::embedded(), &[]).unwrap();
    let entry = catalog.question("multi-tenant-rag").unwrap();
    let static_prompt = render_static(prompts, entry, Level::Senior).unwrap();
    let turns = vec![
        turn(
            1,
            TurnRole::Interviewer,
            "Welcome. Design a multi-tenant RAG platform.",
        ),
        turn(
            2,
            TurnRole::Candidate,
            "How many tenants, and how large is each corpus?",
        ),
        turn(
            3,
            TurnRole::Interviewer,
            "About 500 tenants, up to a million documents each.",
        ),
        turn(
            0,
            TurnRole::Candidate,
            "Then I would keep one index per tenant behind a router.",
        ),
    ];
    let coverage = Coverage::default();
    let directive = Directive::default();
    budgets.map(|budget_tokens| {
        build(
            prompts,
            counter,
            &TurnPrompt {
                entry,
                lexicon: &catalog.lexicon,
                static_prompt: &static_prompt,
                phase_index: 0,
                phase_ms_left: 300_000,
                total_ms_left: 3_000_000,
                revealed: &[],
                coverage: &coverage,
                directive: &directive,
                turns: &turns,
                advance: false,
                budget_tokens,
            },
        )
        .unwrap()
    })
}

#[test]
fn a_prompt_that_surely_fits_is_sent_as_is_and_counted_later() {
    let [(roomy, roomy_count), (tight, tight_count)] = build_with([100_000, 1]);
    // Plenty of room: counting left for later, every turn sent.
    assert!(roomy_count.is_deferred());
    assert_eq!(roomy.len(), 5);
    assert!(roomy[4].content.contains("<candidate_answer>"));
    // No room at all: counted now, and only the instructions and the current turn are kept.
    assert!(!tight_count.is_deferred());
    assert!(tight_count.total() > 0);
    assert_eq!(tight.first().unwrap().content, roomy[0].content);
    assert_eq!(tight.last().unwrap().content, roomy[4].content);
    assert!(tight.len() < roomy.len());
}

#[test]
fn turns_counted_after_a_prompt_that_fit_by_bytes_are_remembered_and_known_ones_reused() {
    let prompts = super::super::prompt_context::load_prompts(None).unwrap();
    let counter = TokenCounter::new();
    let [(_, later), _] = build_counting(&prompts, &counter, [100_000, 100_000]);
    assert!(later.is_deferred());
    assert_eq!(
        counter.known(1),
        None,
        "nothing is looked up or counted before the call"
    );
    let total = later.total();
    // Stored turns are remembered; the provisional one (id 0) is not.
    assert_eq!(
        counter.known(1),
        Some(count("Welcome. Design a multi-tenant RAG platform."))
    );
    assert!(counter.known(3).is_some());
    assert_eq!(counter.known(0), None);
    // A second turn's count reads the remembered counts and comes to the same.
    let [(_, again), _] = build_counting(&prompts, &counter, [100_000, 100_000]);
    assert_eq!(again.total(), total);
}

#[test]
fn the_free_bound_never_lets_an_oversized_prompt_through() {
    let [(roomy, _), _] = build_with([100_000, 1]);
    let exact = crate::tokens::count_messages(&roomy);
    // A budget just under the exact size must trim, so the bound must not have said "fits".
    let [(trimmed, counted), (whole, whole_count)] = build_with([exact - 1, exact + 20]);
    assert!(!counted.is_deferred(), "a prompt over budget is counted");
    assert!(trimmed.len() < roomy.len());
    // Just over the exact size: the bound (which is looser) sends it to be counted, and nothing
    // is dropped.
    assert_eq!(whole.len(), roomy.len());
    assert!(!whole_count.is_deferred());
}

#[test]
fn a_count_left_for_later_comes_to_what_counting_now_gives() {
    let [(roomy, later), _] = build_with([100_000, 1]);
    let exact = crate::tokens::count_messages(&roomy);
    // A budget the bound cannot vouch for but the prompt fits: counted now, nothing dropped.
    let [(whole, now), _] = build_with([exact + 20, 1]);
    assert!(later.is_deferred());
    assert!(!now.is_deferred());
    assert_eq!(whole, roomy);
    assert_eq!(later.total(), now.total());
}

#[test]
fn an_overridden_turn_template_is_rendered_by_handlebars() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("prompts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("interviewer_turn.hbs"),
        "{{!-- version: 9 --}}\nHouse rules for {{phase.name}}.",
    )
    .unwrap();
    let prompts = super::super::prompt_context::load_prompts(Some(root.path())).unwrap();
    assert!(!prompts.is_built_in(INTERVIEWER_TURN));
    assert!(prompts.is_built_in(TRANSITION));
    let [(messages, _), _] = build_with_prompts(&prompts, [100_000, 100_000]);
    assert!(
        messages[0]
            .content
            .ends_with("House rules for Clarification & requirements."),
        "{}",
        messages[0].content
    );
    // The built-in one is rendered in Rust, to the same text Handlebars gives.
    let built_in = super::super::prompt_context::load_prompts(None).unwrap();
    assert!(built_in.is_built_in(INTERVIEWER_TURN));
    let [(messages, _), _] = build_with([100_000, 100_000]);
    assert!(
        messages[0]
            .content
            .contains("# What to do in this reply, in this order")
    );
}
