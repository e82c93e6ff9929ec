//! The small closed word classes the fact matcher reads a question by: subordinators, manner words,
//! auxiliaries, list joiners and the words that break a list.

/// Words that open a subordinate clause: what follows is context, not what is asked.
pub(super) fn is_subordinator(w: &str) -> bool {
    matches!(
        w,
        "when"
            | "while"
            | "during"
            | "since"
            | "because"
            | "if"
            | "after"
            | "before"
            | "that"
            | "which"
            | "whenever"
            | "once"
            | "until"
            | "compared"
            | "versus"
            | "vs"
            | "given"
    )
}

/// Adverbs and adjectives that follow "how" to ask about a manner or degree.
pub(super) fn is_manner_word(w: &str) -> bool {
    matches!(
        w,
        "fast"
            | "quickly"
            | "quick"
            | "often"
            | "frequently"
            | "soon"
            | "long"
            | "slow"
            | "slowly"
            | "much"
            | "badly"
            | "early"
            | "late"
            | "far"
            | "reliably"
            | "accurately"
    )
}

pub(super) fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "do" | "does"
            | "did"
            | "is"
            | "are"
            | "was"
            | "were"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "must"
            | "has"
            | "have"
    )
}

/// Words that join items of one list.
pub(super) fn is_list_joiner(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "the"
            | "a"
            | "an"
            | "plus"
            | "also"
            | "as"
            | "well"
            | "its"
            | "their"
            | "our"
            | "your"
            | "any"
            | "both"
            | "either"
            | "what"
            | "which"
            | "s"
            | "about"
            | "expected"
            | "target"
            | "targets"
            | "overall"
            | "then"
            | "last"
            | "finally"
    )
}

/// Words that make what lies between two cues a clause of its own rather than a list.
pub(super) fn breaks_a_list(w: &str) -> bool {
    is_auxiliary(w)
        || is_subordinator(w)
        || matches!(
            w,
            "how"
                | "when"
                | "where"
                | "who"
                | "why"
                | "i"
                | "we"
                | "you"
                | "they"
                | "it"
                | "begin"
                | "began"
                | "start"
                | "started"
                | "go"
                | "goes"
                | "went"
                | "get"
                | "gets"
                | "of"
                | "in"
                | "on"
                | "for"
                | "from"
                | "by"
                | "to"
                | "with"
                | "only"
                | "just"
                | "not"
        )
}
