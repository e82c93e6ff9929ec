//! S1: the latency the service adds to a streamed reply (time to first token and chunk delivery),
//! measured on one interleaved workload that sends the same turns directly to the mock upstream,
//! through a baseline relay, through the service and (for S6) through LiteLLM, in rotating order.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use super::{ANSWERS, QUESTION, hist, q, record};
use crate::args::Args;
use crate::report::{Figure, Run};
use crate::service::Service;
use crate::{client, mock, procfs, relay};

/// Microseconds per nanosecond count.
pub const US: f64 = 1_000.0;

/// What the interleaved workload measured, per path: d(irect), s(ervice), r(elay), l(iteLLM).
pub struct Interleaved {
    pub ttft_d: Histogram<u64>,
    pub ttft_s: Histogram<u64>,
    pub ttft_l: Histogram<u64>,
    pub ttft_r: Histogram<u64>,
    pub chunk_d: Histogram<u64>,
    pub chunk_s: Histogram<u64>,
    pub chunk_l: Histogram<u64>,
    pub chunk_r: Histogram<u64>,
    pub errors: u64,
    pub lost: u64,
    pub service_cpu: u64,
    pub service_runs: u64,
    pub relay_cpu: u64,
    pub relay_runs: u64,
    /// The service's CPU over the whole workload, from /proc/PID/stat.
    pub stat_cpu: u64,
    pub litellm_cpu: u64,
    pub with_litellm: bool,
    pub turns: f64,
    pub chunks: f64,
}

/// What a path adds at a quantile over another: through it minus direct, in microseconds.
pub fn added(through: &Histogram<u64>, direct: &Histogram<u64>, p: f64) -> f64 {
    (q(through, p) - q(direct, p)) / US
}

/// Runs the interleaved workload: the same turns directly, through the baseline relay, through the
/// service and (for S6) through LiteLLM.
pub async fn measure(
    args: &Args,
    svc: &Service,
    relay: &relay::Relay,
    mock: &mock::Mock,
    client: &reqwest::Client,
    epoch: Instant,
    with_litellm: bool,
) -> anyhow::Result<Interleaved> {
    mock.set(args.chunks, Duration::from_millis(args.pace_ms));
    let litellm = args.litellm_url.as_deref().filter(|_| with_litellm);
    let mut session = client::create_session(client, &svc.base, QUESTION).await?;
    // Warm both paths (connections, caches, the tokenizer) before measuring.
    for i in 0..3 {
        client::openai_turn(client, &mock.url(), "mock", ANSWERS[i % 4], epoch).await;
        client::openai_turn(client, &relay.url, "mock", ANSWERS[i % 4], epoch).await;
        client::service_turn(client, &svc.base, &session, ANSWERS[i % 4], epoch).await;
        if let Some(url) = litellm {
            client::openai_turn(client, url, &args.litellm_model, ANSWERS[i % 4], epoch).await;
        }
    }
    let (mut ttft_d, mut ttft_s, mut ttft_l, mut ttft_r) = (hist(), hist(), hist(), hist());
    let (mut chunk_d, mut chunk_s, mut chunk_l, mut chunk_r) = (hist(), hist(), hist(), hist());
    let mut errors = 0u64;
    let mut lost = 0u64;
    let mut service_cpu = 0u64;
    let mut service_runs = 0u64;
    let mut relay_cpu = 0u64;
    let mut relay_runs = 0u64;
    let stat_before = procfs::stat_cpu_ns(svc.pid);
    let mut litellm_cpu = 0u64;
    let litellm_pids = args
        .litellm_pid
        .map(procfs::with_children)
        .unwrap_or_default();
    for i in 0..args.turns {
        if i % 20 == 0 {
            // Sessions of realistic length: a new interview every 20 turns.
            session = client::create_session(client, &svc.base, QUESTION).await?;
        }
        let content = ANSWERS[i % ANSWERS.len()];
        // Rotate which path goes first so none always runs on a warmer machine (LiteLLM, when
        // present, goes last).
        let mut order: [u8; 4] = [0, 1, 3, 2];
        order[..3].rotate_left(i % 3);
        for path in order {
            match path {
                0 => {
                    let t = client::openai_turn(client, &mock.url(), "mock", content, epoch).await;
                    record(
                        &t,
                        args.chunks,
                        &mut ttft_d,
                        &mut chunk_d,
                        &mut errors,
                        &mut lost,
                    );
                }
                1 => {
                    let before = procfs::cpu_ns(svc.pid);
                    let runs_before = procfs::runs_on_cpu(svc.pid);
                    let t = client::service_turn(client, &svc.base, &session, content, epoch).await;
                    // The reply is committed just after `done`: let it finish before reading the CPU.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    service_cpu += procfs::cpu_ns(svc.pid).saturating_sub(before);
                    service_runs += procfs::runs_on_cpu(svc.pid).saturating_sub(runs_before);
                    record(
                        &t,
                        args.chunks,
                        &mut ttft_s,
                        &mut chunk_s,
                        &mut errors,
                        &mut lost,
                    );
                }
                3 => {
                    let before = procfs::cpu_ns(relay.pid);
                    let runs_before = procfs::runs_on_cpu(relay.pid);
                    let t = client::openai_turn(client, &relay.url, "mock", content, epoch).await;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    relay_cpu += procfs::cpu_ns(relay.pid).saturating_sub(before);
                    relay_runs += procfs::runs_on_cpu(relay.pid).saturating_sub(runs_before);
                    record(
                        &t,
                        args.chunks,
                        &mut ttft_r,
                        &mut chunk_r,
                        &mut errors,
                        &mut lost,
                    );
                }
                _ => {
                    if let Some(url) = litellm {
                        let before = procfs::cpu_ns_all(&litellm_pids);
                        let t =
                            client::openai_turn(client, url, &args.litellm_model, content, epoch)
                                .await;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        litellm_cpu += procfs::cpu_ns_all(&litellm_pids).saturating_sub(before);
                        record(
                            &t,
                            args.chunks,
                            &mut ttft_l,
                            &mut chunk_l,
                            &mut errors,
                            &mut lost,
                        );
                    }
                }
            }
        }
    }
    let stat_cpu = procfs::stat_cpu_ns(svc.pid).saturating_sub(stat_before);
    Ok(Interleaved {
        ttft_d,
        ttft_s,
        ttft_l,
        ttft_r,
        chunk_d,
        chunk_s,
        chunk_l,
        chunk_r,
        errors,
        lost,
        service_cpu,
        service_runs,
        relay_cpu,
        relay_runs,
        stat_cpu,
        litellm_cpu,
        with_litellm: litellm.is_some(),
        turns: args.turns as f64,
        chunks: args.chunks as f64,
    })
}

