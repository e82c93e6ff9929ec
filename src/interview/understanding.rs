//! What a candidate turn says, before anyone replies to it: its code blocks set apart, its prose split
//! into clauses ("How many documents are there, and how fast does it grow?" is two questions), and
//! each clause classified by what it does: asks about the scenario, states a design, proposes a
//! hypothesis, asks to move on, for a hint or about the score, says the candidate is done, or is
//! small talk. The interviewer answers facts only to the clauses that ask.

use std::sync::LazyLock;

use crate::analysis::figures::{Figure, figures};
use crate::analysis::text::{PhraseSet, sentences, words};

/// What one clause does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Asks about the scenario, or asks to see data ("show me the traces").
    Ask,
    /// Checks in with the interviewer: "does that make sense?", "should I go on?".
    CheckIn,
    /// Asks to move to the next phase.
    MoveOn,
    /// Asks for a hint.
    Hint,
    /// Asks how they are doing, or for a score.
    Score,
    /// Asks how much time is left.
    Time,
    /// Tries to get the answer key: the reference solution, the rubric, every hidden requirement, a
    /// recap of the requirements, or the instructions.
    AnswerKey,
    /// Says they are done with the interview.
    Done,
    /// Proposes a cause ("I suspect the queue", "could it be the reindex?").
    Hypothesis,
    /// "I'm not sure", "no idea".
    Unsure,
    /// States an assumption ("I'll assume English only").
    Assumption,
    /// "Thanks", "OK", "sounds good".
    SmallTalk,
    /// Anything else: design, reasoning, an answer.
    Statement,
    /// A bare topic in a phase for asking ("Latency targets."): read as `Ask` or `Statement` once
    /// the whole turn is seen. Never left in an `Understanding`.
    Topic,
}

/// One clause of the candidate's prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub text: String,
    pub words: Vec<String>,
    /// The words with list separators (`,` `/` `;` `&`) read as "and", so that a list of topics
    /// ("latency, availability and cost", "P95/P99") shows as one.
    pub list_words: Vec<String>,
    pub act: Act,
    /// Written as a question (ends with `?`).
    pub question: bool,
    /// Opens with a question word (what, how, which, when...): the words right after it are what is
    /// asked.
    pub wh: bool,
    /// A bare topic read as a question ("Latency targets."): it asks for a fact, but it is not a
    /// question that deserves "no specific figure", and it does not repeat an answer already given.
    pub bare: bool,
}

/// A block of code the candidate wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub text: String,
    pub lines: usize,
}

impl CodeBlock {
    /// Names the code defines (functions, classes, methods), in order.
    pub fn definitions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for line in self.text.lines() {
            let t = line.trim_start();
            for kw in ["def ", "async def ", "class ", "fn ", "func ", "function "] {
                if let Some(rest) = t.strip_prefix(kw) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    /// Whether the block holds tests (test functions, asserts).
    pub fn has_tests(&self) -> bool {
        let t = self.text.to_lowercase();
        t.contains("def test") || t.contains("assert") || t.contains("#[test]") || t.contains("it(")
    }
}

/// A candidate turn, understood.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understanding {
    pub clauses: Vec<Clause>,
    pub code: Vec<CodeBlock>,
    /// Figures the candidate stated in prose (not in code, not in questions).
    pub stated_figures: Vec<(Figure, String)>,
    /// Words of prose, code excluded.
    pub prose_words: usize,
    /// How the turn was read.
    pub context: Option<ReadingContext>,
}

/// Where the interview is, as far as reading a turn depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingContext {
    /// The phase is for asking (requirements, evidence, spec): short topic fragments count as asks.
    pub clarifying: bool,
    /// The facts are evidence shown on request: "I'd pull the traces" asks to see them.
    pub evidence_on_request: bool,
    /// The interview is in its last phase: "I'm done" ends it rather than the phase.
    pub last_phase: bool,
}

