-- Rostra's first schema. Forward-only: never edit a released migration; add one.

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL,       -- JSON array of origins
    settings        TEXT NOT NULL,       -- JSON object (SiteSettings)
    voter_secret    BLOB NOT NULL,
    created_at      INTEGER NOT NULL     -- ms since epoch
);

CREATE TABLE threads (
    id             INTEGER PRIMARY KEY,
    site_id        TEXT NOT NULL REFERENCES sites (id),
    url            TEXT NOT NULL,        -- canonical page URL
    title          TEXT,
    approved_count INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    UNIQUE (site_id, url)
);

CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    thread_id       INTEGER NOT NULL REFERENCES threads (id),
    parent_id       INTEGER REFERENCES comments (id),
    root_id         INTEGER REFERENCES comments (id),   -- NULL for top-level
    depth           INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam', 'deleted')),
    listed          INTEGER NOT NULL,                   -- approved, or a tombstone over listed replies
    listed_replies  INTEGER NOT NULL DEFAULT 0,         -- direct replies that are listed
    author_name     TEXT NOT NULL,
    author_email    TEXT,
    author_website  TEXT,
    ip_hash         TEXT,
    body_markdown   TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    edit_token_hash BLOB,
    created_at      INTEGER NOT NULL,
    edited_at       INTEGER,
    upvotes         INTEGER NOT NULL DEFAULT 0,
    downvotes       INTEGER NOT NULL DEFAULT 0,
    score           INTEGER NOT NULL DEFAULT 0,         -- upvotes - downvotes
    best            REAL NOT NULL DEFAULT 0             -- Wilson lower bound
);

-- One index per sort order of top-level comments, each matching its ORDER BY
-- column for column, so a page is a range scan of `limit` entries.
CREATE INDEX comments_top_time  ON comments (thread_id, listed, created_at, id)     WHERE parent_id IS NULL;
CREATE INDEX comments_top_score ON comments (thread_id, listed, score DESC, id ASC) WHERE parent_id IS NULL;
CREATE INDEX comments_top_best  ON comments (thread_id, listed, best DESC, id ASC)  WHERE parent_id IS NULL;
-- The replies under a page's top-level comments.
CREATE INDEX comments_branch    ON comments (root_id, listed, created_at, id)      WHERE root_id IS NOT NULL;

CREATE TABLE votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    voter      TEXT NOT NULL,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, voter)
) WITHOUT ROWID;
