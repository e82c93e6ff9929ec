//! The flags that keep the service safe to run: which hosts and origins it answers, the limits and
//! quotas per client, retention, and the connection-level protections (timeouts, connection cap).

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct GuardArgs {
    /// The URL clients reach this server at, behind a proxy or on a public address
    /// (e.g. `https://interview.example.com`): its host is accepted in `Host`, its origin in `Origin`.
    #[arg(long = "public-url", env = "MOCK_INTERVIEWER_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<reqwest::Url>,

    /// Further `Host` values to accept (`name` or `name:port`), e.g. the address a load balancer's
    /// health check uses (repeatable, or comma-separated in the environment).
    #[arg(
        long = "allowed-host",
        env = "MOCK_INTERVIEWER_ALLOWED_HOSTS",
        value_delimiter = ',',
        global = true
    )]
    pub allowed_hosts: Vec<String>,

    /// Take the client's address from the last `X-Forwarded-For` entry (only behind a proxy that sets
    /// it; otherwise any client could pick its own address and escape the per-address limits).
    #[arg(
        long = "trust-forwarded-for",
        env = "MOCK_INTERVIEWER_TRUST_FORWARDED_FOR",
        global = true
    )]
    pub trust_forwarded_for: bool,

    /// Sessions one client (user, or address) may create per hour; 0 = unlimited.
    #[arg(
        long = "sessions-per-hour",
        env = "MOCK_INTERVIEWER_SESSIONS_PER_HOUR",
        default_value_t = 60,
        global = true
    )]
    pub sessions_per_hour: u32,

    /// Turns (answers, hints, advances) one client may start per minute; 0 = unlimited.
    #[arg(
        long = "turns-per-minute",
        env = "MOCK_INTERVIEWER_TURNS_PER_MINUTE",
        default_value_t = 30,
        global = true
    )]
    pub turns_per_minute: u32,

    /// Model tokens (prompt + completion, as stored with the turns and the judge's card) one client's
    /// sessions may use per day, when a model is configured; 0 = unlimited.
    #[arg(
        long = "tokens-per-day",
        env = "MOCK_INTERVIEWER_TOKENS_PER_DAY",
        default_value_t = 2_000_000,
        global = true
    )]
    pub tokens_per_day: u64,

    /// Delete finished sessions (with their turns, reveals, phase changes and scorecard) finished more
    /// than this many days ago, at start-up and then hourly; 0 = keep everything.
    #[arg(
        long = "retain-days",
        env = "MOCK_INTERVIEWER_RETAIN_DAYS",
        default_value_t = 0,
        global = true
    )]
    pub retain_days: u32,

    /// Seconds a client has to send a request's headers, from its first byte (slow clients are cut off).
    #[arg(
        long = "header-read-timeout-secs",
        env = "MOCK_INTERVIEWER_HEADER_READ_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_read_timeout_secs: u64,

    /// Seconds a connection may stay open with no request in flight (after it opens, or between
    /// keep-alive requests) before it is closed.
    #[arg(
        long = "idle-timeout-secs",
        env = "MOCK_INTERVIEWER_IDLE_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub idle_timeout_secs: u64,

    /// Open connections at once; beyond it a new connection gets 503 `too_many_connections` and is
    /// closed. 0 = from the open-file limit (raised to its hard limit at start-up), at most 10,000.
    #[arg(
        long = "max-connections",
        env = "MOCK_INTERVIEWER_MAX_CONNECTIONS",
        default_value_t = 0,
        global = true
    )]
    pub max_connections: usize,
}

fn parse_public_url(s: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(s).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("expected http(s)://HOST[:PORT]".into());
    }
    Ok(url)
}
