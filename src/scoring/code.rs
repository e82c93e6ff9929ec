//! Code judged on what it shows, never on its length: a structure (functions, types), the data
//! structures chosen, a stated complexity, and tests that probe the edge cases the question is about.
//! Comments are not read (they are set apart by `clean`).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::argument::Argument;
use super::clean::norm_words;
use super::input::ScoringInput;
use super::lang::{GENERIC, is_function_word};
use super::measures::{EVIDENCE_POOL, Gap, Measured, best_evidence};

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:pub\s+)?(?:async\s+)?(?:def|fn|class|func|function|struct|impl|interface|type)\s+\w+")
        .unwrap_or_else(|e| panic!("definition pattern: {e}"))
});
static TEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:def|fn|func|function)\s+(test\w*)|(?:it|test)\(\s*['\x22]([^'\x22]+)")
        .unwrap_or_else(|e| panic!("test pattern: {e}"))
});
static COMPLEXITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bO\([^)]{1,20}\)|\b(?:constant|linear|logarithmic|quadratic|log-linear)[ -]time\b|\bamortised\b|\bamortized\b")
        .unwrap_or_else(|e| panic!("complexity pattern: {e}"))
});

/// Data structures and concurrency primitives, as they appear in code, and as a reader names them.
const STRUCTURES: &[(&str, &str)] = &[
    ("dict", "a dict"),
    ("{}", "a dict"),
    ("set(", "a set"),
    ("heapq", "a heap"),
    ("heappush", "a heap"),
    ("heappop", "a heap"),
    ("deque", "a deque"),
    ("ordereddict", "LRU ordering"),
    ("defaultdict", "a defaultdict"),
    ("lock", "a lock"),
    ("rlock", "a lock"),
    ("semaphore", "a semaphore"),
    ("condition", "a condition variable"),
    ("event", "an event"),
    ("queue", "a queue"),
    ("hashmap", "a map"),
    ("btreemap", "a map"),
    ("hashset", "a set"),
    ("vecdeque", "a deque"),
    ("binaryheap", "a heap"),
    ("mutex", "a lock"),
    ("rwlock", "a read-write lock"),
    ("arc<", "shared ownership (Arc)"),
    ("map<", "a map"),
    ("map[", "a map"),
    ("new map", "a map"),
    ("new set", "a set"),
    ("lru", "LRU ordering"),
    ("move_to_end", "LRU ordering"),
    ("popitem", "LRU ordering"),
    ("bisect", "binary search"),
    ("np.", "NumPy arrays"),
    ("numpy", "NumPy arrays"),
    ("argpartition", "NumPy arrays"),
    ("counter(", "a counter"),
    ("future", "async tasks"),
    ("asyncio.", "async tasks"),
    ("channel", "a channel"),
    ("atomic", "atomics"),
    ("@dataclass", "a record type"),
    ("namedtuple", "a record type"),
];

