-- Subscriptions, webhooks and the outbox (issue #5). Same meaning as
-- PostgreSQL's 0004_mail.sql.

-- Moderators may give an address to hear of held comments.
ALTER TABLE users ADD COLUMN email TEXT;

-- A reader's address on one site; nothing is mailed to it (but the
-- confirmation request) until confirmed_at is set.
CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    site_id         TEXT NOT NULL REFERENCES sites (id),
    email           TEXT NOT NULL,
    lang            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    confirmed_at    INTEGER,
    confirm_sent_at INTEGER,              -- the last confirmation request
    confirms_sent   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, email)
);

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    url           TEXT NOT NULL,          -- canonical page URL
    title         TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('thread', 'replies')),
    cadence       TEXT NOT NULL CHECK (cadence IN ('instant', 'digest')),
    created_at    INTEGER NOT NULL,
    UNIQUE (subscriber_id, url, kind)
);
CREATE INDEX subscriptions_url ON subscriptions (url);

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites (id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,             -- shared with the receiver, signs each delivery
    events     TEXT NOT NULL,             -- space-separated event names
    created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_site ON webhooks (site_id);

-- Work to do after a commit: comment events to fan out, messages to mail,
-- deliveries to post. `key` makes each job unique, so whatever enqueues it
-- twice enqueues it once.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    site_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('event', 'mail', 'digest', 'webhook')),
    key          TEXT NOT NULL UNIQUE,
    payload      TEXT NOT NULL,           -- JSON
    created_at   INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,        -- not before
    attempts     INTEGER NOT NULL DEFAULT 0,
    leased_by    TEXT,
    leased_until INTEGER,
    done_at      INTEGER,
    failed_at    INTEGER,                 -- given up
    last_error   TEXT
);
CREATE INDEX outbox_due ON outbox (run_at) WHERE done_at IS NULL AND failed_at IS NULL;

-- What a digest will list, until its message goes out.
CREATE TABLE digest_items (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL,
    recipient  TEXT NOT NULL,             -- e-mail address
    kind       TEXT NOT NULL CHECK (kind IN ('comment', 'held')),
    comment_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, recipient, kind, comment_id)
);
