//! Black-box tests of the HTTP API: the real router on a real port, a fresh
//! database per test, here SQLite. `api_postgres` runs the same modules
//! (but `durability`) on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod helpers;

/// The database `TestApp` runs on in this target.
const BACKEND: helpers::Backend = helpers::Backend::Sqlite;

mod attacks;
mod binary;
mod campaign_webhooks;
mod campaigns;
mod comments;
mod durability;
mod errors;
mod html;
mod mail;
mod moderation;
mod moderation_bans;
mod moderation_page;
mod ops;
mod paging;
mod policy;
mod stream;
mod threads;
mod votes;
