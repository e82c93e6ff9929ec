//! Token counting with tiktoken (o200k) and fitting a prompt into the context window: older turns are
//! dropped first; the system prompt (phase instructions, hidden requirements) and the current turn never.

use moka::sync::Cache;
use rustc_hash::FxBuildHasher;

use crate::llm::{Message, Role};

/// Tokens a chat message costs beyond its content (role and separators), per OpenAI's accounting.
pub const PER_MESSAGE_OVERHEAD: usize = 4;

/// Counts tokens; turn contents are counted once and remembered, since they never change.
#[derive(Clone)]
pub struct TokenCounter {
    // Turn ids are the database's, never the client's, so a fast non-keyed hash is safe; a prompt
    // looks up every turn of its session before the model is called.
    by_turn: Cache<i64, usize, FxBuildHasher>,
}

impl std::fmt::Debug for TokenCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCounter")
            .field("turns", &self.by_turn.entry_count())
            .finish()
    }
}

impl Default for TokenCounter {
    fn default() -> Self {
        TokenCounter::new()
    }
}

impl TokenCounter {
    pub fn new() -> TokenCounter {
        TokenCounter {
            by_turn: Cache::builder()
                .max_capacity(100_000)
                .build_with_hasher(FxBuildHasher),
        }
    }

    /// Loads the BPE tables now rather than on the first request (~0.3 s in release).
    pub fn warm() {
        let _ = count("warm up");
    }

    pub fn turn(&self, turn_id: i64, text: &str) -> usize {
        self.by_turn.get_with(turn_id, || count(text))
    }

    /// The turn's count if it is already known.
    pub fn known(&self, turn_id: i64) -> Option<usize> {
        self.by_turn.get(&turn_id)
    }
}

/// Tokens in a list of chat messages, overhead included (what the tests check the accounting against).
#[cfg(test)]
pub fn count_messages(messages: &[Message]) -> usize {
    messages
        .iter()
        .map(|m| count(&m.content) + PER_MESSAGE_OVERHEAD)
        .sum()
}

/// A bound on `count(text)` that costs nothing: every o200k token is at least one byte.
pub fn at_most(text: &str) -> usize {
    text.len()
}

pub fn count(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_ordinary(text)
        .len()
}

/// A message with its token count already known.
pub struct Counted {
    pub message: Message,
    pub tokens: usize,
}

/// The messages to send and their total token count.
pub struct Fitted {
    pub messages: Vec<Message>,
    pub tokens: usize,
    pub dropped: usize,
}

/// Keeps `system` and the last message whole and drops the oldest history until the prompt fits
/// `budget` tokens, leaving a note where turns were dropped.
pub fn fit(system: Counted, history: Vec<Counted>, budget: usize) -> Fitted {
    let note_text = |n: usize| {
        format!(
            "[{n} earlier message(s) omitted to fit the context window; the coverage section above summarises them.]"
        )
    };
    let cost = |c: &Counted| c.tokens + PER_MESSAGE_OVERHEAD;
    let mut total: usize = cost(&system) + history.iter().map(cost).sum::<usize>();
    let mut start = 0;
    let last = history.len().saturating_sub(1);
    // Counted once: the note's size does not depend on the turn.
    static NOTE_TOKENS: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
        count(&format!(
            "[{} earlier message(s) omitted to fit the context window; the coverage section above summarises them.]",
            999
        ))
    });
    let note_tokens = *NOTE_TOKENS + PER_MESSAGE_OVERHEAD;
    if total > budget {
        total += note_tokens;
    }
    while total > budget && start < last {
        total -= cost(&history[start]);
        start += 1;
    }
    let mut messages = Vec::with_capacity(history.len() - start + 2);
    messages.push(system.message);
    if start > 0 {
        messages.push(Message::new(Role::System, note_text(start)));
    } else if total > budget {
        total -= note_tokens;
    }
    messages.extend(history.into_iter().skip(start).map(|c| c.message));
    Fitted {
        messages,
        tokens: total,
        dropped: start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(role: Role, text: &str) -> Counted {
        Counted {
            message: Message::new(role, text),
            tokens: count(text),
        }
    }

    #[test]
    fn counts_tokens() {
        assert!(count("Design a RAG system for customer support") >= 6);
        assert_eq!(count(""), 0);
    }

    #[test]
    fn a_prompt_that_fits_is_untouched() {
        let f = fit(
            counted(Role::System, "sys"),
            vec![counted(Role::User, "hello")],
            1000,
        );
        assert_eq!(f.messages.len(), 2);
        assert_eq!(f.dropped, 0);
    }

    #[test]
    fn older_turns_go_first_and_the_system_prompt_and_last_turn_stay() {
        let long = "word ".repeat(300);
        let history: Vec<Counted> = (0..10)
            .map(|i| {
                counted(
                    if i % 2 == 0 {
                        Role::User
                    } else {
                        Role::Assistant
                    },
                    &format!("{i} {long}"),
                )
            })
            .chain(std::iter::once(counted(Role::User, "the current answer")))
            .collect();
        let f = fit(counted(Role::System, "SYSTEM RULES"), history, 1200);
        assert!(f.tokens <= 1200, "{}", f.tokens);
        assert!(f.dropped > 0);
        assert_eq!(f.messages[0].content, "SYSTEM RULES");
        assert!(f.messages[1].content.contains("omitted"));
        assert_eq!(f.messages.last().unwrap().content, "the current answer");
        assert!(
            f.messages.iter().any(|m| m.content.starts_with("9 ")),
            "the newest history survives"
        );
    }
}
