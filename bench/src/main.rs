//! Benchmark of mock-interviewer's hot path. Starts a mock OpenAI-compatible upstream (in this process)
//! and the service's release build pointed at it, then runs the same workload directly against the mock
//! and through the service, interleaved, and reports only the difference. See BENCHMARKS.md.

mod client;
mod mock;
mod procfs;
mod relay;
mod report;
mod s7;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use hdrhistogram::Histogram;

use report::{Figure, Run};

#[derive(Debug, Parser, Clone)]
#[command(
    about = "Benchmark the service's hot path against a direct upstream (no network, no key)"
)]
pub(crate) struct Args {
    /// A few turns of everything, no targets: checks the benchmark still works (CI).
    #[arg(long)]
    smoke: bool,
    /// Repeat the whole suite and report min/median/max of each figure.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// S1: turns through each path.
    #[arg(long, default_value_t = 200)]
    turns: usize,
    /// Content chunks per reply.
    #[arg(long, default_value_t = 64)]
    chunks: usize,
    /// Milliseconds between chunks.
    #[arg(long, default_value_t = 20)]
    pace_ms: u64,
    /// S3: concurrent streaming turns on both cores.
    #[arg(long, default_value_t = 1000)]
    concurrency: usize,
    /// S3: concurrent streaming turns with the service pinned to one core.
    #[arg(long, default_value_t = 500)]
    pinned_concurrency: usize,
    /// S4: idle sessions to create.
    #[arg(long, default_value_t = 10_000)]
    idle_sessions: usize,
    /// S5: concurrent candidates against the offline interviewer.
    #[arg(long, default_value_t = 64)]
    offline_candidates: usize,
    /// S5: seconds of load.
    #[arg(long, default_value_t = 5)]
    offline_seconds: u64,
    /// Port for the mock upstream (0: any). Fix it when a proxy (LiteLLM) must point at it.
    #[arg(long, default_value_t = 0)]
    mock_port: u16,
    /// S6: an OpenAI-compatible proxy (LiteLLM) in front of the same mock, e.g. http://127.0.0.1:4000/v1.
    #[arg(long)]
    litellm_url: Option<String>,
    /// S6: the proxy's process id, for its CPU time (children included).
    #[arg(long)]
    litellm_pid: Option<u32>,
    /// S6: the model name the proxy routes to the mock.
    #[arg(long, default_value = "mock")]
    litellm_model: String,
    /// The service binary (default: build and use target/release/mock-interviewer).
    #[arg(long)]
    service: Option<PathBuf>,
    /// Where to write the raw figures.
    #[arg(long, default_value = "target/bench/results.json")]
    out: PathBuf,
    /// S7: the PostgreSQL server (an admin URL); each setup gets a database of its own, made with psql.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_admin_url: String,
    /// Scenarios to run (S1..S7); S2 comes with S1.
    #[arg(long, value_delimiter = ',', default_value = "S1,S3,S4,S5")]
    only: Vec<String>,
}

impl Args {
    fn smoke(mut self) -> Args {
        self.turns = 4;
        self.chunks = 8;
        self.pace_ms = 2;
        self.concurrency = 20;
        self.pinned_concurrency = 10;
        self.idle_sessions = 100;
        self.offline_candidates = 4;
        self.offline_seconds = 1;
        self.runs = 1;
        self
    }
}

pub(crate) const QUESTION: &str = "rag-customer-support";
pub(crate) const ANSWERS: [&str; 4] = [
    "How many documents are there, and what is the latency target?",
    "I'd put an API gateway in front, then hybrid retrieval over a vector database with a cross-encoder reranker, and an LLM that cites its sources.",
    "We chunk articles by heading into 400-token passages with overlap, and evaluate retrieval with recall at 10 on a golden set.",
    "The trade-off is model size: a small model is cheaper and faster at the cost of quality, so I route by difficulty.",
];

pub(crate) struct Service {
    child: tokio::process::Child,
    pid: u32,
    base: String,
    _dir: tempfile::TempDir,
}

impl Service {
    async fn start(binary: &PathBuf, mock_url: Option<&str>) -> anyhow::Result<Service> {
        Service::start_on(binary, mock_url, None).await
    }

