//! Classifying one clause by what it does (`Act`), from its words, whether it asks, and where the
//! interview is.

use super::clauses::is_wh;
use super::cues::Present;
use super::interview_phrases::*;
use super::talk_phrases::*;
use super::{Act, ReadingContext};

/// Words that can stand alone in small talk or a check-in without adding anything.
pub(super) fn is_pleasantry(w: &str) -> bool {
    matches!(
        w,
        "thanks"
            | "thank"
            | "you"
            | "ok"
            | "okay"
            | "sure"
            | "great"
            | "cool"
            | "got"
            | "it"
            | "sounds"
            | "good"
            | "hi"
            | "hello"
            | "nice"
            | "perfect"
            | "alright"
            | "all"
            | "right"
            | "understood"
            | "noted"
            | "yes"
            | "yeah"
            | "yep"
            | "no"
            | "fine"
            | "makes"
            | "sense"
            | "awesome"
            | "excellent"
            | "wonderful"
            | "hey"
            | "so"
            | "well"
            | "that"
            | "s"
            | "very"
            | "much"
            | "a"
            | "lot"
            | "that's"
            | "cheers"
            | "again"
            | "for"
            | "the"
            | "question"
            | "answer"
            | "info"
            | "information"
            | "clarification"
            | "clarifications"
    )
}

/// Words that may follow a done phrase in a clause that still only says "done": courtesies, who and
/// when ("from me", "for now"), and what is done ("with the requirements", "on the design side":
/// these words and the phase words of `PHASE_WORD`).
const AFTER_DONE: &[&str] = &[
    "from",
    "me",
    "my",
    "side",
    "for",
    "now",
    "today",
    "thanks",
    "thank",
    "you",
    "so",
    "far",
    "i",
    "think",
    "guess",
    "then",
    "on",
    "really",
    "here",
    "with",
    "this",
    "that",
    "the",
    "a",
    "phase",
    "part",
    "section",
    "stage",
    "question",
    "everything",
    "have",
    "to",
    "say",
    "add",
    "ok",
    "okay",
    "yes",
    "yeah",
    "right",
    "anyway",
    "too",
    "actually",
    "and",
    "over",
    "honestly",
    "all",
    "it",
    "is",
    "s",
    "m",
    "am",
    "requirements",
    "clarification",
    "context",
    "symptom",
    "fix",
];

fn may_follow_done(word: &str) -> bool {
    AFTER_DONE.contains(&word)
        || PHASE_WORD
            .raw
            .iter()
            .any(|phrase| phrase.split(' ').any(|w| w == word))
}

/// "That's all from me" and "I'm done with the requirements" say done; "That's all well within 30
/// days" states a fact that opens with the same words. A done phrase counts where it opens the
/// clause (or anywhere in a short one) and only courtesies or the part being finished follow it.
fn says_done(words: &[String]) -> bool {
    let n = words.len();
    DONE.raw.iter().any(|phrase| {
        let p: Vec<&str> = phrase.split(' ').collect();
        p.len() <= n
            && (0..=n - p.len()).any(|i| {
                (n <= 8 || i < 4)
                    && words[i..i + p.len()].iter().zip(&p).all(|(w, q)| w == q)
                    && words[i + p.len()..].iter().all(|w| may_follow_done(w))
            })
    })
}

