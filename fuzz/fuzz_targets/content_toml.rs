//! Content loading (`content/`): one more TOML file of any section, beside the built-in content, is
//! parsed, validated and cross-checked into a catalog or into content errors naming the file, never a
//! panic. The first byte picks the section.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_interviewer::content::{Catalog, Section};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let section = match pick % 4 {
        0 => Section::Questions,
        1 => Section::Plans,
        2 => Section::Rubrics,
        _ => Section::Lexicon,
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match Catalog::load_with_file(section, text) {
        Ok(catalog) => assert!(!catalog.questions.is_empty()),
        Err(errors) => assert!(!errors.0.is_empty()),
    }
});