impl Understanding {
    pub fn acts(&self) -> impl Iterator<Item = Act> + '_ {
        self.clauses.iter().map(|c| c.act)
    }

    pub fn has(&self, act: Act) -> bool {
        self.acts().any(|a| a == act)
    }

    /// The clauses that ask about the scenario.
    pub fn asks(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.act == Act::Ask)
    }

    /// Whether the turn carries any substance: design, reasoning, code or a hypothesis.
    pub fn substantive_words(&self) -> usize {
        self.clauses
            .iter()
            .filter(|c| {
                matches!(
                    c.act,
                    Act::Statement | Act::Hypothesis | Act::Assumption | Act::Ask
                )
            })
            .map(|c| c.words.len())
            .sum::<usize>()
            + self.code.iter().map(|b| b.lines * 4).sum::<usize>()
    }
}

/// Reads a candidate turn.
pub fn understand(text: &str, ctx: ReadingContext) -> Understanding {
    let (prose, code) = split_code(text);
    let mut clauses = Vec::new();
    for s in sentences(&prose) {
        // Every part of a question is a question ("How many documents, and how fast...?").
        let sentence_asks = s.text.trim_end().ends_with('?');
        for part in split_clauses(s.text) {
            let words = words(&part);
            if words.is_empty() {
                continue;
            }
            // "What happens if the LLM is down." asks, whatever its punctuation; "What we do is
            // shard" does not.
            let whole = part.len() + 2 >= s.text.trim().len();
            let question = part.trim_end().ends_with('?')
                || sentence_asks
                || (whole
                    && words.first().is_some_and(|w| is_wh(w) && w != "why")
                    && words.get(1).is_some_and(|w| {
                        !matches!(w.as_str(), "i" | "we" | "you" | "they" | "if" | "it")
                    })
                    && words.len() >= 3);
            let wh = words.first().is_some_and(|w| is_wh(w))
                || (words.len() > 1 && is_lead_in(&words[0]) && is_wh(&words[1]));
            let act = classify(&part, &words, question, ctx);
            let list_words = crate::analysis::text::words(&as_list(&part));
            clauses.push(Clause {
                bare: false,
                text: part,
                words,
                list_words,
                act,
                question,
                wh,
            });
        }
    }
    // Bare topics ask in a short turn or one with questions; in a long one they are the headings of
    // a design written too early ("Next, model routing.").
    let prose_words = words(&prose).len();
    let asking_turn = prose.contains('?') || prose_words <= 30;
    for c in clauses.iter_mut().filter(|c| c.act == Act::Topic) {
        // "OK, modest QPS." acknowledges an answer; it does not ask again.
        let acknowledges = c.words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "ok" | "okay"
                    | "so"
                    | "right"
                    | "great"
                    | "got"
                    | "good"
                    | "nice"
                    | "fine"
                    | "thanks"
                    | "cool"
                    | "perfect"
                    | "alright"
                    | "understood"
                    | "before"
                    | "first"
                    | "a"
            )
        });
        c.act = if asking_turn && !acknowledges {
            c.bare = true;
            Act::Ask
        } else {
            Act::Statement
        };
    }
    let stated_figures = clauses
        .iter()
        .filter(|c| matches!(c.act, Act::Statement | Act::Assumption | Act::Hypothesis))
        .flat_map(|c| figures(&c.text).into_iter().map(|f| (f, c.text.clone())))
        .collect();
    Understanding {
        clauses,
        code,
        stated_figures,
        prose_words,
        context: Some(ctx),
    }
}

/// A clause with its list separators spelled "and": "P95/P99, latency" -> "P95 and P99 and
/// latency". A slash between single letters ("A/B") is a name, not a list.
fn as_list(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let run = |from: usize, step: isize| {
        let mut n = 0;
        let mut i = from as isize;
        while i >= 0 && (i as usize) < chars.len() && chars[i as usize].is_alphanumeric() {
            n += 1;
            i += step;
        }
        n
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        let separator = match c {
            ',' | ';' | '&' => true,
            '/' => i > 0 && run(i - 1, -1) >= 2 && run(i + 1, 1) >= 2,
            _ => false,
        };
        if separator {
            out.push_str(" and ");
        } else {
            out.push(c);
        }
    }
    out
}

