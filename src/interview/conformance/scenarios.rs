//! Every example of issue 13, replayed through the same planner the service runs: what a senior
//! interviewer saw go wrong, and what must happen instead.

use std::path::Path;
use std::sync::LazyLock;

use crate::content::{Catalog, ContentRoot, Level, PhaseMode};

use super::super::memory::items;
use super::driver::{CandidateTurn, Sim};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
});

fn start(question: &str) -> Sim<'static> {
    let entry = CATALOG.question(question).unwrap();
    Sim::new(entry, &CATALOG.lexicon, Level::Senior)
}

/// Says something and returns the interviewer's reply.
fn say(sim: &mut Sim<'_>, text: &str) -> String {
    sim.play(CandidateTurn::say(text, 1.0));
    sim.last_reply().unwrap().text.clone()
}

/// Presses "next phase" until the interview is in the first phase of `mode` after the current one.
fn advance_to(sim: &mut Sim<'_>, phase: &str) {
    while sim.phase_id() != phase {
        sim.play(CandidateTurn::advance());
    }
}

fn fact<'a>(question: &str, id: &str) -> &'a str {
    let entry = CATALOG.question(question).unwrap();
    let f = entry.question.facts.iter().find(|f| f.id == id).unwrap();
    // The catalog lives for the whole test run.
    let answer: &'static str = Box::leak(f.answer.clone().into_boxed_str());
    answer
}

fn asked_anywhere(sim: &Sim<'_>, text: &str) -> bool {
    sim.turns
        .iter()
        .skip(1)
        .any(|t| t.by_interviewer && t.text.contains(text))
}

const NO_FIGURE: &str = "specific figure";

#[test]
fn how_fast_it_grows_is_answered_with_growth_not_latency() {
    let q = "enterprise-knowledge-base";
    let mut sim = start(q);
    let r = say(
        &mut sim,
        "How many documents are in the knowledge base, and how fast does it grow?",
    );
    assert!(r.contains(fact(q, "corpus_size")), "{r}");
    assert!(!r.contains(fact(q, "latency")), "{r}");
    assert!(!r.contains(NO_FIGURE), "{r}");
}

#[test]
fn when_the_shift_began_is_answered_and_counted_as_asked() {
    let q = "debug-latency-spikes";
    let mut sim = start(q);
    let r = say(&mut sim, "What day and time did the P95/P99 shift begin?");
    assert!(r.contains(fact(q, "when_started")), "{r}");
    assert!(!r.contains(fact(q, "latency_shape")), "{r}");
    assert_eq!(sim.revealed, vec!["when_started"]);
}

#[test]
fn asking_whether_gpt4_is_ok_gets_the_models_not_the_quality_target() {
    let q = "chatgpt-like-chat";
    let mut sim = start(q);
    let r = say(&mut sim, "Is it ok to use GPT-4?");
    assert!(r.contains(fact(q, "models")), "{r}");
    assert!(!r.contains(fact(q, "feedback")), "{r}");
}

#[test]
fn process_questions_never_get_no_specific_figure() {
    let mut sim = start("rag-customer-support");
    for text in ["Can we move on?", "How did I do?"] {
        let r = say(&mut sim, text);
        assert!(!r.contains(NO_FIGURE), "{text}: {r}");
    }
}

#[test]
fn how_did_i_do_gets_when_the_scorecard_comes_and_no_score() {
    let mut sim = start("rag-customer-support");
    let r = say(&mut sim, "How did I do so far?");
    assert!(r.contains("scorecard"), "{r}");
    assert!(!r.chars().any(|c| c.is_ascii_digit()), "{r}");
}

#[test]
fn a_question_about_prompt_lengths_does_not_give_away_the_root_cause() {
    let q = "debug-latency-spikes";
    let mut sim = start(q);
    let r = say(
        &mut sim,
        "Has the prompt length distribution changed, for example long prompts from summarize?",
    );
    assert!(r.contains(fact(q, "prompt_length")), "{r}");
    assert!(!r.to_lowercase().contains("chunked prefill"), "{r}");
}

