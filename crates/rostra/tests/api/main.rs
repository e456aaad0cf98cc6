//! Black-box tests of the HTTP API: the real router on a real port, a fresh
//! database per test.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod helpers;

mod attacks;
mod comments;
mod durability;
mod errors;
mod ops;
mod paging;
mod threads;
mod votes;
