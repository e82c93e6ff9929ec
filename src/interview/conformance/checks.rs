//! The checks a simulated interview is held to, from its transcript and what each candidate turn
//! meant: hidden facts only when asked, every asked fact answered and no wrong one, no question asked
//! twice or after it was answered, no sentence of four or more words said more than twice, every
//! skipped component probed, the interview closed, and the interviewer's manners (praise only after
//! a question, no coverage recaps, no score, no system-design wording in other kinds).

use std::collections::{BTreeSet, HashMap};

use crate::analysis::lexicon::Lexicon;
use crate::content::{PhaseMode, QuestionEntry};

use super::super::memory::{Item, concepts_said, long_sentences, relevant_concepts};
use super::super::offline_interviewer::CLOSING_LINES;
use super::super::phrasebook::GATE_MARKERS;
use super::driver::SimTurn;

/// What one interview showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub interviews: usize,
    pub turns: usize,
    /// Hidden facts that appeared in a reply without being asked.
    pub leaked: usize,
    pub facts_asked: usize,
    pub facts_answered: usize,
    /// Replies that gave a fact other than the one asked.
    pub wrong_facts: usize,
    /// Questions asked twice, or after the candidate answered them.
    pub reasked: usize,
    /// Sentences of four or more words said more than twice in a session.
    pub repeated_sentences: usize,
    pub skipped_components: usize,
    pub skipped_probed: usize,
    pub closed: usize,
    pub hints: usize,
    pub hints_refused: usize,
    pub challenges: usize,
    /// Manners: praise without a question, a coverage recap, a score given, system-design wording in
    /// another kind.
    pub manners: usize,
    /// One line per failure, for the report.
    pub failures: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.interviews += o.interviews;
        self.turns += o.turns;
        self.leaked += o.leaked;
        self.facts_asked += o.facts_asked;
        self.facts_answered += o.facts_answered;
        self.wrong_facts += o.wrong_facts;
        self.reasked += o.reasked;
        self.repeated_sentences += o.repeated_sentences;
        self.skipped_components += o.skipped_components;
        self.skipped_probed += o.skipped_probed;
        self.closed += o.closed;
        self.hints += o.hints;
        self.hints_refused += o.hints_refused;
        self.challenges += o.challenges;
        self.manners += o.manners;
        self.failures.extend(o.failures.iter().cloned());
    }

    /// Share of asked facts answered, in percent.
    pub fn answered_pct(&self) -> f64 {
        if self.facts_asked == 0 {
            100.0
        } else {
            100.0 * self.facts_answered as f64 / self.facts_asked as f64
        }
    }

    /// Whether every check holds.
    pub fn passes(&self) -> bool {
        self.leaked == 0
            && self.answered_pct() >= 95.0
            && self.wrong_facts == 0
            && self.reasked == 0
            && self.repeated_sentences == 0
            && self.skipped_probed == self.skipped_components
            && self.closed == self.interviews
            && self.manners == 0
    }
}