#[test]
fn a_hypothesis_stated_as_a_statement_gets_no_evidence() {
    let q = "debug-latency-spikes";
    let mut sim = start(q);
    advance_to(&mut sim, "hypotheses");
    let r = say(
        &mut sim,
        "I think the vLLM queue is backing up whenever a burst starts.",
    );
    assert!(!r.contains(fact(q, "serving_metrics")), "{r}");
    assert!(sim.revealed.is_empty());
}

#[test]
fn summarising_the_requirements_back_pastes_no_fact() {
    let q = "rag-customer-support";
    let mut sim = start(q);
    say(&mut sim, "How many documents are there?");
    let r = say(&mut sim, "Could you summarize the requirements for me?");
    let entry = CATALOG.question(q).unwrap();
    assert!(
        entry.question.facts.iter().all(|f| !r.contains(&f.answer)),
        "{r}"
    );
    assert_eq!(sim.revealed.len(), 1);
}

#[test]
fn a_chunking_answer_answers_the_chunking_follow_up() {
    let q = "enterprise-knowledge-base";
    let mut sim = start(q);
    advance_to(&mut sim, "high_level_design");
    say(
        &mut sim,
        "Ingestion parses each document with a layout-aware parser and chunks it by heading into 500-token chunks with overlap, deduplicating near-duplicates with MinHash.",
    );
    for _ in 0..6 {
        say(&mut sim, "I'd keep that simple and measurable.");
    }
    let entry = CATALOG.question(q).unwrap();
    let chunking = entry
        .question
        .components
        .iter()
        .find(|c| c.id == "parsing_chunking")
        .unwrap();
    assert!(!asked_anywhere(&sim, &chunking.follow_up));
}

#[test]
fn code_with_sort_keys_answers_how_to_make_the_key_stable() {
    let q = "code-prompt-cache";
    let mut sim = start(q);
    advance_to(&mut sim, "implement");
    let r = say(
        &mut sim,
        "```python\nimport hashlib, json\n\ndef make_key(tenant, model, messages, temperature, max_tokens, tools):\n    payload = json.dumps({'tenant': tenant, 'model': model, 'messages': messages, 'temperature': temperature, 'max_tokens': max_tokens, 'tools': tools}, sort_keys=True, separators=(',', ':'))\n    return hashlib.sha256(payload.encode()).hexdigest()\n```",
    );
    assert!(r.contains("`make_key`"), "the reply reads the code: {r}");
    for _ in 0..8 {
        say(&mut sim, "Right, and the rest follows the same pattern.");
    }
    assert!(!asked_anywhere(
        &sim,
        "How do you make it stable when dict key order differs?"
    ));
    assert!(!asked_anywhere(
        &sim,
        "How do you turn a request into a cache key so that equal requests always map to the same key?"
    ));
}

#[test]
fn a_test_that_injects_a_clock_answers_sleep_or_inject_a_clock() {
    let q = "code-prompt-cache";
    let mut sim = start(q);
    advance_to(&mut sim, "testing");
    say(
        &mut sim,
        "```python\ndef test_entries_expire():\n    clock = FakeClock()\n    cache = CachedLLM(FakeLLM(), ttl_s=60, clock=clock)\n    cache.complete('m', [{'role': 'user', 'content': 'hi'}])\n    clock.advance(61)\n    assert cache.stats()['misses'] == 2\n```\nI inject a fake clock so expiry is tested without sleeping.",
    );
    for _ in 0..6 {
        say(&mut sim, "Sure, that one is covered the same way.");
    }
    assert!(!asked_anywhere(
        &sim,
        "To test TTL expiry, would you sleep in the test or inject a clock?"
    ));
}

#[test]
fn naming_the_deep_dive_topics_is_not_answered_with_pick_two_or_three() {
    let mut sim = start("rag-customer-support");
    advance_to(&mut sim, "high_level_design");
    let mut r = say(
        &mut sim,
        "I'd like to go deep on retrieval quality with hybrid search and reranking, on latency and cost, and on evaluation. Let's move on to the deep dive.",
    );
    // The design phase had only just started, and then the design skipped parts: asked about
    // those first.
    for _ in 0..3 {
        if sim.phase_id() == "deep_dive" {
            break;
        }
        r = say(&mut sim, "Let's move on.");
    }
    assert_eq!(sim.phase_id(), "deep_dive");
    assert!(!r.contains("pick the two or three"), "{r}");
}

