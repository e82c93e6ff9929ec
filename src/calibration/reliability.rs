//! Measuring the offline scorer's track record that its cards quote (`scoring::reliability`): per
//! interview kind and per recommendation, what the raters said of the held-out transcripts the scorer
//! gave that recommendation; `--write-reliability` writes it to `calibration/reliability.toml`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::Catalog;
use crate::scoring::Recommendation;
use crate::scoring::reliability::{Cell, RatersSaid, Table};

use super::corpus::Corpus;
use super::evaluate::Report;

/// The file next to the corpus that the build embeds.
pub fn path(dir: &Path) -> PathBuf {
    dir.join("reliability.toml")
}

/// The table for a held-out report. Manipulated transcripts are left out: they are attacks built on
/// weak bases, not interviews a candidate would hold.
pub fn measure(catalog: &Catalog, corpus: &Corpus, report: &Report) -> Table {
    let manipulated: BTreeMap<&str, bool> = corpus
        .transcripts
        .iter()
        .map(|t| (t.id.as_str(), t.manipulation.is_some()))
        .collect();
    let mut rubrics = BTreeMap::new();
    let mut tally: BTreeMap<(String, Recommendation), (RatersSaid, f64)> = BTreeMap::new();
    let mut transcripts = 0;
    for row in &report.rows {
        if manipulated.get(row.id.as_str()).copied().unwrap_or(true) {
            continue;
        }
        let Some(entry) = catalog.question(&row.question) else {
            continue;
        };
        let rubric = &entry.rubric;
        rubrics.insert(rubric.id.clone(), rubric.version.clone());
        transcripts += 1;
        let error = (row.label_overall - f64::from(row.overall)).abs();
        for kind in [rubric.id.as_str(), "all"] {
            let (said, total_error) = tally
                .entry((kind.to_string(), row.recommendation))
                .or_default();
            said.add(row.label_recommendation);
            *total_error += error;
        }
    }
    let cells = tally
        .into_iter()
        .map(|((kind, scorer), (raters, total_error))| Cell {
            kind,
            scorer,
            raters,
            // One decimal: the card rounds to whole points, and the file stays stable to compare.
            mean_abs_error: (total_error / f64::from(raters.total().max(1)) * 10.0).round() / 10.0,
        })
        .collect();
    Table {
        split: report.split.clone(),
        transcripts,
        rubrics,
        cells,
    }
}

/// The table as the file holds it, with a header saying where it comes from.
pub fn to_file_text(table: &Table) -> Result<String, String> {
    let body = toml::to_string(table).map_err(|e| e.to_string())?;
    Ok(format!(
        "# Written by `mock-interviewer calibrate --write-reliability`: per interview kind (and `all`) and per\n\
         # recommendation of the offline scorer, what two raters' consensus said of the held-out, unmanipulated\n\
         # transcripts it gave that recommendation. Embedded in the build; every offline card quotes its row\n\
         # (src/scoring/reliability.rs). Do not edit by hand: a test measures it again and compares.\n\n{body}"
    ))
}

pub fn write(dir: &Path, table: &Table) -> Result<PathBuf, String> {
    let p = path(dir);
    std::fs::write(&p, to_file_text(table)?).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok(p)
}

/// The table as `calibrate` prints it.
pub fn render(out: &mut String, table: &Table, current: bool) {
    let _ = writeln!(
        out,
        "\n== What offline cards quote: the scorer's recommendation against the raters' ({}, {} unmanipulated transcripts)",
        table.split, table.transcripts
    );
    let _ = writeln!(
        out,
        "{:<14} {:<15} {:>3} {:>7}   raters: sNH  NH   H  sH   MAE",
        "kind", "scorer said", "n", "agreed"
    );
    for c in &table.cells {
        let r = c.raters;
        let _ = writeln!(
            out,
            "{:<14} {:<15} {:>3} {:>6.0}%          {:>3} {:>3} {:>3} {:>3} {:>5.1}",
            c.kind,
            c.scorer.as_str(),
            r.total(),
            100.0 * f64::from(r.count(c.scorer)) / f64::from(r.total().max(1)),
            r.strong_no_hire,
            r.no_hire,
            r.hire,
            r.strong_hire,
            c.mean_abs_error
        );
    }
    let _ = writeln!(
        out,
        "{}",
        if current {
            "The build's calibration/reliability.toml holds these figures."
        } else {
            "The build's calibration/reliability.toml differs: run `calibrate --write-reliability` and rebuild."
        }
    );
}
