//! The markers of what a sentence does: a mechanism, a reason, a comparison, or admitting not to
//! know what is being named.

use std::sync::LazyLock;

use crate::analysis::text::PhraseSet;

/// Admitting not knowing what is being named: the sentence earns nothing.
pub static IGNORANCE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "don t know what",
        "do not know what",
        "don t really know",
        "don t know how",
        "do not know how",
        "don t know much",
        "not sure what",
        "not sure how",
        "no idea",
        "never heard",
        "heard of",
        "heard the words",
        "heard about",
        "haven t used",
        "have not used",
        "never used",
        "not familiar",
        "unfamiliar",
        "don t remember",
        "can t remember",
        "not really sure",
        "honestly don t know",
        "i m not an expert",
        "not an expert",
        "never really understood",
        "never understood",
        "don t understand",
        "didn t understand",
        "do not understand",
        "never learned",
        "no clue",
    ])
});

/// Verbs and phrases of a mechanism: what a component does to what.
pub static MECHANISM: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "split*",
        "chunk*",
        "embed*",
        "index*",
        "stor*",
        "cach*",
        "evict*",
        "retriev*",
        "retry*",
        "retries",
        "rout*",
        "rank*",
        "rerank*",
        "filter*",
        "shard*",
        "partition*",
        "replicat*",
        "batch*",
        "stream*",
        "queue*",
        "fall back",
        "falls back",
        "invalidat*",
        "expir*",
        "refill*",
        "hash*",
        "merg*",
        "fus*",
        "comput*",
        "detect*",
        "alert*",
        "log*",
        "trac*",
        "measur*",
        "sampl*",
        "label*",
        "train*",
        "fine tun*",
        "distill*",
        "quantiz*",
        "quantis*",
        "compress*",
        "dedup*",
        "lock*",
        "reserv*",
        "reconcil*",
        "debit*",
        "reject*",
        "throttl*",
        "call*",
        "send*",
        "return*",
        "fetch*",
        "look up",
        "lookup",
        "drop*",
        "writ*",
        "read*",
        "check*",
        "verif*",
        "validat*",
        "escalat*",
        "hand off",
        "hands off",
        "redact*",
        "delet*",
        "roll back",
        "rollback",
        "canary",
        "deploy*",
        "profil*",
        "reproduc*",
        "bisect*",
        "compar*",
        "scor*",
        "pick*",
        "select*",
        "map*",
        "serializ*",
        "pars*",
        "extract*",
        "classif*",
        "summari*",
        "rewrit*",
        "translat*",
        "prefetch*",
        "precomput*",
        "warm*",
        "autoscal*",
        "scale out",
        "scales out",
        "spill*",
        "page*",
        "flush*",
        "commit*",
        "publish*",
        "subscrib*",
        "consum*",
        "produc*",
        "poll*",
        "push*",
        "pull*",
        "bound*",
        "cap*",
        "limit*",
        "count*",
        "increment*",
        "decrement*",
        "sort*",
        "heap",
        "graph*",
        "correlat*",
        "isolat*",
        "restart*",
        "revert*",
        "pin*",
        "test*",
        "assert*",
        "mock*",
        "inject*",
        "fake*",
        "ingest*",
        "reingest*",
        "re ingest*",
        "backfill*",
        "pause*",
        "mitigat*",
        "confirm*",
        "patch*",
        "swap*",
        "switch*",
        "migrat*",
        "replay*",
        "restor*",
        "strip*",
        "drain*",
        "shed*",
    ])
});

/// A reason or purpose given for a choice.
pub static REASON: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "because",
        "so that",
        "since",
        "which means",
        "that means",
        "this means",
        "so we",
        "so the",
        "so it",
        "so a",
        "so each",
        "due to",
        "in order to",
        "to avoid",
        "to keep",
        "to reduce",
        "to make",
        "to cut",
        "to catch",
        "to stop",
        "to prevent",
        "otherwise",
        "that way",
        "this way",
        "which keeps",
        "which lets",
        "which gives",
        "as long as",
        "given that",
        "the reason",
        "that s why",
        "which is why",
        "if",
        "unless",
        "when",
    ])
});

/// A guess rather than a claim: the candidate offering something they are not sure of ("maybe a global
/// list that requests append to", "I guess we could set a limit"). Weak and rambling candidates hedge
/// one sentence in ten, strong and terse-right ones one in a hundred or fewer.
pub static GUESS: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "maybe",
        "i guess",
        "not sure",
        "perhaps",
        "i suppose",
        "not 100",
    ])
});

