//! Benchmark of mock-interviewer's hot path. Starts a mock OpenAI-compatible upstream (in this process)
//! and the service's release build pointed at it, then runs the same workload directly against the mock
//! and through the service, interleaved, and reports only the difference. See BENCHMARKS.md.
//! One module per scenario in `scenarios/`.

mod args;
mod client;
mod mock;
mod procfs;
mod relay;
mod report;
mod scenarios;
mod service;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

use args::Args;
use report::Run;
use service::Service;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `bench relay PORT UPSTREAM`: this binary as the baseline relay S1 and S2 measure beside the
    // service.
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("relay") {
        let (Some(port), Some(upstream)) = (argv.get(2), argv.get(3)) else {
            anyhow::bail!("usage: bench relay PORT UPSTREAM");
        };
        return relay::serve(port.parse()?, upstream.clone()).await;
    }
    let mut args = Args::parse();
    if args.smoke {
        args = args.smoke();
    }
    let binary = match &args.service {
        Some(b) => b.clone(),
        None => service::build_service()?,
    };
    let epoch = Instant::now();
    let mock = mock::Mock::start(args.mock_port, epoch).await?;
    let mut runs = Vec::new();
    for r in 0..args.runs {
        eprintln!("run {} of {}", r + 1, args.runs);
        runs.push(run_once(&args, &binary, &mock, epoch).await?);
    }
    let report = report::Report::new(&args_json(&args), runs);
    report.print();
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report.json())?)?;
    eprintln!("raw figures written to {}", args.out.display());
    if args.smoke && report.any_errors() {
        anyhow::bail!("the smoke run saw errors or lost tokens");
    }
    Ok(())
}

fn args_json(a: &Args) -> serde_json::Value {
    serde_json::json!({
        "smoke": a.smoke, "runs": a.runs, "turns": a.turns, "chunks": a.chunks, "pace_ms": a.pace_ms,
        "concurrency": a.concurrency, "pinned_concurrency": a.pinned_concurrency,
        "idle_sessions": a.idle_sessions, "offline_candidates": a.offline_candidates,
        "offline_seconds": a.offline_seconds, "litellm": a.litellm_url.is_some(),
    })
}

async fn run_once(
    args: &Args,
    binary: &PathBuf,
    mock: &mock::Mock,
    epoch: Instant,
) -> anyhow::Result<Run> {
    let mut run = Run::default();
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let wants = |s: &str| {
        args.only.iter().any(|o| o.eq_ignore_ascii_case(s))
            || (s == "S6" && args.litellm_url.is_some())
    };
    if wants("S1") || wants("S6") {
        let svc = Service::start(binary, Some(&mock.url())).await?;
        let relay = relay::Relay::start(&mock.url()).await?;
        let measured =
            scenarios::s1::measure(args, &svc, &relay, mock, &client, epoch, wants("S6")).await?;
        scenarios::s1::figures(&measured, &mut run);
        scenarios::s2::figures(&measured, &mut run);
        scenarios::s6::figures(&measured, &mut run);
        drop(svc);
    }
    if wants("S3") {
        let mut svc = Service::start(binary, Some(&mock.url())).await?;
        scenarios::s3::run(args, &svc, mock, epoch, args.concurrency, false, &mut run).await?;
        scenarios::s3::run(
            args,
            &svc,
            mock,
            epoch,
            args.pinned_concurrency,
            true,
            &mut run,
        )
        .await?;
        let _ = svc.child.kill().await;
    }
    if wants("S4") {
        let svc = Service::start(binary, Some(&mock.url())).await?;
        scenarios::s4::run(args, &svc, &mut run).await?;
        drop(svc);
    }
    if wants("S5") {
        let svc = Service::start(binary, None).await?;
        scenarios::s5::run(args, &svc, &mut run).await?;
        drop(svc);
    }
    Ok(run)
}
