-- Accounts (`--auth password|token`): users with roles, API tokens (only their SHA-256 is stored),
-- browser login sessions (tower-sessions records), who owns a session (NULL for sessions made with
-- `--auth none`), shares with coaches (by name, or a link whose token only a hash of is kept; the
-- coaches who opened a link are in share_access) and comments on a session or one of its turns.
CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('candidate', 'coach', 'admin')),
    -- argon2id PHC string; NULL for an account that signs in with tokens only.
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    data       TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_sessions_expiry ON login_sessions (expires_at);

ALTER TABLE sessions ADD COLUMN owner_id TEXT REFERENCES users (id);
CREATE INDEX sessions_owner ON sessions (owner_id, started_at DESC);

CREATE TABLE shares (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    coach_id   TEXT REFERENCES users (id),
    token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    CHECK ((coach_id IS NULL) <> (token_hash IS NULL))
);
CREATE INDEX shares_session ON shares (session_id);
CREATE INDEX shares_coach ON shares (coach_id);
-- A coach is shared a session once (links, whose coach_id is NULL, are not limited).
CREATE UNIQUE INDEX shares_once ON shares (session_id, coach_id);

CREATE TABLE share_access (
    share_id   TEXT NOT NULL REFERENCES shares (id),
    coach_id   TEXT NOT NULL REFERENCES users (id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (share_id, coach_id)
);
CREATE INDEX share_access_coach ON share_access (coach_id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    author_id  TEXT NOT NULL REFERENCES users (id),
    turn_id    INTEGER REFERENCES turns (id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_session ON comments (session_id, id);
