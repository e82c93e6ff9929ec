//! Choosing the question: the list from `GET /api/questions`, picked by its number or its id.

use super::wire::Question;

/// The question a typed choice names: its number in the list (from 1) or its id.
pub fn pick<'q>(questions: &'q [Question], choice: &str) -> Result<&'q Question, String> {
    let choice = choice.trim();
    if let Ok(n) = choice.parse::<usize>() {
        return n
            .checked_sub(1)
            .and_then(|i| questions.get(i))
            .ok_or_else(|| {
                format!(
                    "there is no question {n}: type a number from 1 to {}, or an id",
                    questions.len()
                )
            });
    }
    questions
        .iter()
        .find(|q| q.id.eq_ignore_ascii_case(choice))
        .ok_or_else(|| format!("no question has the id `{choice}`: type its number or its id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Vec<Question> {
        ["rag-customer-support", "prompt-cache"]
            .iter()
            .map(|id| Question {
                id: id.to_string(),
                ..Question::default()
            })
            .collect()
    }

    #[test]
    fn by_number_or_by_id() {
        let qs = bank();
        assert_eq!(pick(&qs, "2").unwrap().id, "prompt-cache");
        assert_eq!(
            pick(&qs, " Rag-Customer-Support ").unwrap().id,
            "rag-customer-support"
        );
        assert!(pick(&qs, "0").unwrap_err().contains("from 1 to 2"));
        assert!(pick(&qs, "3").is_err());
        assert!(pick(&qs, "nope").unwrap_err().contains("`nope`"));
    }
}
