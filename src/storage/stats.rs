//! Counts for the metrics endpoint, read when `/metrics` is scraped rather than kept in step by hand.

use super::Storage;

impl Storage {
    /// The number of sessions per status, every status present (0 when none has it).
    pub async fn sessions_by_status(&self) -> sqlx::Result<Vec<(String, i64)>> {
        let mut counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM sessions GROUP BY status ORDER BY status")
                .fetch_all(&self.pool)
                .await?;
        for status in ["active", "finished"] {
            if !counts.iter().any(|(s, _)| s == status) {
                counts.push((status.to_string(), 0));
            }
        }
        Ok(counts)
    }
}
