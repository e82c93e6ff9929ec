//! Housekeeping run at start-up and then hourly: retention (finished sessions past `--retain-days`
//! are deleted with everything that refers to them) and the rate-limit windows no longer read.

use crate::clock::Millis;

use super::orchestrator::Interviews;

const DAY_MS: Millis = 24 * 60 * 60 * 1000;

/// What one round of upkeep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkeep {
    pub sessions: u64,
    pub windows: u64,
}

impl Interviews {
    /// One round: sessions finished more than `retain_days` days ago (0 keeps them all), and
    /// expired rate windows. Safe to run on several instances at once.
    pub async fn upkeep(&self, retain_days: u32) -> sqlx::Result<Upkeep> {
        let now = self.clock.now_ms();
        let sessions = if retain_days == 0 {
            0
        } else {
            self.storage
                .purge_finished(now - i64::from(retain_days) * DAY_MS)
                .await?
        };
        let windows = self.storage.purge_windows(now).await?;
        if sessions > 0 {
            tracing::info!(
                sessions,
                retain_days,
                "deleted finished sessions past retention"
            );
        }
        Ok(Upkeep { sessions, windows })
    }
}