    /// Starts the service on `db` (a PostgreSQL URL), or on a SQLite file of its own.
    pub(crate) async fn start_on(
        binary: &PathBuf,
        mock_url: Option<&str>,
        db: Option<&str>,
    ) -> anyhow::Result<Service> {
        let dir = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut cmd = tokio::process::Command::new(binary);
        cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--db")
            .arg(
                db.map(std::ffi::OsString::from)
                    .unwrap_or_else(|| dir.path().join("bench.db").into_os_string()),
            )
            .env("RUST_LOG", "warn")
            .env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_BASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        match mock_url {
            Some(url) => cmd.args([
                "--llm",
                "openai",
                "--llm-base-url",
                url,
                "--model",
                "mock",
                "--llm-timeout",
                "30",
            ]),
            None => cmd.args(["--llm", "offline"]),
        };
        let child = cmd.spawn()?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow::anyhow!("service exited at once"))?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(Service {
                    child,
                    pid,
                    base,
                    _dir: dir,
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the service did not become ready")
    }
}

pub(crate) fn hist() -> Histogram<u64> {
    Histogram::new(3).expect("histogram")
}

pub(crate) fn q(h: &Histogram<u64>, p: f64) -> f64 {
    h.value_at_quantile(p) as f64
}

fn build_service() -> anyhow::Result<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    eprintln!("building the service (cargo build --release --bin mock-interviewer)...");
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "mock-interviewer"])
        .current_dir(&root)
        .status()?;
    anyhow::ensure!(status.success(), "cargo build failed");
    Ok(root.join("target/release/mock-interviewer"))
}

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
        None => build_service()?,
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
        s1(
            args,
            &svc,
            &relay,
            mock,
            &client,
            epoch,
            &mut run,
            wants("S6"),
        )
        .await?;
        drop(svc);
    }
    if wants("S3") {
        let mut svc = Service::start(binary, Some(&mock.url())).await?;
        s3(args, &svc, mock, epoch, args.concurrency, false, &mut run).await?;
        s3(
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
        s4(args, &svc, &mut run).await?;
        drop(svc);
    }
    if wants("S5") {
        let svc = Service::start(binary, None).await?;
        s5(args, &svc, &mut run).await?;
        drop(svc);
    }
    if wants("S7") {
        s7::s7(args, binary, mock, epoch, &mut run).await?;
    }
    Ok(run)
}

