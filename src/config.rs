//! Settings from command-line flags and their environment equivalents.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::storage::{DbTarget, StorageOptions};

mod speech;
pub use speech::{SpeechArgs, SpeechServer};
mod auth;
pub use auth::AuthArgs;
mod guard;
pub use guard::GuardArgs;

#[derive(Debug, Parser)]
#[command(
    name = "mock-interviewer",
    version,
    about = "AI/ML system-design mock interviews over HTTP and SSE"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the interview service (the default).
    Serve(Box<ServeArgs>),
    /// Work with interview content.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Work with the database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Manage accounts (for `--auth password|token`), in the database `--db` names.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Replay the labelled calibration corpus through the scorer and measure agreement with the
    /// raters; exits non-zero below the corpus's thresholds (calibration/README.md).
    Calibrate(CalibrateArgs),
    /// Hold a whole interview in the terminal: pick a question, answer, use /next, /hint, /time,
    /// /diagram FILE, /code FILE, /finish. Runs the service in-process on the same --db (or talks to
    /// --server); the session is stored like any other and shows in the web room.
    Practice(PracticeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PracticeArgs {
    /// The question's id (`GET /api/questions`); without it, pick one from the list.
    #[arg(long)]
    pub question: Option<String>,
    /// The target level; the question's own default when absent.
    #[arg(long, value_parser = ["junior", "senior", "staff"])]
    pub level: Option<String>,
    /// A running mock-interviewer to practise against (`http://HOST:PORT`); without it, the service
    /// runs in this process on the same --db and interviewer settings as `serve`.
    #[arg(long, env = "MOCK_INTERVIEWER_SERVER")]
    pub server: Option<String>,
    /// Bearer token for a server that requires accounts.
    #[arg(long, env = "MOCK_INTERVIEWER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Take up a session left with /quit (its id) instead of starting one.
    #[arg(long, conflicts_with_all = ["question", "level"])]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    /// The corpus folder (default: `calibration` under the project root).
    pub dir: Option<PathBuf>,
    /// The split the verdict is taken on; the train split is always printed too.
    #[arg(long, value_enum, default_value = "heldout")]
    pub split: SplitArg,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// Fit each dimension's thresholds on the train split and write them into the rubrics.
    #[arg(long)]
    pub fit: bool,
    /// Also score the train split leaving one question out at a time (its transcripts scored with
    /// thresholds fitted on the other train questions): how the fit carries to an unseen question,
    /// measured without the held-out split.
    #[arg(long)]
    pub cv: bool,
    /// Print how the scorer read one transcript (its id), sentence by sentence, and stop.
    #[arg(long)]
    pub explain: Option<String>,
    /// Print the scorecard the offline scorer gives one transcript (its id) as JSON, as a candidate
    /// would see it (scores, evidence, feedback, improvements), and stop.
    #[arg(long, conflicts_with = "explain")]
    pub card: Option<String>,
    /// Let the authors' archetypes stand in for transcripts no rater has labelled yet.
    #[arg(long)]
    pub provisional: bool,
    /// Write the held-out track record every offline card quotes ("this scorer also said hire on N
    /// interviews; two interviewers agreed ...") to `reliability.toml` in the corpus folder; the
    /// build embeds `calibration/reliability.toml`, so rebuild after.
    #[arg(long, conflicts_with_all = ["fit", "provisional"])]
    pub write_reliability: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    Train,
    Heldout,
    All,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy every session, turn, reveal, phase change and scorecard of a SQLite file into PostgreSQL.
    /// Safe to run again: nothing is copied twice, and the row counts are checked at the end.
    Migrate {
        /// The SQLite database to copy (`sqlite:PATH` or a path).
        #[arg(long, value_parser = DbTarget::parse)]
        from: DbTarget,
        /// The PostgreSQL database to copy into (`postgres://...`); migrated first.
        #[arg(long, value_parser = DbTarget::parse)]
        to: DbTarget,
        /// Copy even when the target already holds sessions that are not in the source.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user. Asks for the password twice on a terminal, or reads one line from standard input
    /// with `--password-stdin`.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: crate::domain::UserRole,
        /// Read the password from standard input (one line) instead of asking.
        #[arg(long = "password-stdin")]
        password_stdin: bool,
        /// No password: the user signs in with API tokens only (`users token NAME`).
        #[arg(long = "no-password", conflicts_with = "password_stdin")]
        no_password: bool,
    },
    /// List users: name, role, whether disabled.
    List,
    /// Disable a user: their logins and tokens stop working at once.
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
    /// Print a new API token for the user, alone on standard output (only its hash is stored).
    Token { name: String },
    /// Set a user's password (asks twice, or `--password-stdin`).
    Password {
        name: String,
        #[arg(long = "password-stdin")]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> Result<crate::domain::UserRole, String> {
    crate::domain::UserRole::ALL
        .iter()
        .copied()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| format!("unknown role `{s}` (candidate, coach or admin)"))
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Validate a folder of your own questions, plans, rubrics and lexicon against the built-in content.
    Check {
        /// The folder to check (laid out like `content/`, see content/README.md).
        dir: PathBuf,
    },
    /// Interview every question of a folder (the built-in content by default) with simulated
    /// candidates and check the interviewer: facts only when asked, every asked fact answered, no
    /// question re-asked, no sentence said more than twice, skipped parts probed, every interview
    /// closed. Prints the figures; fails when a check does not hold.
    Simulate {
        /// The folder whose questions to interview (laid out like `content/`).
        dir: Option<PathBuf>,
    },
}

/// The LLM's base URL when none is given.
pub const DEFAULT_LLM_BASE_URL: &str = "https://api.openai.com/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LlmMode {
    Offline,
    Openai,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "MOCK_INTERVIEWER_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: SocketAddr,

    /// The database: a SQLite file path or `sqlite:PATH` (created with its folder if missing), or
    /// `postgres://USER@HOST:PORT/DATABASE` for several instances sharing one database.
    #[arg(
        long,
        env = "MOCK_INTERVIEWER_DB",
        default_value = "data/mock-interviewer.db",
        value_parser = DbTarget::parse,
        global = true
    )]
    pub db: DbTarget,

    /// PostgreSQL: seconds a turn's claim of its session lives unless renewed (it is renewed while the
    /// turn streams); the longest a session stays blocked after an instance is killed mid-turn.
    #[arg(
        long = "turn-lease-secs",
        env = "MOCK_INTERVIEWER_TURN_LEASE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub turn_lease_secs: u64,

    /// PostgreSQL: connections per instance.
    #[arg(
        long = "db-connections",
        env = "MOCK_INTERVIEWER_DB_CONNECTIONS",
        default_value_t = 16,
        global = true
    )]
    pub db_connections: u32,

    /// Folder laid out like the source tree (`content/`, `rubrics/`, `prompts/`) whose files override the
    /// built-in ones embedded in the binary, by name, or add to them.
    #[arg(long, env = "MOCK_INTERVIEWER_ROOT", global = true)]
    pub root: Option<PathBuf>,

    /// Extra folder of your own questions and rubrics, added beside the built-in ones (repeatable).
    #[arg(
        long = "content-dir",
        env = "MOCK_INTERVIEWER_CONTENT_DIR",
        global = true,
        value_delimiter = ','
    )]
    pub content_dirs: Vec<PathBuf>,

    /// Force the interviewer mode; by default the LLM mode is on when a base URL or an API key is given.
    /// (`calibrate --llm` alone runs the judge against scripted mock judges.)
    #[arg(
        long,
        env = "MOCK_INTERVIEWER_LLM",
        value_enum,
        global = true,
        num_args = 0..=1,
        default_missing_value = "openai"
    )]
    pub llm: Option<LlmMode>,

    /// Base URL of an OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1 for Ollama).
    #[arg(long = "llm-base-url", env = "OPENAI_BASE_URL", global = true)]
    pub llm_base_url: Option<String>,

    /// API key, if the server needs one (local servers usually do not).
    #[arg(
        long = "api-key",
        env = "OPENAI_API_KEY",
        hide_env_values = true,
        global = true
    )]
    pub api_key: Option<String>,

    /// Interviewer model.
    #[arg(
        long,
        env = "MOCK_INTERVIEWER_MODEL",
        default_value = "gpt-4o-mini",
        global = true
    )]
    pub model: String,

    /// Judge model (defaults to the interviewer model).
    #[arg(
        long = "judge-model",
        env = "MOCK_INTERVIEWER_JUDGE_MODEL",
        global = true
    )]
    pub judge_model: Option<String>,

    /// Seconds to wait for the first token and between chunks.
    #[arg(
        long = "llm-timeout",
        env = "MOCK_INTERVIEWER_LLM_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    pub llm_timeout: u64,

    /// Retries before the first token (connection errors, 429, 5xx).
    #[arg(
        long = "llm-retries",
        env = "MOCK_INTERVIEWER_LLM_RETRIES",
        default_value_t = 3,
        global = true
    )]
    pub llm_retries: u32,

    /// The longest `Retry-After` (seconds) honoured on a 429 or 5xx; longer waits are cut to this.
    #[arg(
        long = "llm-max-retry-after",
        env = "MOCK_INTERVIEWER_LLM_MAX_RETRY_AFTER",
        default_value_t = 5,
        global = true
    )]
    pub llm_max_retry_after: u64,

    /// When the model is unreachable: `offline` answers with the offline interviewer (announced by a
    /// `notice` event), `error` ends the turn with an `error` event.
    #[arg(
        long = "on-llm-failure",
        env = "MOCK_INTERVIEWER_ON_LLM_FAILURE",
        value_enum,
        default_value = "offline",
        global = true
    )]
    pub on_llm_failure: OnFailure,

    /// Context window of the interviewer model, in tokens; older turns are trimmed to fit.
    #[arg(
        long = "context-window",
        env = "MOCK_INTERVIEWER_CONTEXT_WINDOW",
        default_value_t = 16_000,
        global = true
    )]
    pub context_window: usize,

    /// Tokens kept free for the model's reply.
    #[arg(
        long = "max-reply-tokens",
        env = "MOCK_INTERVIEWER_MAX_REPLY_TOKENS",
        default_value_t = 700,
        global = true
    )]
    pub max_reply_tokens: u32,

    #[command(flatten)]
    pub speech: SpeechArgs,

    #[command(flatten)]
    pub auth: AuthArgs,

    #[command(flatten)]
    pub guard: GuardArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnFailure {
    Offline,
    Error,
}

