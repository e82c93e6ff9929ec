//! Sessions held in memory between their turns, each behind one lock. A turn (or a finish) takes its
//! session's lock with `try_lock` and keeps it until its reply is stored, so a second turn of the same
//! session gets 409 `turn_in_progress` instead of waiting; the lock also guards the session's snapshot,
//! so only the holder can read or change it and it cannot go stale.
//!
//! A turn takes the snapshot out of the guard (leaving `None`) and puts the updated one back once the
//! candidate's turn is committed; a turn that fails in between leaves `None`, and the next one reads
//! the session from SQLite again. Memory is bounded: past `capacity` sessions, the least recently used
//! idle ones fall out (a locked session never does, so its lock is never duplicated).
//!
//! With several instances on one database the lock is only this instance's half: the guard also
//! carries the session's lease in the database (`storage::Lease`), and a snapshot is kept only while
//! the session's version says no other instance has claimed the session since (see
//! `Interviews::lock_session`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use crate::analysis::coverage::Coverage;
use crate::analysis::lexicon::Lexicon;
use crate::domain::TurnRole;
use crate::error::ApiError;
use crate::storage::{Lease, SessionRow, TurnRow};

use super::memory::{Memory, Repertoire, Spoken};

/// What the turn pipeline needs of a session, kept between its turns so a turn costs one database
/// write instead of several reads and a write.
#[derive(Debug)]
pub(super) struct Snapshot {
    pub session: SessionRow,
    pub turns: Vec<TurnRow>,
    pub revealed: Vec<String>,
    /// Coverage of the candidate's turns so far, extended by each new turn instead of recomputed.
    pub coverage: Coverage,
    /// What the interviewer remembers of `turns`, caught up with each stored reply and before each
    /// plan instead of recomputed.
    pub memory: Memory,
}

impl Snapshot {
    /// Appends a committed interviewer reply.
    pub fn remember_reply(&mut self, turn: &TurnRow) {
        self.session.prompt_tokens += turn.prompt_tokens.unwrap_or(0);
        self.session.completion_tokens += turn.completion_tokens.unwrap_or(0);
        self.turns.push(turn.clone());
    }

    /// Reads the turns the interviewer's memory has not read yet.
    pub fn catch_up_memory(&mut self, repertoire: &Repertoire, lexicon: &Lexicon) {
        // At a turn's start the memory has usually read everything already (the last reply was read
        // when it was stored): the transcript's view is not built for nothing.
        if !self.memory.has_read(self.turns.len()) {
            self.memory
                .catch_up(repertoire, &spoken(&self.turns), lexicon);
        }
    }
}

/// The transcript as the planner reads it, borrowed.
pub(super) fn spoken(turns: &[TurnRow]) -> Vec<Spoken<'_>> {
    turns
        .iter()
        .map(|t| Spoken {
            id: t.id,
            by_interviewer: t.role == TurnRole::Interviewer,
            phase: &t.phase,
            text: &t.content,
            hint: t.hint,
        })
        .collect()
}

/// A session held for one turn: its snapshot if one is kept (`None` means "read it from the
/// database"), and its lease where the database is shared. Dereferences to the snapshot.
pub(super) struct SessionGuard {
    snapshot: OwnedMutexGuard<Option<Snapshot>>,
    lease: Option<Lease>,
}

impl SessionGuard {
    /// Holds the database's claim too; `version` is the session's after that claim.
    pub fn with_lease(&mut self, lease: Lease) {
        self.lease = Some(lease);
    }

    /// Releases the claim in the database (the in-memory lock goes when the guard is dropped).
    /// Awaited before a turn's last event, so that a client that heard the end of a turn can start
    /// the next one on any instance at once.
    pub async fn release_lease(&mut self) {
        if let Some(lease) = self.lease.take() {
            lease.release().await;
        }
    }
}

impl std::ops::Deref for SessionGuard {
    type Target = Option<Snapshot>;
    fn deref(&self) -> &Option<Snapshot> {
        &self.snapshot
    }
}

