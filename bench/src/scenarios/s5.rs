//! S5: the offline interviewer under load: turns per second and latency.

use std::time::{Duration, Instant};

use super::{ANSWERS, QUESTION, hist, q};
use crate::args::Args;
use crate::client;
use crate::procfs;
use crate::report::{Figure, Run};
use crate::service::Service;

pub async fn run(args: &Args, svc: &Service, run: &mut Run) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let deadline = Instant::now() + Duration::from_secs(args.offline_seconds);
    let started = Instant::now();
    // The service's own CPU per committed turn: the client shares the machine, so turns per second
    // also moves with the client's cost; this does not.
    let cpu_before = procfs::cpu_ns(svc.pid);
    let workers: Vec<_> = (0..args.offline_candidates)
        .map(|w| {
            let client = client.clone();
            let base = svc.base.clone();
            tokio::spawn(async move {
                let mut lat = hist();
                let (mut turns, mut errors) = (0u64, 0u64);
                let mut session = String::new();
                let mut i = w;
                while Instant::now() < deadline {
                    if turns % 30 == 0 {
                        match client::create_session(&client, &base, QUESTION).await {
                            Ok(s) => session = s,
                            Err(_) => {
                                errors += 1;
                                continue;
                            }
                        }
                    }
                    match client::offline_turn(&client, &base, &session, ANSWERS[i % ANSWERS.len()])
                        .await
                    {
                        Ok(ns) => {
                            let _ = lat.record(ns.max(1));
                            turns += 1;
                        }
                        Err(_) => errors += 1,
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
    let cpu = procfs::cpu_ns(svc.pid).saturating_sub(cpu_before);
    run.push(Figure::at_least(
        &format!(
            "S5 offline committed turns/s ({} candidates)",
            args.offline_candidates
        ),
        turns as f64 / secs,
        "/s",
        5000.0,
    ));
    run.push(Figure::at_most(
        "S5 offline reply p99",
        q(&lat, 0.99) / 1e6,
        "ms",
        5.0,
    ));
    run.push(Figure::info(
        "S5 offline reply p50",
        q(&lat, 0.5) / 1e6,
        "ms",
    ));
    run.push(Figure::info(
        "S5 service CPU per committed turn",
        cpu as f64 / 1e3 / turns.max(1) as f64,
        "us",
    ));
    run.push(Figure::errors("S5 errors", errors as f64));
    Ok(())
}