pub(super) fn classify(text: &str, words: &[String], question: bool, ctx: ReadingContext) -> Act {
    let n = words.len();
    // Every whole-clause cue below comes from one walk over the words.
    let cues = Present::of(words);
    if text.trim() == "/advance" {
        return Act::MoveOn;
    }
    let asked = question || starts_with_request(words) || cues.has(&REQUEST);
    if cues.has(&ANSWER_KEY) || (asked && cues.has(&ANSWER_KEY_ASKED)) {
        return Act::AnswerKey;
    }
    // "That's all from me" ends the interview in its last phase; earlier it ends the phase.
    if cues.has(&DONE) && says_done(words) {
        return if ctx.last_phase {
            Act::Done
        } else {
            Act::MoveOn
        };
    }
    if asks_to_move_on(&cues, words) {
        return Act::MoveOn;
    }
    if cues.has(&HINT) && (question || n <= 12 || starts_with_request(words)) {
        return Act::Hint;
    }
    if cues.has(&SCORE) && n <= 10 {
        return Act::Score;
    }
    if cues.has(&TIME) && n <= 14 {
        return Act::Time;
    }
    if cues.has(&UNSURE) && n <= 8 {
        return Act::Unsure;
    }
    if n <= 6 && words.iter().all(|w| is_pleasantry(w)) {
        return if question {
            Act::CheckIn
        } else {
            Act::SmallTalk
        };
    }
    // "Does that make sense?" checks in; "It was a team effort - is that OK?" asks.
    if question && cues.has(&CHECK_IN) && (n <= 6 || CHECK_IN.found_in(&words[..n.min(4)])) {
        return Act::CheckIn;
    }
    if question {
        // "Maybe the agent is stuck in a loop?" proposes a cause; "Let's say we need maybe 50
        // GPUs?" proposes a figure. Neither asks for one.
        let wh_first = words.first().is_some_and(|w| is_wh(w));
        let estimate = !wh_first
            && words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
            && cues.has(&ESTIMATE);
        return if cues.has(&HYPOTHESIS_ASKED)
            || words
                .first()
                .is_some_and(|w| w == "maybe" || w == "perhaps")
        {
            Act::Hypothesis
        } else if estimate {
            Act::Assumption
        } else {
            Act::Ask
        };
    }
    if cues.has(&REQUEST) {
        return Act::Ask;
    }
    if ctx.evidence_on_request && cues.has(&DATA_REQUEST) && !cues.has(&HYPOTHESIS) {
        return Act::Ask;
    }
    if cues.has(&HYPOTHESIS) {
        return Act::Hypothesis;
    }
    if cues.has(&ASSUME) {
        return Act::Assumption;
    }
    // In a phase for asking, a bare topic ("Latency targets.", "- QPS") is a question (if the turn
    // as a whole reads as questions: see `understand`).
    if ctx.clarifying && n <= 6 && !words.iter().any(|w| is_verb_like(w)) {
        return Act::Topic;
    }
    if n <= 6 && cues.has(&SMALL_TALK) && words.iter().filter(|w| !is_pleasantry(w)).count() <= 1 {
        return Act::SmallTalk;
    }
    Act::Statement
}

/// Whether a clause asks the interviewer to move to the next phase. "Moving on to retrieval, we
/// embed the query" is a candidate moving through their own design, not a request.
fn asks_to_move_on(cues: &Present<'_>, words: &[String]) -> bool {
    // "Next." alone asks to move on; "Next, the retrieval layer." is a design going on.
    let bare_next = words.len() <= 2 && words.first().is_some_and(|w| w == "next");
    if bare_next || cues.has(&MOVE_ON) || (words.len() <= 5 && cues.has(&MOVE_ON_SHORT)) {
        return true;
    }
    // "move on to the deep dive", "go to the next part" (a move in part of the clause is one in the
    // whole of it, so a clause without one is not searched part by part).
    cues.has(&MOVE_TO)
        && (0..words.len()).any(|at| {
            (1..=3).any(|len| {
                at + len <= words.len() && MOVE_TO.found_in(&words[at..at + len]) && {
                    let mut rest = &words[at + len..];
                    while rest
                        .first()
                        .is_some_and(|w| matches!(w.as_str(), "the" | "a" | "our" | "your"))
                    {
                        rest = &rest[1..];
                    }
                    let head = &rest[..rest.len().min(2)];
                    !head.is_empty() && PHASE_WORD.found_in(head)
                }
            })
        })
}

pub(super) fn starts_with_request(words: &[String]) -> bool {
    let head: Vec<&str> = words.iter().take(3).map(String::as_str).collect();
    matches!(
        head.as_slice(),
        ["let", "s", ..]
            | ["can", "we", ..]
            | ["shall", "we", ..]
            | ["could", "we", ..]
            | ["i", "d", ..]
            | ["i", "want", ..]
            | ["i", "m", "ready", ..]
            | ["ready", ..]
            | ["ok", ..]
            | ["okay", ..]
            | ["so", ..]
            | ["alright", ..]
            | ["can", "i", ..]
            | ["could", "i", ..]
            | ["please", ..]
            | ["i", "think", ..]
    )
}

/// Words that make a fragment a statement rather than a topic ("we use Redis" vs "Redis?").
pub(super) fn is_verb_like(w: &str) -> bool {
    matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "be"
            | "use"
            | "uses"
            | "using"
            | "would"
            | "will"
            | "we"
            | "i"
            | "should"
            | "need"
            | "needs"
            | "have"
            | "has"
            | "do"
            | "does"
            | "store"
            | "put"
            | "send"
            | "call"
            | "build"
            | "add"
            | "make"
            | "go"
            | "goes"
            | "run"
            | "runs"
    )
}
