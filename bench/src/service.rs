//! The service under test: its release build, started as a child process on a free port with its own
//! database, pointed at the mock upstream (or offline).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

pub struct Service {
    pub child: tokio::process::Child,
    pub pid: u32,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Service {
    pub async fn start(binary: &PathBuf, mock_url: Option<&str>) -> anyhow::Result<Service> {
        Service::start_on(binary, mock_url, None).await
    }

    /// Starts the service on `db` (a PostgreSQL URL), or on a SQLite file of its own.
    pub async fn start_on(
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
            // The benchmark is one client driving the load: the per-client limits would stop it.
            // Set through the environment, so a binary from before the limits (`--service`, for an
            // A/B against an older build) starts too.
            .env("MOCK_INTERVIEWER_SESSIONS_PER_HOUR", "0")
            .env("MOCK_INTERVIEWER_TURNS_PER_MINUTE", "0")
            .env("MOCK_INTERVIEWER_TOKENS_PER_DAY", "0")
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

pub fn build_service() -> anyhow::Result<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    eprintln!("building the service (cargo build --release --bin mock-interviewer)...");
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "mock-interviewer"])
        .current_dir(&root)
        .status()?;
    anyhow::ensure!(status.success(), "cargo build failed");
    Ok(root.join("target/release/mock-interviewer"))
}
