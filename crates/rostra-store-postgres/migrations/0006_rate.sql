-- Rate limits that hold across every node on this database (issue #4): one
-- row per key (action, site, keyed hash of the client's address) holding its
-- GCRA theoretical arrival time, in milliseconds since the epoch. A row
-- whose time is past means the same as no row, so nothing is lost when
-- PostgreSQL empties this UNLOGGED table after a crash, and each node sweeps
-- expired rows now and then. Not in SQLite: one node keeps its limits in
-- memory.

CREATE UNLOGGED TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);
