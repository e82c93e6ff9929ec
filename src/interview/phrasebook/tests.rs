use super::*;

#[test]
fn a_phrasing_is_said_at_most_twice_then_others_then_nothing() {
    let mut memory = Memory::default();
    let mut seen = Vec::new();
    for turn in 0..20 {
        let mut voice = Voice::new(Kind::SystemDesign, PhaseMode::Design, &memory, turn);
        match voice.say(Line::Thin) {
            Some(t) => {
                for s in super::super::memory::long_sentences(&t) {
                    *memory.said.entry(s).or_default() += 1;
                }
                seen.push(t);
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 4 * MAX_REPEATS);
    assert!(memory.said.values().all(|&n| n <= MAX_REPEATS));
    // Consecutive replies do not repeat each other.
    assert!(seen.windows(2).all(|w| w[0] != w[1]));
}

#[test]
fn other_kinds_do_not_speak_system_design() {
    let memory = Memory::default();
    for kind in [Kind::Debugging, Kind::Coding, Kind::Behavioral] {
        for mode in [PhaseMode::Design, PhaseMode::DeepDive, PhaseMode::Tradeoffs] {
            let mut voice = Voice::new(kind, mode, &memory, 0);
            let text = voice
                .say(Line::PhaseWrap)
                .unwrap_or_default()
                .to_lowercase();
            assert!(!text.contains("component"), "{kind:?} {mode:?}: {text}");
            assert!(!text.contains("architecture"), "{kind:?} {mode:?}: {text}");
        }
    }
}