/// The S1 figures.
pub fn figures(m: &Interleaved, run: &mut Run) {
    run.push(Figure::info(
        "S1 direct TTFT p50",
        q(&m.ttft_d, 0.5) / US,
        "us",
    ));
    run.push(Figure::info(
        "S1 service TTFT p50",
        q(&m.ttft_s, 0.5) / US,
        "us",
    ));
    run.push(Figure::at_most(
        "S1 added TTFT p50",
        added(&m.ttft_s, &m.ttft_d, 0.5),
        "us",
        300.0,
    ));
    run.push(Figure::at_most(
        "S1 added TTFT p99",
        added(&m.ttft_s, &m.ttft_d, 0.99),
        "us",
        1000.0,
    ));
    run.push(Figure::info(
        "S1 direct chunk delivery p50",
        q(&m.chunk_d, 0.5) / US,
        "us",
    ));
    run.push(Figure::info(
        "S1 service chunk delivery p50",
        q(&m.chunk_s, 0.5) / US,
        "us",
    ));
    run.push(Figure::at_most(
        "S1 added chunk delivery p50",
        added(&m.chunk_s, &m.chunk_d, 0.5),
        "us",
        100.0,
    ));
    run.push(Figure::at_most(
        "S1 added chunk delivery p99",
        added(&m.chunk_s, &m.chunk_d, 0.99),
        "us",
        1000.0,
    ));
    run.push(Figure::errors(
        "S1 errors or lost tokens",
        (m.errors + m.lost) as f64,
    ));
    // The baseline: what one more process on the path costs here, whatever it does.
    run.push(Figure::info(
        "S1 baseline relay added TTFT p50",
        added(&m.ttft_r, &m.ttft_d, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 baseline relay added TTFT p99",
        added(&m.ttft_r, &m.ttft_d, 0.99),
        "us",
    ));
    run.push(Figure::info(
        "S1 baseline relay added chunk delivery p50",
        added(&m.chunk_r, &m.chunk_d, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 service added TTFT beyond the baseline relay p50",
        added(&m.ttft_s, &m.ttft_r, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 service added chunk delivery beyond the baseline relay p50",
        added(&m.chunk_s, &m.chunk_r, 0.5),
        "us",
    ));
}
