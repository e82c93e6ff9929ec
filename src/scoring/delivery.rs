//! How spoken answers were delivered: filler words and pace (words per minute, over the answers
//! whose length is known). A note for the communication feedback only: it never moves a score, and
//! a transcript with no spoken answer gets none.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::TurnRole;
use crate::storage::TurnRow;

use super::Scorecard;

/// The dimension whose feedback carries the note.
const COMMUNICATION: &str = "communication";

/// Below this the pace reads as slow, above `FAST_WPM` as hurried (conversational English runs at
/// about 120-160 words per minute).
const SLOW_WPM: u32 = 110;
const FAST_WPM: u32 = 175;

/// Fillers at or above this share of the words are worth working on.
const FREQUENT_FILLER_SHARE: f64 = 0.04;

/// The delivery of the spoken answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct SpokenDelivery {
    /// Candidate answers given by voice.
    pub answers: u32,
    /// Words in them.
    pub words: u32,
    /// Over the answers whose length is known (`null` when none is).
    pub words_per_minute: Option<u32>,
    /// Each filler heard, most frequent first.
    pub fillers: Vec<FillerCount>,
    /// The sentence added to the communication feedback.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct FillerCount {
    pub filler: String,
    pub count: u32,
}

/// One word of a transcription, with the pauses (commas, ellipses, sentence ends) around it.
struct Word {
    text: String,
    pause_before: bool,
    pause_after: bool,
}

/// The spoken answers' delivery, or `None` when no answer was spoken.
pub fn assess(turns: &[TurnRow]) -> Option<SpokenDelivery> {
    let spoken: Vec<&TurnRow> = turns
        .iter()
        .filter(|t| t.role == TurnRole::Candidate && t.spoken)
        .collect();
    if spoken.is_empty() {
        return None;
    }
    let mut words = 0u32;
    let mut timed_words = 0u64;
    let mut timed_ms = 0i64;
    let mut counts: Vec<FillerCount> = Vec::new();
    for turn in &spoken {
        let list = words_of(&turn.content);
        words += list.len() as u32;
        if let Some(ms) = turn.speech_ms.filter(|ms| *ms > 0) {
            timed_words += list.len() as u64;
            timed_ms += ms;
        }
        for filler in fillers(&list) {
            match counts.iter_mut().find(|c| c.filler == filler) {
                Some(c) => c.count += 1,
                None => counts.push(FillerCount {
                    filler: filler.to_string(),
                    count: 1,
                }),
            }
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.filler.cmp(&b.filler)));
    let words_per_minute =
        (timed_ms > 0).then(|| (timed_words as f64 * 60_000.0 / timed_ms as f64).round() as u32);
    let note = note(spoken.len() as u32, words, words_per_minute, &counts);
    Some(SpokenDelivery {
        answers: spoken.len() as u32,
        words,
        words_per_minute,
        fillers: counts,
        note,
    })
}

/// Puts the delivery on the card and its note at the end of the communication feedback; the scores
/// are left as they are.
pub fn annotate(card: &mut Scorecard, turns: &[TurnRow]) {
    let Some(delivery) = assess(turns) else {
        return;
    };
    if let Some(d) = card.dimensions.iter_mut().find(|d| d.id == COMMUNICATION)
        && !d.feedback.contains(&delivery.note)
    {
        if !d.feedback.is_empty() {
            d.feedback.push(' ');
        }
        d.feedback.push_str(&delivery.note);
    }
    card.speech = Some(delivery);
}

fn note(answers: u32, words: u32, wpm: Option<u32>, fillers: &[FillerCount]) -> String {
    let plural = if answers == 1 { "" } else { "s" };
    let pace = match wpm {
        None => "pace not measured (the recordings' length is unknown)".to_string(),
        Some(w) if w < SLOW_WPM => format!("{w} words per minute, on the slow side"),
        Some(w) if w > FAST_WPM => {
            format!("{w} words per minute, fast: slow down so the interviewer can follow")
        }
        Some(w) => format!("{w} words per minute, an easy pace to follow"),
    };
    let total: u32 = fillers.iter().map(|f| f.count).sum();
    let filler = if total == 0 {
        "no filler words".to_string()
    } else {
        let listed = fillers
            .iter()
            .map(|f| format!("\"{}\" ×{}", f.filler, f.count))
            .collect::<Vec<_>>()
            .join(", ");
        let share = f64::from(total) / f64::from(words.max(1));
        let advice = if share >= FREQUENT_FILLER_SHARE {
            "; frequent enough to notice: a silent pause works better"
        } else {
            ""
        };
        format!(
            "filler words {listed} ({total} in {words} words, {:.1}%){advice}",
            share * 100.0
        )
    };
    format!("Spoken answer{plural} ({answers}): {pace}; {filler}.")
}

