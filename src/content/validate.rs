//! Cross-checks of loaded content: every rubric and question against the lexicon, the plans and the
//! rubrics, each problem named by file and field.

use std::collections::HashSet;
use std::path::Path;

use crate::analysis::text::{Cue, Phrase, PhraseSet};

use super::Lexicon;
use super::loader::{Loader, blank};
use super::model::*;

fn check_concepts(
    l: &mut Loader,
    file: &Path,
    field: &str,
    concepts: &[String],
    lexicon: &Lexicon,
) {
    if concepts.is_empty() {
        l.issue(file, field.to_string(), "needs at least one concept");
    }
    for c in concepts {
        if lexicon.index(c).is_none() {
            l.issue(
                file,
                field.to_string(),
                format!("unknown concept `{c}` (not in content/lexicon)"),
            );
        }
    }
}

pub(super) fn validate_rubric(l: &mut Loader, file: &Path, r: &Rubric, lexicon: &Lexicon) {
    if blank(&r.version) {
        l.issue(file, "version", "must not be empty");
    }
    if r.dimensions.is_empty() {
        l.issue(file, "dimensions", "needs at least one dimension");
    }
    let mut ids = HashSet::new();
    for d in &r.dimensions {
        let at = format!("dimensions.{}", d.id);
        if blank(&d.id) || !ids.insert(d.id.clone()) {
            l.issue(
                file,
                format!("{at}.id"),
                "missing or duplicate dimension id",
            );
        }
        for s in ["1", "2", "3", "4"] {
            if d.descriptors.get(s).is_none_or(|t| blank(t)) {
                l.issue(
                    file,
                    format!("{at}.descriptors.{s}"),
                    "every score 1-4 needs a descriptor",
                );
            }
        }
        if d.descriptors.len() != 4 {
            l.issue(
                file,
                format!("{at}.descriptors"),
                "exactly the scores 1, 2, 3 and 4",
            );
        }
        if !(0.0..=0.65).contains(&d.substance) {
            l.issue(
                file,
                format!("{at}.substance"),
                "must be between 0 and 0.65",
            );
        }
        let [a, b, c] = d.thresholds;
        if !(0.0 < a && a < b && b < c && c <= 1.0) {
            l.issue(
                file,
                format!("{at}.thresholds"),
                "must rise strictly within (0, 1]",
            );
        }
        if !(d.weight > 0.0 && d.weight <= 10.0) {
            l.issue(file, format!("{at}.weight"), "must be in (0, 10]");
        }
        if d.phase_share
            .is_some_and(|s| !(0.0..=1.0).contains(&s) || d.phases.is_empty())
        {
            l.issue(
                file,
                format!("{at}.phase_share"),
                "must be between 0 and 1, on a dimension with phases",
            );
        }
        if d.measure == Measure::Steps {
            let ok = !d.steps.is_empty()
                && d.steps.iter().all(|id| {
                    r.dimensions
                        .iter()
                        .any(|o| &o.id == id && o.measure != Measure::Steps)
                });
            if !ok {
                l.issue(
                    file,
                    format!("{at}.steps"),
                    "must name other dimensions of this rubric that are not steps themselves",
                );
            }
        }
        if matches!(d.measure, Measure::Concepts | Measure::Outcomes) {
            check_concepts(l, file, &format!("{at}.concepts"), &d.concepts, lexicon);
            if d.expected.is_some_and(|e| e == 0 || e > d.concepts.len()) {
                l.issue(
                    file,
                    format!("{at}.expected"),
                    "must be between 1 and the number of concepts",
                );
            }
        }
    }
}

