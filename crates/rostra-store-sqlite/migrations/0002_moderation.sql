-- The moderator side (issue #7): the policy's findings kept with each
-- comment, moderators and their sessions, readers' reports, bans, and the
-- append-only audit log. Same meaning as PostgreSQL's 0002_moderation.sql.

ALTER TABLE comments ADD COLUMN assessment TEXT;                   -- JSON (Assessment), NULL when none
ALTER TABLE comments ADD COLUMN urgency REAL NOT NULL DEFAULT 0;   -- Assessment::urgency, to order the queue

-- The queue: held comments of a thread, newest first.
CREATE INDEX comments_pending ON comments (thread_id, id) WHERE status = 'pending';

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,          -- argon2id, PHC string
    created_at    INTEGER NOT NULL
);

CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users (id),
    site_id TEXT NOT NULL REFERENCES sites (id),
    role    TEXT NOT NULL CHECK (role IN ('owner', 'moderator')),
    PRIMARY KEY (user_id, site_id)
) WITHOUT ROWID;

-- Login sessions and API tokens: only the SHA-256 of the secret.
CREATE TABLE credentials (
    hash       BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'token')),
    label      TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER                    -- NULL: never
) WITHOUT ROWID;

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id),
    reporter    TEXT NOT NULL,            -- keyed hash of the reader
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
    text        TEXT,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,                  -- NULL while open
    UNIQUE (comment_id, reporter)
);
CREATE INDEX reports_open ON reports (comment_id) WHERE resolved_at IS NULL;

CREATE TABLE bans (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites (id),
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'address', 'name')),
    value      TEXT NOT NULL,
    until      INTEGER,                   -- NULL: for ever
    reason     TEXT,
    by_user    INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX bans_lookup ON bans (site_id, kind, value);

-- Append-only: the store has no statement that changes or removes a row,
-- and these triggers refuse any other.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites (id),
    user_id    INTEGER REFERENCES users (id),
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    reason     TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_site ON audit_log (site_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
