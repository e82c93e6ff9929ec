//! The claim of a session for one turn (or a finish) across instances: a lease in the session's row,
//! with a holder and an expiry on PostgreSQL's clock, so that an instance killed mid-stream holds the
//! session only until the expiry. A holder renews its lease while its turn lasts and releases it
//! once the turn's reply is stored.
//!
//! Each claim bumps the session's `version`. Every write to a session happens under a claim, so an
//! instance's in-memory snapshot is current exactly when the version a claim finds is one past the
//! version that instance saw at its own last claim: any claim in between (another instance's turn,
//! or one killed half-way) makes the snapshot stale, and it is read again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use sqlx::PgPool;
use tokio::task::AbortHandle;

/// Releases this instance has started but not finished (a lease dropped on an error path is released
/// from a spawned task). A claim of the same session on this instance waits for them first, so a
/// request right after a refused one is not refused again by the lease its predecessor is letting go.
#[derive(Debug, Clone, Default)]
pub(super) struct Releasing(Arc<Mutex<HashMap<String, Shared<BoxFuture<'static, ()>>>>>);

impl Releasing {
    async fn wait_for(&self, session_id: &str) {
        let pending = self.0.lock().ok().and_then(|m| m.get(session_id).cloned());
        if let Some(done) = pending {
            done.await;
        }
    }
}

/// Milliseconds since the epoch on the database's clock: one clock for every instance.
macro_rules! db_now_ms {
    () => {
        "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"
    };
}

/// What a claim found.
#[derive(Debug)]
pub enum Claim {
    /// The session is ours until the lease is released; `None` where the backend needs no lease
    /// (a SQLite file is served by one process, whose in-memory lock is the whole truth).
    Claimed(Option<Lease>),
    /// Another instance's turn holds the session.
    Busy,
    NotFound,
}

/// A claimed session. Dropping it without `release` releases it from a spawned task.
#[derive(Debug)]
pub struct Lease {
    pool: PgPool,
    session_id: String,
    holder: String,
    /// The session's version after this claim.
    pub version: i64,
    renewer: AbortHandle,
    released: bool,
    releasing: Releasing,
}

pub(super) async fn claim(
    pool: &PgPool,
    releasing: &Releasing,
    session_id: &str,
    ttl: Duration,
) -> sqlx::Result<Claim> {
    releasing.wait_for(session_id).await;
    let holder = uuid::Uuid::new_v4().to_string();
    let ttl_ms = ttl.as_millis().min(i64::MAX as u128) as i64;
    let version: Option<i64> = sqlx::query_scalar(concat!(
        "UPDATE sessions SET version = version + 1, lease_holder = $1, lease_expires = ",
        db_now_ms!(),
        " + $2 WHERE id = $3 AND (lease_holder IS NULL OR lease_expires < ",
        db_now_ms!(),
        ") RETURNING version"
    ))
    .bind(&holder)
    .bind(ttl_ms)
    .bind(session_id)
    .fetch_optional(pool)
    .await?;
    let Some(version) = version else {
        let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(pool)
            .await?;
        return Ok(if exists.is_some() {
            Claim::Busy
        } else {
            Claim::NotFound
        });
    };
    let renewer = tokio::spawn(renew(
        pool.clone(),
        session_id.to_string(),
        holder.clone(),
        ttl,
    ))
    .abort_handle();
    Ok(Claim::Claimed(Some(Lease {
        pool: pool.clone(),
        session_id: session_id.to_string(),
        holder,
        version,
        renewer,
        released: false,
        releasing: releasing.clone(),
    })))
}

/// Extends the lease every third of its time to live, for as long as the turn lasts.
async fn renew(pool: PgPool, session_id: String, holder: String, ttl: Duration) {
    loop {
        tokio::time::sleep(ttl / 3).await;
        match renew_once(&pool, &session_id, &holder, ttl).await {
            Ok(true) => {}
            Ok(false) => {
                // Expired and taken (this instance was stalled past the lease's life): the turn
                // goes on, but the other claim's snapshot check will read what it stores.
                tracing::warn!(session = %session_id, "a turn's lease was lost before it ended");
                return;
            }
            Err(e) => tracing::warn!(session = %session_id, error = %e, "could not renew a lease"),
        }
    }
}

/// Pushes the lease's expiry one time to live past now; false when `holder` no longer holds it.
async fn renew_once(
    pool: &PgPool,
    session_id: &str,
    holder: &str,
    ttl: Duration,
) -> sqlx::Result<bool> {
    let ttl_ms = ttl.as_millis().min(i64::MAX as u128) as i64;
    let renewed = sqlx::query(concat!(
        "UPDATE sessions SET lease_expires = ",
        db_now_ms!(),
        " + $1 WHERE id = $2 AND lease_holder = $3"
    ))
    .bind(ttl_ms)
    .bind(session_id)
    .bind(holder)
    .execute(pool)
    .await?;
    Ok(renewed.rows_affected() == 1)
}

async fn release_row(pool: &PgPool, session_id: &str, holder: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sessions SET lease_holder = NULL, lease_expires = NULL WHERE id = $1 AND lease_holder = $2",
    )
    .bind(session_id)
    .bind(holder)
    .execute(pool)
    .await
    .map(|_| ())
}

