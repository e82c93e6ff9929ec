//! Feedback a candidate can act on: for each dimension what was missing and what a 4 would have said
//! here (drawn from the question's reference outline, deep-dive probes and follow-ups), and three
//! ranked improvements, each tied to the turn where it would have fitted.

use serde::{Deserialize, Serialize};

use crate::content::{Dimension, Lexicon, Question};

use super::clean::norm_words;
use super::lang::{GENERIC, is_function_word};
use super::measures::Gap;

/// One improvement, ranked by how much it would move the card.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Improvement {
    pub rank: u8,
    pub dimension: String,
    /// The candidate turn where this would have fitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_id: Option<i64>,
    pub text: String,
}

const MAX_REFERENCE_CHARS: usize = 320;

/// The reference outline's numbered points: (title, body).
fn outline_points(q: &Question) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in q.reference_outline.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let numbered = t
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        match numbered {
            Some((_, rest)) => {
                let (title, body) = rest.split_once(": ").unwrap_or(("", rest));
                out.push((title.to_string(), body.to_string()));
            }
            None => {
                if let Some(last) = out.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(t);
                } else {
                    out.push((String::new(), t.to_string()));
                }
            }
        }
    }
    out
}

/// Clips a text at a clause boundary near `max` characters.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.trim().to_string();
    }
    let cut: String = text.chars().take(max).collect();
    // A sentence end, else a clause boundary, else a space: never inside a word ("-> g…").
    let late = |i: &usize| *i > cut.len() / 3;
    if let Some(i) = cut.rfind(". ").filter(late) {
        return cut[..=i].trim_end().to_string();
    }
    let at = cut
        .rfind("; ")
        .or_else(|| cut.rfind(", "))
        .filter(late)
        .or_else(|| cut.rfind(' '))
        .unwrap_or(cut.len());
    format!(
        "{}…",
        cut[..at]
            .trim_end()
            .trim_end_matches([',', ';', ':', '-', '>'])
            .trim_end()
    )
}

/// A candidate's sentence as quoted back in feedback, clipped like the reference.
pub fn clip_quote(quote: &str) -> String {
    clip(quote, 160)
}

/// The words of a title or a dimension's name that can name a section: generic words count here
/// ("Requirements" is the outline's requirements section), function words do not.
fn telling(text: &str) -> Vec<String> {
    norm_words(text)
        .0
        .into_iter()
        .filter(|w| !is_function_word(w) && w.len() > 3)
        .collect()
}

/// Two words of one family: "Scope" and "scoping", "Prevention" and "prevent", but not "Request" and
/// "Requirements" (a requirements gap was answered with the outline's request path). They share all
/// but the last letter of the shorter word, or six letters.
fn related(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4 && common >= shorter.saturating_sub(1).min(6)
}

/// What a 4 would have said about a gap of a dimension: the outline point that best matches it (by
/// its concepts' phrases, then by its name's words, and by a title naming the dimension, so that
/// scoping is not answered with the outline's prevention point), clipped.
pub fn reference_for(q: &Question, lex: &Lexicon, gap: &Gap, dim: &Dimension) -> Option<String> {
    let dim_words = telling(&dim.name);
    let points = outline_points(q);
    let name_words: Vec<String> = norm_words(&gap.name)
        .0
        .into_iter()
        .filter(|w| !is_function_word(w) && !GENERIC.contains(&w.as_str()) && w.len() > 2)
        .collect();
    let mut best: Option<(usize, &(String, String))> = None;
    for p in &points {
        let (words, _) = norm_words(&format!("{} {}", p.0, p.1));
        let concept_hits = lex
            .concepts_in(&words)
            .iter()
            .filter(|c| gap.concepts.iter().any(|id| lex.index(id) == Some(**c)))
            .count();
        let name_hits = name_words
            .iter()
            .filter(|n| words.iter().any(|w| w.starts_with(n.as_str())))
            .count();
        let title_words = norm_words(&p.0).0;
        let title_hits = name_words
            .iter()
            .filter(|n| title_words.iter().any(|w| w.starts_with(n.as_str())))
            .count();
        let title_telling = telling(&p.0);
        let dim_hits = dim_words
            .iter()
            .filter(|d| title_telling.iter().any(|t| related(d, t)))
            .count();
        let score = 3 * concept_hits + name_hits + 2 * title_hits + 3 * dim_hits;
        if score > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, p));
        }
    }
    best.map(|(_, (title, body))| {
        if title.is_empty() {
            clip(body, MAX_REFERENCE_CHARS)
        } else {
            format!("{title}: {}", clip(body, MAX_REFERENCE_CHARS))
        }
    })
}

