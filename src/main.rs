//! Entry point: parse flags, set up logging, then serve, practise in the terminal, or run a tool.

use clap::Parser;
use mock_interviewer::config::{Cli, Command, ContentCommand, DbCommand};
use mock_interviewer::content::{Catalog, ContentRoot};
use mock_interviewer::interview::{conformance, content_check};
use mock_interviewer::startup::{Application, cancel_on_signal};

fn main() -> std::process::ExitCode {
    let workers = std::env::var("MOCK_INTERVIEWER_WORKERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = workers {
        builder.worker_threads(n.max(1));
    }
    match builder.enable_all().build() {
        Ok(rt) => rt.block_on(run()),
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Practice(_))) {
        // The terminal is the interview: the embedded server's logs stay out of it unless they matter.
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "mock_interviewer=warn,tower_http=warn".into()),
            )
            .with_writer(std::io::stderr)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "mock_interviewer=info,tower_http=warn".into()),
            )
            .init();
    }
    match cli.command {
        Some(Command::Content {
            command: ContentCommand::Check { dir },
        }) => {
            let issues = content_check::check_folder(
                &ContentRoot::with_overrides(cli.serve.root.as_deref()),
                &dir,
            );
            if issues.is_empty() {
                println!("{}: ok", dir.display());
                std::process::ExitCode::SUCCESS
            } else {
                for issue in &issues {
                    eprintln!("{issue}");
                }
                eprintln!("{} problem(s)", issues.len());
                std::process::ExitCode::FAILURE
            }
        }
        Some(Command::Db {
            command: DbCommand::Migrate { from, to, force },
        }) => match mock_interviewer::db_command::migrate(&from, &to, force).await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::ExitCode::FAILURE
            }
        },
        Some(Command::Users { command }) => {
            match mock_interviewer::users_command::run(&cli.serve.db, command).await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        Some(Command::Calibrate(args)) => calibrate(&cli.serve, &args).await,
        Some(Command::Content {
            command: ContentCommand::Simulate { dir },
        }) => {
            let builtin = ContentRoot::with_overrides(cli.serve.root.as_deref());
            match content_check::load_folder(&builtin, dir.as_deref()) {
                Err(issues) => {
                    for issue in &issues {
                        eprintln!("{issue}");
                    }
                    std::process::ExitCode::FAILURE
                }
                Ok(folder) => {
                    let report = conformance::simulate(&folder.catalog, Some(&folder.questions));
                    print!("{}", report.render());
                    if report.total.passes() {
                        std::process::ExitCode::SUCCESS
                    } else {
                        std::process::ExitCode::FAILURE
                    }
                }
            }
        }
        Some(Command::Serve(args)) => serve(*args).await,
        Some(Command::Practice(args)) => mock_interviewer::practice::run(&cli.serve, &args).await,
        None => serve(cli.serve).await,
    }
}

async fn calibrate(
    serve: &mock_interviewer::config::ServeArgs,
    args: &mock_interviewer::config::CalibrateArgs,
) -> std::process::ExitCode {
    use mock_interviewer::calibration::{corpus::Split, run};
    use mock_interviewer::config::{LlmMode, SplitArg};
    // The corpus and the rubrics `--fit` writes into live in the source tree: `--root`, else here.
    let root = serve
        .root
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let catalog = match Catalog::load(
        &ContentRoot::with_overrides(serve.root.as_deref()),
        &serve.content_dirs,
    ) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some((id, show)) = args
        .explain
        .as_ref()
        .map(|id| (id, One::Explain))
        .or_else(|| args.card.as_ref().map(|id| (id, One::Card)))
    {
        let dir = args.dir.clone().unwrap_or_else(|| run::default_dir(&root));
        return one_transcript(&catalog, &dir, id, show);
    }
    let opts = run::Options {
        dir: args.dir.clone().unwrap_or_else(|| run::default_dir(&root)),
        split: match args.split {
            SplitArg::Train => Some(Split::Train),
            SplitArg::Heldout => Some(Split::Heldout),
            SplitArg::All => None,
        },
        json: args.json,
        fit: args.fit,
        cv: args.cv,
        rubrics_dir: root.join("rubrics"),
        prompts_root: serve.root.clone(),
        provisional: args.provisional,
        write_reliability: args.write_reliability,
    };
    let judges = serve.llm == Some(LlmMode::Openai);
    let outcome = match run::run(&catalog, &opts) {
        Ok(mut o) => {
            if judges {
                match mock_interviewer::calibration::judges::run_all(&catalog, &opts).await {
                    Ok(runs) => o.judges = Some(runs),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return std::process::ExitCode::FAILURE;
                    }
                }
            }
            o
        }
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if opts.json {
        match serde_json::to_string_pretty(&outcome) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    } else {
        print!(
            "{}",
            mock_interviewer::calibration::render::render(&outcome)
        );
    }
    if outcome.passed() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

async fn serve(args: mock_interviewer::config::ServeArgs) -> std::process::ExitCode {
    let app = match Application::build(&args).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    cancel_on_signal(app.shutdown_token());
    match app.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// What `calibrate --explain` and `calibrate --card` print for one transcript of the corpus.
#[derive(Clone, Copy)]
enum One {
    Explain,
    Card,
}

fn one_transcript(
    catalog: &Catalog,
    dir: &std::path::Path,
    id: &str,
    show: One,
) -> std::process::ExitCode {
    use mock_interviewer::calibration::{corpus::Corpus, replay};
    let corpus = match Corpus::load(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let Some(t) = corpus.transcript(id) else {
        eprintln!("error: no transcript `{id}` in {}", dir.display());
        return std::process::ExitCode::FAILURE;
    };
    let text = match show {
        One::Explain => replay::explain(catalog, t).map_err(|e| e.to_string()),
        One::Card => replay::score(catalog, t)
            .map_err(|e| e.to_string())
            .and_then(|card| serde_json::to_string_pretty(&card).map_err(|e| e.to_string())),
    };
    match text {
        Ok(text) => {
            println!("{}", text.trim_end());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
