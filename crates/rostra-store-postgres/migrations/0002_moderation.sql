-- The moderator side (issue #7): the policy's findings kept with each
-- comment, moderators and their sessions, readers' reports, bans, and the
-- append-only audit log. Same meaning as SQLite's 0002_moderation.sql.

ALTER TABLE comments ADD COLUMN assessment TEXT;                               -- JSON (Assessment), NULL when none
ALTER TABLE comments ADD COLUMN urgency DOUBLE PRECISION NOT NULL DEFAULT 0;   -- Assessment::urgency, to order the queue

-- The queue: held comments of a thread, newest first.
CREATE INDEX comments_pending ON comments (thread_id, id) WHERE status = 'pending';

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,          -- argon2id, PHC string
    created_at    BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    site_id TEXT NOT NULL REFERENCES sites (id),
    role    TEXT NOT NULL CHECK (role IN ('owner', 'moderator')),
    PRIMARY KEY (user_id, site_id)
);

-- Login sessions and API tokens: only the SHA-256 of the secret.
CREATE TABLE credentials (
    hash       BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'token')),
    label      TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT                     -- NULL: never
);

CREATE TABLE reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id  BIGINT NOT NULL REFERENCES comments (id),
    reporter    TEXT NOT NULL,            -- keyed hash of the reader
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
    text        TEXT,
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT,                   -- NULL while open
    UNIQUE (comment_id, reporter)
);
CREATE INDEX reports_open ON reports (comment_id) WHERE resolved_at IS NULL;

CREATE TABLE bans (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites (id),
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'address', 'name')),
    value      TEXT NOT NULL,
    until      BIGINT,                    -- NULL: for ever
    reason     TEXT,
    by_user    BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX bans_lookup ON bans (site_id, kind, value);

-- Append-only: the store has no statement that changes or removes a row,
-- and this trigger refuses any other (TRUNCATE included).
CREATE TABLE audit_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites (id),
    user_id    BIGINT REFERENCES users (id),
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    reason     TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_site ON audit_log (site_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
