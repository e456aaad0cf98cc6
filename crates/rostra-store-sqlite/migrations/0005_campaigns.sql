-- Donation campaigns and the donations recorded toward them (issue #6).
-- Amounts are integers in the currency's minor unit; a refund is a row with
-- a negative amount. Same tables and meanings as PostgreSQL's 0005.

CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    site_id        TEXT NOT NULL REFERENCES sites (id),
    slug           TEXT NOT NULL,
    title          TEXT NOT NULL,
    currency       TEXT NOT NULL,             -- ISO 4217, upper case
    goal           INTEGER NOT NULL,          -- minor units
    milestones     TEXT NOT NULL,             -- JSON array of minor units, ascending
    starts_at      INTEGER NOT NULL,          -- ms since epoch
    ends_at        INTEGER NOT NULL,          -- ms since epoch, exclusive
    offset_amount  INTEGER NOT NULL,          -- raised elsewhere, minor units
    cta_text       TEXT NOT NULL,
    cta_url        TEXT NOT NULL,
    show_donors    INTEGER NOT NULL,          -- 0 or 1
    stripe_secret  TEXT,                      -- Stripe endpoint's signing secret
    webhook_secret TEXT,                      -- the generic webhook's
    created_at     INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);

CREATE TABLE donations (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    source      TEXT NOT NULL CHECK (source IN ('stripe', 'webhook', 'manual', 'csv')),
    event_id    TEXT NOT NULL,                -- the provider's event id: idempotency
    reference   TEXT NOT NULL,                -- the payment (refunds name the one they undo)
    kind        TEXT NOT NULL CHECK (kind IN ('gift', 'refund')),
    currency    TEXT NOT NULL,
    amount      INTEGER NOT NULL,             -- minor units; negative for a refund
    note        TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (campaign_id, source, event_id)
);
-- One gift per payment, whichever of the provider's events announced it.
CREATE UNIQUE INDEX donations_one_gift ON donations (campaign_id, source, reference) WHERE kind = 'gift';
CREATE INDEX donations_totals ON donations (campaign_id, currency, reference);
