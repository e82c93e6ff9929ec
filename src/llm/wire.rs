//! The OpenAI chat-completions wire format: requests built with async-openai's types, the judge's
//! reply read with them, and the streamed chunks read leniently (every field optional, any finish
//! reason), because servers that call themselves compatible send all sorts.

use async_openai::types::chat::{
    ChatCompletionRequestMessage, ChatCompletionStreamOptions, CreateChatCompletionRequest,
    CreateChatCompletionResponse, ResponseFormat,
};
use serde::Deserialize;
use serde_json::Value;

use super::{Completion, LlmError, Message, ReplyChunk, Role};

fn message(m: Message) -> ChatCompletionRequestMessage {
    match m.role {
        Role::System => ChatCompletionRequestMessage::System(m.content.into()),
        Role::User => ChatCompletionRequestMessage::User(m.content.into()),
        Role::Assistant => ChatCompletionRequestMessage::Assistant(m.content.into()),
    }
}

/// A streamed chat completion, with usage in the last chunk.
pub fn stream_request(model: &str, messages: Vec<Message>) -> CreateChatCompletionRequest {
    CreateChatCompletionRequest {
        model: model.to_string(),
        messages: messages.into_iter().map(message).collect(),
        stream: Some(true),
        stream_options: Some(ChatCompletionStreamOptions {
            include_usage: Some(true),
            include_obfuscation: None,
        }),
        ..Default::default()
    }
}

/// A completion in one reply, asking for a JSON object when `json_mode`.
pub fn completion_request(
    model: &str,
    messages: Vec<Message>,
    json_mode: bool,
) -> CreateChatCompletionRequest {
    CreateChatCompletionRequest {
        model: model.to_string(),
        messages: messages.into_iter().map(message).collect(),
        response_format: json_mode.then_some(ResponseFormat::JsonObject),
        ..Default::default()
    }
}

/// A completion reply as roughly compatible servers send it, for when the typed one does not parse.
#[derive(Debug, Default, Deserialize)]
struct LenientCompletion {
    #[serde(default)]
    choices: Vec<LenientChoice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Debug, Default, Deserialize)]
struct LenientChoice {
    #[serde(default)]
    message: Option<Delta>,
}

/// The judge's reply: typed when the server follows the schema, leniently otherwise.
pub fn completion(body: &[u8]) -> Result<Completion, LlmError> {
    let (text, usage) = match serde_json::from_slice::<CreateChatCompletionResponse>(body) {
        Ok(typed) => (
            typed
                .choices
                .into_iter()
                .next()
                .and_then(|c| c.message.content),
            typed
                .usage
                .map(|u| (Some(u.prompt_tokens), Some(u.completion_tokens))),
        ),
        Err(e) => {
            tracing::debug!(error = %e, "the completion does not follow the schema; reading it leniently");
            let lenient: LenientCompletion = serde_json::from_slice(body).map_err(|e| {
                LlmError::Protocol(format!("the completion is not chat-completion JSON: {e}"))
            })?;
            (
                lenient
                    .choices
                    .into_iter()
                    .next()
                    .and_then(|c| c.message)
                    .and_then(|m| m.content),
                lenient
                    .usage
                    .map(|u| (u.prompt_tokens, u.completion_tokens)),
            )
        }
    };
    let text = text
        .ok_or_else(|| LlmError::Protocol("the reply has no choices[0].message.content".into()))?;
    let (prompt_tokens, completion_tokens) = usage.unwrap_or((None, None));
    Ok(Completion {
        text,
        prompt_tokens,
        completion_tokens,
    })
}

/// A chunk as servers really send it: every field optional.
#[derive(Debug, Default, Deserialize)]
pub struct Chunk {
    #[serde(default)]
    choices: Vec<ChunkChoice>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    pub error: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: Option<u32>,
    #[serde(default)]
    completion_tokens: Option<u32>,
}

/// What one chunk means for the reply, in order.
pub fn chunk_items(chunk: Chunk) -> Vec<ReplyChunk> {
    let mut out = Vec::with_capacity(2);
    for choice in chunk.choices {
        if let Some(text) = choice.delta.and_then(|d| d.content)
            && !text.is_empty()
        {
            out.push(ReplyChunk::Delta(text));
        }
        if choice.finish_reason.is_some_and(|r| !r.is_empty()) {
            out.push(ReplyChunk::Finished);
        }
    }
    if let Some(u) = chunk.usage {
        out.push(ReplyChunk::Usage {
            prompt: u.prompt_tokens.unwrap_or(0),
            completion: u.completion_tokens.unwrap_or(0),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn requests_carry_only_what_is_set() {
        let messages = vec![
            Message::new(Role::System, "rules"),
            Message::new(Role::User, "question"),
            Message::new(Role::Assistant, "answer"),
        ];
        let streamed = serde_json::to_value(stream_request("m", messages.clone())).unwrap();
        assert_eq!(
            streamed,
            json!({
                "model": "m",
                "messages": [
                    { "role": "system", "content": "rules" },
                    { "role": "user", "content": "question" },
                    { "role": "assistant", "content": "answer" },
                ],
                "stream": true,
                "stream_options": { "include_usage": true },
            })
        );
        let judged = serde_json::to_value(completion_request("j", messages, true)).unwrap();
        assert_eq!(judged["response_format"], json!({ "type": "json_object" }));
        assert!(judged.get("stream").is_none());
    }

    #[test]
    fn a_completion_is_read_typed_or_leniently() {
        let typed = br#"{"id":"c","object":"chat.completion","created":1,"model":"m",
            "choices":[{"index":0,"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#;
        let c = completion(typed).unwrap();
        assert_eq!((c.text.as_str(), c.prompt_tokens), ("{}", Some(3)));
        // No id or created, an odd finish reason: still read.
        let rough = br#"{"choices":[{"message":{"content":"ok"},"finish_reason":"eos_token"}]}"#;
        let c = completion(rough).unwrap();
        assert_eq!((c.text.as_str(), c.prompt_tokens), ("ok", None));
        assert!(matches!(
            completion(br#"{"choices":[]}"#),
            Err(LlmError::Protocol(_))
        ));
        assert!(matches!(
            completion(b"not json"),
            Err(LlmError::Protocol(_))
        ));
    }

    #[test]
    fn chunks_are_read_leniently() {
        let c: Chunk = serde_json::from_str(
            r#"{"choices":[{"delta":{"content":"Hi"},"finish_reason":"eos_token"}],"usage":{"prompt_tokens":5}}"#,
        )
        .unwrap();
        assert_eq!(
            chunk_items(c),
            [
                ReplyChunk::Delta("Hi".into()),
                ReplyChunk::Finished,
                ReplyChunk::Usage {
                    prompt: 5,
                    completion: 0
                }
            ]
        );
        let empty: Chunk =
            serde_json::from_str(r#"{"choices":[{"delta":{},"finish_reason":""}]}"#).unwrap();
        assert!(chunk_items(empty).is_empty());
    }
}
