//! `Voice`: chooses the words of one reply, skipping phrasings said too often in the session and
//! counting what this reply has said.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use rustc_hash::FxHashMap;

use crate::content::PhaseMode;

use super::phrasings::phrasings;
use super::{Kind, Line};
use crate::interview::memory::{Memory, long_sentences};

/// The repetition keys (`long_sentences`) of a built-in phrasing, read once per process: the
/// phrasings are static text, and reading them again for every candidate phrasing of every line
/// was most of the time the offline interviewer spent choosing its words. Keyed by the text's
/// address and length, which are fixed for a `&'static str`.
fn keys_of(phrasing: &'static str) -> Arc<[String]> {
    type Keys = FxHashMap<(usize, usize), Arc<[String]>>;
    static KEYS: LazyLock<RwLock<Keys>> = LazyLock::new(RwLock::default);
    let id = (phrasing.as_ptr() as usize, phrasing.len());
    if let Some(keys) = KEYS.read().ok().and_then(|k| k.get(&id).cloned()) {
        return keys;
    }
    let keys: Arc<[String]> = long_sentences(phrasing).into();
    if let Ok(mut all) = KEYS.write() {
        all.insert(id, keys.clone());
    }
    keys
}

/// How many times a sentence may be said in one session.
pub const MAX_REPEATS: usize = 2;

/// Chooses the words for a reply, keeping count of what this reply has said already.
pub struct Voice<'a> {
    kind: Kind,
    mode: PhaseMode,
    memory: &'a Memory,
    /// Turns to rotate phrasings by, so consecutive replies differ.
    turn: usize,
    said_now: HashMap<String, usize>,
}

impl<'a> Voice<'a> {
    pub fn new(kind: Kind, mode: PhaseMode, memory: &'a Memory, turn: usize) -> Voice<'a> {
        Voice {
            kind,
            mode,
            memory,
            turn,
            said_now: HashMap::new(),
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// How often a sentence, by its key (`sentence_key`), has been said in the session and this
    /// reply.
    fn times(&self, key: &str) -> usize {
        self.memory.said.get(key).copied().unwrap_or(0)
            + self.said_now.get(key).copied().unwrap_or(0)
    }

    /// Whether a sentence (of any origin) may still be said.
    pub fn may_say(&self, text: &str) -> bool {
        long_sentences(text)
            .iter()
            .all(|s| self.times(s) < MAX_REPEATS)
    }

    /// Records a text as said in this reply.
    pub fn note(&mut self, text: &str) {
        self.count(long_sentences(text));
    }

    /// Counts sentences, by their keys, as said in this reply.
    fn count(&mut self, keys: impl IntoIterator<Item = String>) {
        for k in keys {
            *self.said_now.entry(k).or_default() += 1;
        }
    }

    /// The words for a line, or `None` when every phrasing has been said enough.
    pub fn say(&mut self, line: Line) -> Option<String> {
        self.say_in(line, self.mode)
    }

    /// The words for a line as said in another phase mode (a transition's closing remark).
    pub fn say_in(&mut self, line: Line, mode: PhaseMode) -> Option<String> {
        let options = phrasings(line, self.kind, mode);
        let n = options.len();
        // Prefer a phrasing never said, then one said once; rotate by turn so replies vary.
        let pick = (0..MAX_REPEATS).find_map(|limit| {
            (0..n)
                .map(|i| options[(i + self.turn) % n])
                .map(|o| (o, keys_of(o)))
                .find(|(_, keys)| keys.iter().all(|k| self.times(k) <= limit))
        })?;
        let (text, keys) = pick;
        self.count(keys.iter().cloned());
        Some(text.to_string())
    }

    /// The words for a line with one value filled in.
    pub fn say_with(&mut self, line: Line, value: &str) -> Option<String> {
        let text = self.say(line)?;
        Some(text.replace("{}", value))
    }
}
