//! The upstream readers (`llm/wire.rs` through `llm/openai.rs`): any SSE body a server sends ends the
//! reply without a panic, nothing follows an error, and any completion body ends in a completion or a
//! protocol error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_interviewer::llm::openai::{read_completion_body, read_upstream_body};

fuzz_target!(|body: &[u8]| {
    let items = read_upstream_body(body.to_vec());
    if let Some(first_error) = items.iter().position(|i| i.is_err()) {
        assert_eq!(
            first_error,
            items.len() - 1,
            "the reply went on after an error"
        );
    }
    let _ = read_completion_body(body);
});