/// The words of a transcription, lowercased, with the pauses around each.
fn words_of(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current = String::new();
    // A pause before the first word: the start of the answer is a boundary.
    let mut gap_has_pause = true;
    for c in text.chars() {
        if c.is_alphabetic() || c == '\'' || c == '’' {
            if current.is_empty() {
                if let Some(prev) = out.last_mut() {
                    prev.pause_after = gap_has_pause;
                }
            }
            current.extend(c.to_lowercase());
            continue;
        }
        if !current.is_empty() {
            out.push(Word {
                text: std::mem::take(&mut current),
                pause_before: gap_has_pause,
                pause_after: false,
            });
            gap_has_pause = false;
        }
        if matches!(c, ',' | ';' | ':' | '…' | '.' | '!' | '?' | '—') {
            gap_has_pause = true;
        }
    }
    if !current.is_empty() {
        out.push(Word {
            text: current,
            pause_before: gap_has_pause,
            pause_after: true,
        });
    } else if let Some(prev) = out.last_mut() {
        prev.pause_after = true;
    }
    out
}

/// The fillers in a run of words, each named as it is reported. Words that are fillers only in
/// some uses ("like", "este", "bueno") count when set apart by pauses on both sides, as a filler
/// is ("it's, like, fast"), or right after another filler; "you know" when a pause stands on
/// either side. Not when they do work ("I'd like to", "like Redis", "este sistema", "do you know").
fn fillers(words: &[Word]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let next = words.get(i + 1);
        let set_apart = w.pause_before && w.pause_after;
        let after_filler = i > 0 && always_filler(&words[i - 1].text).is_some();
        if let Some(name) = always_filler(&w.text) {
            out.push(name);
        } else if w.text == "like" && (set_apart || after_filler) {
            out.push("like");
        } else if w.text == "este" && set_apart {
            out.push("este");
        } else if w.text == "bueno" && set_apart {
            out.push("bueno");
        } else if w.text == "you"
            && let Some(n) = next
            && n.text == "know"
            && (w.pause_before || n.pause_after)
            && !(i > 0 && matches!(words[i - 1].text.as_str(), "do" | "did" | "don't" | "if"))
        {
            out.push("you know");
            i += 1;
        } else if w.text == "o"
            && let Some(n) = next
            && n.text == "sea"
        {
            out.push("o sea");
            i += 1;
        }
        i += 1;
    }
    out
}

/// Words that are fillers wherever they stand, by the name they are reported under.
fn always_filler(word: &str) -> Option<&'static str> {
    match word {
        "um" | "umm" | "ummm" | "uhm" | "erm" | "hmm" => Some("um"),
        "uh" | "uhh" | "uhhh" => Some("uh"),
        "eh" | "ehh" | "ehm" | "em" => Some("eh"),
        "basically" => Some("basically"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(content: &str, spoken: bool, speech_ms: Option<i64>) -> TurnRow {
        TurnRow {
            spoken,
            speech_ms,
            ..TurnRow::typed(1, "s", TurnRole::Candidate, "p", content)
        }
    }

    fn found(text: &str) -> Vec<&'static str> {
        fillers(&words_of(text))
    }

    #[test]
    fn fillers_are_told_from_the_same_words_doing_work() {
        assert_eq!(
            found("Um, so it's, like, basically a cache, you know."),
            ["um", "like", "basically", "you know"]
        );
        assert!(found("I'd like to shard by tenant, like Redis does").is_empty());
        assert!(found("Do you know the latency target? I'd like to know.").is_empty());
        assert!(found("We would look like a queue").is_empty());
        assert_eq!(found("Uh like the queue"), ["uh", "like"]);
        assert_eq!(
            found("Bueno, este... o sea, eh, este sistema es bueno"),
            ["bueno", "este", "o sea", "eh"]
        );
    }

    #[test]
    fn pace_and_fillers_are_noted_for_spoken_answers_only() {
        let turns = vec![
            turn("Um, we'd cache the embeddings.", true, Some(3_000)),
            turn("Typed: like, um, uh.", false, None),
            turn("And, like, shard by tenant.", true, None),
        ];
        let d = assess(&turns).unwrap();
        assert_eq!(d.answers, 2);
        assert_eq!(d.words, 10);
        // Only the timed answer: 5 words in 3 s.
        assert_eq!(d.words_per_minute, Some(100));
        assert_eq!(
            d.fillers,
            vec![
                FillerCount {
                    filler: "like".into(),
                    count: 1
                },
                FillerCount {
                    filler: "um".into(),
                    count: 1
                }
            ]
        );
        assert!(
            d.note
                .starts_with("Spoken answers (2): 100 words per minute, on the slow side")
        );
        assert!(assess(&[turn("Um, like, typed.", false, None)]).is_none());
    }
}