impl std::ops::DerefMut for SessionGuard {
    fn deref_mut(&mut self) -> &mut Option<Snapshot> {
        &mut self.snapshot
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Snapshot>>>;

struct Slots {
    by_id: HashMap<String, (Slot, u64)>,
    /// A use counter: the higher a slot's stamp, the more recently it was used.
    clock: u64,
}

pub(super) struct SessionCache {
    slots: Mutex<Slots>,
    capacity: usize,
}

impl SessionCache {
    pub fn new(capacity: usize) -> SessionCache {
        SessionCache {
            slots: Mutex::new(Slots {
                by_id: HashMap::new(),
                clock: 0,
            }),
            capacity: capacity.max(4),
        }
    }

    fn slots(&self) -> Result<std::sync::MutexGuard<'_, Slots>, ApiError> {
        self.slots
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("session cache poisoned")))
    }

    /// Takes the session's lock, or fails with `TurnInProgress` when a turn holds it.
    pub fn try_lock(&self, session_id: &str) -> Result<SessionGuard, ApiError> {
        let slot = {
            let mut slots = self.slots()?;
            slots.clock += 1;
            let now = slots.clock;
            if !slots.by_id.contains_key(session_id) {
                self.make_room(&mut slots);
            }
            let (slot, used) = slots
                .by_id
                .entry(session_id.to_string())
                .or_insert_with(|| (Slot::default(), now));
            *used = now;
            slot.clone()
        };
        let snapshot = slot
            .try_lock_owned()
            .map_err(|_| ApiError::TurnInProgress)?;
        Ok(SessionGuard {
            snapshot,
            lease: None,
        })
    }

    /// Keeps a new session's snapshot, which no turn can hold yet.
    pub fn insert(&self, session_id: &str, snapshot: Snapshot) -> Result<(), ApiError> {
        let mut slots = self.slots()?;
        slots.clock += 1;
        let now = slots.clock;
        self.make_room(&mut slots);
        let slot = Arc::new(tokio::sync::Mutex::new(Some(snapshot)));
        slots.by_id.insert(session_id.to_string(), (slot, now));
        Ok(())
    }

    /// Whether a turn holds the session right now (for display: it may change the next moment).
    pub fn is_locked(&self, session_id: &str) -> bool {
        // A guard holds a clone of the slot; counting clones never contends with a turn for the lock.
        self.slots
            .lock()
            .ok()
            .and_then(|s| {
                s.by_id
                    .get(session_id)
                    .map(|(slot, _)| Arc::strong_count(slot) > 1)
            })
            .unwrap_or(false)
    }

    /// At capacity, drops the least recently used idle sessions down to three quarters of it, so the
    /// sort is paid once per quarter of the capacity. A slot only the map holds is idle: clones are
    /// made under the map's lock, so none can appear while this runs.
    fn make_room(&self, slots: &mut Slots) {
        if slots.by_id.len() < self.capacity {
            return;
        }
        let mut idle: Vec<(u64, String)> = slots
            .by_id
            .iter()
            .filter(|(_, (slot, _))| Arc::strong_count(slot) == 1)
            .map(|(id, (_, used))| (*used, id.clone()))
            .collect();
        idle.sort_unstable();
        let excess = slots.by_id.len() - self.capacity * 3 / 4;
        for (_, id) in idle.into_iter().take(excess) {
            slots.by_id.remove(&id);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.lock().map(|s| s.by_id.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Level;
    use crate::domain::{InterviewerMode, SessionStatus};

    fn session_row(id: &str) -> SessionRow {
        SessionRow {
            id: id.into(),
            question_id: "q".into(),
            kind: "system_design".into(),
            level: Level::Senior,
            status: SessionStatus::Active,
            phase_index: 0,
            phase_started_at: 0,
            started_at: 0,
            finished_at: None,
            interviewer: InterviewerMode::Offline,
            interviewer_model: None,
            judge: None,
            prompt_versions: "{}".into(),
            prompt_tokens: 0,
            completion_tokens: 0,
            overall_score: None,
            recommendation: None,
            version: 0,
            lease_expires: None,
            owner_id: None,
        }
    }

    #[test]
    fn a_second_turn_of_a_session_is_refused_until_the_first_ends() {
        let cache = SessionCache::new(16);
        let first = cache.try_lock("s1").unwrap();
        assert!(cache.is_locked("s1"));
        assert!(matches!(
            cache.try_lock("s1"),
            Err(ApiError::TurnInProgress)
        ));
        // Other sessions are not held up.
        drop(cache.try_lock("s2").unwrap());
        drop(first);
        assert!(!cache.is_locked("s1"));
        assert!(cache.try_lock("s1").is_ok());
    }

    #[test]
    fn a_snapshot_put_back_is_there_for_the_next_turn() {
        let cache = SessionCache::new(16);
        let mut guard = cache.try_lock("s1").unwrap();
        assert!(guard.is_none(), "nothing held yet: read from SQLite");
        *guard = Some(Snapshot {
            session: session_row("s1"),
            turns: Vec::new(),
            revealed: vec!["scale".into()],
            coverage: Coverage::default(),
            memory: Memory::default(),
        });
        drop(guard);
        let guard = cache.try_lock("s1").unwrap();
        assert_eq!(
            guard.as_ref().map(|s| s.revealed.clone()),
            Some(vec!["scale".to_string()])
        );
    }

    #[test]
    fn eviction_never_drops_a_locked_session() {
        let cache = SessionCache::new(8);
        let held = cache.try_lock("held").unwrap();
        for i in 0..100 {
            drop(cache.try_lock(&format!("s{i}")).unwrap());
        }
        assert!(cache.len() <= 8, "bounded: {}", cache.len());
        // Still the same lock: a second turn of the held session is refused.
        assert!(matches!(
            cache.try_lock("held"),
            Err(ApiError::TurnInProgress)
        ));
        drop(held);
        assert!(cache.try_lock("held").is_ok());
    }
}
