//! What each measure rewards and what it refuses to.

use super::*;
use crate::content::{Catalog, ContentRoot, Level};
use crate::scoring::argument::analyze;
use crate::scoring::input::{TurnText, with_turns};

fn catalog() -> Catalog {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
}

/// Each dimension's measured value for candidate answers given in (phase, text) order, the
/// interviewer answering `reply` between them.
fn values(question: &str, turns: &[(&str, &str, &str)]) -> Vec<(String, f64)> {
    measured(question, turns)
        .into_iter()
        .map(|(id, m)| (id, m.value))
        .collect()
}

/// Each dimension's measure, as `values` builds the interview.
fn measured(question: &str, turns: &[(&str, &str, &str)]) -> Vec<(String, Measured)> {
    let catalog = catalog();
    let entry = catalog.question(question).unwrap();
    let mut all = Vec::new();
    let mut id = 0;
    for (phase, answer, reply) in turns {
        id += 1;
        all.push(TurnText {
            turn_id: id,
            speaker: Speaker::Candidate,
            phase,
            content: answer,
        });
        id += 1;
        all.push(TurnText {
            turn_id: id,
            speaker: Speaker::Interviewer,
            phase,
            content: reply,
        });
    }
    // What the ledger would reveal: the facts a candidate sentence names.
    let reveals: Vec<crate::scoring::input::Reveal> = all
        .iter()
        .filter(|t| t.speaker == Speaker::Candidate)
        .flat_map(|t| {
            crate::analysis::text::sentences(t.content)
                .into_iter()
                .flat_map(|s| entry.fact_index.tags_in(&s.words))
                .map(|f| crate::scoring::input::Reveal {
                    fact_id: entry.question.facts[f].id.clone(),
                    turn_id: t.turn_id,
                    quote: t.content.to_string(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let input = ScoringInput {
        session_id: "s",
        entry,
        lexicon: &catalog.lexicon,
        level: Level::Senior,
        turns: &all,
        reveals: &reveals,
        created_at: String::new(),
    };
    let arg = analyze(&input);
    entry
        .rubric
        .dimensions
        .iter()
        .map(|d| (d.id.clone(), measure(d, &input, &arg)))
        .collect()
}

fn value(v: &[(String, f64)], id: &str) -> f64 {
    v.iter().find(|(d, _)| d == id).map(|(_, x)| *x).unwrap()
}

#[test]
fn requirements_count_questions_the_interviewer_answered_not_statements_or_volleys() {
    let latency = "First token within 1.5 seconds at P95 in the chat widget, full answer within 5 seconds at P95.";
    let asked = values(
        "rag-customer-support",
        &[(
            "clarification",
            "What is the latency target for an answer?",
            latency,
        )],
    );
    let stated = values(
        "rag-customer-support",
        &[(
            "clarification",
            "The latency target is important for an answer.",
            latency,
        )],
    );
    let unanswered = values(
        "rag-customer-support",
        &[(
            "clarification",
            "What is the latency target for an answer?",
            "Let's move on.",
        )],
    );
    assert!(value(&asked, "requirements") > 0.0);
    assert_eq!(value(&stated, "requirements"), 0.0);
    assert_eq!(value(&unanswered, "requirements"), 0.0);
}

/// The rubrics ask for requirements pinned down before the design: the latency target asked for once
/// the design that misses it is on the table earns nothing, and the detail says it came late.
#[test]
fn a_requirement_asked_for_only_once_the_design_is_under_way_earns_nothing() {
    let latency = "First token within 1.5 seconds at P95 in the chat widget, full answer within 5 seconds at P95.";
    let design = "A gateway, a retriever over the help-center index, and the LLM behind a queue.";
    let up_front = measured(
        "rag-customer-support",
        &[
            (
                "clarification",
                "What is the latency target for an answer?",
                latency,
            ),
            ("high_level_design", design, "Go on."),
        ],
    );
    let late = measured(
        "rag-customer-support",
        &[
            ("clarification", "Let me start with the design.", "Sure."),
            (
                "high_level_design",
                &format!("{design} What is the latency target for an answer?"),
                latency,
            ),
        ],
    );
    let requirements = |m: &[(String, Measured)]| {
        m.iter()
            .find(|(d, _)| d == "requirements")
            .map(|(_, x)| x.clone())
            .unwrap()
    };
    assert!(requirements(&up_front).value > 0.0);
    let late = requirements(&late);
    assert_eq!(late.value, 0.0);
    assert!(
        late.detail
            .contains("Asked only once the answer was under way")
            && late.detail.to_lowercase().contains("latency"),
        "{}",
        late.detail
    );
    // Named as asked late, so not listed again as missing (a new user read both on one card).
    let named_late: Vec<&str> = late
        .gaps
        .iter()
        .filter(|g| g.late)
        .map(|g| g.name.as_str())
        .collect();
    assert!(
        named_late
            .iter()
            .any(|n| n.to_lowercase().contains("latency")),
        "{named_late:?}"
    );
    assert!(late.gaps.iter().any(|g| !g.late));
}

#[test]
fn code_is_judged_on_what_it_shows_not_its_length() {
    let long: String = (0..120).map(|i| format!("x{i} = {i}\n")).collect();
    let padded = values(
        "code-llm-rate-limiter",
        &[(
            "implement",
            &format!("Here it is.\n```python\n{long}```"),
            "OK.",
        )],
    );
    let real = "Each check is O(1) because the bucket refills lazily.\n```python\nimport threading\n\nclass Bucket:\n    def __init__(self, capacity, now):\n        self.lock = threading.Lock()\n        self.tokens = {}\n\n    def take(self, key, cost, now):\n        with self.lock:\n            return self.tokens.get(key, 0) >= cost\n\ndef test_rejects_over_the_limit():\n    assert not Bucket(1, 0).take(\"k\", 2, 0)\n\ndef test_concurrent_requests_share_the_bucket():\n    assert Bucket(5, 0).take(\"k\", 1, 0) is False\n```";
    let shown = values("code-llm-rate-limiter", &[("implement", real, "OK.")]);
    assert!(
        value(&shown, "implementation") > value(&padded, "implementation") + 0.3,
        "{shown:?} vs {padded:?}"
    );
}

#[test]
fn claims_made_away_from_the_code_are_not_evidence_of_it() {
    // A red team's attack: a bare dictionary, then complexity claims for an eviction the code does
    // not have, made in the complexity phase.
    let code = "```python\nclass Cache:\n    def __init__(self, client):\n        self.client = client\n        self.d = {}\n    def complete(self, prompt):\n        if prompt in self.d:\n            return self.d[prompt]\n        r = self.client.complete(prompt)\n        self.d[prompt] = r\n        return r\n```";
    let claims = "Get and put are O(1) average plus O(n) in the request size to serialise and hash; memory is O(entries times average response), about 100k entries at 2 KB, so roughly 200 MB; eviction is O(1) with popitem.";
    let implementation = |turns: &[(&str, &str, &str)]| {
        measured("code-prompt-cache", turns)
            .into_iter()
            .find(|(id, _)| id == "implementation")
            .unwrap()
            .1
    };
    let away = implementation(&[("implement", code, "OK."), ("complexity", claims, "OK.")]);
    assert!(away.evidence.is_empty(), "{:?}", away.evidence);
    // Said while writing it, the same sentence is the candidate talking about their code.
    let with = implementation(&[("implement", code, "OK."), ("implement", claims, "OK.")]);
    assert_eq!(with.evidence.len(), 1, "{with:?}");
}

#[test]
fn communication_rewards_economy_not_length() {
    let clear = "First, retrieval: we embed the question and take the top 50 chunks from the vector database. \
        Then a cross-encoder reranks them to 5, because the prompt must stay under 3,000 tokens. \
        Finally the LLM answers from those chunks and cites them, so every claim is checkable.";
    let padded = format!(
        "{clear} {}",
        "This matters because scalability is important. We should monitor everything for reliability. "
            .repeat(8)
    );
    let a = values(
        "rag-customer-support",
        &[("high_level_design", clear, "OK.")],
    );
    let b = values(
        "rag-customer-support",
        &[("high_level_design", &padded, "OK.")],
    );
    assert!(value(&a, "communication") > value(&b, "communication"));
}

#[test]
fn depth_needs_mechanisms_and_figures_on_the_deep_dive_topics() {
    let shallow = values(
        "rag-customer-support",
        &[(
            "deep_dive",
            "We would use chunking and hybrid search and reranking for retrieval quality.",
            "OK.",
        )],
    );
    let deep = values(
        "rag-customer-support",
        &[(
            "deep_dive",
            "I split articles by headings into 300 to 500 token chunks with 50 tokens of overlap, keeping the title on every chunk. \
             BM25 runs next to dense retrieval because error codes like ERR-4012 are exact strings, and reciprocal rank fusion merges the two lists. \
             A cross-encoder reranks the top 50 down to 5 in about 60 ms on the A10Gs.",
            "OK.",
        )],
    );
    assert!(value(&deep, "technical_depth") > value(&shallow, "technical_depth") + 0.2);
}

#[test]
fn results_need_an_outcome_reported_as_seen_not_a_plan() {
    let story = "The nightly re-embedding job ran out of memory on Thursday because it loaded the whole day's changes before batching them. I changed it to stream the changes in batches of 5,000 rows so memory stays flat.";
    let told = |ending: &str| {
        measured(
            "behavioral-production-issue",
            &[
                ("story", story, "How did you know it worked?"),
                ("reflection", ending, "Thanks."),
            ],
        )
        .into_iter()
        .find(|(id, _)| id == "results")
        .map(|(_, m)| m)
        .unwrap()
    };
    let seen = told(
        "After the change, peak memory went from 31 GB to 4 GB, and the job has finished in under 40 minutes every night since then.",
    );
    let planned = told(
        "I'd rerun it on a copy of Thursday's 380,000 rows and expect peak memory to drop to 4 GB, and I would watch the job for 40 nights.",
    );
    assert!(
        seen.value > planned.value + 0.2,
        "seen {} planned {}",
        seen.value,
        planned.value
    );
    assert_eq!(seen.ceiling, None);
    assert_eq!(planned.ceiling, Some(2), "no measured outcome: at most a 2");
    assert!(planned.gaps.iter().any(|g| g.name == "A measured outcome"));
    assert!(
        seen.detail.starts_with("1 measured outcome"),
        "{}",
        seen.detail
    );
}

#[test]
fn a_phase_answer_counts_for_more_when_it_lands_on_the_reference_answer() {
    let answered = |text: &str| {
        with_turns(
            "debug-latency-spikes",
            &[
                (
                    Speaker::Interviewer,
                    "prevention",
                    "How do we keep this from happening again?",
                ),
                (Speaker::Candidate, "prevention", text),
            ],
            |input| {
                let prevention = input.entry.rubric.dimension("prevention").unwrap();
                phase_answers(prevention, &analyze(input)).0
            },
        )
    };
    let generic = answered(
        "I'd add alerts on error rates and latency to the serving dashboards, so the on-call engineer sees problems before customers do. I'd run a postmortem with the whole team and track every action item in the backlog, because otherwise the same mistakes come back.",
    );
    let on_the_answer = answered(
        "I'd page on burn-rate alerts for P99 time to first token per endpoint, so a burst pages us within minutes. Before launches I'd load-test with a production-like prompt-length mix behind a canary flag, because the input-token histogram is what moved.",
    );
    // Both answers are two working sentences with a mechanism and a reason each: only how much of
    // them is the reference outline's own (burn-rate alerts, P99 time to first token, the
    // prompt-length mix) tells them apart.
    assert!(
        on_the_answer > generic + 0.1,
        "on the answer {on_the_answer}, generic {generic}"
    );
}

#[test]
fn a_story_without_a_measured_outcome_is_told_so_on_the_card() {
    let card = with_turns(
        "behavioral-production-issue",
        &[
            (
                Speaker::Interviewer,
                "story",
                "Tell me about a production issue you owned.",
            ),
            (
                Speaker::Candidate,
                "story",
                "The nightly re-embedding job for our product search ran out of memory because it loaded the whole day's changes before batching them. I profiled it with tracemalloc, found the list of 380,000 rows held in memory, and changed it to stream the changes in batches of 5,000 rows so memory stays flat.",
            ),
            (
                Speaker::Interviewer,
                "reflection",
                "How did it turn out, and what would you do differently?",
            ),
            (
                Speaker::Candidate,
                "reflection",
                "I'd expect it to hold now, and I would add a memory alert at 80% of the pod limit so we hear about it before the job dies. Next time I'd load-test the job on a copy of the biggest day before shipping it.",
            ),
        ],
        crate::scoring::offline::score,
    );
    let results = card.dimensions.iter().find(|d| d.id == "results").unwrap();
    assert!(results.score <= 2, "{results:?}");
    assert!(
        results.missing.iter().any(|m| m == "A measured outcome"),
        "{:?}",
        results.missing
    );
    assert!(
        card.improvement_plan
            .iter()
            .any(|i| i.dimension == "results" && i.text.contains("in numbers you measured")),
        "{:?}",
        card.improvement_plan
    );
}

#[test]
fn a_phase_share_blends_the_phase_answer_instead_of_taking_the_better() {
    with_turns(
        "debug-latency-spikes",
        &[
            (
                Speaker::Interviewer,
                "root_cause_fix",
                "So what is the cause, and what do you do now?",
            ),
            (
                Speaker::Candidate,
                "root_cause_fix",
                "Long summarize prefills block the shared pool, so I'd dial the summarize flag back now rather than roll back everything, because the rollback also loses the chat fixes. Then enable chunked prefill and confirm P99 time to first token returns to about 2 s.",
            ),
        ],
        |input| {
            let arg = analyze(input);
            let mut dim = input
                .entry
                .rubric
                .dimension("root_cause_fix")
                .unwrap()
                .clone();
            let own = own_measure(&dim, input, &arg).value;
            let answered = phase_answers(&dim, &arg).0;
            assert!(
                (own - answered).abs() > 0.05,
                "own {own}, answered {answered}"
            );
            dim.phase_share = None;
            assert_eq!(measure(&dim, input, &arg).value, own.max(answered));
            dim.phase_share = Some(0.5);
            let blended = measure(&dim, input, &arg).value;
            assert!((blended - (own + answered) / 2.0).abs() < 1e-9, "{blended}");
        },
    );
}
