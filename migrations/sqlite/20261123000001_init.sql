-- Sessions, their turns, the hidden facts each revealed, phase changes and scorecards.
CREATE TABLE sessions (
    id                TEXT PRIMARY KEY NOT NULL,
    question_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    level             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('active', 'finished')),
    phase_index       INTEGER NOT NULL,
    phase_started_at  INTEGER NOT NULL,
    started_at        INTEGER NOT NULL,
    finished_at       INTEGER,
    interviewer       TEXT NOT NULL,
    judge             TEXT,
    prompt_versions   TEXT NOT NULL DEFAULT '{}',
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    overall_score     INTEGER,
    recommendation    TEXT
);
CREATE INDEX sessions_started ON sessions (started_at DESC);

CREATE TABLE turns (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id        TEXT NOT NULL REFERENCES sessions (id),
    role              TEXT NOT NULL CHECK (role IN ('interviewer', 'candidate')),
    phase             TEXT NOT NULL,
    content           TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    incomplete        INTEGER NOT NULL DEFAULT 0,
    source            TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER
);
CREATE INDEX turns_session ON turns (session_id, id);

CREATE TABLE reveals (
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    fact_id     TEXT NOT NULL,
    turn_id     INTEGER NOT NULL REFERENCES turns (id),
    quote       TEXT NOT NULL,
    revealed_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, fact_id)
);

CREATE TABLE phase_changes (
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    phase_index INTEGER NOT NULL,
    phase       TEXT NOT NULL,
    entered_at  INTEGER NOT NULL,
    trigger     TEXT NOT NULL
);
CREATE INDEX phase_changes_session ON phase_changes (session_id, entered_at);

CREATE TABLE scorecards (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id),
    scorer     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
