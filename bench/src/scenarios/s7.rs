//! S7: several instances on one PostgreSQL database against one instance on SQLite and one on
//! PostgreSQL. For each setup: committed offline turns per second with concurrent candidates (and the
//! reply's p99), and the time to first token the service adds in LLM mode (p50, p99), measured against
//! the mock directly, interleaved. With two instances every candidate sends its turns to them in
//! turn, as a round-robin balancer would: every turn is served by the instance that did not serve the
//! last one, so each reads the session back from the database (its snapshot is stale by design).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{ANSWERS, QUESTION, hist, q, record};
use crate::args::Args;
use crate::report::{Figure, Run};
use crate::service::Service;
use crate::{client, mock};

/// A database of its own on the PostgreSQL server, created with `psql` and dropped after.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin: &str) -> anyhow::Result<PgDatabase> {
        let name = format!("mi_bench_{}", std::process::id());
        psql(
            admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )?;
        psql(admin, &format!("CREATE DATABASE {name}"))?;
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
        Ok(PgDatabase {
            admin: admin.to_string(),
            url: format!("{base}/{name}"),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let out = std::process::Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

pub async fn s7(
    args: &Args,
    binary: &PathBuf,
    mock: &mock::Mock,
    epoch: Instant,
    run: &mut Run,
) -> anyhow::Result<()> {
    let setups: [(&str, usize, bool); 3] = [
        ("1 instance, SQLite", 1, false),
        ("1 instance, PostgreSQL", 1, true),
        ("2 instances, one PostgreSQL", 2, true),
    ];
    for (label, instances, pg) in setups {
        let db = if pg {
            Some(PgDatabase::create(&args.pg_admin_url)?)
        } else {
            None
        };
        let mut offline = Vec::new();
        let mut model = Vec::new();
        for _ in 0..instances {
            let url = db.as_ref().map(|d| d.url.as_str());
            offline.push(Service::start_on(binary, None, url).await?);
            model.push(Service::start_on(binary, Some(&mock.url()), url).await?);
        }
        let bases: Vec<String> = offline.iter().map(|s| s.base.clone()).collect();
        let (rate, p99, errors) = throughput(args, &bases).await?;
        run.push(Figure::info(
            &format!(
                "S7 {label}: offline committed turns/s ({} candidates)",
                args.offline_candidates
            ),
            rate,
            "/s",
        ));
        run.push(Figure::info(
            &format!("S7 {label}: offline reply p99"),
            p99,
            "ms",
        ));
        let bases: Vec<String> = model.iter().map(|s| s.base.clone()).collect();
        let (p50, p99_ttft, llm_errors) = added_ttft(args, &bases, mock, epoch).await?;
        run.push(Figure::info(
            &format!("S7 {label}: added TTFT p50"),
            p50,
            "us",
        ));
        run.push(Figure::info(
            &format!("S7 {label}: added TTFT p99"),
            p99_ttft,
            "us",
        ));
        run.push(Figure::errors(
            &format!("S7 {label}: errors"),
            (errors + llm_errors) as f64,
        ));
        drop(offline);
        drop(model);
        drop(db);
    }
    Ok(())
}

/// Offline turns from `offline_candidates` candidates for `offline_seconds`, each candidate's turns
/// sent to the instances in turn. Returns turns/s, the reply's p99 (ms) and the errors.
async fn throughput(args: &Args, bases: &[String]) -> anyhow::Result<(f64, f64, u64)> {
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let deadline = Instant::now() + Duration::from_secs(args.offline_seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..args.offline_candidates)
        .map(|w| {
            let client = client.clone();
            let bases = bases.to_vec();
            tokio::spawn(async move {
                let mut lat = hist();
                let (mut turns, mut errors) = (0u64, 0u64);
                let mut session = String::new();
                let mut i = w;
                while Instant::now() < deadline {
                    let base = &bases[i % bases.len()];
                    if turns % 30 == 0 {
                        match client::create_session(&client, base, QUESTION).await {
                            Ok(s) => session = s,
                            Err(_) => {
                                errors += 1;
                                continue;
                            }
                        }
                    }
                    match client::offline_turn(&client, base, &session, ANSWERS[i % ANSWERS.len()])
                        .await
                    {
                        Ok(ns) => {
                            let _ = lat.record(ns.max(1));
                            turns += 1;
                        }
                        Err(e) => {
                            eprintln!("S7 turn error: {e}");
                            errors += 1
                        }
                    }
                    i += 1;
                }
                (lat, turns, errors)
            })
        })
        .collect();
    let mut lat = hist();
    let (mut turns, mut errors) = (0u64, 0u64);
    for w in workers {
        let (l, t, e) = w.await?;
        lat.add(l).ok();
        turns += t;
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    Ok((turns as f64 / secs, q(&lat, 0.99) / 1e6, errors))
}

/// `turns` streamed turns, one at a time, through the instances in turn and directly against the
/// mock, interleaved. Returns the added TTFT at p50 and p99 (us) and the errors.
async fn added_ttft(
    args: &Args,
    bases: &[String],
    mock: &mock::Mock,
    epoch: Instant,
) -> anyhow::Result<(f64, f64, u64)> {
    mock.set(args.chunks, Duration::from_millis(args.pace_ms));
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let mut session = client::create_session(&client, &bases[0], QUESTION).await?;
    for (i, base) in bases.iter().cycle().take(3).enumerate() {
        client::openai_turn(&client, &mock.url(), "mock", ANSWERS[i % 4], epoch).await;
        client::service_turn(&client, base, &session, ANSWERS[i % 4], epoch).await;
    }
    let (mut ttft_d, mut ttft_s, mut chunks) = (hist(), hist(), hist());
    let (mut errors, mut lost) = (0u64, 0u64);
    for i in 0..args.turns {
        let base = &bases[i % bases.len()];
        if i % 20 == 0 {
            session = client::create_session(&client, base, QUESTION).await?;
        }
        let content = ANSWERS[i % ANSWERS.len()];
        let direct = client::openai_turn(&client, &mock.url(), "mock", content, epoch).await;
        record(
            &direct,
            args.chunks,
            &mut ttft_d,
            &mut chunks,
            &mut errors,
            &mut lost,
        );
        let through = client::service_turn(&client, base, &session, content, epoch).await;
        record(
            &through,
            args.chunks,
            &mut ttft_s,
            &mut chunks,
            &mut errors,
            &mut lost,
        );
    }
    let added = |p: f64| (q(&ttft_s, p) - q(&ttft_d, p)) / 1_000.0;
    Ok((added(0.5), added(0.99), errors + lost))
}
