use super::*;

fn one(text: &str) -> Figure {
    let f = figures(text);
    assert_eq!(f.len(), 1, "{text}: {f:?}");
    f.into_iter().next().unwrap()
}

#[test]
fn thousands_separators_and_scale_words_give_one_value() {
    assert_eq!(one("a nightly batch of 70,000").value, 70_000.0);
    assert_eq!(one("a nightly batch of 70k").value, 70_000.0);
    assert_eq!(one("about 2.5 million documents").value, 2_500_000.0);
    let money = one("costs $60K a month");
    assert_eq!((money.value, money.unit), (60_000.0, Unit::Money));
}

#[test]
fn units_are_normalised() {
    let a = one("within 1.5 s at P95");
    let b = one("within 1,500 ms");
    assert!(a.same_quantity(&b));
    assert_eq!(one("45% of traffic").unit, Unit::Percent);
    assert_eq!(one("400 GB of text").value, 400e9);
    assert_eq!(one("10x the traffic").unit, Unit::Times);
}

#[test]
fn small_counts_are_the_same_only_when_they_count_the_same_thing() {
    let six = one("six languages");
    assert_eq!(six.noun.as_deref(), Some("language"));
    assert!(six.same_quantity(&one("6 languages")));
    assert!(!six.same_quantity(&one("6 replicas")));
    assert!(one("70,000 new documents").same_quantity(&one("a batch of 70,000")));
}

#[test]
fn money_and_bare_amounts_compare_when_large() {
    assert!(one("$60K").same_quantity(&one("60,000 per month")));
    assert!(!one("$5").same_quantity(&one("5 seconds")));
}

#[test]
fn telling_figures_exclude_bare_small_numbers() {
    assert!(!one("pick 2 or so").is_telling());
    assert!(one("top 10,000 queries").is_telling());
    assert!(!one("under 10x load").is_telling());
    assert!(one("six languages").is_telling());
}

mod skipping_the_scan {
    use proptest::prelude::*;

    use super::super::{figures, scan};

    /// Words that start figures, that look like them, and that do not, in any case, with digits,
    /// signs and letters the scanner lower-cases.
    fn text() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("two".to_string()),
            Just("Twenty".to_string()),
            Just("SEVENTEEN".to_string()),
            Just("dozen".to_string()),
            Just("one".to_string()),
            Just("half".to_string()),
            Just("hundred".to_string()),
            Just("million".to_string()),
            Just("tWo".to_string()),
            Just("twofold".to_string()),
            Just("ÉTÉ".to_string()),
            Just("ΣΟΦΙΑ".to_string()),
            Just("K".to_string()),
            "[a-zA-Z]{1,10}",
            "[0-9]{1,5}",
            "[0-9]{1,3}[kKmsx%]{0,2}",
            "[$€£%/.,?!;:-]",
        ];
        prop::collection::vec((word, prop_oneof![Just(" "), Just(""), Just("-")]), 0..12)
            .prop_map(|parts| parts.into_iter().map(|(w, sep)| w + sep).collect())
    }

    proptest! {
        /// A text the check passes over holds no figure: skipping the scan changes nothing.
        #[test]
        fn the_check_only_skips_texts_without_figures(t in text()) {
            prop_assert_eq!(figures(&t), scan(&t));
        }
    }
}