#[test]
fn a_weak_estimate_is_challenged() {
    let mut sim = start("chatgpt-like-chat");
    advance_to(&mut sim, "high_level_design");
    let r = say(
        &mut sim,
        "We'd serve the flagship with vLLM behind a gateway. We'd need like 50 GPUs.",
    );
    assert!(r.contains("How did you get to 50 GPUs?"), "{r}");
}

#[test]
fn a_hand_wave_is_challenged() {
    let mut sim = start("sentiment-analysis-pipeline");
    advance_to(&mut sim, "tradeoffs_scaling");
    let r = say(
        &mut sim,
        "If the model can't keep up we'd just not analyze all the posts.",
    );
    assert!(r.contains("just not analyze all the posts"), "{r}");
}

#[test]
fn a_design_without_caching_and_monitoring_is_probed_on_both() {
    let q = "enterprise-knowledge-base";
    let mut sim = start(q);
    advance_to(&mut sim, "high_level_design");
    say(
        &mut sim,
        "Moving on to the pieces: connectors push changes through Kafka into a parser that chunks documents, we embed the chunks into a sharded vector database, retrieve with hybrid search, filter by ACLs, rerank with a cross-encoder and call the LLM with the top chunks, then stream the answer back with citations.",
    );
    assert_eq!(
        sim.phase_id(),
        "high_level_design",
        "one turn does not end the design"
    );
    say(&mut sim, "Let's move on.");
    let asked: String = sim
        .turns
        .iter()
        .filter(|t| t.by_interviewer)
        .map(|t| t.text.to_lowercase())
        .collect();
    assert!(asked.contains("cach"), "caching probed: {asked}");
    assert!(
        asked.contains("monitor")
            || asked.contains("know it's working")
            || asked.contains("evaluat"),
        "monitoring probed"
    );
}

#[test]
fn praise_follows_questions_only_and_there_are_no_coverage_recaps() {
    let mut sim = start("rag-customer-support");
    say(&mut sim, "I'm not sure honestly");
    say(&mut sim, "We use a vector database and a reranker.");
    advance_to(&mut sim, "high_level_design");
    say(&mut sim, "I'm not sure honestly");
    for t in sim.turns.iter().skip(1).filter(|t| t.by_interviewer) {
        let lower = t.text.to_lowercase();
        assert!(!lower.contains("good question"), "{}", t.text);
        assert!(!lower.contains("you've covered"), "{}", t.text);
    }
}

#[test]
fn a_debugging_interview_never_speaks_system_design() {
    let mut sim = start("debug-latency-spikes");
    advance_to(&mut sim, "hypotheses");
    let all = items(sim.entry, &CATALOG.lexicon);
    for _ in 0..8 {
        let r = say(
            &mut sim,
            "It could be traffic, a recent change, the vector database, queueing in the server, prompt lengths, the hosts or a noisy neighbour.",
        );
        assert!(!r.contains("go deep on"), "{r}");
        assert!(!r.contains("main components"), "{r}");
    }
    assert!(!all.is_empty());
}

#[test]
fn the_behavioral_technical_depth_phase_asks_something() {
    let mut sim = start("behavioral-production-issue");
    advance_to(&mut sim, "story");
    sim.play(CandidateTurn::advance());
    let r = sim.last_reply().unwrap().text.clone();
    assert!(r.trim_end().ends_with('?'), "{r}");
}

#[test]
fn qa_asks_a_closing_question_answers_the_candidate_and_closes_when_done() {
    let mut sim = start("rag-customer-support");
    advance_to(&mut sim, "qa");
    let r = say(&mut sim, "What does the team look like?");
    assert!(r.contains("Five engineers"), "{r}");
    let closing = &sim.entry.plan.closing_questions;
    assert!(
        closing.iter().any(|c| r.contains(&c.ask)),
        "a closing question: {r}"
    );
    let r = say(&mut sim, "That's all from me.");
    assert!(r.contains("your scorecard"), "{r}");
    assert!(sim.closed());
    let r = say(&mut sim, "Oh, one more thing.");
    assert!(r.contains("scorecard"), "still closed: {r}");
}

