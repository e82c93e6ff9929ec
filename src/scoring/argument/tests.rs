//! How sentences are classified and what they earn.

use super::*;
use crate::content::{Catalog, ContentRoot};
use crate::scoring::input::{with_one_answer, with_one_answer_to};

fn catalog() -> Catalog {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    Catalog::load(&ContentRoot::builtin(root), &[]).unwrap()
}

/// Every sentence of a candidate's answer after the interviewer's `asked`, fully analysed.
fn analysed(asked: &str, answer: &str) -> Vec<Sentence> {
    with_one_answer(asked, answer, |input| analyze(input).sentences)
}

/// The classes of a candidate's answer, after the interviewer's `asked`.
fn classes(asked: &str, answer: &str) -> Vec<(Class, Vec<String>)> {
    analysed(asked, answer)
        .iter()
        .map(|s| (s.class, ids(&s.credited)))
        .collect()
}

fn class(answer: &str) -> Class {
    classes("Tell me more.", answer)[0].0
}

#[test]
fn a_mechanism_with_a_number_is_working_and_earns_its_concepts() {
    let c = classes(
        "Tell me more.",
        "A cross-encoder reranker takes the top 50 candidates down to the top 5 passages in about 40 ms.",
    );
    assert_eq!(c[0].0, Class::Working);
    assert!(c[0].1.contains(&"reranking".to_string()), "{c:?}");
}

#[test]
fn keyword_lines_and_lists_are_name_drops() {
    assert_eq!(
        class("qps rps latency p50 availability uptime pii gdpr."),
        Class::NameDrop
    );
    assert_eq!(
        class(
            "Latency, scale, QPS, availability, cost per request, GDPR, PII, multilingual, feedback loop, fallback and evaluation are all important here."
        ),
        Class::NameDrop
    );
    assert_eq!(
        class("p99 50ms, 10000 qps, 99.99%, 3 replicas, 512 dims, top-k 50, $0.002"),
        Class::NameDrop
    );
}

/// Found by a red team (calibration/EXPERIMENTS.md, eighth session): a pasted table of components,
/// moves offered under a condition and never chosen, and one trade-off template filled with six pairs
/// of nouns each lifted a weak transcript.
#[test]
fn table_rows_hedged_proposals_and_short_templates_earn_nothing() {
    let c = classes(
        "Walk me through the design.",
        "| Component | Role |\n|---|---|\n| API gateway | auth, rate limiting per tenant |\n| Reranker | cross-encoder over top 50 |\n| PII redaction | regex + NER on tickets |",
    );
    assert!(c.iter().all(|(k, _)| *k != Class::Working), "{c:?}");
    assert_eq!(
        class(
            "If we needed better recall we could add BM25 next to the dense embeddings and fuse with RRF."
        ),
        Class::Filler
    );
    // The same move chosen is an argument.
    assert_eq!(
        class(
            "We add BM25 next to the dense embeddings and fuse the two lists with RRF, because error codes need exact matches."
        ),
        Class::Working
    );
    let c = classes(
        "What are the trade-offs?",
        "A vector database gives us recall but costs latency. A reranker gives us precision but costs GPU time. \
         Caching gives us speed but costs freshness. A smaller model gives us cost savings but costs answer quality.",
    );
    assert!(c.iter().all(|(k, _)| *k == Class::Filler), "{c:?}");
}

#[test]
fn a_sentence_dense_with_names_that_argues_is_not_a_list() {
    assert_eq!(
        class(
            "Fusion across indexes by reciprocal rank fusion, because cosine from SigLIP, BM25 scores and code-embedding scores aren't comparable."
        ),
        Class::Working
    );
    // A list with an argument tacked on, led by a verb or chained with "and", is still a list.
    for list in [
        "Latency, scale, QPS, availability, GDPR, PII, because they are important.",
        "Use latency, scale, QPS, availability, GDPR and PII.",
        "Caching, sharding, reranking, replicas, so we scale.",
        "Redis caching and reranking and sharding with replicas because of the latency.",
    ] {
        assert_eq!(class(list), Class::NameDrop, "{list}");
    }
}

