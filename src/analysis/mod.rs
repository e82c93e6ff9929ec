//! Language over candidate text: words and sentences, phrase matching, figures (numbers with units),
//! the compiled concept lexicon and concept coverage. The interviewer and the scorers read a candidate the same way through it.
//! It imports nothing but the standard library and itself.

pub mod coverage;
pub mod figures;
pub mod lexicon;
pub mod phrases;
pub mod text;
