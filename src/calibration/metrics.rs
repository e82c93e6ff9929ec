//! Agreement statistics between two raters of 1-4 scores: exact, within one, quadratic weighted kappa.

/// Share of pairs that agree exactly.
pub fn exact(pairs: &[(u8, u8)]) -> f64 {
    share(pairs, |a, b| a == b)
}

/// Share of pairs at most one point apart.
pub fn within_one(pairs: &[(u8, u8)]) -> f64 {
    share(pairs, |a, b| a.abs_diff(b) <= 1)
}

fn share(pairs: &[(u8, u8)], ok: impl Fn(u8, u8) -> bool) -> f64 {
    if pairs.is_empty() {
        return 1.0;
    }
    pairs.iter().filter(|(a, b)| ok(*a, *b)).count() as f64 / pairs.len() as f64
}

/// Cohen's kappa with quadratic weights over the scores 1-4. When both raters give every item the
/// same single score, agreement is perfect and kappa is 1; when only the expected disagreement is zero
/// otherwise, it is 0.
pub fn quadratic_kappa(pairs: &[(u8, u8)]) -> f64 {
    const K: usize = 4;
    let n = pairs.len();
    if n == 0 {
        return 1.0;
    }
    let idx = |s: u8| usize::from(s.clamp(1, 4) - 1);
    let mut observed = [[0.0f64; K]; K];
    let mut ha = [0.0f64; K];
    let mut hb = [0.0f64; K];
    for &(a, b) in pairs {
        observed[idx(a)][idx(b)] += 1.0;
        ha[idx(a)] += 1.0;
        hb[idx(b)] += 1.0;
    }
    let w = |i: usize, j: usize| ((i as f64 - j as f64).powi(2)) / ((K - 1) as f64).powi(2);
    let mut num = 0.0;
    let mut den = 0.0;
    for i in 0..K {
        for j in 0..K {
            num += w(i, j) * observed[i][j];
            den += w(i, j) * ha[i] * hb[j] / n as f64;
        }
    }
    if den == 0.0 {
        return if num == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - num / den
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_agreement_is_kappa_one() {
        let p = [(1, 1), (2, 2), (3, 3), (4, 4)];
        assert!((quadratic_kappa(&p) - 1.0).abs() < 1e-9);
        assert_eq!(exact(&p), 1.0);
    }

    #[test]
    fn kappa_punishes_far_misses_more_than_near_ones() {
        let near = [(1, 2), (2, 2), (3, 3), (4, 3), (2, 1), (3, 4)];
        let far = [(1, 4), (2, 2), (3, 3), (4, 1), (2, 1), (3, 4)];
        assert!(quadratic_kappa(&near) > 0.6, "{}", quadratic_kappa(&near));
        assert!(quadratic_kappa(&far) < 0.0, "{}", quadratic_kappa(&far));
        assert_eq!(within_one(&near), 1.0);
        assert!((within_one(&far) - 4.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_known_kappa_value() {
        // Worked by hand: observed weighted disagreement 2/9 per item vs 10/9 expected.
        let p = [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 3)];
        let k = quadratic_kappa(&p);
        assert!(k > 0.7 && k < 0.9, "{k}");
    }
}