/// Checks one finished interview. `who` names it in failure lines.
pub fn check(
    entry: &QuestionEntry,
    lexicon: &Lexicon,
    items: &[Item],
    turns: &[SimTurn],
    hints_refused: usize,
    who: &str,
) -> Tally {
    let q = &entry.question;
    let hidden = &entry.hidden;
    let mut t = Tally {
        interviews: 1,
        turns: turns.len(),
        hints_refused,
        ..Tally::default()
    };
    let fail = |t: &mut Tally, what: String| t.failures.push(format!("{who}: {what}"));
    let mut asked_ever: BTreeSet<String> = BTreeSet::new();
    let mut answered_items: HashMap<String, usize> = HashMap::new();
    let mut asked_items: HashMap<String, usize> = HashMap::new();
    let mut said: HashMap<String, usize> = HashMap::new();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let kind = q.kind.as_str();
    for (i, turn) in turns.iter().enumerate() {
        if i == 0 {
            // The opening: the question and the plan, public by definition.
            continue;
        }
        if !turn.by_interviewer {
            if let Some(intent) = &turn.intent {
                for a in &intent.answers {
                    answered_items.entry(a.clone()).or_insert(i);
                }
                covered.extend(intent.covers.iter().cloned());
            }
            continue;
        }
        let before = turns[..i].iter().rev().find(|x| !x.by_interviewer);
        let intent = before.and_then(|b| b.intent.as_ref());
        let asked_now: Vec<String> = intent.map(|x| x.asks.clone()).unwrap_or_default();
        let candidate_text = before.map(|b| b.text.as_str()).unwrap_or("");
        let reply = &turn.text;
        // Facts given in full, and facts hinted at by their figures in what remains.
        let pasted: Vec<&str> = q
            .facts
            .iter()
            .filter(|f| reply.contains(f.answer.as_str()))
            .map(|f| f.id.as_str())
            .collect();
        let mut rest = reply.clone();
        for f in q.facts.iter().filter(|f| pasted.contains(&f.id.as_str())) {
            rest = rest.replace(f.answer.as_str(), "");
        }
        for a in &asked_now {
            t.facts_asked += 1;
            if pasted.contains(&a.as_str()) {
                t.facts_answered += 1;
            } else {
                fail(
                    &mut t,
                    format!("fact `{a}` asked by \"{candidate_text}\" was not answered"),
                );
            }
        }
        for p in &pasted {
            if !asked_now.iter().any(|a| a == p) {
                t.wrong_facts += 1;
                fail(
                    &mut t,
                    format!("reply gave fact `{p}`, not asked in \"{candidate_text}\""),
                );
            }
            if !asked_now.iter().any(|a| a == p) && !asked_ever.contains(*p) {
                t.leaked += 1;
            }
        }
        asked_ever.extend(asked_now.iter().cloned());
        for f in hidden.facts_in(&rest) {
            if !asked_ever.contains(&f) {
                t.leaked += 1;
                fail(
                    &mut t,
                    format!(
                        "reply quotes a hidden figure of `{f}` unasked: {}",
                        short(reply)
                    ),
                );
            }
        }
        // Questions asked: each once, and never after the candidate answered it.
        let gate = GATE_MARKERS.iter().any(|m| reply.contains(m));
        let lower = reply.to_lowercase();
        for item in items {
            let named = gate
                && item
                    .name
                    .as_ref()
                    .is_some_and(|n| lower.contains(n.as_str()));
            if !(named || reply.contains(item.text.as_str())) {
                continue;
            }
            if let Some(first) = asked_items.get(&item.id) {
                t.reasked += 1;
                fail(
                    &mut t,
                    format!("`{}` asked again (first at turn {first})", item.id),
                );
            } else if let Some(answered) = answered_items.get(&item.id) {
                t.reasked += 1;
                fail(
                    &mut t,
                    format!(
                        "`{}` asked after it was answered at turn {answered}",
                        item.id
                    ),
                );
            }
            asked_items.entry(item.id.clone()).or_insert(i);
        }
        for s in long_sentences(reply) {
            *said.entry(s).or_default() += 1;
        }
        if turn.hint {
            t.hints += 1;
        }
        let d = turn.directive.as_ref();
        if d.is_some_and(|d| d.challenge.is_some()) {
            t.challenges += 1;
        }
        // Manners.
        let asked_a_question = candidate_text.contains('?');
        if lower.contains("good question") && !asked_a_question {
            t.manners += 1;
            fail(
                &mut t,
                format!("praised a turn with no question: \"{candidate_text}\""),
            );
        }
        if lower.contains("you've covered") || lower.contains("you have covered") {
            t.manners += 1;
            fail(&mut t, "a coverage recap".to_string());
        }
        if d.is_some_and(|d| d.score_question)
            && (lower.contains("score of") || lower.contains("out of 4") || lower.contains("/100"))
        {
            t.manners += 1;
            fail(&mut t, format!("gave a score: {}", short(reply)));
        }
        if kind != "system_design" {
            let own: String = d
                .map(|d| {
                    let mut s = reply.clone();
                    if let Some(f) = &d.follow_up {
                        s = s.replace(f.question.as_str(), "");
                    }
                    if let Some(tr) = &d.transition {
                        s = s.replace(tr.intro.as_str(), "");
                    }
                    s.to_lowercase()
                })
                .unwrap_or_default();
            if ["main components", "go deep on", "architecture"]
                .iter()
                .any(|w| own.contains(w))
            {
                t.manners += 1;
                fail(
                    &mut t,
                    format!(
                        "system-design wording in a {kind} interview: {}",
                        short(reply)
                    ),
                );
            }
        }
    }
    for (s, n) in &said {
        if *n > 2 {
            t.repeated_sentences += 1;
            fail(&mut t, format!("said {n} times: \"{s}\""));
        }
    }
    // Components the candidate never covered must each have been asked about. Covered: the
    // candidate meant to, or named one of its concepts while designing (not while asking).
    let asking: Vec<&str> = entry
        .plan
        .phases
        .iter()
        .filter(|p| p.mode == PhaseMode::Clarify)
        .map(|p| p.id.as_str())
        .collect();
    let relevant = relevant_concepts(entry, lexicon, items);
    let mentioned: BTreeSet<usize> = turns
        .iter()
        .filter(|x| !x.by_interviewer && x.id != 0 && !asking.contains(&x.phase.as_str()))
        .flat_map(|x| concepts_said(lexicon, &x.text, &relevant))
        .collect();
    for c in &q.components {
        let named = c
            .concepts
            .iter()
            .filter_map(|x| lexicon.index(x))
            .any(|x| mentioned.contains(&x));
        if covered.contains(&c.id) || named {
            continue;
        }
        t.skipped_components += 1;
        let id = format!("components.{}", c.id);
        if asked_items.contains_key(&id) {
            t.skipped_probed += 1;
        } else {
            fail(&mut t, format!("skipped component `{}` never probed", c.id));
        }
    }
    let closed = turns
        .iter()
        .rev()
        .find(|x| x.by_interviewer)
        .is_some_and(|x| CLOSING_LINES.iter().any(|c| x.text.contains(c)));
    if closed {
        t.closed = 1;
    } else {
        fail(&mut t, "the interview was never closed".to_string());
    }
    t
}

/// A reply cut short for a failure line.
fn short(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    match one_line.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &one_line[..at]),
        None => one_line,
    }
}
