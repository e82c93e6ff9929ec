//! Entry point: parse flags, set up logging, then serve or check content.

use clap::Parser;
use mock_interviewer::config::{Cli, Command, ContentCommand};
use mock_interviewer::content::ContentRoot;
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "mock_interviewer=info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Content {
            command: ContentCommand::Check { dir },
        }) => {
            let issues =
                content_check::check_folder(&ContentRoot::builtin(&cli.serve.root()), &dir);
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
        Some(Command::Content {
            command: ContentCommand::Simulate { dir },
        }) => {
            let builtin = ContentRoot::builtin(&cli.serve.root());
            let dir = dir.unwrap_or_else(|| builtin.content.clone());
            match content_check::load_folder(&builtin, &dir) {
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
        None => serve(cli.serve).await,
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
