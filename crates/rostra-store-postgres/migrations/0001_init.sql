-- Rostra's first PostgreSQL schema: the same tables, columns and meanings as
-- the SQLite one (crates/rostra-store-sqlite/migrations/0001_init.sql).
-- Forward-only: never edit a released migration; add one.
--
-- Times are milliseconds since the epoch (BIGINT), as in SQLite, so both
-- backends hold the same values. JSON columns stay TEXT: the store writes and
-- reads them whole and never queries inside them.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL,       -- JSON array of origins
    settings        TEXT NOT NULL,       -- JSON object (SiteSettings)
    voter_secret    BYTEA NOT NULL,
    created_at      BIGINT NOT NULL      -- ms since epoch
);

CREATE TABLE threads (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id        TEXT NOT NULL REFERENCES sites (id),
    url            TEXT NOT NULL,        -- canonical page URL
    title          TEXT,
    approved_count BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    UNIQUE (site_id, url)
);

CREATE TABLE comments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id       BIGINT NOT NULL REFERENCES threads (id),
    parent_id       BIGINT REFERENCES comments (id),
    root_id         BIGINT REFERENCES comments (id),    -- NULL for top-level
    depth           BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam', 'deleted')),
    listed          BOOLEAN NOT NULL,                   -- approved, or a tombstone over listed replies
    listed_replies  BIGINT NOT NULL DEFAULT 0,          -- direct replies that are listed
    author_name     TEXT NOT NULL,
    author_email    TEXT,
    author_website  TEXT,
    ip_hash         TEXT,
    body_markdown   TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    edit_token_hash BYTEA,
    created_at      BIGINT NOT NULL,
    edited_at       BIGINT,
    upvotes         BIGINT NOT NULL DEFAULT 0,
    downvotes       BIGINT NOT NULL DEFAULT 0,
    score           BIGINT NOT NULL DEFAULT 0,          -- upvotes - downvotes
    best            DOUBLE PRECISION NOT NULL DEFAULT 0 -- Wilson lower bound
);

-- One index per sort order of top-level comments, each matching its ORDER BY
-- column for column, so a page is a range scan of `limit` entries (read
-- backwards for a "before" page).
CREATE INDEX comments_top_time  ON comments (thread_id, listed, created_at, id)     WHERE parent_id IS NULL;
CREATE INDEX comments_top_score ON comments (thread_id, listed, score DESC, id ASC) WHERE parent_id IS NULL;
CREATE INDEX comments_top_best  ON comments (thread_id, listed, best DESC, id ASC)  WHERE parent_id IS NULL;
-- The replies under a page's top-level comments.
CREATE INDEX comments_branch    ON comments (root_id, listed, created_at, id)      WHERE root_id IS NOT NULL;

CREATE TABLE votes (
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    voter      TEXT NOT NULL,
    value      BIGINT NOT NULL CHECK (value IN (-1, 1)),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, voter)
);
