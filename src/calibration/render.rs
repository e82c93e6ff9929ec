//! The human-readable report of a `calibrate` run: per-dimension agreement beside the raters' own,
//! the recommendation, pairwise ordering, the overall error, manipulation lifts and the verdict.

use std::fmt::Write as _;

use super::evaluate::Report;
use super::run::Outcome;

fn pct(x: f64) -> String {
    format!("{:>4.0}%", x * 100.0)
}

pub fn render_report(out: &mut String, r: &Report, title: &str) {
    let _ = writeln!(
        out,
        "\n== {title}: split {} ({} transcripts, {} labelled{})",
        r.split,
        r.transcripts,
        r.labelled,
        if r.provisional {
            ", SOME LABELS PROVISIONAL (authors' archetypes)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "{:<40} {:>3}  {:>5} {:>5} {:>6}   | raters: {:>5} {:>5} {:>6}",
        "dimension", "n", "exact", "+-1", "kappa", "exact", "+-1", "kappa"
    );
    for d in &r.dimensions {
        let human = d
            .human
            .as_ref()
            .map(|h| format!("{} {} {:>6.2}", pct(h.exact), pct(h.within_one), h.kappa))
            .unwrap_or_else(|| "    -     -      -".to_string());
        let _ = writeln!(
            out,
            "{:<40} {:>3}  {} {} {:>6.2}   |         {}",
            format!("{}.{}", d.rubric, d.id),
            d.scorer.n,
            pct(d.scorer.exact),
            pct(d.scorer.within_one),
            d.scorer.kappa,
            human
        );
    }
    let _ = writeln!(
        out,
        "recommendation: exact {} within one step {}{}{}  (n={})",
        pct(r.recommendation.exact),
        pct(r.recommendation.within_one),
        r.recommendation
            .human_exact
            .map(|h| format!("  | raters exact {}", pct(h)))
            .unwrap_or_default(),
        r.recommendation
            .labels_through_rule
            .map(|h| format!("  | labels through the rule {}", pct(h)))
            .unwrap_or_default(),
        r.recommendation.n
    );
    let _ = writeln!(
        out,
        "pairwise ordering: {}/{} = {}",
        r.pairwise.agree,
        r.pairwise.pairs,
        pct(r.pairwise.agreement)
    );
    for (hi, lo) in r.pairwise.misordered.iter().take(8) {
        let _ = writeln!(out, "  misordered: {hi} should score above {lo}");
    }
    let _ = writeln!(out, "overall score MAE: {:.1}", r.overall_mae);
    if r.manipulations.is_empty() {
        let _ = writeln!(out, "manipulations: none lifted anything over its base");
    } else {
        let _ = writeln!(out, "manipulations that lifted something over their base:");
        for l in &r.manipulations {
            let dims: Vec<String> = l
                .lifted
                .iter()
                .map(|(d, a, b)| format!("{d} {a}->{b}"))
                .collect();
            let _ = writeln!(
                out,
                "  {} ({}): overall {}->{}, {}->{}{}{}",
                l.transcript,
                l.kind,
                l.base_overall,
                l.overall,
                l.base_recommendation.as_str(),
                l.recommendation.as_str(),
                if dims.is_empty() {
                    String::new()
                } else {
                    format!("; {}", dims.join(", "))
                },
                if l.breaks_bar { "  BREAKS THE BAR" } else { "" }
            );
        }
    }
}

pub fn render(o: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "calibration corpus: {}{}",
        o.corpus,
        if o.thresholds_file {
            ""
        } else {
            " (no thresholds.toml: the issue's defaults apply)"
        }
    );
    for p in &o.problems {
        let _ = writeln!(out, "  problem: {p}");
    }
    if !o.fitted.is_empty() {
        let _ = writeln!(
            out,
            "fitted on the train split and written into the rubrics:"
        );
        for (k, f) in &o.fitted {
            let t = f.thresholds;
            let _ = writeln!(
                out,
                "  {k:<40} [{}, {}, {}] substance {}",
                t[0], t[1], t[2], f.substance
            );
        }
    }
    render_report(
        &mut out,
        &o.train,
        "train (thresholds are fitted here; for information)",
    );
    if let Some(cv) = &o.cross_validated {
        render_report(
            &mut out,
            cv,
            "train, cross-validated: each question scored with thresholds fitted on the others",
        );
    }
    render_report(&mut out, &o.verdict, "verdict");
    if let Some(judges) = &o.judges {
        super::judges::render(&mut out, judges);
    }
    if let Some(table) = &o.reliability {
        let current = crate::scoring::reliability::embedded() == Some(table);
        super::reliability::render(&mut out, table, current);
    }
    if o.passed() {
        let _ = writeln!(
            out,
            "\nPASS: every threshold met on split {}",
            o.verdict.split
        );
    } else {
        let _ = writeln!(out, "\nFAIL on split {}:", o.verdict.split);
        for f in &o.verdict.failures {
            let _ = writeln!(out, "  {f}");
        }
        for j in o.judges.iter().flatten() {
            for f in &j.failures {
                let _ = writeln!(out, "  judge {}: {f}", j.judge);
            }
        }
    }
    out
}