/// The feedback line for a dimension, what was missing, and what a 4 would have said here.
pub fn for_dimension(
    dim: &Dimension,
    score: u8,
    detail: &str,
    gaps: &[Gap],
    q: &Question,
    lex: &Lexicon,
) -> (String, Vec<String>, String) {
    let missing: Vec<String> = gaps
        .iter()
        .filter(|g| !g.late)
        .take(4)
        .map(|g| g.name.clone())
        .collect();
    let reference = if score >= 4 {
        String::new()
    } else {
        gaps.iter()
            .find_map(|g| reference_for(q, lex, g, dim))
            .or_else(|| {
                gaps.iter()
                    .find_map(|g| g.prompt.clone())
                    .map(|p| format!("An answer to: {p}"))
            })
            .unwrap_or_default()
    };
    let mut feedback = format!("{} {detail}", dim.descriptor(score));
    if !missing.is_empty() && score < 4 {
        feedback.push_str(&format!(" Missing: {}.", missing.join(", ")));
    }
    if !reference.is_empty() {
        feedback.push_str(&format!(" A 4 here would say: {reference}"));
    }
    (feedback, missing, reference)
}

/// The sentence telling the candidate what to do next time, for one gap of one dimension.
pub fn improvement_text(dim: &Dimension, gap: Option<&Gap>, reference: &str) -> String {
    let what = match (gap, dim.measure) {
        (Some(g), crate::content::Measure::Requirements) => {
            format!("ask about {} before you commit to an answer", g.name.to_lowercase())
        }
        (Some(g), crate::content::Measure::Tradeoffs) => match &g.prompt {
            Some(p) => format!("weigh the alternatives and say what each gives up: {p}"),
            None => format!("weigh the alternatives for {}", g.name.to_lowercase()),
        },
        (Some(g), crate::content::Measure::DeepDive) => format!(
            "go into {} with the mechanism, its parameters and a number",
            g.name.to_lowercase()
        ),
        (Some(g), crate::content::Measure::Code) => format!("show {}", g.name),
        (Some(g), crate::content::Measure::Outcomes) if g.concepts.is_empty() => {
            "close the story with what changed, in numbers you measured (before and after), and whether it lasted".to_string()
        }
        (Some(g), _) => format!("explain {} and why it matters here", g.name.to_lowercase()),
        (None, crate::content::Measure::Communication) => {
            "lead with the structure of your answer, say why for each choice, and drop sentences that add no specifics".to_string()
        }
        (None, _) => "back each choice with a mechanism, a number or a reason".to_string(),
    };
    // A prompt quoted as the gap ends on its own question mark: no full stop after it.
    let end = if what.ends_with(['?', '.', '!']) {
        ""
    } else {
        "."
    };
    if reference.is_empty() {
        format!("{}: {what}{end}", dim.name)
    } else {
        format!("{}: {what}{end} For example: {reference}", dim.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Catalog, ContentRoot};

    fn test_gap(name: &str, prompt: Option<&str>, late: bool) -> Gap {
        Gap {
            name: name.into(),
            concepts: Vec::new(),
            prompt: prompt.map(str::to_string),
            late,
        }
    }

    fn question(id: &str) -> &'static crate::content::QuestionEntry {
        CATALOG.question(id).expect("a built-in question")
    }

    static CATALOG: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Catalog::load(&ContentRoot::builtin(root), &[]).expect("built-in content")
    });

    #[test]
    fn words_of_one_family_are_related_and_look_alikes_are_not() {
        for (a, b) in [
            ("scope", "scoping"),
            ("prevention", "prevent"),
            ("tests", "testing"),
            ("monitoring", "monitor"),
        ] {
            assert!(related(a, b), "{a} {b}");
        }
        for (a, b) in [("request", "requirements"), ("trade", "traces")] {
            assert!(!related(a, b), "{a} {b}");
        }
        // The card that showed it: a requirements gap answered with the request path.
        let (catalog, entry) = (&*CATALOG, question("rag-customer-support"));
        let gap = test_gap(
            "Existing model, infrastructure and build vs buy",
            None,
            false,
        );
        let reference = reference_for(
            &entry.question,
            &catalog.lexicon,
            &gap,
            &entry.rubric.dimensions[0],
        );
        assert!(
            reference
                .as_deref()
                .is_some_and(|r| r.starts_with("Requirements")),
            "{reference:?}"
        );
    }

    /// A new user read "Request path: widget/Zendesk -> API gateway ... -> g…": a clip ends at a
    /// sentence, a clause or at least a word.
    #[test]
    fn a_clipped_text_ends_at_a_sentence_a_clause_or_a_word() {
        let sentences = "Hybrid retrieval finds exact product names. A cross-encoder reranks the top fifty passages to five.";
        assert_eq!(
            clip(sentences, 70),
            "Hybrid retrieval finds exact product names."
        );
        let arrows = "Request path: widget -> API gateway -> retrieval service -> reranker -> generator -> groundedness check";
        let clipped = clip(arrows, 60);
        assert_eq!(
            clipped,
            "Request path: widget -> API gateway -> retrieval service…"
        );
        assert!(clip("short", 60) == "short");
    }

    /// A new user's weak debugging card answered a scoping gap with the outline's prevention point
    /// ("Prevention: alert on GPU memory ..."): the words matched, the section did not.
    #[test]
    fn a_gap_is_answered_from_its_own_dimensions_part_of_the_outline() {
        let (catalog, entry) = (&*CATALOG, question("debug-memory-leak"));
        let dim = |id: &str| {
            entry
                .rubric
                .dimensions
                .iter()
                .find(|d| d.id == id)
                .expect("a debugging dimension")
        };
        let gap = test_gap("GPU memory over time (allocated vs reserved)", None, false);
        let scoping = reference_for(
            &entry.question,
            &catalog.lexicon,
            &gap,
            dim("symptom_scoping"),
        )
        .expect("a reference");
        assert!(!scoping.starts_with("Prevention"), "{scoping}");
        let prevention = reference_for(&entry.question, &catalog.lexicon, &gap, dim("prevention"))
            .expect("a reference");
        assert!(prevention.starts_with("Prevention"), "{prevention}");
    }

    /// A requirement asked late is named as such in the detail, not listed again as missing.
    #[test]
    fn a_requirement_asked_late_is_not_listed_as_missing() {
        let (catalog, entry) = (&*CATALOG, question("rag-customer-support"));
        let requirements = &entry.rubric.dimensions[0];
        let gap = |name: &str, late: bool| test_gap(name, None, late);
        let (feedback, missing, _) = for_dimension(
            requirements,
            2,
            "Asked only once the answer was under way: latency target.",
            &[gap("Latency target", true), gap("Data volume", false)],
            &entry.question,
            &catalog.lexicon,
        );
        assert_eq!(missing, vec!["Data volume".to_string()]);
        assert!(feedback.contains("Missing: Data volume."), "{feedback}");
    }

    /// A trade-off gap quotes the interviewer's question, which ends on its own question mark.
    #[test]
    fn an_improvement_ending_on_a_question_gets_no_full_stop_after_it() {
        let entry = question("rag-customer-support");
        let tradeoffs = entry
            .rubric
            .dimensions
            .iter()
            .find(|d| d.measure == crate::content::Measure::Tradeoffs)
            .expect("a trade-offs dimension");
        let gap = test_gap("Caching", Some("What does each cost you?"), false);
        let text = improvement_text(tradeoffs, Some(&gap), "Cache answers keyed by question.");
        assert!(
            text.contains("What does each cost you? For example: Cache"),
            "{text}"
        );
        assert!(!text.contains("?."), "{text}");
    }
}
