//! The browser login sessions' store for `tower-sessions`, over `Storage`, so that both backends
//! keep them (and several instances on one PostgreSQL share them). A record is its data as JSON and
//! its expiry in milliseconds; expired records are never returned and are swept now and then.

use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::storage::Storage;

#[derive(Debug, Clone)]
pub struct LoginStore {
    storage: Storage,
}

impl LoginStore {
    pub fn new(storage: Storage) -> LoginStore {
        LoginStore { storage }
    }

    /// Deletes the records that expired before `now_ms`.
    pub async fn sweep(&self, now_ms: i64) -> sqlx::Result<u64> {
        self.storage.login_delete_expired(now_ms).await
    }
}

fn backend(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<(String, i64)> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expires = (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64;
    Ok((data, expires))
}

#[async_trait::async_trait]
impl SessionStore for LoginStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (data, expires) = encode(record)?;
        // A fresh random id that happens to be taken gets another one.
        while !self
            .storage
            .login_create(&record.id.to_string(), &data, expires)
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, expires) = encode(record)?;
        self.storage
            .login_save(&record.id.to_string(), &data, expires)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some((data, expires)) = self
            .storage
            .login_load(&id.to_string())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if expiry_date <= time::OffsetDateTime::now_utc() {
            return Ok(None);
        }
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.storage
            .login_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
