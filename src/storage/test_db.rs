//! Throw-away PostgreSQL databases for tests: created on the server `MOCK_INTERVIEWER_TEST_PG` names
//! (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the last handle goes. When
//! the server cannot be reached, tests that need it are skipped with a notice, unless
//! `MOCK_INTERVIEWER_REQUIRE_PG=1`, which turns the notice into a failure (CI sets it).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

pub const ADMIN_URL_VAR: &str = "MOCK_INTERVIEWER_TEST_PG";
pub const REQUIRE_VAR: &str = "MOCK_INTERVIEWER_REQUIRE_PG";
const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Databases this suite creates start with this, so that ones left by a killed run can be found.
const PREFIX: &str = "mi_test_";

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test; dropped (with `WITH (FORCE)`) when this is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    admin: PgConnectOptions,
    name: String,
}

fn admin_url() -> String {
    std::env::var(ADMIN_URL_VAR).unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

fn required() -> bool {
    std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1" || v == "true")
}

impl TestDatabase {
    /// A new empty database, or `None` (after printing why) when PostgreSQL cannot be reached and
    /// is not required. Panics when it is required and cannot be had.
    pub async fn create() -> Option<TestDatabase> {
        match Self::try_create().await {
            Ok(db) => Some(db),
            Err(e) if required() => {
                panic!("PostgreSQL is required ({REQUIRE_VAR}=1) but: {e:#}")
            }
            Err(e) => {
                eprintln!(
                    "notice: skipping a PostgreSQL test: {e:#} (set {ADMIN_URL_VAR} to a reachable server)"
                );
                None
            }
        }
    }

    async fn try_create() -> anyhow::Result<TestDatabase> {
        let url = admin_url();
        let admin: PgConnectOptions = url.parse()?;
        let mut conn = tokio::time::timeout(Duration::from_secs(5), admin.connect())
            .await
            .map_err(|_| anyhow::anyhow!("no answer from {url} in 5 s"))??;
        let name = format!(
            "{PREFIX}{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await?;
        let _ = conn.close().await;
        Ok(TestDatabase {
            url: url_with_database(&url, &name),
            admin,
            name,
        })
    }
}

/// `url` with its database replaced by `name`.
fn url_with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = std::mem::take(&mut self.name);
        // Dropped inside a runtime (a test's), which must not block on itself: drop from a thread
        // with a runtime of its own, and wait for it so the database is gone when the test ends.
        let dropping = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(mut conn) = admin.connect().await else {
                    return;
                };
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                {
                    eprintln!("notice: could not drop test database {name}: {e}");
                }
                let _ = conn.close().await;
            });
        });
        let _ = dropping.join();
    }
}

/// Which backend a test runs on.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A migrated store on a backend, and what keeps its database alive.
#[cfg(test)]
pub struct TestStore {
    pub storage: super::Storage,
    _dir: Option<tempfile::TempDir>,
    _db: Option<TestDatabase>,
}

#[cfg(test)]
impl TestStore {
    /// `None` when the backend is PostgreSQL and it cannot be had (the notice is printed).
    pub async fn open(backend: Backend) -> Option<TestStore> {
        TestStore::open_with(backend, super::StorageOptions::default()).await
    }

    pub async fn open_with(backend: Backend, options: super::StorageOptions) -> Option<TestStore> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().ok()?;
                let storage = super::Storage::open(&dir.path().join("t.db")).await.ok()?;
                Some(TestStore {
                    storage,
                    _dir: Some(dir),
                    _db: None,
                })
            }
            Backend::Postgres => {
                let db = TestDatabase::create().await?;
                let storage = match super::Storage::open_postgres(&db.url, options).await {
                    Ok(s) => s,
                    Err(e) => panic!("the test database does not open: {e:#}"),
                };
                Some(TestStore {
                    storage,
                    _dir: None,
                    _db: Some(db),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            url_with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            url_with_database("postgres://h?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