/// A comparison of alternatives or a stated cost.
pub static COMPARISON: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "instead of",
        "rather than",
        "versus",
        "vs",
        "compared to",
        "compared with",
        "trade off*",
        "tradeoff*",
        "at the cost of",
        "at the expense of",
        "gives up",
        "give up",
        "giving up",
        "we lose",
        "you lose",
        "lose",
        "loses",
        "whereas",
        "on the other hand",
        "cheaper than",
        "faster than",
        "slower than",
        "more expensive",
        "less accurate",
        "more accurate",
        "better than",
        "worse than",
        "the downside",
        "the price",
        "we pay",
        "you pay",
        "costs us",
        "the cost is",
        "but",
        "alternatively",
        "the alternative",
        "over",
        "than",
    ])
});

/// Words reporting what changed: a result the candidate saw happen ("p95 went from 3 s to 800 ms").
/// Not "held" or "hit", which name a state as often ("380,000 rows held in memory", "a 60% cache hit
/// rate").
static OUTCOME: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "dropped",
        "fell",
        "went from",
        "went down",
        "went up",
        "went back",
        "came down",
        "came back",
        "cut",
        "reduced",
        "improved",
        "rose",
        "saved",
        "halved",
        "doubled",
        "tripled",
        "recovered",
        "stayed",
        "shipped",
        "launched",
        "caught",
        "resolved",
        "lowered",
        "increased",
        "decreased",
        "ended up",
        "resulted in",
        "landed",
        "gained",
        "shrank",
        "grew",
        "freed",
        "back to",
        "down to",
        "down from",
        "up from",
        "is now",
        "are now",
        "was now",
        "now at",
        "since then",
        "afterwards",
        "as a result",
        "met",
        "beat",
        "reached",
    ])
});

/// A plan, a guess or a condition rather than a report: "I'd cut it to 800 ms" is not a result.
static HYPOTHETICAL: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::compile(&[
        "i d", "we d", "you d", "would", "could", "might", "should", "will", "i ll", "we ll",
        "going to", "if", "unless", "maybe", "probably", "plan to", "expect*", "hope", "want to",
        "aim", "target*", "goal", "let s", "we can", "i can",
    ])
});

/// Who a past story is about: the candidate, or a team they were on.
const FIRST_PERSON: &[&str] = &["i", "we"];

/// Words that may sit between the subject and its verb ("we then moved", "I also wrote").
#[rustfmt::skip]
const BETWEEN: &[&str] = &[
    "then", "also", "finally", "eventually", "first", "just", "quickly", "actually", "immediately",
    "later", "initially", "originally", "really", "all", "both", "never", "only", "personally",
    "still",
];

/// Past forms that do not end in "-ed".
#[rustfmt::skip]
const IRREGULAR_PAST: &[&str] = &[
    "was", "were", "had", "did", "built", "rebuilt", "wrote", "rewrote", "ran", "reran", "made",
    "found", "took", "set", "put", "cut", "chose", "got", "saw", "led", "kept", "sent", "split",
    "broke", "drove", "brought", "bought", "told", "spent", "went", "came", "gave", "began", "knew",
    "left", "lost", "met", "paid", "said", "sold", "spoke", "stood", "taught", "threw",
    "understood", "won", "fell", "held", "heard", "hit", "let", "meant", "rode", "rose", "shut",
    "stuck", "swept", "tore", "woke", "dug", "fed", "flew", "forgot", "froze", "grew", "hung",
    "hid", "laid", "lit", "sought", "shook", "shot", "sank", "slid", "spun", "spread", "struck",
    "thought", "undid", "upheld", "withdrew", "overrode", "caught", "fought", "wound", "became",
];

/// Words ending in "-ed" that are not past forms.
#[rustfmt::skip]
const NOT_PAST: &[&str] = &[
    "need", "feed", "speed", "proceed", "exceed", "succeed", "embed", "shed", "bed", "red", "bleed",
    "breed", "seed", "weed", "indeed",
];

fn is_past_form(w: &str) -> bool {
    IRREGULAR_PAST.contains(&w)
        || (w.len() >= 4
            && w.ends_with("ed")
            && !NOT_PAST.contains(&w)
            && !(w.ends_with("eed") && w != "agreed" && w != "freed" && w != "guaranteed"))
}

/// Whether the sentence tells something the candidate or their team did or went through, in the
/// past ("we moved the reranker", "I was on call"), rather than a plan or a present opinion.
pub fn tells_the_past(words: &[String]) -> bool {
    if HYPOTHETICAL.found_in(words) {
        return false;
    }
    words.iter().enumerate().any(|(i, w)| {
        FIRST_PERSON.contains(&w.as_str())
            && words[i + 1..]
                .iter()
                .take(3)
                .take_while(|n| BETWEEN.contains(&n.as_str()) || is_past_form(n))
                .any(|n| is_past_form(n))
    })
}

/// A change reported as seen ("p95 went from 3 s to 800 ms"), not planned or supposed.
pub fn reports_an_outcome(words: &[String]) -> bool {
    OUTCOME.found_in(words) && !HYPOTHETICAL.found_in(words)
}