fn is_wh(w: &str) -> bool {
    matches!(
        w,
        "what" | "how" | "which" | "when" | "where" | "who" | "why" | "whats" | "hows"
    )
}

fn is_lead_in(w: &str) -> bool {
    matches!(
        w,
        "and" | "also" | "so" | "ok" | "okay" | "then" | "but" | "plus"
    )
}

/// Sets fenced code blocks (and runs of lines that are plainly code) apart from the prose.
fn split_code(text: &str) -> (String, Vec<CodeBlock>) {
    // A ```mermaid diagram is neither prose nor code: the diagram reading handles it.
    let without_diagrams = crate::diagram::strip_mermaid_blocks(text);
    let text = without_diagrams.as_str();
    let mut prose = String::new();
    let mut code = Vec::new();
    let mut fenced: Option<String> = None;
    let mut loose: Vec<&str> = Vec::new();
    let flush_loose = |loose: &mut Vec<&str>, prose: &mut String, code: &mut Vec<CodeBlock>| {
        // Three or more code-like lines in a row are code; fewer are prose that looks technical.
        if loose.len() >= 3 {
            code.push(CodeBlock {
                text: loose.join("\n"),
                lines: loose.len(),
            });
        } else {
            for l in loose.iter() {
                prose.push_str(l);
                prose.push('\n');
            }
        }
        loose.clear();
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match fenced.take() {
                Some(block) => {
                    let lines = block.lines().filter(|l| !l.trim().is_empty()).count();
                    code.push(CodeBlock { text: block, lines });
                }
                None => {
                    flush_loose(&mut loose, &mut prose, &mut code);
                    fenced = Some(String::new());
                }
            }
            continue;
        }
        if let Some(block) = fenced.as_mut() {
            block.push_str(line);
            block.push('\n');
            continue;
        }
        if looks_like_code(line) || (line.trim().is_empty() && !loose.is_empty()) {
            loose.push(line);
        } else {
            flush_loose(&mut loose, &mut prose, &mut code);
            prose.push_str(line);
            prose.push('\n');
        }
    }
    if let Some(block) = fenced {
        // An unclosed fence: the rest of the turn is code.
        let lines = block.lines().filter(|l| !l.trim().is_empty()).count();
        code.push(CodeBlock { text: block, lines });
    }
    flush_loose(&mut loose, &mut prose, &mut code);
    (prose, code)
}

fn looks_like_code(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let indented = line.starts_with("    ") || line.starts_with('\t');
    let starts = [
        "def ", "class ", "import ", "from ", "return", "if ", "elif ", "else:", "for ", "while ",
        "with ", "try:", "except", "finally:", "raise ", "@", "fn ", "let ", "pub ", "async ",
        "await ", "self.", "assert ", "const ", "}", "{",
    ];
    let ends = [":", "{", "}", ";", "(", ")", "):", "],", "),"];
    let assign = t.contains(" = ") && !t.contains(". ") && !t.ends_with('.') && !t.ends_with('?');
    indented && !t.ends_with('.')
        || starts.iter().any(|s| t.starts_with(s)) && !t.ends_with('.') && !t.ends_with('?')
        || (ends.iter().any(|e| t.ends_with(e)) && t.contains('('))
        || assign
}

