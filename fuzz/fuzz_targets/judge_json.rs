//! The judge's reply parser (`scoring/judge.rs`): whatever a model writes, finding the JSON in it and
//! parsing it ends in a reply or a `JudgeError`, never a panic; what is found is a slice of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_interviewer::scoring::judge;

fuzz_target!(|text: &str| {
    if let Some(json) = judge::extract_json(text) {
        assert!(text.contains(json));
    }
    let _ = judge::parse(text);
});