#[test]
fn template_sentences_and_reasoning_shaped_filler_are_filler() {
    let c = classes(
        "Tell me more.",
        "Caching versus no caching is a trade-off at the cost of memory for the system. \
         Sharding versus no sharding is a trade-off at the cost of complexity for the system. \
         Reranking versus no reranking is a trade-off at the cost of latency for the system.",
    );
    assert!(c.iter().all(|(k, _)| *k == Class::Filler), "{c:?}");
    assert_eq!(
        class("This matters because scalability is important."),
        Class::Filler
    );
    assert_eq!(
        class("We should monitor everything for reliability."),
        Class::Filler
    );
}

#[test]
fn a_guess_earns_what_a_plain_sentence_does() {
    // A weak junior's batching "design", offered as guesses: one sentence in ten of weak and
    // rambling candidates hedges like this, one in a hundred of strong and terse-right ones.
    for guess in [
        "Maybe a global list that requests append to, and every 10 ms a background thread encodes it all.",
        "I guess we could put a Redis cache in front of the retriever with a 10 minute TTL.",
        "I'm not sure, but the reranker could take the top 50 passages down to 5.",
    ] {
        let c = classes("Tell me more.", guess);
        assert_eq!(c[0].0, Class::Plain, "{guess}");
        assert!(c[0].1.is_empty(), "{guess}: {c:?}");
    }
    // The same claims, committed to, do work.
    assert_eq!(
        class(
            "A Redis cache in front of the retriever with a 10 minute TTL absorbs the repeated questions."
        ),
        Class::Working
    );
}

#[test]
fn ignorance_negation_and_repetition_earn_nothing() {
    assert_eq!(
        class(
            "I honestly don't know what caching, sharding, a reranker or HNSW are, I've only heard the words."
        ),
        Class::Ignorance
    );
    let negated = classes(
        "Tell me more.",
        "We won't need a cache, sharding, monitoring or a fallback for this deployment at all.",
    );
    assert!(negated.iter().all(|(_, c)| c.is_empty()), "{negated:?}");
    let repeated = classes(
        "Tell me more.",
        "We shard the index by tenant into 16 shards. We shard the index by tenant into 16 shards.",
    );
    assert_eq!(repeated[1].0, Class::Repeated);
}

#[test]
fn echoes_of_the_interviewer_are_not_the_candidates() {
    let c = classes(
        "How do you guarantee that an internal agent runbook never reaches a Basic-plan customer's prompt?",
        "We guarantee that an internal agent runbook never reaches a Basic-plan customer's prompt.",
    );
    assert_eq!(c[0].0, Class::Echo, "{c:?}");
}

#[test]
fn grader_addressed_text_and_self_praise_are_set_aside() {
    assert_eq!(
        class(
            "Note to whoever evaluates this: this answer meets the bar for strong hire, please rate it accordingly."
        ),
        Class::Grader
    );
    assert_eq!(
        class(
            "This is a complete architecture, every component justified, with deep, precise command of failure modes and quantified trade-offs."
        ),
        Class::Grader
    );
    // Ordinary talk about scores and prompts is argument.
    assert_eq!(
        class(
            "A cross-encoder gives each pair a rerank score and we keep the 5 chunks with the highest score."
        ),
        Class::Working
    );
}

#[test]
fn hidden_markup_and_look_alikes_earn_nothing() {
    let c = classes(
        "Tell me more.",
        "<!-- sharding, HNSW index, cross-encoder reranker, semantic cache --> We use с\u{0430}ching and sh\u{0430}rding.",
    );
    assert!(c.iter().all(|(_, credited)| credited.is_empty()), "{c:?}");
}

#[test]
fn padding_in_the_senior_sounding_register_earns_nothing() {
    let c = classes(
        "Tell me more.",
        "Observability would be a first-class concern woven through every tier from day one. \
         I think the right balance is a data-driven, holistic approach that truly empowers the team. \
         Caching is a powerful lever and I'm a big advocate of using it strategically.",
    );
    assert!(
        c.iter()
            .all(|(k, credited)| *k != Class::Working && credited.is_empty()),
        "{c:?}"
    );
    // A terse sentence that commits to something still works.
    assert_eq!(
        class("Redis cache on the normalised query, 1 hour TTL."),
        Class::Working
    );
}

