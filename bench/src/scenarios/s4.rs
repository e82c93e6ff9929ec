//! S4: the memory an idle session costs.

use std::time::Duration;

use super::QUESTION;
use crate::args::Args;
use crate::report::{Figure, Run};
use crate::service::Service;
use crate::{client, procfs};

pub async fn run(args: &Args, svc: &Service, run: &mut Run) -> anyhow::Result<()> {
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