impl ServeArgs {
    /// The interviewer mode in effect.
    pub fn llm_mode(&self) -> LlmMode {
        self.llm
            .unwrap_or(if self.llm_base_url.is_some() || self.api_key.is_some() {
                LlmMode::Openai
            } else {
                LlmMode::Offline
            })
    }

    /// How the store behaves, from the flags.
    pub fn storage_options(&self) -> StorageOptions {
        StorageOptions {
            lease_ttl: std::time::Duration::from_secs(self.turn_lease_secs.max(1)),
            pg_connections: self.db_connections,
        }
    }

    /// Defaults suitable for tests: port 0, a database file of the caller's choosing, offline.
    #[cfg(feature = "test-support")]
    pub fn for_tests(db: PathBuf) -> ServeArgs {
        let cli = Cli::parse_from([
            "mock-interviewer",
            "--addr",
            "127.0.0.1:0",
            "--llm",
            "offline",
        ]);
        let mut args = ServeArgs {
            db: DbTarget::Sqlite(db),
            ..cli.serve
        };
        // Tests drive many turns from one address at one instant of the manual clock: the limits
        // are off unless a test turns them on.
        args.guard.sessions_per_hour = 0;
        args.guard.turns_per_minute = 0;
        args.guard.tokens_per_day = 0;
        args
    }
}