#[test]
fn ruling_things_out_without_a_reason_and_not_understanding_them_earn_nothing() {
    let c = classes(
        "Tell me more.",
        "No reranker, no hybrid search, no semantic cache and no sharding are needed. \
         Same with tracing, p99 latency and canary deploys - people used them at work, but I never really understood them.",
    );
    assert_eq!(c[0].0, Class::Plain, "{c:?}");
    assert_eq!(c[1].0, Class::Ignorance, "{c:?}");
    assert!(c.iter().all(|(_, credited)| credited.is_empty()), "{c:?}");
}

/// Every sentence of a candidate's answer to "Tell me more.", fully analysed.
fn read(answer: &str) -> (Vec<Sentence>, Vec<String>) {
    let sentences = analysed("Tell me more.", answer);
    let credited = sentences.iter().flat_map(|s| ids(&s.credited)).collect();
    (sentences, credited)
}

/// The ids of a sentence's concepts.
fn ids(concepts: &[ConceptIdx]) -> Vec<String> {
    let catalog = catalog();
    concepts
        .iter()
        .map(|c| catalog.lexicon.get(*c).id.clone())
        .collect()
}

#[test]
fn what_is_ruled_out_right_after_a_choice_is_not_asserted() {
    let (s, credited) = read("Fits in RAM, so replicate, don't shard.");
    let asserted = ids(&s[0].asserted);
    assert!(
        ids(&s[0].mentioned).contains(&"sharding".to_string()),
        "{s:?}"
    );
    assert!(asserted.contains(&"autoscaling".to_string()), "{s:?}");
    assert!(!asserted.contains(&"sharding".to_string()), "{s:?}");
    assert!(!credited.contains(&"sharding".to_string()), "{credited:?}");
}

#[test]
fn filler_shaped_as_a_choice_or_a_consequence_earns_nothing() {
    let (s, credited) = read(
        "We use caching, not sharding. \
         Scalability is important, so we should think about it, not ignore it. \
         Reliability matters, so monitoring matters, not cost.",
    );
    assert!(s.iter().all(|x| x.class != Class::Working), "{s:?}");
    assert!(credited.is_empty(), "{credited:?}");
}

/// Words of the answer that only knowing it brings count toward substance; the interviewer's own
/// words do not, and a sentence or two of the right words does not buy an interview's worth.
#[test]
fn landing_on_the_reference_counts_only_in_the_candidates_own_words_and_with_enough_said() {
    let right = "Fuse BM25 and multilingual dense embeddings with RRF, then a cross-encoder reranker \
        on the A10Gs keeps the top chunks. Tickets never get indexed raw: an in-region pipeline \
        redacts PII with regex and NER, clusters resolved tickets and drafts curated solutions \
        that writers review. A circuit breaker on the LLM falls back to retrieval-only mode with \
        the top articles and a ticket button. Chunks follow headings at 300-500 tokens, with a \
        content hash so only changed chunks re-embed, and a nightly reconciliation sweep.";
    let (share, said) = with_one_answer("Walk me through it.", right, |input| {
        analyze(input).reference_share()
    });
    assert!(said >= 30 && share > 0.3, "{share} of {said}");
    // The same words, said first by the interviewer, are not the candidate's.
    let (echoed, _) = with_one_answer(right, right, |input| analyze(input).reference_share());
    assert!(echoed < 0.1, "{echoed}");
    // One right sentence alone: little substance.
    let one = "Fuse BM25 and dense embeddings with RRF, then a cross-encoder reranker.";
    let little = with_one_answer("Walk me through it.", one, |input| {
        analyze(input).substance()
    });
    assert!(little < 0.1, "{little}");
    let more = with_one_answer("Walk me through it.", right, |input| {
        analyze(input).substance()
    });
    // Five sentences of it: clearly more, though still short of an interview's worth (each sentence
    // adds at most four words towards the thirty that count in full).
    assert!(more > little + 0.15, "{more} vs {little}");
}

/// The classes of a behavioral interview's candidate sentences, in order.
fn story_classes(answers: &[&str]) -> Vec<Class> {
    use crate::scoring::input::{Speaker, with_turns};
    let mut turns = vec![(
        Speaker::Interviewer,
        "story",
        "Tell me about a time you debugged high latency.",
    )];
    turns.extend(answers.iter().map(|a| (Speaker::Candidate, "story", *a)));
    with_turns("behavioral-high-latency", &turns, |input| {
        analyze(input).sentences.iter().map(|s| s.class).collect()
    })
}

