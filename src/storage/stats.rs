//! Counts for the metrics endpoint, read when `/metrics` is scraped rather than kept in step by hand.

use crate::domain::SessionStatus;

use super::{Db, Storage, sql};

impl Storage {
    /// The number of sessions in each status, every status listed (0 when no session has it).
    pub async fn sessions_by_status(&self) -> sqlx::Result<Vec<(SessionStatus, i64)>> {
        let found = on_backend!(self, read, sessions_by_status())?;
        Ok(SessionStatus::ALL
            .iter()
            .map(|&status| {
                let n = found
                    .iter()
                    .find(|(s, _)| *s == status)
                    .map_or(0, |(_, n)| *n);
                (status, n)
            })
            .collect())
    }
}