pub(super) fn validate_question(
    l: &mut Loader,
    file: &Path,
    q: &Question,
    plan: &PhasePlan,
    rubric: &Rubric,
    lexicon: &Lexicon,
) {
    for (field, value) in [
        ("title", &q.title),
        ("summary", &q.summary),
        ("prompt", &q.prompt),
        ("reference_outline", &q.reference_outline),
    ] {
        if blank(value) {
            l.issue(file, field, "must not be empty");
        }
    }
    if q.levels.is_empty() {
        l.issue(file, "levels", "needs at least one level");
    }
    for (field, n) in [
        ("facts", q.facts.len()),
        ("components", q.components.len()),
        ("deep_dives", q.deep_dives.len()),
        ("tradeoffs", q.tradeoffs.len()),
    ] {
        if n == 0 {
            l.issue(file, field, "needs at least one entry");
        }
    }
    let mut ids = HashSet::new();
    for f in &q.facts {
        let at = format!("facts.{}", f.id);
        if blank(&f.id) || !ids.insert(f.id.clone()) {
            l.issue(file, format!("{at}.id"), "missing or duplicate fact id");
        }
        if blank(&f.topic) {
            l.issue(file, format!("{at}.topic"), "must not be empty");
        }
        if blank(&f.answer) {
            l.issue(file, format!("{at}.answer"), "must not be empty");
        }
        if PhraseSet::compile(&f.asked_by).is_empty() {
            l.issue(file, format!("{at}.asked_by"), "needs at least one phrase");
        }
    }
    for (i, f) in q.red_flags.iter().enumerate() {
        let at = format!("red_flags[{i}]");
        if blank(&f.text) {
            l.issue(file, format!("{at}.text"), "must not be empty");
        }
        for d in &f.dimensions {
            if rubric.dimension(d).is_none() {
                l.issue(
                    file,
                    format!("{at}.dimensions"),
                    format!("`{d}` is not a dimension of rubric `{}`", rubric.id),
                );
            }
        }
        if !f.said_as.is_empty() && f.dimensions.is_empty() {
            l.issue(
                file,
                format!("{at}.dimensions"),
                "a red flag with phrases needs the dimensions it lowers",
            );
        }
        if f.said_as.iter().any(|p| Phrase::compile(p).is_none()) {
            l.issue(file, format!("{at}.said_as"), "a phrase holds no word");
        }
        if !f.cues.is_empty() && f.dimensions.is_empty() {
            l.issue(
                file,
                format!("{at}.dimensions"),
                "a red flag with cues needs the dimensions it lowers",
            );
        }
        if let Some(bad) = f.cues.iter().find(|c| Cue::compile(c).is_none()) {
            l.issue(
                file,
                format!("{at}.cues"),
                format!("`{bad}` needs two or more `+` groups, each with a phrase"),
            );
        }
    }
    let check_phase = |l: &mut Loader, at: &str, phase: &Option<String>| {
        if let Some(p) = phase
            && plan.index_of(p).is_none()
        {
            l.issue(
                file,
                format!("{at}.phase"),
                format!("`{p}` is not a phase of kind `{}`", plan.kind),
            );
        }
    };
    for c in &q.components {
        let at = format!("components.{}", c.id);
        check_concepts(l, file, &format!("{at}.concepts"), &c.concepts, lexicon);
        if blank(&c.follow_up) {
            l.issue(file, format!("{at}.follow_up"), "must not be empty");
        }
        check_phase(l, &at, &c.phase);
    }
    for d in &q.deep_dives {
        let at = format!("deep_dives.{}", d.id);
        check_concepts(l, file, &format!("{at}.concepts"), &d.concepts, lexicon);
        if d.probes.iter().all(|p| blank(p.ask())) {
            l.issue(file, format!("{at}.probes"), "needs at least one probe");
        }
        check_phase(l, &at, &d.phase);
    }
    for t in &q.tradeoffs {
        let at = format!("tradeoffs.{}", t.id);
        check_concepts(l, file, &format!("{at}.concepts"), &t.concepts, lexicon);
        if blank(&t.question) {
            l.issue(file, format!("{at}.question"), "must not be empty");
        }
        check_phase(l, &at, &t.phase);
    }
    for (i, a) in q.qa.iter().enumerate() {
        if blank(&a.answer) || PhraseSet::compile(&a.asked_by).is_empty() {
            l.issue(
                file,
                format!("qa[{i}]"),
                "needs asked_by phrases and an answer",
            );
        }
    }
    let mut edge_ids = HashSet::new();
    for e in &q.edge_cases {
        let at = format!("edge_cases.{}", e.id);
        if blank(&e.id) || !edge_ids.insert(e.id.clone()) {
            l.issue(
                file,
                format!("{at}.id"),
                "missing or duplicate edge case id",
            );
        }
        if blank(&e.name) || blank(&e.question) {
            l.issue(file, at.clone(), "needs a name and a question");
        }
        if PhraseSet::compile(&e.covered_by).is_empty() {
            l.issue(
                file,
                format!("{at}.covered_by"),
                "needs at least one phrase",
            );
        }
    }
}