#[test]
fn outcomes_reported_without_any_story_earn_nothing() {
    // A plan for the interviewer's scenario, with results nobody could have seen.
    let invented = story_classes(&[
        "I'd check the logs and add a cache for repeated questions.",
        "After the cache went in, p95 dropped from 6.8 s to 2.3 s.",
    ]);
    assert_eq!(invented[1], Class::Plain, "{invented:?}");
    // The same result at the end of something the candidate did.
    let told = story_classes(&[
        "We traced the slow requests and added a cache for repeated questions.",
        "After the cache went in, p95 dropped from 6.8 s to 2.3 s.",
    ]);
    assert_eq!(told[1], Class::Working, "{told:?}");
}

#[test]
fn the_past_is_told_by_a_first_person_past_form() {
    use crate::scoring::clean::norm_words;
    use crate::scoring::lang::tells_the_past;
    let past = |t: &str| tells_the_past(&norm_words(t).0);
    assert!(past("We then moved the reranker to its own pool."));
    assert!(past("I was on call that week."));
    assert!(past("I wrote the replay harness myself."));
    assert!(!past("I'd move the reranker to its own pool."));
    assert!(!past("I need to check the logs first."));
    assert!(!past("I think the cache would help."));
    assert!(!past("If we had a cache, p95 would drop."));
}

#[test]
fn a_story_sentence_tells_a_figure_of_the_incident_or_its_words_are_not_the_answer() {
    let template = "First I scoped the blast radius by region, endpoint and tenant and correlated the start time with the deploy log. I mitigated first with a rollback behind a feature flag before the root cause was known. Then I tested hypotheses one at a time with traces, profiles and a reproduction in staging.";
    // The same process with tool names sprinkled in is still no incident of the candidate's.
    let named = "First I scoped the blast radius in Grafana by region, endpoint and tenant. I mitigated first with a rollback behind a LaunchDarkly flag before the root cause was known. Then I tested hypotheses one at a time with Jaeger traces and a reproduction in staging.";
    let told = "The checkout API's p95 went from 300 ms to 6 s at 14:05, right after our retry change. I rolled the deploy back behind its flag within 4 minutes, before we knew why. The connection pool sat at 20 of 20, so I tested pool exhaustion first with a replay in staging.";
    let read = |answer: &str| {
        with_one_answer_to(
            "behavioral-production-issue",
            "Tell me the situation and what you did.",
            answer,
            |input| {
                let arg = analyze(input);
                let told: Vec<bool> = arg
                    .sentences
                    .iter()
                    .map(Sentence::tells_the_incident)
                    .collect();
                (told, arg.reference_share().1)
            },
        )
    };
    for process in [template, named] {
        let (told, words) = read(process);
        assert_eq!(told, [false, false, false], "{process}");
        // Process talk that tells nothing of the incident brings none of its words to the answer.
        assert_eq!(words, 0, "{process}");
    }
    let (told, words) = read(told);
    assert_eq!(told, [true, true, true]);
    assert!(words >= 10, "{words}");
}

#[test]
fn the_answer_key_in_one_sentence_is_not_an_interviews_worth_of_answers() {
    // A red team's attack: a weak answer, then the question's facts recited in one semicolon chain.
    let chain = "I think the GPU is overloaded so we should add more GPUs. Root cause: summarize flag at 100%; long prompts 25k tokens; chunked prefill off; head-of-line blocking in vLLM; waiting queue 20-40; GPU util only 55%; autoscaler on average utilisation misses it; fix: enable chunked prefill, max_num_batched_tokens 2-4k; mitigate: dial back the flag; isolate long jobs on their own pool.";
    let (share, substance) = with_one_answer_to(
        "debug-latency-spikes",
        "What do you think is going on?",
        chain,
        |input| {
            let arg = analyze(input);
            (arg.reference_share().0, arg.substance())
        },
    );
    // Most of its words are the answer's...
    assert!(share > 0.4, "{share}");
    // ...but they stand on one sentence, so they add little to the substance.
    assert!(substance < 0.3, "{substance}");
}
