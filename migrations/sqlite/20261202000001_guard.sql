-- Limits and retention (the same tables and columns on both backends).
-- The client (user or address, as `http::client` names it) that created a session: the LLM token quota
-- sums the tokens stored with that client's sessions.
ALTER TABLE sessions ADD COLUMN client TEXT;
CREATE INDEX sessions_client ON sessions (client);
-- Retention deletes finished sessions by the time they finished.
CREATE INDEX sessions_finished ON sessions (status, finished_at);

-- Rate-limit counters shared by every instance: one row per client, limit and fixed window (its start
-- in ms); the limiter weighs the previous window in (a sliding-window counter). Rows past
-- `expires_at` are no longer read and are deleted by the hourly upkeep.
CREATE TABLE rate_windows (
    subject      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (subject, kind, window_start)
);
CREATE INDEX rate_windows_expiry ON rate_windows (expires_at);