/// Splits a sentence where a second question starts: ", and how fast does it grow?", "; what about
/// latency?". A list inside one question ("P50 and P99") stays whole.
fn split_clauses(sentence: &str) -> Vec<String> {
    let lower = sentence.to_lowercase();
    let mut cuts = Vec::new();
    for sep in [
        ", and ", " and ", "; ", ", or ", ", also ", ", plus ", " also, ", ", then ",
    ] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(sep) {
            let pos = from + at;
            let after = &lower[pos + sep.len()..];
            let next: Vec<String> = words(after).into_iter().take(3).collect();
            if opens_question(&next) && words(&lower[..pos]).len() >= 2 {
                cuts.push((pos, pos + sep.len()));
            }
            from = pos + sep.len();
        }
    }
    cuts.sort();
    cuts.dedup_by(|a, b| a.0 < b.1);
    let mut out = Vec::new();
    let mut start = 0;
    for (cut, resume) in cuts {
        if cut > start
            && let (Some(part), Some(_)) = (sentence.get(start..cut), sentence.get(resume..))
        {
            out.push(part.trim().to_string());
            start = resume;
        }
    }
    if let Some(rest) = sentence.get(start..) {
        out.push(rest.trim().to_string());
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Whether words start a new question: a question word, or an auxiliary with its subject ("is
/// there", "do we", "can you").
fn opens_question(next: &[String]) -> bool {
    let Some(first) = next.first() else {
        return false;
    };
    if is_wh(first) && first != "when" {
        return true;
    }
    let aux = matches!(
        first.as_str(),
        "is" | "are"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "should"
            | "will"
            | "would"
            | "has"
            | "have"
            | "any"
    );
    let subject = next.get(1).is_some_and(|w| {
        matches!(
            w.as_str(),
            "there" | "we" | "you" | "it" | "they" | "i" | "the" | "this" | "that" | "users"
        )
    });
    aux && subject
}

macro_rules! phrases {
    ($(#[$meta:meta])* $name:ident, [$($p:expr),* $(,)?]) => {
        $(#[$meta])*
        static $name: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::compile(&[$($p),*]));
    };
}

phrases!(
    DONE,
    [
        "that s all from me",
        "that s all",
        "that is all",
        "i m done",
        "i am done",
        "we re done",
        "we are done",
        "no more questions",
        "no further questions",
        "no other questions",
        "nothing else",
        "nothing more",
        "no questions",
        "that s it",
        "that is it",
        "let s wrap up",
        "we can wrap up",
        "let s end",
        "end the interview",
        "finish the interview",
        "wrap it up",
        "i m all set",
        "no thanks",
        "no thank you",
        "that s everything",
        "i think we re done",
        "i have no questions",
        "i don t have any questions",
        "i don t have questions",
        "i don t have any more",
        "i ll stop here",
        "let s stop here",
    ]
);
phrases!(
    /// Asking to move on, wherever it sits in the clause.
    MOVE_ON, [
    "next phase", "next section", "next stage", "next part", "ready to proceed",
    "ready to move on", "ready for the next", "can we move on", "could we move on",
    "shall we move on", "let s move on", "can we proceed", "shall we proceed", "i have enough",
    "i think i have enough", "have what i need", "that s all i need", "that s enough for",
    "i m happy to move on", "happy to move on", "we can move on", "/advance", "let s code",
    "let me code", "start coding", "let s write the code", "let me write the code",
    "let s start coding",
]);
phrases!(
    /// Asking to move on in a clause of a few words only ("Moving on.", "Next?").
    MOVE_ON_SHORT, [
    "move on", "moving on", "proceed", "what s next", "next question", "next please", "go next",
]);
phrases!(
    /// "move on to the deep dive": moving to a phase, not to the next box of a design.
    MOVE_TO, [
    "move on to", "moving on to", "go to", "proceed to", "switch to", "jump to", "get to",
    "start the", "start on the", "begin the",
]);
phrases!(
    PHASE_WORD,
    [
        "next",
        "design",
        "designing",
        "high level",
        "architecture",
        "deep dive",
        "deep dives",
        "trade offs",
        "tradeoffs",
        "tradeoff",
        "scaling",
        "implementation",
        "implementing",
        "coding",
        "code",
        "testing",
        "tests",
        "hypotheses",
        "investigation",
        "root cause",
        "prevention",
        "q a",
        "qa",
        "questions",
        "story",
        "reflection",
        "complexity",
        "approach",
        "mitigation",
    ]
);
phrases!(
    HINT,
    [
        "hint",
        "hints",
        "i m stuck",
        "i am stuck",
        "nudge",
        "a clue",
        "any pointers",
        "point me",
        "help me out",
        "give me a pointer",
        "where should i look",
        "what should i look at next",
    ]
);
phrases!(
    SCORE,
    [
        "how did i do",
        "how am i doing",
        "how was that",
        "how i did",
        "my score",
        "what score",
        "am i doing well",
        "am i doing ok",
        "was that good",
        "was that ok",
        "did i pass",
        "am i passing",
        "would you hire me",
        "will i pass",
        "will you hire",
        "how do you rate",
        "how would you rate",
        "how did that go",
        "how am i scoring",
        "what grade",
        "my grade",
        "my rating",
        "any feedback",
        "give me feedback",
        "some feedback",
        "how d i do",
    ]
);
phrases!(
    TIME,
    [
        "how much time",
        "how long do we have",
        "time left",
        "how many minutes",
        "time remaining",
        "minutes left",
        "are we on time",
        "how are we on time",
        "running out of time",
    ]
);
phrases!(
    /// Asking for the answer key, however it is phrased.
    ANSWER_KEY, [
    "reference solution", "reference answer", "reference outline", "model answer", "ideal answer",
    "answer key", "hidden requirement*", "hidden fact*", "ignore previous", "ignore all previous",
    "ignore your instructions", "your instructions", "your system prompt", "your prompt",
    "your rubric", "your notes", "your sheet", "scoring criteria", "grading criteria",
    "what would a 4", "a perfect score", "all the hidden", "everything on your",
]);
phrases!(
    /// Asking for the answer key, when asked as a question or a request.
    ANSWER_KEY_ASKED, [
    "the rubric", "perfect answer", "expected answer", "all the requirements", "all requirements",
    "all of the requirements", "all the facts", "every requirement", "all the details",
    "all the numbers", "list all", "tell me everything", "give me everything", "everything you know",
    "everything you have", "what s the solution", "what is the solution", "give me the solution",
    "tell me the solution", "show me the solution", "right answer", "correct answer",
    "what should my design", "expected design", "what s the answer", "what is the answer",
    "tell me the answer", "give me the answer", "summarize the requirements",
    "summarise the requirements", "recap the requirements", "repeat the requirements",
    "list the requirements", "summary of the requirements", "what have you told me",
    "what are the facts", "all the evidence", "what s the root cause", "what is the root cause",
    "tell me the root cause", "tell me the cause", "what caused it", "what caused this",
    "reveal",
]);
phrases!(
    CHECK_IN,
    [
        "does that make sense",
        "does this make sense",
        "make sense",
        "is that ok",
        "is that okay",
        "is that fine",
        "is this ok",
        "is this okay",
        "is this fine",
        "sound good",
        "sounds good",
        "sound reasonable",
        "sounds reasonable",
        "should i continue",
        "should i go on",
        "shall i continue",
        "shall i go on",
        "do you want me to",
        "would you like me to",
        "want me to",
        "should i go deeper",
        "am i on the right track",
        "on the right track",
        "is that what you re looking for",
        "is this what you want",
        "is that what you want",
        "is that right",
        "is this right",
        "is that correct",
        "is this correct",
        "do you agree",
        "would you agree",
        "what do you think",
        "any thoughts",
        "can i start",
        "should i start",
        "may i start",
        "can i begin",
        "is that enough detail",
        "do you want more detail",
        "is that reasonable",
        "is this reasonable",
        "look right",
        "looks right",
        "look ok",
        "look good",
        "looks good",
        "does that look",
        "does this look",
    ]
);
phrases!(
    UNSURE,
    [
        "i m not sure",
        "i am not sure",
        "not sure",
        "i don t know",
        "i do not know",
        "no idea",
        "i have no idea",
        "i can t remember",
        "i m blanking",
        "not certain",
        "i don t really know",
        "no clue",
        "hmm",
        "pass",
        "i m lost",
        "i am lost",
        "dunno",
    ]
);
phrases!(
    ASSUME,
    [
        "i ll assume",
        "i will assume",
        "let s assume",
        "assuming",
        "i m assuming",
        "i am assuming",
        "i assume",
        "my assumption",
        "we can assume",
        "i d assume",
        "i would assume",
    ]
);
phrases!(
    HYPOTHESIS,
    [
        "i suspect",
        "my hypothesis",
        "hypothes*",
        "could be",
        "might be",
        "may be",
        "probably",
        "my guess",
        "i bet",
        "likely",
        "i believe",
        "my suspicion",
        "my first guess",
        "i think it s",
        "i think the",
        "i think this",
        "i think it",
        "caused by",
        "the cause is",
        "root cause is",
        "my theory",
        "my money is on",
    ]
);
phrases!(
    /// A hypothesis put as a question: "could it be the reindex?".
    HYPOTHESIS_ASKED, [
    "could it be", "might it be", "is it possible that", "could this be", "could that be",
    "is it because", "could the cause be", "is the cause", "would it be the",
]);
phrases!(
    /// Words that make a figure an estimate: "let's say 50", "maybe 100", "like 50 GPUs".
    ESTIMATE,
    [
        "let s say", "say", "maybe", "probably", "like", "roughly", "around", "about", "i guess",
        "i think", "guess", "ish", "or so", "i d say", "would be",
    ]
);
phrases!(
    REQUEST,
    [
        "i d like to know",
        "i would like to know",
        "i want to know",
        "i d like to understand",
        "i would like to understand",
        "i want to understand",
        "i need to know",
        "i d want to know",
        "i would want to know",
        "tell me",
        "can you tell me",
        "could you tell me",
        "i m wondering",
        "i am wondering",
        "i wonder",
        "let me ask",
        "i d like to ask",
        "what about",
        "how about",
        "i m curious",
        "i am curious",
        "i d be curious",
        "can you share",
        "could you share",
        "can you give me",
        "could you give me",
        "please share",
        "i need the",
        "i d need the",
        "i want the",
        "i d like the",
        "i would like the",
        "give me the",
        "i would need the",
        "i d need to know",
        "i would need to know",
    ]
);
phrases!(
    DATA_REQUEST,
    [
        "i d look at",
        "i would look at",
        "i ll look at",
        "let me look at",
        "i want to look at",
        "i d check",
        "i would check",
        "i ll check",
        "let me check",
        "i want to check",
        "i d pull",
        "i would pull",
        "i ll pull",
        "let me pull",
        "pull up",
        "show me",
        "can i see",
        "could i see",
        "i d like to see",
        "i want to see",
        "i would like to see",
        "i d start by looking",
        "i d start by checking",
        "i would start by looking",
        "i would start by checking",
        "first i d look",
        "first i d check",
        "first i would look",
        "first i would check",
        "i d compare",
        "i would compare",
        "i d query",
        "i d open",
        "i d inspect",
        "i would inspect",
        "look at the",
        "check the",
        "i d grab",
        "i d examine",
        "i would examine",
        "i d review",
    ]
);
phrases!(
    SMALL_TALK,
    [
        "thanks",
        "thank you",
        "ok",
        "okay",
        "sure",
        "great",
        "cool",
        "got it",
        "sounds good",
        "hi",
        "hello",
        "nice",
        "perfect",
        "alright",
        "all right",
        "understood",
        "noted",
        "good",
        "yes",
        "yeah",
        "yep",
        "no",
        "fine",
        "makes sense",
        "awesome",
        "excellent",
        "wonderful",
        "hey",
    ]
);

/// Words that can stand alone in small talk or a check-in without adding anything.
fn is_pleasantry(w: &str) -> bool {
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

fn classify(text: &str, words: &[String], question: bool, ctx: ReadingContext) -> Act {
    let n = words.len();
    if text.trim() == "/advance" {
        return Act::MoveOn;
    }
    let asked = question || starts_with_request(words) || REQUEST.found_in(words);
    if ANSWER_KEY.found_in(words) || (asked && ANSWER_KEY_ASKED.found_in(words)) {
        return Act::AnswerKey;
    }
    // "That's all from me" ends the interview in its last phase; earlier it ends the phase.
    if DONE.found_in(words) && (n <= 8 || DONE.found_in(&words[..n.min(4)])) {
        return if ctx.last_phase {
            Act::Done
        } else {
            Act::MoveOn
        };
    }
    if asks_to_move_on(words) {
        return Act::MoveOn;
    }
    if HINT.found_in(words) && (question || n <= 12 || starts_with_request(words)) {
        return Act::Hint;
    }
    if SCORE.found_in(words) && n <= 10 {
        return Act::Score;
    }
    if TIME.found_in(words) && n <= 14 {
        return Act::Time;
    }
    if UNSURE.found_in(words) && n <= 8 {
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
    if question && CHECK_IN.found_in(words) && (n <= 6 || CHECK_IN.found_in(&words[..n.min(4)])) {
        return Act::CheckIn;
    }
    if question {
        // "Maybe the agent is stuck in a loop?" proposes a cause; "Let's say we need maybe 50
        // GPUs?" proposes a figure. Neither asks for one.
        let wh_first = words.first().is_some_and(|w| is_wh(w));
        let estimate = !wh_first
            && words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
            && ESTIMATE.found_in(words);
        return if HYPOTHESIS_ASKED.found_in(words)
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
    if REQUEST.found_in(words) {
        return Act::Ask;
    }
    if ctx.evidence_on_request && DATA_REQUEST.found_in(words) && !HYPOTHESIS.found_in(words) {
        return Act::Ask;
    }
    if HYPOTHESIS.found_in(words) {
        return Act::Hypothesis;
    }
    if ASSUME.found_in(words) {
        return Act::Assumption;
    }
    // In a phase for asking, a bare topic ("Latency targets.", "- QPS") is a question (if the turn
    // as a whole reads as questions: see `understand`).
    if ctx.clarifying && n <= 6 && !words.iter().any(|w| is_verb_like(w)) {
        return Act::Topic;
    }
    if n <= 6
        && SMALL_TALK.found_in(words)
        && words.iter().filter(|w| !is_pleasantry(w)).count() <= 1
    {
        return Act::SmallTalk;
    }
    Act::Statement
}

/// Whether a clause asks the interviewer to move to the next phase. "Moving on to retrieval, we
/// embed the query" is a candidate moving through their own design, not a request.
fn asks_to_move_on(words: &[String]) -> bool {
    // "Next." alone asks to move on; "Next, the retrieval layer." is a design going on.
    let bare_next = words.len() <= 2 && words.first().is_some_and(|w| w == "next");
    if bare_next || MOVE_ON.found_in(words) || (words.len() <= 5 && MOVE_ON_SHORT.found_in(words)) {
        return true;
    }
    // "move on to the deep dive", "go to the next part".
    (0..words.len()).any(|at| {
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

fn starts_with_request(words: &[String]) -> bool {
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
fn is_verb_like(w: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    const CLARIFY: ReadingContext = ReadingContext {
        clarifying: true,
        evidence_on_request: false,
        last_phase: false,
    };
    const DESIGN: ReadingContext = ReadingContext {
        clarifying: false,
        evidence_on_request: false,
        last_phase: false,
    };
    const DEBUG: ReadingContext = ReadingContext {
        clarifying: false,
        evidence_on_request: true,
        last_phase: false,
    };
    const LAST: ReadingContext = ReadingContext {
        clarifying: false,
        evidence_on_request: false,
        last_phase: true,
    };

    fn acts(text: &str, ctx: ReadingContext) -> Vec<Act> {
        understand(text, ctx).acts().collect()
    }

    #[test]
    fn a_compound_question_is_two_questions() {
        let u = understand(
            "How many documents are in the knowledge base, and how fast does it grow?",
            CLARIFY,
        );
        let texts: Vec<&str> = u.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "How many documents are in the knowledge base",
                "how fast does it grow?"
            ]
        );
        assert!(u.clauses.iter().all(|c| c.act == Act::Ask && c.wh));
    }

    #[test]
    fn a_list_inside_one_question_stays_whole() {
        let u = understand("What do the P50 and P99 look like?", CLARIFY);
        assert_eq!(u.clauses.len(), 1);
    }

    #[test]
    fn process_questions_are_not_scenario_questions() {
        assert_eq!(acts("Can we move on?", DESIGN), vec![Act::MoveOn]);
        assert_eq!(acts("How did I do?", DESIGN), vec![Act::Score]);
        assert_eq!(acts("Can I get a hint?", DESIGN), vec![Act::Hint]);
        assert_eq!(
            acts("How much time do we have left?", DESIGN),
            vec![Act::Time]
        );
        assert_eq!(acts("Does that make sense?", DESIGN), vec![Act::CheckIn]);
        assert_eq!(
            acts("Can you just give me the reference solution?", DESIGN),
            vec![Act::AnswerKey]
        );
        assert_eq!(
            acts("Could you summarize the requirements for me?", DESIGN),
            vec![Act::AnswerKey]
        );
    }

    #[test]
    fn being_done_ends_the_interview_only_in_its_last_phase() {
        assert_eq!(acts("That's all from me.", LAST), vec![Act::Done]);
        assert_eq!(acts("I'm done, thanks", LAST), vec![Act::Done]);
        assert_eq!(
            acts("I'm done with the requirements.", CLARIFY),
            vec![Act::MoveOn]
        );
    }

    #[test]
    fn moving_on_inside_a_design_sentence_is_not_a_request() {
        let u = understand(
            "Then, moving on to retrieval, we embed the query with the same model and search the vector index for the top fifty chunks.",
            DESIGN,
        );
        assert!(!u.has(Act::MoveOn));
        assert_eq!(acts("OK, let's move on.", DESIGN), vec![Act::MoveOn]);
        assert_eq!(
            acts("Let me move on to the retrieval part now.", DESIGN),
            vec![Act::Statement]
        );
        assert_eq!(
            acts("Let's move on to the deep dive.", DESIGN),
            vec![Act::MoveOn]
        );
    }

    #[test]
    fn a_hypothesis_is_not_a_request_for_evidence() {
        assert_eq!(
            acts(
                "I think the queue in the model server is backing up.",
                DEBUG
            ),
            vec![Act::Hypothesis]
        );
        assert_eq!(
            acts("Could it be the nightly reindex?", DEBUG),
            vec![Act::Hypothesis]
        );
        assert_eq!(
            acts("I'd pull the traces for the slowest requests.", DEBUG),
            vec![Act::Ask]
        );
        // Outside debugging, "I'd check" is part of a design.
        assert_eq!(
            acts("I'd check the cache before calling the model.", DESIGN),
            vec![Act::Statement]
        );
    }

    #[test]
    fn statements_requests_and_small_talk() {
        assert_eq!(
            acts("I'd like to know the latency target.", CLARIFY),
            vec![Act::Ask]
        );
        assert_eq!(acts("Latency targets.", CLARIFY), vec![Act::Ask]);
        assert_eq!(
            acts("I'll assume English only for now.", CLARIFY),
            vec![Act::Assumption]
        );
        assert_eq!(acts("I'm not sure honestly", DESIGN), vec![Act::Unsure]);
        assert_eq!(acts("Thanks, that helps.", DESIGN), vec![Act::SmallTalk]);
        assert_eq!(
            acts("We put a Redis cache in front of the model.", DESIGN),
            vec![Act::Statement]
        );
    }

    #[test]
    fn code_is_set_apart_from_prose() {
        let text = "Here is the key builder:\n```python\ndef make_key(req):\n    return sha256(json.dumps(req, sort_keys=True))\n```\nDoes that look right?";
        let u = understand(text, DESIGN);
        assert_eq!(u.code.len(), 1);
        assert_eq!(u.code[0].definitions(), vec!["make_key"]);
        assert_eq!(u.clauses.len(), 2);
        assert_eq!(u.clauses[1].act, Act::CheckIn);
    }

    #[test]
    fn unfenced_code_is_recognised() {
        let text = "class Cache:\n    def __init__(self, clock):\n        self.clock = clock\n    def get(self, key):\n        return self.data.get(key)\nThat's the core.";
        let u = understand(text, DESIGN);
        assert_eq!(u.code.len(), 1);
        assert_eq!(u.code[0].definitions(), vec!["Cache", "__init__", "get"]);
        assert_eq!(u.clauses.len(), 1);
    }

    #[test]
    fn stated_figures_are_collected_from_statements() {
        let u = understand("We'd need like 50 GPUs. How many users are there?", DESIGN);
        assert_eq!(u.stated_figures.len(), 1);
        assert_eq!(u.stated_figures[0].0.value, 50.0);
    }
}
