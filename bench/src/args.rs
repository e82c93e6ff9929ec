//! The benchmark's flags.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Parser, Clone)]
#[command(
    about = "Benchmark the service's hot path against a direct upstream (no network, no key)"
)]
pub struct Args {
    /// A few turns of everything, no targets: checks the benchmark still works (CI).
    #[arg(long)]
    pub smoke: bool,
    /// Repeat the whole suite and report min/median/max of each figure.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// S1: turns through each path.
    #[arg(long, default_value_t = 200)]
    pub turns: usize,
    /// Content chunks per reply.
    #[arg(long, default_value_t = 64)]
    pub chunks: usize,
    /// Milliseconds between chunks.
    #[arg(long, default_value_t = 20)]
    pub pace_ms: u64,
    /// S3: concurrent streaming turns on both cores.
    #[arg(long, default_value_t = 1000)]
    pub concurrency: usize,
    /// S3: concurrent streaming turns with the service pinned to one core.
    #[arg(long, default_value_t = 500)]
    pub pinned_concurrency: usize,
    /// S4: idle sessions to create.
    #[arg(long, default_value_t = 10_000)]
    pub idle_sessions: usize,
    /// S5: concurrent candidates against the offline interviewer.
    #[arg(long, default_value_t = 64)]
    pub offline_candidates: usize,
    /// S5: seconds of load.
    #[arg(long, default_value_t = 5)]
    pub offline_seconds: u64,
    /// Port for the mock upstream (0: any). Fix it when a proxy (LiteLLM) must point at it.
    #[arg(long, default_value_t = 0)]
    pub mock_port: u16,
    /// S6: an OpenAI-compatible proxy (LiteLLM) in front of the same mock, e.g. http://127.0.0.1:4000/v1.
    #[arg(long)]
    pub litellm_url: Option<String>,
    /// S6: the proxy's process id, for its CPU time (children included).
    #[arg(long)]
    pub litellm_pid: Option<u32>,
    /// S6: the model name the proxy routes to the mock.
    #[arg(long, default_value = "mock")]
    pub litellm_model: String,
    /// The service binary (default: build and use target/release/mock-interviewer).
    #[arg(long)]
    pub service: Option<PathBuf>,
    /// Where to write the raw figures.
    #[arg(long, default_value = "target/bench/results.json")]
    pub out: PathBuf,
    /// Scenarios to run (S1..S6); S2 comes with S1.
    #[arg(long, value_delimiter = ',', default_value = "S1,S3,S4,S5")]
    pub only: Vec<String>,
}

impl Args {
    pub fn smoke(mut self) -> Args {
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
