//! S3: many concurrent streams: errors and the largest gap between chunks, with the service on two
//! cores and pinned to one; its peak memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{ANSWERS, QUESTION, hist, q, taskset};
use crate::args::Args;
use crate::report::{Figure, Run};
use crate::service::Service;
use crate::{client, mock, procfs};

pub async fn run(
    args: &Args,
    svc: &Service,
    mock: &mock::Mock,
    epoch: Instant,
    streams: usize,
    pinned: bool,
    run: &mut Run,
) -> anyhow::Result<()> {
    mock.set(args.chunks, Duration::from_millis(args.pace_ms));
    let label = if pinned {
        format!("S3 {streams} streams, service pinned to 1 core")
    } else {
        format!("S3 {streams} streams")
    };
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(streams)
        .build()?;
    let mut sessions = Vec::with_capacity(streams);
    let mut creating = futures::stream::iter(0..streams)
        .map(|_| client::create_session(&client, &svc.base, QUESTION))
        .buffer_unordered(32);
    use futures::StreamExt;
    while let Some(s) = creating.next().await {
        sessions.push(s?);
    }
    drop(creating);
    // One turn each beforehand so per-session state (connections, caches) is not counted as per-stream.
    if pinned {
        taskset("0", svc.pid);
        taskset("1", std::process::id());
    }
    let rss_before = procfs::rss_kib(svc.pid);
    let peak = Arc::new(AtomicU64::new(rss_before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done, pid) = (peak.clone(), done.clone(), svc.pid);
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(procfs::rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let tasks: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let client = client.clone();
            let base = svc.base.clone();
            tokio::spawn(async move {
                client::service_turn(&client, &base, &s, ANSWERS[i % ANSWERS.len()], epoch).await
            })
        })
        .collect();
    let mut gaps = hist();
    let (mut errors, mut lost) = (0u64, 0u64);
    for t in tasks {
        let t = t.await?;
        if let Some(e) = &t.error {
            if errors < 3 {
                eprintln!("{label}: {e}");
            }
            errors += 1;
            continue;
        }
        if t.tokens != args.chunks || !t.in_order {
            lost += 1;
        }
        for g in &t.gaps {
            let _ = gaps.record((*g).max(1));
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    if pinned {
        taskset("0,1", svc.pid);
        taskset("0,1", std::process::id());
    }
    let growth = peak.load(Ordering::Relaxed).saturating_sub(rss_before) as f64 / streams as f64;
    run.push(Figure::errors(
        &format!("{label}: errors or lost/out-of-order tokens"),
        (errors + lost) as f64,
    ));
    run.push(Figure::at_most(
        &format!("{label}: p99 gap between chunks"),
        q(&gaps, 0.99) / 1e6,
        "ms",
        2.0 * args.pace_ms as f64,
    ));
    run.push(Figure::at_most(
        &format!("{label}: RSS growth per live stream"),
        growth,
        "KiB",
        32.0,
    ));
    Ok(())
}
