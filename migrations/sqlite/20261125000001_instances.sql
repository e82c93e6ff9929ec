-- Several instances on one database (PostgreSQL; SQLite keeps the same columns so both backends share
-- their SQL). `version` is bumped by every claim of the session for a turn or a finish, and every write
-- to a session happens under a claim, so an instance's in-memory snapshot is current exactly when the
-- version is the one it saw at its own last claim. The lease (holder, expiry in ms since the epoch) is
-- the cross-instance "one turn streams at a time"; on SQLite one process owns the file and the lease
-- stays empty.
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN lease_holder TEXT;
ALTER TABLE sessions ADD COLUMN lease_expires INTEGER;
