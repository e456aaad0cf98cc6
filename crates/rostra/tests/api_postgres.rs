//! The black-box API tests of `api/`, run again on PostgreSQL: the same
//! modules, with `TestApp` storing into a scratch schema on the server
//! `ROSTRA_TEST_POSTGRES_URL` names. Each test is skipped, and says so, when
//! the variable is unset; with it set, an unreachable server is a failure.
//!
//! `durability` is not here: it kills the real binary to show that SQLite's
//! group commit acknowledges nothing before its fsync. On PostgreSQL the
//! same promise is the server's (`synchronous_commit`) plus `COMMIT`
//! returning before the 201; `node_kill` kills one of two real nodes on one
//! schema mid-storm and reads every acknowledged write back from the other.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "api/helpers.rs"]
mod helpers;

/// The database `TestApp` runs on in this target.
const BACKEND: helpers::Backend = helpers::Backend::Postgres;

#[path = "api/attacks.rs"]
mod attacks;
/// The real binary as a child process (for `node_kill`).
#[path = "api/binary.rs"]
mod binary;
#[path = "api/campaign_webhooks.rs"]
mod campaign_webhooks;
#[path = "api/campaigns.rs"]
mod campaigns;
#[path = "api/comments.rs"]
mod comments;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/html.rs"]
mod html;
#[path = "api/mail.rs"]
mod mail;
#[path = "api/moderation.rs"]
mod moderation;
#[path = "api/moderation_bans.rs"]
mod moderation_bans;
#[path = "api/moderation_page.rs"]
mod moderation_page;
/// Two real nodes on one database, one killed with SIGKILL.
#[path = "api/node_kill.rs"]
mod node_kill;
/// Several nodes on one database: PostgreSQL only.
#[path = "api/nodes.rs"]
mod nodes;
#[path = "api/ops.rs"]
mod ops;
#[path = "api/paging.rs"]
mod paging;
#[path = "api/policy.rs"]
mod policy;
#[path = "api/stream.rs"]
mod stream;
#[path = "api/threads.rs"]
mod threads;
#[path = "api/votes.rs"]
mod votes;