#[test]
fn im_done_thanks_closes_the_last_phase() {
    let mut sim = start("debug-cost-overrun");
    let last = sim.entry.plan.phases.last().unwrap().id.clone();
    advance_to(&mut sim, &last);
    for c in &sim.entry.question.components.clone() {
        say(
            &mut sim,
            &format!("For {} I'd add tests and alerts.", c.name),
        );
    }
    let r = say(&mut sim, "I'm done, thanks");
    assert!(r.contains("your scorecard"), "{r}");
    assert_eq!(
        sim.entry.plan.phases.last().unwrap().mode,
        PhaseMode::Design
    );
}

/// A new user's Q&A question about the agents drew the quality targets again ("Again: Leadership
/// wants 35% ..."), because the same turn said "the eval set has no questions in the new languages".
#[test]
fn a_question_in_q_and_a_is_not_answered_with_a_fact_its_statements_named() {
    let q = "rag-customer-support";
    let mut sim = start(q);
    say(
        &mut sim,
        "What are the success metrics and quality targets?",
    );
    advance_to(&mut sim, "qa");
    let r = say(
        &mut sim,
        "Let me quickly revisit the acquisition question: what breaks first is evaluation and content. The eval set has no questions in the three new languages, so we'd launch blind. One question for you: how do agents feel about the assistant today - would they be willing to review distilled Q&A entries weekly?",
    );
    assert!(!r.contains(fact(q, "quality")), "{r}");
}

/// "Can I see the GPU dashboard?" drew "I don't have data on that here" although the serving metrics
/// hold the GPU utilisation; "Can I see the summarize input-token distribution?" drew "That's your
/// call" although the prompt lengths are there.
#[test]
fn data_asked_for_in_other_words_is_shown() {
    let q = "debug-latency-spikes";
    let mut sim = start(q);
    advance_to(&mut sim, "investigation");
    let r = say(
        &mut sim,
        "Can I see the GPU dashboard? I want to see if the GPU usage is high.",
    );
    assert!(r.contains(fact(q, "serving_metrics")), "{r}");
    let r = say(
        &mut sim,
        "Can I see the summarize input-token distribution?",
    );
    assert!(r.contains(fact(q, "prompt_length")), "{r}");
}

/// A new user's fluent candidate sized the RAG assistant at "roughly 1,000 QPS at peak" after being
/// told about 8 QPS at the weekday peak (30+ during incidents), and the interviewer let it pass.
#[test]
fn a_peak_rate_far_from_the_one_given_is_challenged() {
    let q = "rag-customer-support";
    let mut sim = start(q);
    say(
        &mut sim,
        "How many users and how much traffic do you expect?",
    );
    let r = say(
        &mut sim,
        "Got it. So let me size it: 25,000 conversations at four turns is 100K answers a day, and with a peak factor that puts us at roughly 1,000 QPS at peak, so this is a serious throughput problem and we'll need a decent GPU fleet. Do we need to keep data in the EU?",
    );
    assert!(r.contains("Hold on: you said 1,000 QPS"), "{r}");
}

/// "Can I see the SLO burn-rate panel?" asks for data the scenario does not hold: the interviewer says
/// so, rather than "That's your call" as if asked for permission.
#[test]
fn asking_to_see_data_that_is_not_there_is_not_answered_as_a_decision() {
    let mut sim = start("debug-latency-spikes");
    advance_to(&mut sim, "investigation");
    let r = say(&mut sim, "Can I see the SLO burn-rate panel?");
    assert!(
        !r.contains("your call") && !r.contains("You tell me"),
        "{r}"
    );
    let r = say(
        &mut sim,
        "Should I prioritise mitigation or the root cause first?",
    );
    assert!(r.contains("your call") || r.contains("You tell me"), "{r}");
    // One question per reply: the refusal does not add a question of its own to the next one.
    assert!(r.matches('?').count() <= 1, "{r}");
}