pub fn measure(input: &ScoringInput<'_>, arg: &Argument) -> Measured {
    let lines: Vec<&String> = arg.code.iter().flat_map(|(_, l)| l).collect();
    let definitions = lines.iter().filter(|l| DEFINITION.is_match(l)).count();
    let lower: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
    let structures: BTreeSet<&str> = STRUCTURES
        .iter()
        .map(|(pattern, _)| *pattern)
        .filter(|s| lower.iter().any(|l| l.contains(s)))
        .collect();
    let tests: BTreeSet<String> = lines
        .iter()
        .flat_map(|l| TEST.captures_iter(l))
        .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
        .collect();
    let asserts = lower.iter().filter(|l| l.contains("assert")).count();

    // Edge cases the question is about: the words of its hidden facts' topics and its deep dives.
    let q = &input.entry.question;
    let vocab: BTreeSet<String> = q
        .facts
        .iter()
        .map(|f| f.topic.as_str())
        .chain(q.deep_dives.iter().map(|d| d.name.as_str()))
        .chain(q.facts.iter().map(|f| f.id.as_str()))
        .flat_map(|t| norm_words(&t.replace('_', " ")).0)
        .filter(|w| !is_function_word(w) && !GENERIC.contains(&w.as_str()) && w.len() > 2)
        .collect();
    let edge_tests = tests
        .iter()
        .filter(|name| {
            norm_words(&name.replace('_', " ")).0.iter().any(|w| {
                vocab
                    .iter()
                    .any(|v| w.starts_with(v.as_str()) || v.starts_with(w.as_str()))
                    && w.len() > 2
            })
        })
        .count();
    let stated_complexity = arg.sentences.iter().any(|s| COMPLEXITY.is_match(&s.quote));

    let structure = if lines.len() < 3 {
        0.0
    } else {
        (definitions as f64 / 3.0).min(1.0)
    };
    let data = (structures.len() as f64 / 2.0).min(1.0);
    let testing = if tests.is_empty() && asserts == 0 {
        0.0
    } else {
        0.3 + 0.35 * (tests.len().max(usize::from(asserts > 0)) as f64 / 3.0).min(1.0)
            + 0.35 * (edge_tests as f64 / 2.0).min(1.0)
    };
    let value = if lines.len() < 3 {
        0.0
    } else {
        0.3 * structure + 0.2 * data + 0.2 * f64::from(u8::from(stated_complexity)) + 0.3 * testing
    };
    let mut gaps = Vec::new();
    if lines.len() < 3 {
        gaps.push(gap("working code for the core of the problem"));
    }
    if structures.is_empty() {
        gaps.push(gap("a data structure chosen for the stated limits"));
    }
    if !stated_complexity {
        gaps.push(gap("the time and space complexity of the main operations"));
    }
    if edge_tests == 0 {
        gaps.push(gap("tests for the edge cases the question names"));
    }
    // Evidence is the candidate's own sentences about the code, never a line of it: said with the
    // code or in the phase it was written in. Claims made elsewhere ("eviction is O(1) with
    // popitem" for a cache that never evicts) are not evidence that the code does anything.
    let code_turns: BTreeSet<i64> = arg.code.iter().map(|(t, _)| *t).collect();
    let code_phases: BTreeSet<&str> = input
        .turns
        .iter()
        .filter(|t| code_turns.contains(&t.turn_id))
        .map(|t| t.phase)
        .collect();
    let support: Vec<_> = arg
        .working()
        .filter(|s| code_turns.contains(&s.turn_id) || code_phases.contains(s.phase.as_str()))
        .collect();
    let evidence = if lines.len() < 3 {
        Vec::new()
    } else {
        best_evidence(arg, &support, EVIDENCE_POOL)
    };
    Measured {
        value,
        evidence,
        detail: code_detail(
            definitions,
            &structures,
            tests.len(),
            edge_tests,
            stated_complexity,
        ),
        covered: structures.iter().map(|s| s.to_string()).collect(),
        gaps,
        ..Measured::default()
    }
}

/// What the code showed, in words a candidate reads: "Your code: 14 functions or classes; data
/// structures: a dataclass, a dict and a lock; 2 tests, 1 on the question's edge cases; complexity
/// stated." (It read "... 3 data structure(s) (@dataclass, lock, {}) ..." to a new user.)
fn code_detail(
    definitions: usize,
    structures: &BTreeSet<&str>,
    tests: usize,
    edge_tests: usize,
    stated_complexity: bool,
) -> String {
    let mut names: Vec<&str> = Vec::new();
    for s in structures {
        let n = structure_name(s);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let structures = match names.as_slice() {
        [] => "no data structure".to_string(),
        [one] => format!("data structure: {one}"),
        [rest @ .., last] => format!("data structures: {} and {last}", rest.join(", ")),
    };
    let count = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    format!(
        "Your code: {}; {structures}; {}, {edge_tests} on the question's edge cases; complexity {}.",
        count(definitions, "function or class", "functions or classes"),
        count(tests, "test", "tests"),
        if stated_complexity {
            "stated"
        } else {
            "not stated"
        }
    )
}

/// A structure as a reader names it.
fn structure_name(pattern: &str) -> &'static str {
    STRUCTURES
        .iter()
        .find(|(p, _)| *p == pattern)
        .map_or("a data structure", |(_, name)| name)
}

fn gap(name: &str) -> Gap {
    Gap {
        name: name.to_string(),
        concepts: Vec::new(),
        prompt: None,
        late: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_code_showed_is_said_in_a_readers_words() {
        let structures: BTreeSet<&str> = ["@dataclass", "lock", "{}", "dict"].into_iter().collect();
        assert_eq!(
            code_detail(14, &structures, 2, 1, true),
            "Your code: 14 functions or classes; data structures: a record type, a dict and a lock; 2 tests, 1 on the question's edge cases; complexity stated."
        );
        assert_eq!(
            code_detail(1, &BTreeSet::new(), 1, 0, false),
            "Your code: 1 function or class; no data structure; 1 test, 0 on the question's edge cases; complexity not stated."
        );
    }
}
