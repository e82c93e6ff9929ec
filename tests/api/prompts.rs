//! Snapshots of the prompts as a model receives them (`tests/api/snapshots/`): the interviewer's
//! system prompt and conversation for a turn and for an advance, and the judge's. A change to a
//! template, a context or the content shows up here as a diff to review (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test` to accept); under `CI=true` a missing snapshot fails.

use serde_json::Value;

use crate::llm::{llm_app, session};
use crate::mock_openai::{Behavior, MockOpenAi, pieces};

/// The messages of a recorded request, one block per message.
fn render(request: &Value) -> String {
    request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "===== {} =====\n{}\n",
                m["role"].as_str().unwrap(),
                m["content"].as_str().unwrap()
            )
        })
        .collect()
}

fn reply(text: &str) -> Behavior {
    Behavior::Stream {
        pieces: pieces(text),
        usage: true,
    }
}

#[tokio::test]
async fn the_interviewer_and_the_judge_read_these_prompts() {
    let mock = MockOpenAi::start().await;
    let app = llm_app(&mock, |_| {}).await;
    let id = session(&app).await;

    mock.push_stream(reply("About twelve thousand help articles. What else?"));
    app.say(
        &id,
        "How many documents are there, and what latency do we need?",
    )
    .await;
    mock.push_stream(reply("Let us move to the design."));
    app.advance(&id).await;
    // An unusable card, twice: the offline scorer's stands; the first request is what matters here.
    mock.push_judge(Behavior::Judge("{}".into()));
    mock.push_judge(Behavior::Judge("{}".into()));
    app.finish(&id).await;

    let streamed = mock.stream_requests();
    insta::assert_snapshot!("interviewer_turn", render(&streamed[0]));
    insta::assert_snapshot!("interviewer_advance", render(&streamed[1]));
    insta::assert_snapshot!("judge", render(&mock.judge_requests()[0]));
}

#[tokio::test]
async fn a_diagram_reaches_the_model_as_written_and_as_parsed() {
    let mock = MockOpenAi::start().await;
    let app = llm_app(&mock, |_| {}).await;
    let id = session(&app).await;

    mock.push_stream(reply("Let us move to the design."));
    app.advance(&id).await;
    mock.push_stream(reply("What flows from the gateway to the retriever?"));
    app.say(
        &id,
        "Here is my first cut.\n\n```mermaid\nflowchart LR\n  U([Customer]) --> GW[API gateway]\n  GW -->|question| R[Hybrid retriever]\n  R --> V[(Vector DB)]\n  M[Monitoring]\n```",
    )
    .await;

    let streamed = mock.stream_requests();
    let prompt = render(&streamed[1]);
    assert!(
        prompt.contains("```mermaid\nflowchart LR\n  U([Customer]) --> GW[API gateway]"),
        "the source is kept"
    );
    assert!(
        prompt.contains("API gateway -> Hybrid retriever (question)"),
        "and the parse is given"
    );
    insta::assert_snapshot!("interviewer_turn_with_diagram", prompt);
}