#[allow(clippy::too_many_arguments)]
async fn s1(
    args: &Args,
    svc: &Service,
    relay: &relay::Relay,
    mock: &mock::Mock,
    client: &reqwest::Client,
    epoch: Instant,
    run: &mut Run,
    with_litellm: bool,
) -> anyhow::Result<()> {
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
    let us = 1_000.0;
    let turns = args.turns as f64;
    // What the service adds at a quantile: through it minus direct, in microseconds.
    let added = |through: &Histogram<u64>, direct: &Histogram<u64>, p: f64| {
        (q(through, p) - q(direct, p)) / us
    };
    run.push(Figure::info(
        "S1 direct TTFT p50",
        q(&ttft_d, 0.5) / us,
        "us",
    ));
    run.push(Figure::info(
        "S1 service TTFT p50",
        q(&ttft_s, 0.5) / us,
        "us",
    ));
    run.push(Figure::at_most(
        "S1 added TTFT p50",
        added(&ttft_s, &ttft_d, 0.5),
        "us",
        300.0,
    ));
    run.push(Figure::at_most(
        "S1 added TTFT p99",
        added(&ttft_s, &ttft_d, 0.99),
        "us",
        1000.0,
    ));
    run.push(Figure::info(
        "S1 direct chunk delivery p50",
        q(&chunk_d, 0.5) / us,
        "us",
    ));
    run.push(Figure::info(
        "S1 service chunk delivery p50",
        q(&chunk_s, 0.5) / us,
        "us",
    ));
    run.push(Figure::at_most(
        "S1 added chunk delivery p50",
        added(&chunk_s, &chunk_d, 0.5),
        "us",
        100.0,
    ));
    run.push(Figure::at_most(
        "S1 added chunk delivery p99",
        added(&chunk_s, &chunk_d, 0.99),
        "us",
        1000.0,
    ));
    run.push(Figure::errors(
        "S1 errors or lost tokens",
        (errors + lost) as f64,
    ));
    // The baseline: what one more process on the path costs here, whatever it does.
    run.push(Figure::info(
        "S1 baseline relay added TTFT p50",
        added(&ttft_r, &ttft_d, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 baseline relay added TTFT p99",
        added(&ttft_r, &ttft_d, 0.99),
        "us",
    ));
    run.push(Figure::info(
        "S1 baseline relay added chunk delivery p50",
        added(&chunk_r, &chunk_d, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 service added TTFT beyond the baseline relay p50",
        added(&ttft_s, &ttft_r, 0.5),
        "us",
    ));
    run.push(Figure::info(
        "S1 service added chunk delivery beyond the baseline relay p50",
        added(&chunk_s, &chunk_r, 0.5),
        "us",
    ));
    let per_chunk = service_cpu as f64 / (turns * args.chunks as f64) / us;
    run.push(Figure::at_most(
        "S2 service CPU per relayed chunk",
        per_chunk,
        "us",
        15.0,
    ));
    run.push(Figure::info(
        "S2 service CPU per turn",
        service_cpu as f64 / turns / us,
        "us",
    ));
    run.push(Figure::info(
        "S2 service threads put on a CPU per relayed chunk",
        service_runs as f64 / (turns * args.chunks as f64),
        "",
    ));
    let relay_per_chunk = relay_cpu as f64 / (turns * args.chunks as f64) / us;
    run.push(Figure::info(
        "S2 baseline relay CPU per relayed chunk",
        relay_per_chunk,
        "us",
    ));
    run.push(Figure::info(
        "S2 baseline relay threads put on a CPU per relayed chunk",
        relay_runs as f64 / (turns * args.chunks as f64),
        "",
    ));
    run.push(Figure::info(
        "S2 service CPU per chunk / baseline relay's",
        per_chunk / relay_per_chunk.max(0.001),
        "x",
    ));
    let stat_cpu = procfs::stat_cpu_ns(svc.pid).saturating_sub(stat_before);
    run.push(Figure::info(
        "S2 CPU per chunk from /proc/PID/stat (ticks, whole S1)",
        stat_cpu as f64 / (turns * args.chunks as f64) / us,
        "us",
    ));
    if litellm.is_some() {
        let added_service = (q(&ttft_s, 0.5) - q(&ttft_d, 0.5)).max(1.0);
        let added_litellm = q(&ttft_l, 0.5) - q(&ttft_d, 0.5);
        run.push(Figure::info(
            "S6 LiteLLM added TTFT p50",
            added_litellm / us,
            "us",
        ));
        run.push(Figure::info(
            "S6 LiteLLM added TTFT p99",
            added(&ttft_l, &ttft_d, 0.99),
            "us",
        ));
        run.push(Figure::info(
            "S6 LiteLLM added chunk delivery p50",
            added(&chunk_l, &chunk_d, 0.5),
            "us",
        ));
        run.push(Figure::at_least(
            "S6 added TTFT ratio LiteLLM/service",
            added_litellm / added_service,
            "x",
            10.0,
        ));
        let cpu_l = litellm_cpu as f64 / turns;
        let cpu_s = (service_cpu as f64 / turns).max(1.0);
        run.push(Figure::info("S6 LiteLLM CPU per reply", cpu_l / us, "us"));
        run.push(Figure::at_least(
            "S6 CPU per reply ratio LiteLLM/service",
            cpu_l / cpu_s,
            "x",
            10.0,
        ));
    }
    Ok(())
}

pub(crate) fn record(
    t: &client::Turn,
    chunks: usize,
    ttft: &mut Histogram<u64>,
    delivery: &mut Histogram<u64>,
    errors: &mut u64,
    lost: &mut u64,
) {
    if let Some(e) = &t.error {
        eprintln!("turn error: {e}");
        *errors += 1;
        return;
    }
    if t.tokens != chunks || !t.in_order {
        *lost += 1;
    }
    let _ = ttft.record(t.ttft_ns.max(1));
    for d in &t.deliveries {
        let _ = delivery.record((*d).max(1));
    }
}

fn taskset(cpus: &str, pid: u32) {
    let _ = std::process::Command::new("taskset")
        .args(["-a", "-p", "-c", cpus, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

async fn s3(
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

async fn s4(args: &Args, svc: &Service, run: &mut Run) -> anyhow::Result<()> {
    use futures::StreamExt;
    let client = reqwest::Client::new();
    // A few sessions first, so start-up allocations are not charged to the idle sessions.
    for _ in 0..20 {
        client::create_session(&client, &svc.base, QUESTION).await?;
    }
    let before = procfs::rss_kib(svc.pid);
    let mut creating = futures::stream::iter(0..args.idle_sessions)
        .map(|_| client::create_session(&client, &svc.base, QUESTION))
        .buffer_unordered(16);
    while let Some(s) = creating.next().await {
        s?;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = procfs::rss_kib(svc.pid);
    let per = after.saturating_sub(before) as f64 * 1024.0 / args.idle_sessions as f64;
    run.push(Figure::at_most(
        &format!(
            "S4 resident memory per idle session ({})",
            args.idle_sessions
        ),
        per / 1024.0,
        "KiB",
        8.0,
    ));
    Ok(())
}

async fn s5(args: &Args, svc: &Service, run: &mut Run) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let deadline = Instant::now() + Duration::from_secs(args.offline_seconds);
    let started = Instant::now();
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
    run.push(Figure::errors("S5 errors", errors as f64));
    Ok(())
}
