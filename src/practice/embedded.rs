//! The embedded default: the same application `serve` runs (same `--db`, content and interviewer
//! settings), started in this process on an ephemeral loopback port, so the terminal talks to it over
//! HTTP exactly as it talks to a remote server, and its sessions land in the same database.

use std::net::{Ipv4Addr, SocketAddr};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::ServeArgs;
use crate::startup::Application;

pub struct Embedded {
    base: String,
    shutdown: CancellationToken,
    server: JoinHandle<anyhow::Result<()>>,
}

impl Embedded {
    pub async fn start(serve: &ServeArgs) -> anyhow::Result<Embedded> {
        let mut args = serve.clone();
        // Never the serve address: nothing outside this process should reach the embedded server.
        args.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let app = Application::build(&args).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let shutdown = app.shutdown_token();
        let server = tokio::spawn(app.run_until_stopped());
        Ok(Embedded {
            base,
            shutdown,
            server,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Stops the server once its open streams have stored what they hold.
    pub async fn stop(self) {
        self.shutdown.cancel();
        match self.server.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "the embedded server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "the embedded server task failed"),
        }
    }
}
