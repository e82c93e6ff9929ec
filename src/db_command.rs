//! The `db migrate` command: copies a SQLite file into PostgreSQL with a progress bar on the terminal,
//! then prints each table's counts (see `storage::copy` for what is copied and how reruns behave).

use indicatif::{ProgressBar, ProgressStyle};

use crate::storage::DbTarget;
use crate::storage::copy::{self, CopyOptions, Progress};

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total_rows: u64) {
        self.0.set_length(total_rows);
    }

    fn advance(&self, table: &str, rows: u64) {
        self.0.set_message(table.to_string());
        self.0.inc(rows);
    }
}

/// Runs `db migrate --from sqlite:PATH --to postgres://...`.
pub async fn migrate(from: &DbTarget, to: &DbTarget, force: bool) -> anyhow::Result<()> {
    let DbTarget::Sqlite(path) = from else {
        anyhow::bail!("--from must be a SQLite database (sqlite:PATH or a path), not {from}");
    };
    let DbTarget::Postgres(url) = to else {
        anyhow::bail!("--to must be a PostgreSQL URL (postgres://...), not {to}");
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({per_sec}, {eta} left) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let copied =
        copy::sqlite_to_postgres(path, url, CopyOptions { force }, &Bar(bar.clone())).await;
    bar.finish_and_clear();
    let report = copied?;
    println!("copied {} into {to}", from);
    for c in &report.counts {
        println!(
            "  {:<14} {:>9} rows, {:>9} in the target",
            c.table, c.source, c.target
        );
    }
    println!(
        "{} rows written this run; every count matches",
        report.written
    );
    Ok(())
}