impl Lease {
    /// Releases the session for the next turn, on any instance.
    pub async fn release(mut self) {
        self.released = true;
        self.renewer.abort();
        if let Err(e) = release_row(&self.pool, &self.session_id, &self.holder).await {
            tracing::warn!(session = %self.session_id, error = %e, "could not release a lease; it expires");
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewer.abort();
        if self.released {
            return;
        }
        let (pool, id, holder) = (
            self.pool.clone(),
            std::mem::take(&mut self.session_id),
            std::mem::take(&mut self.holder),
        );
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (done, finished) = tokio::sync::oneshot::channel::<()>();
        let finished: BoxFuture<'static, ()> = finished.map(|_| ()).boxed();
        if let Ok(mut pending) = self.releasing.0.lock() {
            pending.insert(id.clone(), finished.shared());
        }
        let releasing = self.releasing.clone();
        rt.spawn(async move {
            if let Err(e) = release_row(&pool, &id, &holder).await {
                tracing::warn!(session = %id, error = %e, "could not release a lease; it expires");
            }
            if let Ok(mut pending) = releasing.0.lock() {
                pending.remove(&id);
            }
            let _ = done.send(());
        });
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::test_db::{Backend, TestStore};
    use super::super::{Db, NewSession, StorageOptions};
    use super::Claim;
    use crate::content::Level;
    use crate::domain::InterviewerMode;

    async fn store_with_session(ttl: Duration) -> Option<TestStore> {
        let options = StorageOptions {
            lease_ttl: ttl,
            ..StorageOptions::default()
        };
        let store = TestStore::open_with(Backend::Postgres, options).await?;
        store
            .storage
            .create_session(
                &NewSession {
                    id: "s1",
                    question_id: "q",
                    kind: "system_design",
                    level: Level::Senior,
                    first_phase: "clarify",
                    now: 0,
                    interviewer: InterviewerMode::Offline,
                    interviewer_model: None,
                    judge: None,
                    prompt_versions: "{}",
                    owner_id: None,
                    client: None,
                },
                "Welcome.",
            )
            .await
            .unwrap();
        Some(store)
    }

    fn leased(claim: Claim) -> super::Lease {
        match claim {
            Claim::Claimed(Some(lease)) => lease,
            other => panic!("expected a lease, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn one_claim_at_a_time_and_each_bumps_the_version() {
        let Some(store) = store_with_session(Duration::from_secs(30)).await else {
            return;
        };
        let s = &store.storage;
        let first = leased(s.claim("s1").await.unwrap());
        assert_eq!(first.version, 1);
        assert!(matches!(s.claim("s1").await.unwrap(), Claim::Busy));
        first.release().await;
        let second = leased(s.claim("s1").await.unwrap());
        assert_eq!(second.version, 2);
        let row = s.session("s1").await.unwrap().unwrap();
        assert_eq!(row.version, 2);
        assert!(row.lease_expires.is_some());
        // Dropped without `release`: released from a spawned task.
        drop(second);
        let mut third = None;
        for _ in 0..100 {
            if let Claim::Claimed(Some(l)) = s.claim("s1").await.unwrap() {
                third = Some(l);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(third.map(|l| l.version), Some(3));
        assert!(matches!(s.claim("nope").await.unwrap(), Claim::NotFound));
    }

    /// Sets the session's lease as if `holder` had taken it, expiring `ms_from_now` from now.
    async fn set_lease(pool: &sqlx::PgPool, holder: &str, ms_from_now: i64) {
        sqlx::query(concat!(
            "UPDATE sessions SET lease_holder = $1, lease_expires = ",
            db_now_ms!(),
            " + $2 WHERE id = 's1'"
        ))
        .bind(holder)
        .bind(ms_from_now)
        .execute(pool)
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_dead_holders_lease_is_taken_once_expired() {
        let Some(store) = store_with_session(Duration::from_secs(30)).await else {
            return;
        };
        let s = &store.storage;
        let Db::Postgres { pool, .. } = &s.db else {
            unreachable!("a PostgreSQL store")
        };
        // A holder that died mid-turn: its lease stays in the row, and nobody renews it.
        set_lease(pool, "dead", 60_000).await;
        assert!(matches!(s.claim("s1").await.unwrap(), Claim::Busy));
        set_lease(pool, "dead", -1).await;
        let live = leased(s.claim("s1").await.unwrap());
        assert_eq!(live.version, 1);
        // The dead holder's late release does not free the live holder's claim.
        super::release_row(pool, "s1", "dead").await.unwrap();
        assert!(matches!(s.claim("s1").await.unwrap(), Claim::Busy));
    }

    #[tokio::test]
    async fn renewing_pushes_the_expiry_only_for_the_holder() {
        let Some(store) = store_with_session(Duration::from_secs(30)).await else {
            return;
        };
        let Db::Postgres { pool, .. } = &store.storage.db else {
            unreachable!("a PostgreSQL store")
        };
        set_lease(pool, "me", -1).await;
        let ttl = Duration::from_secs(30);
        assert!(!super::renew_once(pool, "s1", "other", ttl).await.unwrap());
        assert!(super::renew_once(pool, "s1", "me", ttl).await.unwrap());
        // Renewed: a claim now finds it held.
        assert!(matches!(
            store.storage.claim("s1").await.unwrap(),
            Claim::Busy
        ));
    }

    #[tokio::test]
    async fn sqlite_claims_nothing_in_the_database() {
        let store = TestStore::open(Backend::Sqlite).await.unwrap();
        assert!(matches!(
            store.storage.claim("any").await.unwrap(),
            Claim::Claimed(None)
        ));
    }
}
