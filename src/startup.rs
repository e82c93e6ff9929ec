//! Builds the application: loads and validates content, opens the database, picks the interviewer,
//! binds the listener and serves until a shutdown signal.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::accounts::{Accounts, AuthMode, LoginStore};
use crate::clock::{Clock, SystemClock};
use crate::config::{DEFAULT_LLM_BASE_URL, LlmMode, OnFailure, ServeArgs, SpeechServer};
use crate::content::{Catalog, ContentRoot};
use crate::http::guard::Guard;
use crate::http::{AppParts, AppState, router};
use crate::interview::prompt_context::load_prompts;
use crate::interview::{InterviewSettings, Interviewer, Interviews, Limits, UpstreamFailure};
use crate::llm::openai::{OpenAiLlm, OpenAiSettings};
use crate::serve::{ServeOptions, default_max_connections, raise_open_file_limit, serve};
use crate::speech::{Endpoint, Speech, SpeechTiming};
use crate::storage::Storage;
use crate::telemetry::Metrics;
use crate::tokens::TokenCounter;

pub struct Application {
    listener: TcpListener,
    state: AppState,
    serve: ServeOptions,
    retain_days: u32,
}

impl Application {
    pub async fn build(args: &ServeArgs) -> anyhow::Result<Application> {
        Self::build_with_clock(args, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        args: &ServeArgs,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Application> {
        args.auth.check_bind(args.addr)?;
        let catalog = Catalog::load(
            &ContentRoot::with_overrides(args.root.as_deref()),
            &args.content_dirs,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the content does not load; fix the files named above")?;
        let storage = Storage::connect(&args.db, args.storage_options())
            .await
            .with_context(|| format!("cannot open the database {}", args.db))?;
        let prompts = load_prompts(args.root.as_deref()).context("the prompts do not load")?;
        let interviewer = match args.llm_mode() {
            LlmMode::Offline => Interviewer::Offline,
            LlmMode::Openai => {
                let base_url = args
                    .llm_base_url
                    .clone()
                    .unwrap_or_else(|| DEFAULT_LLM_BASE_URL.to_string());
                Interviewer::Model(Arc::new(OpenAiLlm::new(OpenAiSettings {
                    base_url,
                    api_key: args.api_key.clone(),
                    model: args.model.clone(),
                    judge_model: args
                        .judge_model
                        .clone()
                        .unwrap_or_else(|| args.model.clone()),
                    timeout: Duration::from_secs(args.llm_timeout.max(1)),
                    retries: args.llm_retries as usize,
                    max_retry_after: Duration::from_secs(args.llm_max_retry_after),
                })?))
            }
        };
        if interviewer.llm().is_some() {
            // The BPE tables load in ~0.3 s: pay that now, not on the first turn.
            TokenCounter::warm();
        }
        let settings = InterviewSettings {
            on_upstream_failure: match args.on_llm_failure {
                OnFailure::Offline => UpstreamFailure::FallBackOffline,
                OnFailure::Error => UpstreamFailure::Fail,
            },
            context_window: args.context_window.max(1_000),
            max_reply_tokens: args.max_reply_tokens as usize,
            limits: Limits {
                sessions_per_hour: args.guard.sessions_per_hour,
                turns_per_minute: args.guard.turns_per_minute,
                tokens_per_day: args.guard.tokens_per_day,
            },
        };
        let accounts = Accounts::new(args.auth.mode, storage.clone(), clock.clone());
        let interviews = Interviews::new(
            Arc::new(catalog),
            storage,
            interviewer,
            Arc::new(prompts),
            clock,
            settings,
            Arc::new(Metrics::new()),
        )
        .with_speech(speech(args)?);
        // Retention applies before the first request is served.
        interviews
            .upkeep(args.guard.retain_days)
            .await
            .context("the start-up upkeep (retention) failed")?;
        let open_files = raise_open_file_limit();
        let serve = ServeOptions {
            header_read_timeout: Duration::from_secs(args.guard.header_read_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(args.guard.idle_timeout_secs.max(1)),
            max_connections: match args.guard.max_connections {
                0 => default_max_connections(open_files),
                n => n,
            },
        };
        let listener = TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let bound = listener.local_addr()?;
        let guard = Guard::new(
            bound,
            args.guard.public_url.as_ref(),
            &args.guard.allowed_hosts,
            args.guard.trust_forwarded_for,
        );
        tracing::info!(
            addr = %bound,
            max_connections = serve.max_connections,
            open_files,
            db = %args.db,
            llm = %interviews.interviewer.mode(),
            auth = %accounts.mode,
            questions = interviews.catalog.questions.len(),
            stt = interviews.speech.stt.is_some(),
            tts = interviews.speech.tts.is_some(),
            "mock-interviewer ready"
        );
        Ok(Application {
            listener,
            state: AppState::new(AppParts {
                shutdown: interviews.shutdown_token(),
                interviews: Arc::new(interviews),
                accounts: Arc::new(accounts),
                secure_cookies: args
                    .guard
                    .public_url
                    .as_ref()
                    .is_some_and(|u| u.scheme() == "https"),
                guard: Arc::new(guard),
                max_audio_bytes: args.speech.max_audio_mb.max(1) * 1024 * 1024,
            }),
            serve,
            retain_days: args.guard.retain_days,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Cancelling this token stops the server: open streams end at once, then it drains.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.state.shutdown.clone()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let shutdown = self.state.shutdown.clone();
        let tasks = self.state.interviews.tasks();
        tokio::spawn(metrics_upkeep(
            self.state.interviews.metrics.clone(),
            shutdown.clone(),
        ));
        if self.state.accounts.mode == AuthMode::Password {
            tokio::spawn(sweep_logins(
                LoginStore::new(self.state.accounts.storage().clone()),
                shutdown.clone(),
            ));
        }
        tokio::spawn(hourly_upkeep(
            self.state.interviews.clone(),
            self.retain_days,
            shutdown.clone(),
        ));
        let app = router(self.state);
        serve(self.listener, app, self.serve, shutdown).await;
        // Partial replies of streams cut by the shutdown are being stored: let them finish.
        tasks.close();
        tasks.wait().await;
        Ok(())
    }
}

/// The speech clients the flags ask for (each side falls back to the LLM's server, else the browser).
fn speech(args: &ServeArgs) -> anyhow::Result<Speech> {
    let s = &args.speech;
    let endpoint = |server: SpeechServer, model: &str| Endpoint {
        base_url: server.base_url,
        api_key: server.api_key,
        model: model.to_string(),
    };
    Speech::new(
        args.stt_server()
            .map(|server| endpoint(server, &s.stt_model)),
        args.tts_server()
            .map(|server| (endpoint(server, &s.tts_model), s.tts_voice.clone())),
        SpeechTiming {
            // A recording takes longer to transcribe than a first token takes to come.
            timeout: Duration::from_secs(args.llm_timeout.max(1) * 2),
            retries: args.llm_retries as usize,
            max_retry_after: Duration::from_secs(args.llm_max_retry_after),
        },
    )
}

/// Retention and expired rate windows, every hour after the start-up round.
async fn hourly_upkeep(interviews: Arc<Interviews>, retain_days: u32, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    every.tick().await;
    loop {
        tokio::select! {
            _ = every.tick() => {
                if let Err(e) = interviews.upkeep(retain_days).await {
                    tracing::error!(error = %e, "upkeep failed");
                }
            }
            _ = shutdown.cancelled() => return,
        }
    }
}

/// Folds histogram samples into buckets now and then, so memory stays bounded however rarely
/// `/metrics` is scraped.
async fn metrics_upkeep(metrics: Arc<Metrics>, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = every.tick() => metrics.run_upkeep(),
            _ = shutdown.cancelled() => return,
        }
    }
}

/// Deletes expired login sessions now and then (a load never returns one; this bounds the table).
async fn sweep_logins(store: LoginStore, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = every.tick() => {
                if let Err(e) = store.sweep(SystemClock.now_ms()).await {
                    tracing::warn!(error = %e, "cannot delete expired login sessions");
                }
            }
            _ = shutdown.cancelled() => return,
        }
    }
}

/// Cancels the token on Ctrl-C or SIGTERM.
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        tracing::info!("shutting down");
        token.cancel();
    });
}
